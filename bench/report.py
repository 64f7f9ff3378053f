#!/usr/bin/env python3
"""Turns bench/out/results.csv and facts.txt (written by bench/run.sh) into a
Markdown report with a table per query and PASS/MISS per target.

    python3 bench/report.py bench/out/results.csv bench/out/facts.txt > bench/out/RESULTS.md
"""
import csv
import sys
from collections import defaultdict

rows = list(csv.DictReader(open(sys.argv[1])))
facts = {}
for line in open(sys.argv[2]):
    if "=" in line:
        k, v = line.rstrip("\n").split("=", 1)
        facts[k] = v

# (backend, test, tool, conc) -> list of rows, by repeat
runs = defaultdict(list)
for r in rows:
    runs[(r["backend"], r["test"], r["tool"], int(r["conc"]))].append(r)

CONCS = sorted({int(r["conc"]) for r in rows})
ORDERS_PER_REQUEST = {"w1": 1, "w2": 100}
NAMES = {
    "q1": "Q1: filtered list, 50 orders with items, customer, currency",
    "q2": "Q2: one order by ID with items, customer, channel",
    "q3": "Q3: default list 20,000 rows deep, 50 orders",
    "w1": "W1: createOrder, 3 items",
    "w2": "W2: createOrders, 100 inputs of 3 items",
}


def vals(key, field, scale=1.0):
    return [float(r[field]) * scale for r in runs.get(key, [])]


def mean(xs):
    return sum(xs) / len(xs) if xs else float("nan")


def spread(xs):
    """(max - min) / mean, in percent."""
    if len(xs) < 2:
        return 0.0
    m = mean(xs)
    return 100.0 * (max(xs) - min(xs)) / m if m else 0.0


def fmt_num(x, digits=None):
    if x != x:
        return "–"
    if digits is None:
        digits = 0 if abs(x) >= 100 else (1 if abs(x) >= 10 else 2)
    return f"{x:,.{digits}f}"


def cell(xs, digits=None):
    """mean (r1 / r2, ±spread)"""
    if not xs:
        return "–"
    if len(xs) == 1:
        return fmt_num(xs[0], digits)
    inner = " / ".join(fmt_num(x, digits) for x in xs)
    return f"**{fmt_num(mean(xs), digits)}** ({inner}; spread {spread(xs):.0f}%)"


out = []
w = out.append

w("# ordergraph benchmark results (generated)")
w("")
w(f"- Date: {facts.get('date')}; command: `{facts.get('command')}`")
w(f"- Machine: {facts.get('nproc')} CPUs ({facts.get('cpu')}), {facts.get('memory')} RAM, kernel {facts.get('kernel')}")
w(f"- {facts.get('postgres')}; settings: {facts.get('pg_settings')}")
w(f"- Load generators: {facts.get('wrk')}; {facts.get('pgbench')} (`-M prepared`)")
w(f"- ordergraph: git {facts.get('git_head')} with {facts.get('git_dirty_files')} uncommitted files under src/, entity/, migration/; {facts.get('binary')}")
w(f"- Each figure: {facts.get('durations')}; the repeats follow each other after one warm-up per (query, concurrency).")
w(f"- Load average at start {facts.get('load_at_start')}, at end {facts.get('load_at_end')}; total run time {facts.get('total_s')} s.")
w("- Cells: **mean** (repeat 1 / repeat 2; spread = (max − min) / mean). Latencies in ms.")
w("")

for backend in ("postgres", "sqlite"):
    if not any(r["backend"] == backend for r in rows):
        continue
    w(f"## {backend}")
    w("")
    w(f"- Seed of {facts.get(backend + '_seed_summary', '?')}: **{facts.get(backend + '_seed_s')} s**")
    if backend == "postgres":
        w(f"- `VACUUM (ANALYZE)` after the seed: {facts.get(backend + '_vacuum_analyze_s')} s (not part of the seed time)")
    w(f"- Start to ready (`/readyz` 200): {facts.get(backend + '_start_to_ready_ms_1')} ms (first start, creates the demo key), {facts.get(backend + '_start_to_ready_ms_2')} ms (second start)")
    w(f"- Idle RSS after start: {int(facts.get(backend + '_rss_idle_kib', 0)) / 1024:.1f} MiB")
    w(f"- Q1's filter matches {facts.get(backend + '_q1_filter_matches')} orders, so Q3 = {facts.get(backend + '_q3_list')}; row 20,000 = {facts.get(backend + '_q3_row_20000')}")
    if backend == "sqlite":
        w(f"- Planner statistics in the SQLite file after the seed: {facts.get('sqlite_has_planner_statistics', '?')}")
    spr = {q: facts.get(f"{backend}_statements_per_request_{q}") for q in ("q1", "q2", "q3", "w1", "w2")}
    w("- SQL statements per request (`ordergraph_db_statements_total`): " + ", ".join(f"{q.upper()} {v}" for q, v in spr.items()))
    w("")
    for test in ("q1", "q2", "q3", "w1", "w2"):
        if not any(k[0] == backend and k[1] == test for k in runs):
            continue
        w(f"### {NAMES[test]}")
        w("")
        per = ORDERS_PER_REQUEST.get(test)
        has_sql = any(k[0] == backend and k[1] == test and k[2] == "sql" for k in runs)
        if per:
            w("| c | ordergraph req/s | orders/s | p50 ms | p99 ms | bad responses | peak RSS MiB | server CPU µs/req |")
            w("|---|---|---|---|---|---|---|---|")
        elif has_sql:
            w("| c | ordergraph req/s | p50 ms | p99 ms | SQL limit tx/s | SQL p50 ms | SQL p99 ms | ordergraph / SQL (req/s) | p99 ÷ SQL p99 | bad responses | peak RSS MiB | server CPU µs/req |")
            w("|---|---|---|---|---|---|---|---|---|---|---|---|")
        else:
            w("| c | ordergraph req/s | p50 ms | p99 ms | bad responses | peak RSS MiB | server CPU µs/req |")
            w("|---|---|---|---|---|---|---|")
        for c in CONCS:
            og = (backend, test, "ordergraph", c)
            sq = (backend, test, "sql", c)
            if og not in runs:
                continue
            rps = vals(og, "rps")
            bad = sum(int(r["bad"]) for r in runs[og])
            rss = max(int(r["rss_peak_kib"]) for r in runs[og]) / 1024
            cpu_us = [1e6 * float(r["server_cpu_s"]) / max(1, int(r["requests"])) for r in runs[og]]
            common = f"{bad} | {rss:.1f} | {fmt_num(mean(cpu_us), 0)} |"
            if per:
                w(f"| {c} | {cell(rps)} | {cell([x * per for x in rps])} | {cell(vals(og, 'p50_ms'))} | {cell(vals(og, 'p99_ms'))} | {common}")
            elif has_sql:
                srps = vals(sq, "rps")
                ratio = mean(rps) / mean(srps) if srps else float("nan")
                p99r = mean(vals(og, "p99_ms")) / mean(vals(sq, "p99_ms")) if srps else float("nan")
                w(f"| {c} | {cell(rps)} | {cell(vals(og, 'p50_ms'))} | {cell(vals(og, 'p99_ms'))} | {cell(srps)} | {cell(vals(sq, 'p50_ms'))} | {cell(vals(sq, 'p99_ms'))} | {100 * ratio:.1f}% | {p99r:.1f}× | {common}")
            else:
                w(f"| {c} | {cell(rps)} | {cell(vals(og, 'p50_ms'))} | {cell(vals(og, 'p99_ms'))} | {common}")
        w("")

# ---------------------------------------------------------------- targets
w("## Targets (PostgreSQL)")
w("")
w("| target | measured | result |")
w("|---|---|---|")


def verdict(ok):
    return "PASS" if ok else "**MISS**"


def m(test, tool, c, field="rps", backend="postgres"):
    return mean(vals((backend, test, tool, c), field))


c8 = 8 if 8 in CONCS else CONCS[0]
if ("postgres", "q1", "sql", c8) in runs:
    r = m("q1", "ordergraph", c8) / m("q1", "sql", c8)
    w(f"| Q1 ≥ 50% of the SQL limit's req/s at c={c8} | {100 * r:.1f}% ({fmt_num(m('q1', 'ordergraph', c8))} vs {fmt_num(m('q1', 'sql', c8))}) | {verdict(r >= 0.5)} |")
    r = m("q1", "ordergraph", c8, "p99_ms") / m("q1", "sql", c8, "p99_ms")
    w(f"| Q1 p99 ≤ 3× the SQL p99 at c={c8} | {r:.1f}× ({m('q1', 'ordergraph', c8, 'p99_ms'):.2f} ms vs {m('q1', 'sql', c8, 'p99_ms'):.2f} ms) | {verdict(r <= 3)} |")
for c in CONCS:
    if ("postgres", "q2", "sql", c) in runs:
        r = m("q2", "ordergraph", c) / m("q2", "sql", c)
        w(f"| Q2 ≥ 30% of the SQL limit, c={c} | {100 * r:.1f}% ({fmt_num(m('q2', 'ordergraph', c))} vs {fmt_num(m('q2', 'sql', c))}) | {verdict(r >= 0.3)} |")
for c in CONCS:
    if ("postgres", "q3", "ordergraph", c) in runs:
        q1, q3 = m("q1", "ordergraph", c), m("q3", "ordergraph", c)
        w(f"| Q3 within 1.2× of Q1's req/s, c={c} | Q1 / Q3 = {q1 / q3:.2f} ({fmt_num(q1)} vs {fmt_num(q3)}) | {verdict(q1 / q3 <= 1.2)} |")
s = facts.get("postgres_statements_per_request_q1")
if s:
    w(f"| statements per request ≤ 5 for Q1 | {s} | {verdict(float(s) <= 5)} |")
for c in CONCS:
    if ("postgres", "w1", "ordergraph", c) in runs:
        x = m("w1", "ordergraph", c)
        w(f"| W1 ≥ 1,000 orders/s, c={c} | {fmt_num(x)} | {verdict(x >= 1000)} |")
for c in CONCS:
    if ("postgres", "w2", "ordergraph", c) in runs:
        x = 100 * m("w2", "ordergraph", c)
        w(f"| W2 ≥ 10,000 orders/s, c={c} | {fmt_num(x)} | {verdict(x >= 10000)} |")
s = facts.get("postgres_seed_s")
if s:
    w(f"| seed of 100,000 under 30 s | {s} s | {verdict(float(s) < 30)} |")
q1rss = [int(r["rss_peak_kib"]) for k, v in runs.items() if k[0] == "postgres" and k[1] == "q1" and k[2] == "ordergraph" for r in v]
allrss = [int(r["rss_peak_kib"]) for k, v in runs.items() if k[0] == "postgres" and k[2] == "ordergraph" for r in v]
if q1rss:
    w(f"| RSS under load ≤ 100 MiB (peak during Q1) | {max(q1rss) / 1024:.1f} MiB (peak over every PostgreSQL run: {max(allrss) / 1024:.1f} MiB) | {verdict(max(q1rss) <= 100 * 1024)} |")
a, b = facts.get("postgres_start_to_ready_ms_1"), facts.get("postgres_start_to_ready_ms_2")
if a:
    w(f"| start to ready ≤ 1 s | {a} ms, {b} ms | {verdict(max(int(a), int(b or 0)) <= 1000)} |")
w("")
if facts.get("same_rows_postgres_sqlite"):
    w(f"Same rows from PostgreSQL and SQLite for Q1–Q3: {facts['same_rows_postgres_sqlite']}.")
    w("")
w("SQLite (no targets; for comparison): seed "
  f"{facts.get('sqlite_seed_s', '–')} s, start to ready {facts.get('sqlite_start_to_ready_ms_1', '–')} / {facts.get('sqlite_start_to_ready_ms_2', '–')} ms.")
w("")
print("\n".join(out))
