#!/usr/bin/env bash
# A/B comparison of server builds or settings on one seeded PostgreSQL
# database, in interleaved rounds (A, B, A, B, …) so that load from other
# processes on the machine falls on every variant alike.
#
#   bench/ab.sh NAME=BINARY[,VAR=VALUE…] NAME=BINARY[,VAR=VALUE…] …
#   bench/ab.sh base=/tmp/release-target/release/ordergraph fix=/tmp/og-exp1,OG_EXP_NO_PING=1
#
# Settings (environment): TESTS ("q1 q2 q3 w1 w2"), CONC (8), DURATION (10 s),
# WARMUP (3 s), ROUNDS (2), AB_DB (ordergraph_ab; seeded with 100,000 orders
# when missing, RESEED=1 to recreate), DB_URL_SUFFIX (e.g. "?sslmode=disable").
# Output: bench/out/ab/results.csv and a summary table on stdout.
#
# The writes add orders with created_at = now: they sit above every page that
# Q1–Q3 read, so the reads see the same rows in every round.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH=$ROOT/bench
OUT=$BENCH/out/ab
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432}
AB_DB=${AB_DB:-ordergraph_ab}
TESTS=${TESTS:-"q1 q2 q3 w1 w2"}
CONC=${CONC:-8}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
ROUNDS=${ROUNDS:-2}
CLK_TCK=$(getconf CLK_TCK)
DB_URL="$PG_ADMIN_URL/$AB_DB${DB_URL_SUFFIX:-}"
mkdir -p "$OUT"

log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
(($# >= 1)) || die "usage: bench/ab.sh NAME=BINARY[,VAR=VALUE…] …"

SERVER_PID=
cleanup() { [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

admin() { psql "$PG_ADMIN_URL/postgres" -X -q -v ON_ERROR_STOP=1 "$@"; }
exists=$(admin -Atc "SELECT count(*) FROM pg_database WHERE datname = '$AB_DB'")
first_bin=${1#*=}; first_bin=${first_bin%%,*}
if [[ $exists == 0 || ${RESEED:-0} == 1 ]]; then
    admin -c "DROP DATABASE IF EXISTS $AB_DB WITH (FORCE)" -c "CREATE DATABASE $AB_DB"
    log "seeding $AB_DB"
    "$first_bin" seed --orders 100000 --no-progress --database-url "$PG_ADMIN_URL/$AB_DB" >/dev/null
    psql "$PG_ADMIN_URL/$AB_DB" -X -q -c 'VACUUM (ANALYZE)'
    rm -f "$OUT/key"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$port

start() { # binary env-assignments…
    local bin=$1
    shift
    env "$@" "$bin" serve --database-url "$DB_URL" --listen "127.0.0.1:$port" >"$OUT/server.log" 2>"$OUT/server.err" &
    SERVER_PID=$!
    for _ in $(seq 1 2000); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' "$URL/readyz") == 200 ]] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || die "server exited: $(tail -3 "$OUT/server.err")"
        sleep 0.01
    done
    die "server not ready"
}
stop() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; }

gql() { curl -sS -H 'Content-Type: application/json' -H "Authorization: Bearer $KEY" --data-binary @"$1" "$URL/graphql"; }
body() { jq -cn --rawfile q "$1" --argjson v "${2:-null}" '{query: $q} + (if $v == null then {} else {variables: $v} end)'; }
stmts() { curl -s "$URL/metrics" | awk '/^ordergraph_db_statements_total/ {s += $2} END {printf "%d", s}'; }

# The key: printed by the first server on this database, kept in $OUT/key.
if [[ ! -s $OUT/key ]]; then
    start "$first_bin"
    grep -o 'og_[A-Za-z0-9_-]*' "$OUT/server.log" | head -1 >"$OUT/key"
    stop
fi
KEY=$(cat "$OUT/key")
[[ -n $KEY ]] || die "no API key for $AB_DB (RESEED=1 recreates the database)"

# Request bodies (as in bench/run.sh).
start "$first_bin"
body "$BENCH/queries/q1.graphql" >"$OUT/q1.json"
body "$BENCH/queries/q1_count.graphql" >"$OUT/q1_count.json"
gid=$(gql "$OUT/q1_count.json" | jq -er '.data.orders.nodes[0].id')
body "$BENCH/queries/q2.graphql" "$(jq -cn --arg id "$gid" '{id: $id}')" >"$OUT/q2.json"
cursor=""
for _ in $(seq 1 200); do
    body "$BENCH/queries/walk.graphql" "$(jq -cn --arg a "$cursor" '{after: (if $a == "" then null else $a end)}')" >"$OUT/walk.json"
    cursor=$(gql "$OUT/walk.json" | jq -er '.data.orders.pageInfo.endCursor')
done
body "$BENCH/queries/q3.graphql" "$(jq -cn --arg a "$cursor" '{after: $a}')" >"$OUT/q3.json"
items='[{"sku":"TSHIRT-BLK-M","name":"T-shirt black M","quantity":2,"unitPrice":"19.99"},
        {"sku":"MUG-LOGO","name":"Mug with logo","quantity":1,"unitPrice":"12.00"},
        {"sku":"SOCKS-3PK","name":"Socks, 3 pairs","quantity":3,"unitPrice":"9.99","discount":"1.00"}]'
body "$BENCH/queries/w1.graphql" "$(jq -cn --argjson items "$items" '{input: {channel: "web-eu", currency: "USD",
    customer: {email: "customer000001@example.com"}, shippingTotal: "4.90", items: $items}}')" >"$OUT/w1.json"
body "$BENCH/queries/w2.graphql" "$(jq -cn --argjson items "$items" '{inputs: [range(1; 101) |
    {channel: (["web-eu", "web-us", "marketplace", "pos-berlin"][. % 4]), currency: "USD",
     customer: {email: ("customer" + ("00000" + tostring)[-6:] + "@example.com")}, shippingTotal: "4.90", items: $items}]}')" >"$OUT/w2.json"
stop
declare -A EXPECT=([q1]='"nodes":[{' [q2]='"order":{"id"' [q3]='"nodes":[{' [w1]='"userErrors":[]' [w2]='"count":100')

CSV=$OUT/results.csv
[[ -f $CSV ]] || echo "variant,round,test,conc,rps,p50_ms,p99_ms,bad,server_cpu_us_per_req,statements_per_req,machine_busy_pct" >"$CSV"
for round in $(seq 1 "$ROUNDS"); do
    for spec in "$@"; do
        name=${spec%%=*}
        rest=${spec#*=}
        IFS=, read -r -a parts <<<"$rest"
        bin=${parts[0]}
        start "$bin" "${parts[@]:1}"
        for t in $TESTS; do
            # Every response is checked before the timing.
            resp=$(gql "$OUT/$t.json")
            jq -e 'has("errors") | not' <<<"$resp" >/dev/null || die "$name $t: $(head -c 300 <<<"$resp")"
            BODY_FILE=$OUT/$t.json API_KEY=$KEY EXPECT=${EXPECT[$t]} \
                wrk -t 2 -c "$CONC" -d "${WARMUP}s" -s "$BENCH/wrk/graphql.lua" "$URL/graphql" >/dev/null
            s0=$(stmts)
            c0=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
            read -r b0 t0 < <(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
            line=$(BODY_FILE=$OUT/$t.json API_KEY=$KEY EXPECT=${EXPECT[$t]} \
                wrk -t 2 -c "$CONC" -d "${DURATION}s" --timeout 10s -s "$BENCH/wrk/graphql.lua" "$URL/graphql" | grep '^RESULT')
            read -r b1 t1 < <(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
            c1=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
            s1=$(stmts)
            kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $line"; }
            n=$(kv requests)
            row="$name,$round,$t,$CONC,$(kv rps),$(kv p50_ms),$(kv p99_ms),$(kv bad),$(awk -v c=$((c1 - c0)) -v n="$n" -v hz="$CLK_TCK" 'BEGIN {printf "%.0f", 1e6 * c / hz / n}'),$(awk -v s=$((s1 - s0)) -v n="$n" 'BEGIN {printf "%.2f", s / n}'),$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) 'BEGIN {printf "%.0f", 100 * b / t}')"
            echo "$row" >>"$CSV"
            log "$row"
        done
        stop
    done
done

python3 - "$CSV" "$@" <<'EOF'
import csv, sys
from collections import defaultdict
rows = list(csv.DictReader(open(sys.argv[1])))
names = [a.split("=", 1)[0] for a in sys.argv[2:]]
agg = defaultdict(list)
for r in rows:
    if r["variant"] in names:
        agg[(r["test"], r["variant"])].append(r)
tests = []
for r in rows:
    if r["test"] not in tests:
        tests.append(r["test"])
print("| test | variant | req/s (rounds) | mean req/s | vs first | p50 ms | p99 ms | server CPU µs/req | statements/req |")
print("|---|---|---|---|---|---|---|---|---|")
for t in tests:
    base = None
    for n in names:
        rs = agg.get((t, n))
        if not rs:
            continue
        rps = [float(r["rps"]) for r in rs]
        m = sum(rps) / len(rps)
        base = base or m
        avg = lambda f: sum(float(r[f]) for r in rs) / len(rs)
        print(f"| {t} | {n} | {' / '.join(f'{x:.0f}' for x in rps)} | {m:.0f} | {m / base:.2f}× | {avg('p50_ms'):.1f} | {avg('p99_ms'):.1f} | {avg('server_cpu_us_per_req'):.0f} | {avg('statements_per_req'):.1f} |")
EOF
