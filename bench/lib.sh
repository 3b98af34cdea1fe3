# bench/lib.sh: what the shell benchmarks share (sourced by http.sh, conn.sh, nodes.sh, pg-start.sh).

# free_port: a TCP port on 127.0.0.1 that nothing listens on now
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + $$ % 20000)); }

# measure URL [HEADER] [LUA]: wrk with $THREADS, $CONNS and $DURATION on URL (with one request
# header, and a wrk Lua script); prints "requests/s p99_ms"
measure() {
  local url=$1 hdr=${2:-} lua=${3:-}
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency ${hdr:+-H "$hdr"} ${lua:+-s "$lua"} "$url" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v = v * 1000 } p99 = v }
    END { printf "%.0f %.2f\n", rps, p99 }'
}

# median: of the numbers on standard input, one a line
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
