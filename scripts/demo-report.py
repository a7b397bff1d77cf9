#!/usr/bin/env python3
"""The demo's last table and plot: each compiled variant's budget, lengths,
FLOPs, the trainer's test accuracy for that configuration (model.json), the
runtime's accuracy on the same test set (tailor-run --summary-csv) and the
runtime's latency. Exits 1 when an accuracy differs: the compiled model must
compute what the trainer evaluated.

Usage: demo-report.py CHECKPOINT_DIR VARIANTS_CSV OUT_PNG
"""

import csv
import json
import subprocess
import sys


def main():
    checkpoint, variants_csv, plot = sys.argv[1:4]
    searched = json.load(open(f"{checkpoint}/model.json"))["adaptive"]["length_configs"]
    by_budget = {entry["budget"]: entry for entry in searched}
    rows = list(csv.DictReader(open(variants_csv)))
    full = max(int(r["flops"]) for r in rows)
    print(f"{'variant':8} {'lengths':14} {'FLOPs':>9} {'% full':>7} {'trainer':>8} "
          f"{'runtime':>8} {'ms/sample':>10}")
    mismatches = 0
    points = []
    for row in rows:
        chosen = max((b for b in by_budget if b <= float(row["budget"]) + 1e-9))
        entry = by_budget[chosen]
        trainer, runtime = entry["accuracy"], float(row["accuracy"])
        mismatches += abs(trainer - runtime) > 5e-5
        lengths = ",".join(str(n) for n in entry["lengths"])
        print(f"{row['variant']:8} {lengths:14} {int(row['flops']):>9} "
              f"{100 * int(row['flops']) / full:>6.1f}% {100 * trainer:>7.2f}% "
              f"{100 * runtime:>7.2f}% {float(row['ms_per_sample']):>10.4f}")
        points.append((int(row["flops"]) / full, runtime, float(row["ms_per_sample"])))
    data = "\n".join(f"{f} {100 * a} {ms}" for f, a, ms in points)
    script = f"""
set terminal pngcairo size 900,420
set output '{plot}'
set multiplot layout 1,2
set grid
set xlabel 'FLOPs (fraction of the full model)'
set ylabel 'test accuracy (%)'
set title 'compiled variants: accuracy'
plot '-' using 1:2 with linespoints pt 7 title 'runtime (CPU)'
{data}
e
set ylabel 'ms per sample (CPU, batch 64)'
set title 'compiled variants: latency'
plot '-' using 1:3 with linespoints pt 7 title 'runtime (CPU)'
{data}
e
unset multiplot
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    if mismatches:
        print(f"demo: {mismatches} variant(s) differ from the trainer's accuracy", file=sys.stderr)
        return 1
    print("every variant's accuracy equals the trainer's evaluation of its configuration")
    return 0


if __name__ == "__main__":
    sys.exit(main())
