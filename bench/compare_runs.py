#!/usr/bin/env python3
"""Side by side means of several bench/run.sh runs (each a results.csv), to
show how far whole runs agree on a shared machine.

    python3 bench/compare_runs.py run1=bench/out/run1/results.csv run2=bench/out/results.csv
"""
import csv
import sys
from collections import defaultdict

runs = []
for arg in sys.argv[1:]:
    name, path = arg.split("=", 1)
    data = defaultdict(list)
    for r in csv.DictReader(open(path)):
        data[(r["backend"], r["test"], r["tool"], int(r["conc"]))].append(r)
    runs.append((name, data))

keys = sorted({k for _, d in runs for k in d}, key=lambda k: (k[0] != "postgres", k[1], k[3], k[2]))


def mean(rows, field):
    return sum(float(r[field]) for r in rows) / len(rows) if rows else float("nan")


names = [n for n, _ in runs]
print("| backend | test | c | tool | " + " | ".join(f"{n} req/s" for n in names) + " | " + " | ".join(f"{n} p99 ms" for n in names) + " |")
print("|---" * (4 + 2 * len(names)) + "|")
for k in keys:
    rps = [mean(d.get(k, []), "rps") for _, d in runs]
    p99 = [mean(d.get(k, []), "p99_ms") for _, d in runs]
    per = {"w1": 1, "w2": 100}.get(k[1], 1)
    unit = "" if per == 1 else f" (×{per} = orders/s)"
    print(f"| {k[0]} | {k[1].upper()}{unit} | {k[3]} | {'ordergraph' if k[2] == 'ordergraph' else 'SQL limit'} | "
          + " | ".join(f"{x:,.1f}" for x in rps) + " | " + " | ".join(f"{x:,.1f}" for x in p99) + " |")
