#!/bin/bash
# make bench-start (issue 15): how long a node takes to start on a store of N organisations
# (default 1,000,000): from the process start to /readyz answering 200 (store reachable,
# migrations current, search index built), with the index build's own time from the node's log
# and the node's peak memory; on PostgreSQL, and on SQLite with the same rows beside it.
# The store holds the demo data and the 4,821 real Brønnøysund rows of data/bench, repeated with
# new ids (and a copy number after the name and organisation number) to at least N, with their
# industry codes, tags and themes: what the index reads. The copies are made by SQL in the store
# (on PostgreSQL with the triggers off: they only feed the change log of a running node).
# Prints each round and the median of ROUNDS (default 3) per store.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${N:-1000000}
ROUNDS=${ROUNDS:-3}
out=$(mktemp -d /tmp/granslos-start.XXXXXX)
chmod 755 "$out"
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  tests/pg-cluster stop "$out/pg" 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT

echo "setting up: the demo data and the Brønnøysund rows, copied up to $N organisations" >&2
pg=$(tests/pg-cluster start "$out/pg")
psql "$pg/postgres" -qc "CREATE DATABASE bench" >/dev/null
sq="$out/g.db"
for db in "$sq" "$pg/bench"; do
  ./granslos demo --db "$db" >/dev/null 2>&1
  ./granslos import brreg data/bench/brreg-enheter-selection.csv.gz --db "$db" >/dev/null 2>&1
done
base=$(psql "$pg/bench" -tAc "SELECT count(*) FROM organisations")
span=$(psql "$pg/bench" -tAc "SELECT max(id) FROM organisations")
k=$(( (N + base - 1) / base - 1 ))
# copy g (1..k) of organisation o: id o.id + g * span; the store then holds base * (k + 1) >= N
copy_sql() { # $1: the statement that turns the triggers off (or nothing)
  cat <<SQL
$1
WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < $k)
INSERT INTO organisations (id, name, country, orgnr, kind, municipality, county, website, desc_sv, desc_nb, desc_en,
  competences_text, offers_text, needs_text, employees, status, ended_on, version, created_at, updated_at)
SELECT o.id + g.x * $span, o.name || ' ' || g.x, o.country, CASE WHEN o.orgnr IS NULL THEN NULL ELSE o.orgnr || '-' || g.x END,
  o.kind, o.municipality, o.county, o.website, o.desc_sv, o.desc_nb, o.desc_en, o.competences_text, o.offers_text, o.needs_text,
  o.employees, o.status, o.ended_on, 1, o.created_at, o.updated_at
FROM organisations o, g;
WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < $k)
INSERT INTO org_nace (org_id, pos, code) SELECT t.org_id + g.x * $span, t.pos, t.code FROM org_nace t, g;
WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < $k)
INSERT INTO org_tags (org_id, kind, pos, tag) SELECT t.org_id + g.x * $span, t.kind, t.pos, t.tag FROM org_tags t, g;
WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < $k)
INSERT INTO org_themes (org_id, theme) SELECT t.org_id + g.x * $span, t.theme FROM org_themes t, g;
SQL
}
copy_sql "SET session_replication_role = replica;" | psql -q -v ON_ERROR_STOP=1 "$pg/bench"
psql "$pg/bench" -qc "SELECT setval(pg_get_serial_sequence('organisations', 'id'), (SELECT max(id) FROM organisations))" -c "ANALYZE" >/dev/null
copy_sql "" | sqlite3 -bail "$sq"
for db in "$pg/bench" "$sq"; do
  if [ "$db" = "$sq" ]; then n=$(sqlite3 "$sq" "SELECT count(*) FROM organisations"); else n=$(psql "$db" -tAc "SELECT count(*) FROM organisations"); fi
  echo "store $([ "$db" = "$sq" ] && echo sqlite || echo postgresql): $n organisations" >&2
done

for store in postgresql sqlite; do
  db=$([ $store = sqlite ] && echo "$sq" || echo "$pg/bench")
  : > "$out/ready.txt"; : > "$out/build.txt"; : > "$out/rss.txt"
  for r in $(seq "$ROUNDS"); do
    port=$(free_port)
    t0=$(date +%s.%N)
    GRANSLOS_APERTIUM=off ./granslos serve --db "$db" --listen "127.0.0.1:$port" 2>"$out/serve.log" & pid=$!
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ]; do
      kill -0 "$pid" 2>/dev/null || { echo "the node exited:" >&2; tail "$out/serve.log" >&2; exit 1; }
      sleep 0.05
    done
    t1=$(date +%s.%N)
    rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
    ready=$(echo "$t1 - $t0" | bc)
    build=$(sed -n 's/.*search index: [0-9]* organisations in \([0-9.]*\) ms.*/\1/p' "$out/serve.log" | tail -1)
    echo "$ready" >> "$out/ready.txt"; echo "$build" >> "$out/build.txt"; echo "$rss" >> "$out/rss.txt"
    printf '%-10s round %d: ready after %.1f s (index build %.1f s), peak RSS %d MiB\n' $store "$r" "$ready" "$(echo "$build / 1000" | bc -l)" $((rss / 1024))
  done
  printf '%-10s median: ready after %.1f s, index build %.1f s, peak RSS %d MiB\n' $store \
    "$(median < "$out/ready.txt")" "$(echo "$(median < "$out/build.txt") / 1000" | bc -l)" $(( $(median < "$out/rss.txt") / 1024 ))
done
