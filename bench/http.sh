#!/bin/sh
# make bench-http: an organisation profile page from `granslos serve` against nginx serving a
# static file of the same size, measured with wrk on loopback in the same run.
# Prints both figures and the ratio; medians of ROUNDS alternating rounds.
# Target (issue 2): profile rps >= 0.5 x nginx rps, profile p99 <= 15 ms at 64 connections.
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
out=$(mktemp -d /tmp/granslos-bench.XXXXXX)
trap 'kill $gpid 2>/dev/null; nginx -c "$out/nginx.conf" -p "$out" -s stop 2>/dev/null; rm -rf "$out"' EXIT

gport=$(free_port); nport=$(free_port)
[ "$gport" = "$nport" ] && nport=$((gport + 1))

./granslos demo --db "$out/g.db" >/dev/null
./granslos serve --db "$out/g.db" --listen "127.0.0.1:$gport" 2>/dev/null &
gpid=$!
for i in $(seq 50); do curl -sf "http://127.0.0.1:$gport/healthz" >/dev/null && break; sleep 0.1; done
# the profile of a real demo organisation: Region Värmland
id=$(curl -sf "http://127.0.0.1:$gport/api/v1/organisations?q=region%20v%C3%A4rmland" | sed -n 's/^{"items":\[{"id":\([0-9]*\).*/\1/p')
url="http://127.0.0.1:$gport/organisations/$id"
size=$(curl -sf "$url" | wc -c)

mkdir -p "$out/www" "$out/logs"
head -c "$size" /dev/zero | tr '\0' 'x' > "$out/www/profile.html"
cat > "$out/nginx.conf" <<NGINX
worker_processes auto;
pid $out/nginx.pid;
error_log $out/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $out/t1; proxy_temp_path $out/t2; fastcgi_temp_path $out/t3; uwsgi_temp_path $out/t4; scgi_temp_path $out/t5;
  server { listen 127.0.0.1:$nport; root $out/www; location / { default_type text/html; } }
}
NGINX
nginx -c "$out/nginx.conf" -p "$out"
sleep 0.3
nurl="http://127.0.0.1:$nport/profile.html"

# warm up both
wrk -t"$THREADS" -c"$CONNS" -d2s "$url" >/dev/null
wrk -t"$THREADS" -c"$CONNS" -d2s "$nurl" >/dev/null


: > "$out/g.txt"; : > "$out/n.txt"; : > "$out/u.txt"
for r in $(seq "$ROUNDS"); do
  measure "$url" >> "$out/g.txt"
  measure "$nurl" >> "$out/n.txt"
  measure "$url" "Cache-Control: no-cache" >> "$out/u.txt"   # rendered from the store every time
done
g_rps=$(cut -d' ' -f1 "$out/g.txt" | median); g_p99=$(cut -d' ' -f2 "$out/g.txt" | median)
n_rps=$(cut -d' ' -f1 "$out/n.txt" | median); n_p99=$(cut -d' ' -f2 "$out/n.txt" | median)
u_rps=$(cut -d' ' -f1 "$out/u.txt" | median); u_p99=$(cut -d' ' -f2 "$out/u.txt" | median)
ratio=$(awk -v a="$g_rps" -v b="$n_rps" 'BEGIN { printf "%.2f", a / b }')
uratio=$(awk -v a="$u_rps" -v b="$n_rps" 'BEGIN { printf "%.2f", a / b }')
echo "page size: $size bytes; wrk -t$THREADS -c$CONNS -d$DURATION, median of $ROUNDS rounds on $(nproc) cores"
echo "granslos profile page: $g_rps req/s, p99 $g_p99 ms   (rounds: $(cut -d' ' -f1 "$out/g.txt" | tr '\n' ' '))"
echo "nginx static file:     $n_rps req/s, p99 $n_p99 ms   (rounds: $(cut -d' ' -f1 "$out/n.txt" | tr '\n' ' '))"
echo "granslos, no cache:    $u_rps req/s, p99 $u_p99 ms   (rounds: $(cut -d' ' -f1 "$out/u.txt" | tr '\n' ' '))"
echo "ratio granslos/nginx:  $ratio as a visitor sees it, $uratio rendering every request (target >= 0.50); p99 target <= 15 ms"
