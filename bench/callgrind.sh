#!/usr/bin/env bash
# Server instructions per request, counted by valgrind's callgrind: the same
# count for the same binary, database and request whatever else the machine
# is doing, so builds can be compared without wall-clock noise.
#
#   bench/callgrind.sh NAME=BINARY …                 # Q1 and Q2 for each binary
#   TESTS="q1" N=50 bench/callgrind.sh base=/tmp/og-base new=target/release/ordergraph
#
# It reuses bench/ab.sh's seeded database and request bodies (run bench/ab.sh
# once first: it seeds `AB_DB` and writes bench/out/ab/*.json and the key).
# Per binary and test: start the server under callgrind, send 5 requests,
# zero the counters, send N requests one after another, dump, and divide.
# Counts exclude the kernel and PostgreSQL. SHA-256 runs valgrind's software
# path (no SHA extensions under valgrind), so HMAC work counts more than on
# the CPU. Output: a table on stdout; the dumps stay in bench/out/callgrind/
# for `callgrind_annotate --inclusive=yes FILE`.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
OUT=bench/out/callgrind
AB=bench/out/ab
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432}
AB_DB=${AB_DB:-ordergraph_ab}
TESTS=${TESTS:-"q1 q2"}
N=${N:-30}
mkdir -p "$OUT"
command -v valgrind >/dev/null || { echo "valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
[[ -s $AB/key ]] || { echo "run bench/ab.sh first (it seeds $AB_DB and writes the request bodies)" >&2; exit 1; }
KEY=$(cat "$AB/key")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$port

echo "| binary | test | instructions per request |"
echo "|---|---|---|"
for spec in "$@"; do
    name=${spec%%=*}
    bin=${spec#*=}
    for t in $TESTS; do
        rm -f "$OUT/$name.$t".*
        valgrind --tool=callgrind --callgrind-out-file="$OUT/$name.$t.%p" \
            "$bin" serve --database-url "$PG_ADMIN_URL/$AB_DB" --listen "127.0.0.1:$port" \
            >"$OUT/$name.$t.log" 2>&1 &
        pid=$!
        for _ in $(seq 1 600); do
            curl -sf -o /dev/null "$URL/readyz" && break
            sleep 0.1
        done
        send() {
            curl -sf -o /dev/null -H 'Content-Type: application/json' -H "Authorization: Bearer $KEY" \
                --data-binary @"$AB/$t.json" "$URL/graphql"
        }
        for _ in 1 2 3 4 5; do send; done
        callgrind_control -z "$pid" >/dev/null 2>&1
        for _ in $(seq 1 "$N"); do send; done
        callgrind_control -d "$pid" >/dev/null 2>&1
        kill "$pid"
        wait "$pid" 2>/dev/null || true
        dump=$(ls "$OUT/$name.$t".*.1)
        total=$(awk '/^(summary|totals):/ {print $2; exit}' "$dump")
        printf '| %s | %s | %s |\n' "$name" "$t" "$(python3 -c "print(f'{$total / $N:,.0f}')")"
    done
done
