#!/usr/bin/env python3
"""Merges the JSON lines of tailor-bench and torch_bench.py into a table,
a CSV of every number and a PNG plot of latency against budget per system.

Per row (model, batch, budget): each system's median and p90 latency, its
throughput, its speedup over its own dense (budget 1.0) row and over
PyTorch's dense model, against the FLOPs ratio; the achieved TFLOP/s against
the measured bf16 matmul ceiling; peak GPU memory.
"""

import argparse
import csv
import json
from collections import defaultdict

SYSTEMS = ["tailor", "torch-eager", "torch-compile", "torch-max-autotune", "torch-dense"]
COLORS = dict(zip(SYSTEMS, ["tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:red"]))


def read(paths):
    rows, ceiling, checks = {}, {}, []
    for path in paths:
        for line in open(path):
            line = line.strip()
            if not line.startswith("{"):
                continue
            entry = json.loads(line)
            if "check" in entry:
                checks.append(entry)
            elif entry.get("system") == "ceiling":
                ceiling[entry["label"]] = entry["bf16_matmul_tflops"]
            elif "median_ms" in entry:
                # A case measured again (a later call) replaces the earlier one.
                rows[(entry["label"], entry["system"], entry["variant"], entry["batch"])] = entry
    return list(rows.values()), ceiling, checks


def enrich(rows, ceiling):
    dense_tailor = {(r["label"], r["batch"]): r for r in rows
                    if r["system"] == "tailor" and r["budget"] == 1.0}
    dense_torch = {(r["label"], r["batch"]): r for r in rows if r["system"] == "torch-dense"}
    own_dense = {(r["system"], r["label"], r["batch"]): r for r in rows if r["budget"] == 1.0}
    full_flops = {r["label"]: r["flops_per_sample"] for r in dense_tailor.values()}
    for r in rows:
        key = (r["label"], r["batch"])
        r["throughput_per_s"] = r["batch"] / (r["median_ms"] * 1e-3)
        r["flops_ratio"] = r["flops_per_sample"] / full_flops.get(r["label"], r["flops_per_sample"])
        r["tflops"] = r["flops_per_sample"] * r["batch"] / (r["median_ms"] * 1e-3) / 1e12
        r["ceiling_fraction"] = r["tflops"] / ceiling[r["label"]] if r["label"] in ceiling else None
        own = own_dense.get((r["system"] if r["system"] != "torch-dense" else "torch-eager",
                             r["label"], r["batch"]))
        r["speedup_vs_own_dense"] = own["median_ms"] / r["median_ms"] if own else None
        torch_dense = dense_torch.get(key)
        r["speedup_vs_torch_dense"] = (torch_dense["median_ms"] / r["median_ms"]
                                       if torch_dense else None)
        # How much of the FLOPs cut became time: 1.0 when time falls as FLOPs do.
        r["speedup_per_flops_cut"] = (r["speedup_vs_own_dense"] * r["flops_ratio"]
                                      if r["speedup_vs_own_dense"] else None)
        r["peak_bytes"] = r.get("peak_bytes", r.get("device_bytes"))
    return rows


def fmt(value, spec):
    return "-" if value is None else format(value, spec)


def table(rows):
    by_case = defaultdict(dict)
    for r in rows:
        by_case[(r["label"], r["batch"], r["budget"])][r["system"]] = r
    present = [s for s in SYSTEMS if any(s in c for c in by_case.values())]
    header = ["model", "batch", "budget", "flops"] + [f"{s} ms" for s in present] + [
        "tailor speedup vs its dense", "speedup x flops ratio", "tailor TFLOP/s", "fastest PyTorch (its time / tailor)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for (label, batch, budget), systems in sorted(by_case.items(),
                                                  key=lambda k: (k[0][0], k[0][1], -k[0][2])):
        any_row = next(iter(systems.values()))
        cells = [label, str(batch), f"{budget:.2f}", f"{any_row['flops_ratio']:.2f}"]
        for s in present:
            r = systems.get(s)
            cells.append(f"{r['median_ms']:.3f}" if r else "-")
        t = systems.get("tailor")
        others = {s: r["median_ms"] for s, r in systems.items() if s not in ("tailor", "torch-dense")}
        best = min(others, key=others.get) if others else None
        cells += [fmt(t and t["speedup_vs_own_dense"], ".2f"),
                  fmt(t and t["speedup_per_flops_cut"], ".2f"),
                  fmt(t and t["tflops"], ".1f"),
                  f"{best} ({others[best] / t['median_ms']:.2f}x)" if best and t else "-"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def plot(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    cases = sorted({(r["label"], r["batch"]) for r in rows})
    columns = 3
    figure, axes = plt.subplots((len(cases) + columns - 1) // columns, columns,
                                figsize=(5 * columns, 3.6 * ((len(cases) + columns - 1) // columns)),
                                squeeze=False)
    for axis, (label, batch) in zip(axes.flat, cases):
        for system in SYSTEMS:
            points = sorted((r["budget"], r["median_ms"]) for r in rows
                            if r["label"] == label and r["batch"] == batch
                            and r["system"] == system)
            if points:
                axis.plot(*zip(*points), marker="o", label=system, color=COLORS[system])
        axis.set_title(f"{label}, batch {batch}")
        axis.set_xlabel("budget (fraction of dense FLOPs)")
        axis.set_ylabel("median latency (ms)")
        axis.set_ylim(bottom=0)
        axis.grid(alpha=0.3)
    for axis in list(axes.flat)[len(cases):]:
        axis.axis("off")
    handles = [plt.Line2D([], [], color=COLORS[s], marker="o", label=s) for s in SYSTEMS
               if any(r["system"] == s for r in rows)]
    figure.legend(handles=handles, loc="upper center", ncol=len(handles), fontsize=9)
    figure.tight_layout(rect=(0, 0, 1, 0.96))
    figure.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="JSON-lines files")
    parser.add_argument("--csv", required=True)
    parser.add_argument("--plot")
    args = parser.parse_args()
    rows, ceiling, checks = read(args.results)
    rows = enrich(rows, ceiling)
    fields = ["label", "system", "precision", "variant", "budget", "batch", "flops_per_sample",
              "flops_ratio", "median_ms", "p90_ms", "throughput_per_s", "tflops",
              "ceiling_fraction", "speedup_vs_own_dense", "speedup_vs_torch_dense",
              "speedup_per_flops_cut", "peak_bytes"]
    with open(args.csv, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    for c in checks:
        detail = ""
        if "samples" in c:
            detail = (f", median per sample {c['median_sample_error']:.2e}, "
                      f"{c['samples_differing']} of {c['samples']} samples beyond 1e-3")
        print(f"check {c.get('label', '')} {c['check']} {c['variant']}: relative error "
              f"{c['relative_error']:.2e}{detail}, argmax agreement {c['argmax_agreement']:.3f}")
    for label, value in sorted(ceiling.items()):
        print(f"{label}: measured bf16 matmul ceiling {value:.0f} TFLOP/s")
    print(table(rows))
    if args.plot:
        plot(rows, args.plot)


if __name__ == "__main__":
    main()
