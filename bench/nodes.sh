#!/bin/bash
# make bench-nodes (issue 15): Gränslös behind nginx on one and two nodes on PostgreSQL, and on one
# node on SQLite, with nginx serving a static file of the same size as the baseline, all in one run
# on loopback, measured with wrk. The directory holds the demo data and the 4,821 real Brønnøysund
# rows of data/bench. Prints, per target, the median requests per second and p99 of ROUNDS rounds
# (the targets take turns in each round, so the machine's other work falls on all of them):
#   profile  the cached profile page of an organisation, as a visitor sees it
#   search   a directory search rendered for every request (Cache-Control: no-cache)
#   write    organisation saves (PATCH /api/v1/organisations/{id}, a new version each)
# Each node is pinned to one core with taskset (node 1 on core 0, node 2 on core 1); nginx and wrk
# are not pinned. PostgreSQL runs with fsync on (PG_DURABLE=1), as SQLite does, so the write
# figures compare like with like.
# Bars (issue 15): profile on PostgreSQL >= 0.8 x SQLite; search on 2 nodes >= 1.7 x 1 node.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-8s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
out=$(mktemp -d /tmp/granslos-nodes.XXXXXX)
chmod 755 "$out"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  nginx -c "$out/nginx.conf" -p "$out" -s stop 2>/dev/null || true
  PG_DURABLE=1 tests/pg-cluster stop "$out/pg" 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT

wait_up() { for _ in $(seq 300); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0; sleep 0.1; done; echo "node on $1 did not start" >&2; exit 1; }

echo "setting up: SQLite and PostgreSQL stores with the demo data and the Brønnøysund rows" >&2
pg=$(PG_DURABLE=1 tests/pg-cluster start "$out/pg")
psql "$pg/postgres" -qc "CREATE DATABASE bench" >/dev/null
for db in "$out/g.db" "$pg/bench"; do
  ./granslos demo --db "$db" >/dev/null 2>&1
  ./granslos import brreg data/bench/brreg-enheter-selection.csv.gz --db "$db" >/dev/null 2>&1
  printf 'bench password 123\n' | ./granslos user add bench@example.org --name Bench --admin --db "$db" >/dev/null 2>&1
done
tok_sq=$(./granslos token add bench@example.org --db "$out/g.db" 2>/dev/null | tail -1)
tok_pg=$(./granslos token add bench@example.org --db "$pg/bench" 2>/dev/null | tail -1)

# the nodes: one on SQLite (core 0), two on PostgreSQL (cores 0 and 1)
ps=$(free_port); p1=$(free_port); p2=$(free_port)
taskset -c 0 ./granslos serve --db "$out/g.db" --listen "127.0.0.1:$ps" 2>"$out/sq.log" & pids+=($!)
taskset -c 0 ./granslos serve --db "$pg/bench" --listen "127.0.0.1:$p1" 2>"$out/n1.log" & pids+=($!)
taskset -c 1 ./granslos serve --db "$pg/bench" --listen "127.0.0.1:$p2" 2>"$out/n2.log" & pids+=($!)
wait_up "$ps"; wait_up "$p1"; wait_up "$p2"

# a real demo organisation (Region Värmland) and its page's size, for the static file
id=$(curl -sf "http://127.0.0.1:$ps/api/v1/organisations?q=region%20v%C3%A4rmland" | sed -n 's/^{"items":\[{"id":\([0-9]*\).*/\1/p')
size=$(curl -sf "http://127.0.0.1:$ps/organisations/$id" | wc -c)
mkdir -p "$out/www" "$out/logs"
head -c "$size" /dev/zero | tr '\0' 'x' > "$out/www/profile.html"

# nginx: the static file, and one front per target (1 node SQLite, 1 node PG, 2 nodes PG)
fs=$(free_port); f1=$(free_port); f2=$(free_port); fn=$(free_port)
front() { # port upstream-name
  echo "  server { listen 127.0.0.1:$1; location / { proxy_pass http://$2; proxy_http_version 1.1; proxy_set_header Connection \"\";"
  echo "    proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; } }"
}
cat > "$out/nginx.conf" <<NGINX
worker_processes 2;
pid $out/nginx.pid;
error_log $out/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $out/t1; proxy_temp_path $out/t2; fastcgi_temp_path $out/t3; uwsgi_temp_path $out/t4; scgi_temp_path $out/t5;
  upstream sq { server 127.0.0.1:$ps; keepalive 64; }
  upstream one { server 127.0.0.1:$p1; keepalive 64; }
  upstream two { server 127.0.0.1:$p1; server 127.0.0.1:$p2; keepalive 64; }
  server { listen 127.0.0.1:$fn; root $out/www; location / { default_type text/html; } }
$(front "$fs" sq)
$(front "$f1" one)
$(front "$f2" two)
}
NGINX
nginx -c "$out/nginx.conf" -p "$out"
sleep 0.3

# the saves go round the Swedish demo organisations (one organisation for all 32 connections
# would measure the conflicts of 32 editors of one field, not saving)
ids=$(curl -sf "http://127.0.0.1:$ps/api/v1/organisations?country=SE&per_page=100" | grep -o '"id": *[0-9]*' | grep -o '[0-9]*$' | head -64 | tr '\n' ',')
cat > "$out/patch.lua" <<'LUA'
local n, ids = 0, {}
for x in string.gmatch(os.getenv("IDS"), "%d+") do ids[#ids + 1] = x end
init = function(args) n = math.random(1, #ids) end
request = function()
  n = n + 1
  local id = ids[(n % #ids) + 1]
  local body = '{"description": {"sv": "Beskrivning, version ' .. n .. '"}}'
  return wrk.format("PATCH", "/api/v1/organisations/" .. id, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TOKEN")}, body)
end
LUA


q='/organisations?q=tre%20emballasje&country=NO'
profile="/organisations/$id"
# warm up every front (page caches, statement caches, connections)
for f in "$fs" "$f1" "$f2"; do
  wrk -t1 -c8 -d2s "http://127.0.0.1:$f$profile" >/dev/null
  wrk -t1 -c8 -d2s -H "Cache-Control: no-cache" "http://127.0.0.1:$f$q" >/dev/null
done
wrk -t1 -c8 -d2s "http://127.0.0.1:$fn/profile.html" >/dev/null

# versions0 PORT TOKEN: the versions of the organisations saved to, summed
versions0() { local t=0 i v; for i in ${ids//,/ }; do v=$(curl -sf -H "Authorization: Bearer $2" "http://127.0.0.1:$1/api/v1/organisations/$i" | grep -o '"version": *[0-9]*' | head -1 | grep -o '[0-9]*$'); t=$((t + ${v:-0})); done; echo $t; }
v0_sq=$(versions0 "$ps" "$tok_sq"); v0_pg=$(versions0 "$p1" "$tok_pg")

targets="static profile-sq profile-pg1 profile-pg2 search-sq search-pg1 search-pg2 write-sq write-pg"
for t in $targets; do : > "$out/$t.txt"; done
for r in $(seq "$ROUNDS"); do
  echo "round $r of $ROUNDS" >&2
  measure "http://127.0.0.1:$fn/profile.html" >> "$out/static.txt"
  measure "http://127.0.0.1:$fs$profile" >> "$out/profile-sq.txt"
  measure "http://127.0.0.1:$f1$profile" >> "$out/profile-pg1.txt"
  measure "http://127.0.0.1:$f2$profile" >> "$out/profile-pg2.txt"
  measure "http://127.0.0.1:$fs$q" "Cache-Control: no-cache" >> "$out/search-sq.txt"
  measure "http://127.0.0.1:$f1$q" "Cache-Control: no-cache" >> "$out/search-pg1.txt"
  measure "http://127.0.0.1:$f2$q" "Cache-Control: no-cache" >> "$out/search-pg2.txt"
  IDS=$ids TOKEN=$tok_sq measure "http://127.0.0.1:$fs/" "" "$out/patch.lua" >> "$out/write-sq.txt"
  IDS=$ids TOKEN=$tok_pg measure "http://127.0.0.1:$f2/" "" "$out/patch.lua" >> "$out/write-pg.txt"
done
# a save that failed counts nothing: the versions the saves made, summed over the organisations
v_sq=$(( $(versions0 "$ps" "$tok_sq") - v0_sq ))
v_pg=$(( $(versions0 "$p1" "$tok_pg") - v0_pg ))

echo "page size $size bytes; wrk -t$THREADS -c$CONNS -d$DURATION; median of $ROUNDS rounds on $(nproc) cores (load before: $(cut -d' ' -f1 /proc/loadavg))"
printf '%-12s %10s %9s\n' target req/s p99_ms
for t in $targets; do
  printf '%-12s %10s %9s   (rounds: %s)\n' "$t" "$(cut -d' ' -f1 "$out/$t.txt" | median)" "$(cut -d' ' -f2 "$out/$t.txt" | median)" "$(cut -d' ' -f1 "$out/$t.txt" | tr '\n' ' ')"
done
ratio() { awk -v a="$(cut -d' ' -f1 "$out/$1.txt" | median)" -v b="$(cut -d' ' -f1 "$out/$2.txt" | median)" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }
echo "profile: PostgreSQL 1 node / SQLite = $(ratio profile-pg1 profile-sq) (bar >= 0.80); each / nginx static: SQLite $(ratio profile-sq static), PG 1 node $(ratio profile-pg1 static), PG 2 nodes $(ratio profile-pg2 static)"
echo "search:  2 nodes / 1 node on PostgreSQL = $(ratio search-pg2 search-pg1) (bar >= 1.70); PostgreSQL 1 node / SQLite = $(ratio search-pg1 search-sq)"
secs=$(( ROUNDS * ${DURATION%s} ))
echo "write:   PostgreSQL (2 nodes) / SQLite = $(ratio write-pg write-sq) (requests); versions written in ${secs} s of saving: SQLite $v_sq ($((v_sq / secs))/s), PostgreSQL $v_pg ($((v_pg / secs))/s)"
