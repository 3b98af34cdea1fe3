#!/bin/sh
# make bench-conn: many connections, and slow ones (issue 11; docs/operations.md).
#  1. wrk with CONNS (1,000) keep-alive connections from one address against the directory page
#     for DURATION (30 s): there must be no socket error, no answer slower than 10 s, and no
#     connection refused in the log;
#  2. the long versions of the HTTP suite's transport tests (tests/http/transport.test.mjs with
#     GRANSLOS_LONG=1): 1,100 connections dribbling headers from five addresses for 30 s while a
#     visitor's requests are answered within a second, and 1,000 connections × 20 requests.
# Prints the figures; exits 1 if any check fails.
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
DURATION=${DURATION:-30s}
CONNS=${CONNS:-1000}
THREADS=${THREADS:-2}
out=$(mktemp -d /tmp/granslos-conn.XXXXXX)
gpid=
trap '[ -n "$gpid" ] && kill $gpid 2>/dev/null; rm -rf "$out"' EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((CONNS + 500)) ]; then
  echo "bench-conn: the open-file limit is $(ulimit -n); $CONNS connections need more (ulimit -n)" >&2
  exit 1
fi

port=$(free_port)
./granslos demo --db "$out/g.db" >/dev/null 2>"$out/demo.log" || { cat "$out/demo.log"; exit 1; }
./granslos serve --db "$out/g.db" --listen "127.0.0.1:$port" 2>"$out/log" &
gpid=$!
for i in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port/organisations"

# a request not answered within 10 s counts as an error (a stalled connection); slower tails show in p99
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 10s --latency "$url" > "$out/wrk.txt"
kill "$gpid"; wait "$gpid" 2>/dev/null || true; gpid=
rps=$(awk '/Requests\/sec/ { print $2 }' "$out/wrk.txt")
p99=$(awk '/^ +99%/ { print $2 }' "$out/wrk.txt")
max=$(awk '/^ +Latency / { print $4 }' "$out/wrk.txt")
errors=$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$out/wrk.txt")
errors=${errors:-0}
non2xx=$(awk '/Non-2xx/ { print $5 }' "$out/wrk.txt")
non2xx=${non2xx:-0}
refused=$(grep -c 'connection limit' "$out/log" || true)
mhd=$(grep -c 'libmicrohttpd:' "$out/log" || true)
echo "wrk -t$THREADS -c$CONNS -d$DURATION $url on $(nproc) cores"
echo "  $rps req/s, p99 $p99, slowest $max; socket errors (and answers over 10 s) $errors, non-2xx $non2xx; log: $refused refused-connection lines, $mhd libmicrohttpd lines"
grep -E 'limits:' "$out/log" | sed 's/^/  server: /'
fail=0
[ "$errors" -eq 0 ] && [ "$non2xx" -eq 0 ] && [ "$refused" -eq 0 ] || { echo "bench-conn: FAILED: errors with $CONNS connections"; fail=1; }

echo "the transport tests, long (GRANSLOS_LONG=1):"
if GRANSLOS_LONG=1 GRANSLOS_BIN=./granslos node --test --test-reporter=spec \
     --test-name-pattern='slow clients|keep-alive' tests/http/transport.test.mjs > "$out/node.txt" 2>&1; then
  grep -E '✔|ℹ (pass|fail)' "$out/node.txt" | sed 's/^/  /'
else
  cat "$out/node.txt"; fail=1
fi
exit $fail
