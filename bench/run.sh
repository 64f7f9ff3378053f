#!/usr/bin/env bash
# The ordergraph benchmark: PostgreSQL and SQLite, 100,000 seeded orders, the
# queries Q1–Q3 and the writes W1–W2 under wrk at 8 and 32 connections, and
# the same reads as single hand-written SQL statements under pgbench (the
# limit). See bench/README.md; the figures land in bench/out/.
#
#   bench/run.sh
#   CARGO_TARGET_DIR=/tmp/release-target bench/run.sh     # reuse a release build cache
#   SMOKE=1 bench/run.sh                                  # the CI smoke, about 80 s after the build
#
# Settings (environment): PG_ADMIN_URL (postgres://postgres@127.0.0.1:5432, or
# ORDERGRAPH_TEST_PG without its database), PG_DB (ordergraph_bench; the
# SQLite file is bench/out/PG_DB.db), ORDERS (100000), Q3_DEPTH (20000: Q3's
# page starts after this row, a multiple of 100), DURATION (20 s per
# measurement), SQL_DURATION (DURATION: the pgbench runs), WARMUP (5 s; 0: no
# warm-up), CONCURRENCY ("8 32"), REPEATS (2), BACKENDS ("postgres sqlite"),
# THREADS (wrk/pgbench threads, 2), SKIP_BUILD (1: use the existing binary).
#
# SMOKE=1 checks the harness and the answers, not the speed: other defaults
# (ORDERS 5000, Q3_DEPTH 2000, DURATION 5, SQL_DURATION 1, WARMUP 0,
# CONCURRENCY 8, REPEATS 1), its own database (ordergraph_bench_smoke, dropped
# at the end) and output (bench/out/smoke/), no report, and it stops at the
# first failure. Any run fails (exit status 1) on a bad response under load, a
# failed pgbench transaction, a failed check, an SQL statement that disagrees
# with GraphQL, or different rows from the two backends; a full run finishes
# its measurements and report before it exits 1.
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH=$ROOT/bench
# shellcheck source=scripts/lib/build.sh
source "$ROOT/scripts/lib/build.sh"

SMOKE=${SMOKE:-0}
if [[ $SMOKE == 1 ]]; then
    OUT=$BENCH/out/smoke
    PG_DB=${PG_DB:-ordergraph_bench_smoke}
    ORDERS=${ORDERS:-5000}
    Q3_DEPTH=${Q3_DEPTH:-2000}
    DURATION=${DURATION:-5}
    SQL_DURATION=${SQL_DURATION:-1}
    WARMUP=${WARMUP:-0}
    CONCURRENCY=${CONCURRENCY:-8}
    REPEATS=${REPEATS:-1}
else
    OUT=$BENCH/out
fi
if [[ -z ${PG_ADMIN_URL:-} && -n ${ORDERGRAPH_TEST_PG:-} ]]; then
    PG_ADMIN_URL=${ORDERGRAPH_TEST_PG%/*}
fi
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432}
PG_DB=${PG_DB:-ordergraph_bench}
SQLITE_DB=$OUT/$PG_DB.db
ORDERS=${ORDERS:-100000}
Q3_DEPTH=${Q3_DEPTH:-20000}
DURATION=${DURATION:-20}
SQL_DURATION=${SQL_DURATION:-$DURATION}
WARMUP=${WARMUP:-5}
CONCURRENCY=${CONCURRENCY:-"8 32"}
REPEATS=${REPEATS:-2}
BACKENDS=${BACKENDS:-"postgres sqlite"}
THREADS=${THREADS:-2}
CLK_TCK=$(getconf CLK_TCK)

log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
# A wrong answer: the smoke stops at once; a full run logs it, finishes its
# measurements and report, and exits 1 at the end.
FAILURES=()
fail() {
    [[ $SMOKE == 1 ]] && die "$*"
    log "FAILED (the run goes on, and exits 1 at the end): $*"
    FAILURES+=("$*")
}

# Q3 walks pages of 100 to row Q3_DEPTH, then reads 50 rows after it (and one
# more for hasNextPage); W2 names customers 1 to 100 (the seed makes ORDERS / 5).
((Q3_DEPTH >= 100 && Q3_DEPTH % 100 == 0)) || die "Q3_DEPTH ($Q3_DEPTH) must be a positive multiple of 100"
((ORDERS >= Q3_DEPTH + 51)) || die "ORDERS ($ORDERS) must be at least Q3_DEPTH + 51 ($((Q3_DEPTH + 51)))"
((ORDERS >= 500)) || die "ORDERS ($ORDERS) must be at least 500 (W2 needs customers 1 to 100)"

# ---------------------------------------------------------------- tools
need_apt=()
command -v wrk >/dev/null || need_apt+=(wrk)
command -v jq >/dev/null || need_apt+=(jq)
command -v curl >/dev/null || need_apt+=(curl)
command -v python3 >/dev/null || need_apt+=(python3)
command -v ps >/dev/null || need_apt+=(procps)
command -v top >/dev/null || need_apt+=(procps)
command -v psql >/dev/null || need_apt+=(postgresql-client)
command -v pgbench >/dev/null || need_apt+=(postgresql-client)
if ((${#need_apt[@]})); then
    log "installing ${need_apt[*]} with apt-get"
    SUDO=; [[ $(id -u) == 0 ]] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# The release build the CI scripts share (scripts/lib/build.sh).
release_build || die "no release build"
BIN=$(realpath "$RELEASE_BIN")

# Only this script's output (bench/out/ab belongs to bench/ab.sh, bench/out/smoke to the smoke).
rm -rf "$OUT/postgres" "$OUT/sqlite" "$OUT/results.csv" "$OUT/facts.txt" "$OUT/RESULTS.md" "$OUT"/processes_at_start.txt
mkdir -p "$OUT"
RESULTS=$OUT/results.csv
FACTS=$OUT/facts.txt
echo "backend,test,tool,conc,rep,rps,p50_ms,p99_ms,mean_ms,requests,bad,errors,bad_status,missing,socket_errors,rss_peak_kib,server_cpu_s,loadgen_cpu_s,machine_busy_pct,load1" >"$RESULTS"
: >"$FACTS"
fact() { echo "$1=$2" >>"$FACTS"; log "$1 = $2"; }

SERVER_PID=
SIDE_PIDS=()
cleanup() {
    for p in "${SIDE_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    if [[ $SMOKE == 1 ]]; then # the smoke leaves no database behind (its output stays)
        if [[ " $BACKENDS " == *" postgres "* ]]; then
            admin -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" 2>/dev/null || true
        fi
        rm -f "$SQLITE_DB" "$SQLITE_DB-wal" "$SQLITE_DB-shm"
    fi
}
trap cleanup EXIT

admin() { psql "$PG_ADMIN_URL/postgres" -X -q -v ON_ERROR_STOP=1 "$@"; }
pgdb() { psql "$PG_ADMIN_URL/$PG_DB" -X -q -v ON_ERROR_STOP=1 "$@"; }

# ---------------------------------------------------------------- machine
if [[ " $BACKENDS " == *" postgres "* ]]; then
    admin -Atc 'SELECT 1' >/dev/null || die "PostgreSQL does not answer at $PG_ADMIN_URL/postgres"
fi
fact date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
fact command "${BENCH_COMMAND:-$([[ $SMOKE == 1 ]] && echo 'SMOKE=1 ')bench/run.sh}"
fact nproc "$(nproc)"
fact cpu "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
fact memory "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
fact kernel "$(uname -r)"
fact postgres "$(admin -Atc 'SELECT version()')"
fact pg_settings "$(admin -Atc "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers','synchronous_commit','fsync','max_connections','work_mem','jit')")"
fact wrk "$(wrk -v 2>&1 | head -1 | cut -c1-40)"
fact pgbench "$(pgbench --version)"
fact git_head "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)"
fact git_dirty_files "$(git -C "$ROOT" status --porcelain -- src entity migration 2>/dev/null | wc -l)"
fact binary "$BIN ($(stat -c %y "$BIN" | cut -d. -f1))"
fact load_at_start "$(cut -d' ' -f1-3 /proc/loadavg)"
fact durations "warm-up ${WARMUP} s, measure ${DURATION} s (pgbench ${SQL_DURATION} s), repeats ${REPEATS}, concurrency ${CONCURRENCY}, threads ${THREADS}"
fact orders "$ORDERS seeded, Q3 after row $Q3_DEPTH"
ps -eo pid,pcpu,etime,args --sort=-pcpu | head -12 >"$OUT/processes_at_start.txt"

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Machine-wide busy jiffies and total jiffies.
cpu_jiffies() { awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
proc_cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# ---------------------------------------------------------------- server
start_server() { # url port logfile -> sets SERVER_PID and READY_MS (launch to the first /readyz 200)
    local url=$1 port=$2 logfile=$3 t0 t1
    t0=$(date +%s%N)
    "$BIN" serve --database-url "$url" --listen "127.0.0.1:$port" >"$logfile" 2>"$logfile.err" &
    SERVER_PID=$!
    for _ in $(seq 1 3000); do
        if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" 2>/dev/null) == 200 ]]; then
            t1=$(date +%s%N)
            READY_MS=$(((t1 - t0) / 1000000))
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$logfile.err" >&2; die "the server exited"; }
        sleep 0.005
    done
    die "the server was not ready within 15 s"
}

stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

b64url_decode() {
    local s
    s=$(tr '_-' '/+' <<<"$1")
    while ((${#s} % 4)); do s+="="; done
    base64 -d <<<"$s"
}

gql() { # body-file -> response body
    curl -sS --max-time 60 -H 'Content-Type: application/json' -H 'Accept: application/json' \
        -H "Authorization: Bearer $KEY" --data-binary @"$1" "$URL/graphql"
}

body() { # graphql-file [variables-json] -> request body on stdout
    jq -cn --rawfile q "$1" --argjson v "${2:-null}" '{query: $q} + (if $v == null then {} else {variables: $v} end)'
}

check() { # name body-file jq-condition: one request, no `errors`, non-empty data
    local name=$1 file=$2 cond=$3 resp
    resp=$(gql "$file")
    printf '%s\n' "$resp" >"$DIR/check_$name.json"
    jq -e "(has(\"errors\") | not) and (.data != null) and (.data | length > 0) and ($cond)" \
        <<<"$resp" >/dev/null || die "$BACKEND $name: bad response: $(head -c 600 <<<"$resp")"
    log "$BACKEND $name: response checked ($(wc -c <<<"$resp") bytes)"
}

statements_total() {
    curl -s "$URL/metrics" | awk '/^ordergraph_db_statements_total/ {s += $2} END {printf "%d", s}'
}

statements_per_request() { # name body-file n
    local before after
    before=$(statements_total)
    for _ in $(seq 1 "$3"); do gql "$2" >/dev/null; done
    after=$(statements_total)
    fact "${BACKEND}_statements_per_request_$1" "$(awk -v d=$((after - before)) -v n="$3" 'BEGIN {printf "%.2f", d / n}')"
}

# ---------------------------------------------------------------- measuring
# One measurement: runs the tool for $secs, samples the server's RSS and CPU,
# and appends a CSV row (unless rep is "warmup").
measure() { # test tool conc rep secs cmd...
    local test=$1 tool=$2 conc=$3 rep=$4 secs=$5
    shift 5
    local tag="${BACKEND}_${test}_${tool}_c${conc}_${rep}" rss_file cpu0 cpu1 sc0 sc1 lg load1
    rss_file=$DIR/rss_$tag.txt
    load1=$(cut -d' ' -f1 /proc/loadavg)
    (while kill -0 "$SERVER_PID" 2>/dev/null; do ps -o rss= -p "$SERVER_PID"; sleep 0.5; done) >"$rss_file" &
    local rss_pid=$!
    SIDE_PIDS+=("$rss_pid")
    (sleep $((secs / 2)); top -b -n 1 -w 200 | head -22) >"$DIR/top_$tag.txt" 2>/dev/null &
    local top_pid=$!
    SIDE_PIDS+=("$top_pid")
    read -r cpu0 tot0 < <(cpu_jiffies)
    sc0=$(proc_cpu_ticks "$SERVER_PID")
    local TIMEFORMAT='%U %S'
    { time "$@" >"$DIR/$tag.out" 2>&1; } 2>"$DIR/time_$tag.txt" || true
    sc1=$(proc_cpu_ticks "$SERVER_PID")
    read -r cpu1 tot1 < <(cpu_jiffies)
    kill "$rss_pid" 2>/dev/null || true
    wait "$top_pid" 2>/dev/null || true
    lg=$(awk '{printf "%.2f", $1 + $2}' "$DIR/time_$tag.txt")
    [[ $rep == warmup ]] && { check_out "$tag"; return 0; }
    local busy srv rss
    busy=$(awk -v b=$((cpu1 - cpu0)) -v t=$((tot1 - tot0)) 'BEGIN {printf "%.1f", t ? 100 * b / t : 0}')
    srv=$(awk -v d=$((sc1 - sc0)) -v hz="$CLK_TCK" 'BEGIN {printf "%.2f", d / hz}')
    rss=$(sort -n "$rss_file" | tail -1)
    local line
    if [[ $tool == wrk ]]; then
        line=$(grep '^RESULT' "$DIR/$tag.out") || die "$tag: no RESULT line: $(tail -5 "$DIR/$tag.out")"
        kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $line"; }
        local bad=$(($(kv bad) + $(kv socket_errors)))
        echo "$BACKEND,$test,ordergraph,$conc,$rep,$(kv rps),$(kv p50_ms),$(kv p99_ms),$(kv mean_ms),$(kv requests),$bad,$(kv errors),$(kv bad_status),$(kv missing),$(kv socket_errors),${rss:-0},$srv,$lg,$busy,$load1" >>"$RESULTS"
        log "$tag: $(kv rps) req/s, p50 $(kv p50_ms) ms, p99 $(kv p99_ms) ms, bad $bad, rss ${rss} KiB, server cpu ${srv} s, load1 $load1"
        check_out "$tag"
    else
        local tps failed p50 p99 mean n
        tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$DIR/$tag.out")
        failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$DIR/$tag.out")
        n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$DIR/$tag.out")
        read -r p50 p99 mean < <(cat "$DIR"/pgbench_log_"$tag".* | awk '{print $3}' | sort -n |
            awk '{a[NR] = $1; s += $1} END {if (NR == 0) {print 0, 0, 0; exit}
                 i50 = int(NR * 0.50); if (i50 < 1) i50 = 1; i99 = int(NR * 0.99); if (i99 < 1) i99 = 1;
                 printf "%.3f %.3f %.3f\n", a[i50] / 1000, a[i99] / 1000, s / NR / 1000}')
        rm -f "$DIR"/pgbench_log_"$tag".*
        [[ -n $tps ]] || die "$tag: pgbench failed: $(tail -5 "$DIR/$tag.out")"
        ((${failed:-0} == 0)) || fail "$tag: $failed failed transactions: $(grep -m1 -i 'error' "$DIR/$tag.out" | head -c 300)"
        echo "$BACKEND,$test,sql,$conc,$rep,$tps,$p50,$p99,$mean,${n:-0},${failed:-0},0,0,0,0,0,0,$lg,$busy,$load1" >>"$RESULTS"
        log "$tag: $tps tx/s, p50 $p50 ms, p99 $p99 ms, failed ${failed:-0}, load1 $load1"
    fi
}

check_out() { # the wrk run checked some responses and every one was good (bench/wrk/graphql.lua)
    local line checked bad socket
    line=$(grep '^RESULT' "$DIR/$1.out") || die "$1: no RESULT line: $(tail -5 "$DIR/$1.out")"
    checked=$(sed -n 's/.* checked=\([0-9]*\).*/\1/p' <<<"$line")
    bad=$(sed -n 's/.* bad=\([0-9]*\).*/\1/p' <<<"$line")
    socket=$(sed -n 's/.* socket_errors=\([0-9]*\).*/\1/p' <<<"$line")
    if ((${checked:-0} == 0)); then
        fail "$1: no response was checked: $line"
    elif ((${bad:-1} > 0 || ${socket:-1} > 0)); then
        fail "$1: bad responses under load: $(grep -o 'checked=.*' <<<"$line"); first one: $(sed -n 's/^SAMPLE_BAD_RESPONSE //p' "$DIR/$1.out" | head -c 300)"
    fi
}

run_wrk() { # test body-file expect conc rep secs
    measure "$1" wrk "$4" "$5" "$6" \
        env BODY_FILE="$2" API_KEY="$KEY" EXPECT="$3" \
        wrk -t "$THREADS" -c "$4" -d "${6}s" --timeout 10s -s "$BENCH/wrk/graphql.lua" "$URL/graphql"
}

load_wrk() { # test body-file expect
    local c r
    for c in $CONCURRENCY; do
        if ((WARMUP > 0)); then
            log "$BACKEND $1 c=$c: warm-up ${WARMUP} s"
            run_wrk "$1" "$2" "$3" "$c" warmup "$WARMUP"
        fi
        for r in $(seq 1 "$REPEATS"); do
            run_wrk "$1" "$2" "$3" "$c" "$r" "$DURATION"
        done
    done
}

load_pgbench() { # test sql-file
    local c r tag
    for c in $CONCURRENCY; do
        # The GraphQL run just before warmed the same pages; a short pgbench warm-up prepares the statement.
        if ((WARMUP > 0)); then
            tag="${BACKEND}_$1_sql_c${c}_warmup"
            pgbench -n -M prepared -f "$2" -c "$c" -j "$THREADS" -T "$WARMUP" "$PG_ADMIN_URL/$PG_DB" >"$DIR/$tag.out" 2>&1 ||
                die "$tag: $(tail -3 "$DIR/$tag.out")"
        fi
        for r in $(seq 1 "$REPEATS"); do
            tag="${BACKEND}_$1_sql_c${c}_$r"
            measure "$1" sql "$c" "$r" "$SQL_DURATION" \
                pgbench -n -M prepared -f "$2" -c "$c" -j "$THREADS" -T "$SQL_DURATION" \
                -l --log-prefix="$DIR/pgbench_log_$tag" "$PG_ADMIN_URL/$PG_DB"
        done
    done
}

# Compares the GraphQL answer with the SQL statement's JSON: same rows, same fields.
same_as_sql() { # name graphql-check-file jq-path-to-compare sql-file
    local name=$1 a b
    a=$(jq -S "$3" "$2")
    b=$(pgdb -Atf "$4" | jq -S '.')
    if [[ $name == q2 ]]; then b=$(jq -S '.' <<<"$b"); else b=$(jq -S '.nodes' <<<"$b"); fi
    if [[ "$a" != "$b" ]]; then
        diff <(echo "$a") <(echo "$b") | head -20 >&2
        die "$name: the SQL statement does not return what the GraphQL query returns"
    fi
    log "$name: the SQL statement returns the same $(jq 'if type == "array" then length else 1 end' <<<"$a") row(s) and fields as GraphQL"
}

# ---------------------------------------------------------------- one backend
run_backend() {
    BACKEND=$1
    DIR=$OUT/$BACKEND
    mkdir -p "$DIR"
    local url port backend_t0
    backend_t0=$(date +%s)
    if [[ $BACKEND == postgres ]]; then
        url=$PG_ADMIN_URL/$PG_DB
        admin -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" -c "CREATE DATABASE $PG_DB"
    else
        rm -f "$SQLITE_DB" "$SQLITE_DB-wal" "$SQLITE_DB-shm"
        url="sqlite://$SQLITE_DB?mode=rwc"
    fi

    log "$BACKEND: seeding $ORDERS orders"
    local t0 t1
    t0=$(date +%s%N)
    "$BIN" seed --orders "$ORDERS" --no-progress --database-url "$url" >"$DIR/seed.out" 2>&1 ||
        die "seed: $(tail -5 "$DIR/seed.out")"
    t1=$(date +%s%N)
    fact "${BACKEND}_seed_s" "$(awk -v d=$((t1 - t0)) 'BEGIN {printf "%.1f", d / 1e9}')"
    fact "${BACKEND}_seed_summary" "$(tail -1 "$DIR/seed.out")"

    if [[ $BACKEND == postgres ]]; then
        # Statistics and a visibility map as autovacuum would soon make them, so that
        # plans do not change halfway through the measurements.
        t0=$(date +%s%N)
        pgdb -c 'VACUUM (ANALYZE)'
        t1=$(date +%s%N)
        fact "${BACKEND}_vacuum_analyze_s" "$(awk -v d=$((t1 - t0)) 'BEGIN {printf "%.1f", d / 1e9}')"
    fi

    port=$(free_port)
    URL=http://127.0.0.1:$port
    start_server "$url" "$port" "$DIR/server1.log"
    fact "${BACKEND}_start_to_ready_ms_1" "$READY_MS"
    KEY=$(grep -o 'og_[A-Za-z0-9_-]*' "$DIR/server1.log" | head -1)
    [[ -n $KEY ]] || die "no demo key on the server's stdout: $(cat "$DIR/server1.log")"
    # A second start on the same database (no new key now): start-to-ready again.
    stop_server
    curl -s -o /dev/null "$URL/readyz" && die "port $port still answers after the first server stopped"
    start_server "$url" "$port" "$DIR/server2.log"
    fact "${BACKEND}_start_to_ready_ms_2" "$READY_MS"
    fact "${BACKEND}_rss_idle_kib" "$(ps -o rss= -p "$SERVER_PID" | tr -d ' ')"

    # ---- request bodies, each checked once
    body "$BENCH/queries/q1.graphql" >"$DIR/q1.json"
    check q1 "$DIR/q1.json" '(.data.orders.nodes | length) == 50 and all(.data.orders.nodes[]; (.items | length) > 0 and .customer.email != null and .currency.code != null)'

    body "$BENCH/queries/q1_count.graphql" >"$DIR/q1_count.json"
    check q1_count "$DIR/q1_count.json" '.data.orders.totalCount > 0'
    local matches order_gid
    matches=$(jq '.data.orders.totalCount' "$DIR/check_q1_count.json")
    order_gid=$(jq -r '.data.orders.nodes[0].id' "$DIR/check_q1_count.json")
    fact "${BACKEND}_q1_filter_matches" "$matches"

    body "$BENCH/queries/q2.graphql" "$(jq -cn --arg id "$order_gid" '{id: $id}')" >"$DIR/q2.json"
    check q2 "$DIR/q2.json" '.data.order.id != null and (.data.order.items | length) > 0 and .data.order.channel.code != null and .data.order.customer.email != null'

    # Q3: walk to row Q3_DEPTH (20,000) with pages of 100, then 50 rows after it.
    # Q1's filter matches fewer than Q3_DEPTH orders on this seed, so the walk
    # is over the default (unfiltered) list, and so is Q3.
    local walk_query=$BENCH/queries/walk.graphql cursor="" page
    if ((matches >= Q3_DEPTH)); then
        die "Q1's filter matches $matches orders: walk the filtered list instead (not implemented)"
    fi
    fact "${BACKEND}_q3_list" "default list, unfiltered (Q1's filter matches only $matches orders)"
    for page in $(seq 1 $((Q3_DEPTH / 100))); do
        body "$walk_query" "$(jq -cn --arg a "$cursor" '{after: (if $a == "" then null else $a end)}')" >"$DIR/walk.json"
        cursor=$(gql "$DIR/walk.json" | jq -er '.data.orders.pageInfo | select(.hasNextPage) | .endCursor') ||
            die "walk: page $page failed"
    done
    local payload
    payload=$(b64url_decode "$(cut -d. -f1 <<<"$cursor")")
    AFTER_MICROS=$(jq '.[0]' <<<"$payload")
    AFTER_ID=$(jq '.[1]' <<<"$payload")
    fact "${BACKEND}_q3_row_$Q3_DEPTH" "id $AFTER_ID, created_at µs $AFTER_MICROS"
    body "$BENCH/queries/q3.graphql" "$(jq -cn --arg a "$cursor" '{after: $a}')" >"$DIR/q3.json"
    check q3 "$DIR/q3.json" '(.data.orders.nodes | length) == 50 and .data.orders.pageInfo.hasNextPage'

    # ---- the SQL limit: same rows and fields, checked against the GraphQL answers
    if [[ $BACKEND == postgres ]]; then
        local tenant after_ts order_id
        tenant=$(pgdb -Atc "SELECT id FROM tenants WHERE name = 'demo'")
        order_id=$(b64url_decode "$order_gid" | sed -n 's/^Order:\([0-9]*\)$/\1/p')
        [[ -n $order_id ]] || die "cannot decode the order ID $order_gid"
        after_ts=$(pgdb -Atc "SELECT to_char(timestamptz 'epoch' + $AFTER_MICROS * interval '1 microsecond', 'YYYY-MM-DD HH24:MI:SS.US+00') ")
        local row_at_depth
        row_at_depth=$(pgdb -Atc "SELECT id FROM orders WHERE tenant_id = $tenant AND archived_at IS NULL ORDER BY created_at DESC, id DESC OFFSET $((Q3_DEPTH - 1)) LIMIT 1")
        [[ $row_at_depth == "$AFTER_ID" ]] || die "the cursor walk ended at id $AFTER_ID but row $Q3_DEPTH is id $row_at_depth"
        log "$BACKEND q3: the cursor walk ends at row $Q3_DEPTH (id $AFTER_ID), as OFFSET $((Q3_DEPTH - 1)) finds"
        for q in q1 q2 q3; do
            sed -e "s/@TENANT@/$tenant/g" -e "s/@ORDER_ID@/$order_id/g" \
                -e "s/@AFTER_TS@/$after_ts/g" -e "s/@AFTER_ID@/$AFTER_ID/g" \
                "$BENCH/sql/$q.sql" >"$DIR/$q.sql"
        done
        same_as_sql q1 "$DIR/check_q1.json" '.data.orders.nodes' "$DIR/q1.sql"
        same_as_sql q2 "$DIR/check_q2.json" '.data.order' "$DIR/q2.sql"
        same_as_sql q3 "$DIR/check_q3.json" '.data.orders.nodes' "$DIR/q3.sql"
    fi

    # ---- SQL statements per request (the server's own counter)
    statements_per_request q1 "$DIR/q1.json" 20
    statements_per_request q2 "$DIR/q2.json" 20
    statements_per_request q3 "$DIR/q3.json" 20

    # ---- load: reads first (the writes add orders), each next to its SQL limit
    load_wrk q1 "$DIR/q1.json" '"nodes":[{'
    [[ $BACKEND == postgres ]] && load_pgbench q1 "$DIR/q1.sql"
    load_wrk q2 "$DIR/q2.json" '"order":{"id"'
    [[ $BACKEND == postgres ]] && load_pgbench q2 "$DIR/q2.sql"
    load_wrk q3 "$DIR/q3.json" '"nodes":[{'
    [[ $BACKEND == postgres ]] && load_pgbench q3 "$DIR/q3.sql"
    # ---- writes: bodies (after the reads: every write adds orders at the top of the list)
    local item_list
    item_list='[{"sku":"TSHIRT-BLK-M","name":"T-shirt black M","quantity":2,"unitPrice":"19.99"},
                {"sku":"MUG-LOGO","name":"Mug with logo","quantity":1,"unitPrice":"12.00"},
                {"sku":"SOCKS-3PK","name":"Socks, 3 pairs","quantity":3,"unitPrice":"9.99","discount":"1.00"}]'
    body "$BENCH/queries/w1.graphql" "$(jq -cn --argjson items "$item_list" \
        '{input: {channel: "web-eu", currency: "USD", customer: {email: "customer000001@example.com"},
                  shippingTotal: "4.90", items: $items}}')" >"$DIR/w1.json"
    body "$BENCH/queries/w2.graphql" "$(jq -cn --argjson items "$item_list" \
        '{inputs: [range(1; 101) | {channel: (["web-eu", "web-us", "marketplace", "pos-berlin"][. % 4]),
                  currency: "USD", customer: {email: ("customer" + ("00000" + tostring)[-6:] + "@example.com")},
                  shippingTotal: "4.90", items: $items}]}')" >"$DIR/w2.json"
    check w1 "$DIR/w1.json" '.data.createOrder.userErrors == [] and .data.createOrder.order.number != null'
    check w2 "$DIR/w2.json" '.data.createOrders.count == 100 and all(.data.createOrders.results[]; .userErrors == [])'

    statements_per_request w1 "$DIR/w1.json" 20
    statements_per_request w2 "$DIR/w2.json" 3
    load_wrk w1 "$DIR/w1.json" '"userErrors":[]'
    load_wrk w2 "$DIR/w2.json" '"count":100'

    if [[ $BACKEND == sqlite ]]; then
        # The server never runs ANALYZE / PRAGMA optimize: without sqlite_stat1 the planner guesses.
        fact sqlite_has_planner_statistics "$(python3 - "$SQLITE_DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
n = c.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0]
print("yes" if n else "no (no sqlite_stat1: the server never runs ANALYZE or PRAGMA optimize)")
PY
)"
    fi
    fact "${BACKEND}_orders_after" "$(
        if [[ $BACKEND == postgres ]]; then pgdb -Atc 'SELECT count(*) FROM orders'; else echo n/a; fi
    )"
    if grep -qi 'error' "$DIR/server2.log.err"; then
        fact "${BACKEND}_server_error_log_lines" "$(grep -ci 'error' "$DIR/server2.log.err")"
        grep -i -m3 'error' "$DIR/server2.log.err" | cut -c1-300 >&2
    fi
    stop_server
    fact "${BACKEND}_wall_s" "$(($(date +%s) - backend_t0))"
}

T_START=$(date +%s)
for b in $BACKENDS; do
    run_backend "$b"
done
# Both backends hold the same deterministic seed: the reads must return the same rows
# (the cursors differ: each database has its own cursor key).
if [[ -f $OUT/postgres/check_q1.json && -f $OUT/sqlite/check_q1.json ]]; then
    same=yes
    for q in q1 q3; do
        [[ "$(jq -S '.data.orders.nodes' "$OUT/postgres/check_$q.json")" == "$(jq -S '.data.orders.nodes' "$OUT/sqlite/check_$q.json")" ]] || same="no ($q differs)"
    done
    [[ "$(jq -S '.data.order' "$OUT/postgres/check_q2.json")" == "$(jq -S '.data.order' "$OUT/sqlite/check_q2.json")" ]] || same="no (q2 differs)"
    fact same_rows_postgres_sqlite "$same"
    [[ $same == yes ]] || fail "PostgreSQL and SQLite return different rows: $same"
fi
fact load_at_end "$(cut -d' ' -f1-3 /proc/loadavg)"
fact total_s "$(($(date +%s) - T_START))"

if [[ $SMOKE == 1 ]]; then
    # No report: 5 s runs on 5,000 orders say nothing about the targets.
    log "smoke passed: every check and every response under load was good ($OUT, raw rows: $RESULTS)"
    exit 0
fi
python3 "$BENCH/report.py" "$RESULTS" "$FACTS" >"$OUT/RESULTS.md"
if ((${#FAILURES[@]})); then
    log "the run had ${#FAILURES[@]} failure(s) (the figures of those runs are not to be trusted):"
    printf '    %s\n' "${FAILURES[@]}" >&2
    die "see above; report: $OUT/RESULTS.md"
fi
log "done: $OUT/RESULTS.md (raw rows: $RESULTS)"
