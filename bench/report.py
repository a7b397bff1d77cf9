#!/usr/bin/env python3
"""Merges the JSON lines of tailor-bench and torch_bench.py into a table,
a CSV of every number and a PNG plot of latency against budget per system.

Per row (model, batch, budget): each system's median and p90 latency, its
throughput, its speedup over its own dense (budget 1.0) row and over
PyTorch's dense model, against the FLOPs ratio; the achieved TFLOP/s against
the measured bf16 matmul ceiling; peak GPU memory.

An ACM model (its rows carry mlp_fraction, the mean fraction of its learners
that ran) has a table of its own: per batch, the ACM on the Tailor runtime
against its dense form there (the model of the label without "-acm", at
budget 1.0) and against the same ACM in PyTorch eager, whose dense form
(every learner on every token) is its torch-dense row.
"""

import argparse
import csv
import json
from collections import defaultdict

SYSTEMS = ["tailor", "torch-eager", "torch-compile", "torch-max-autotune", "torch-dense"]
COLORS = dict(zip(SYSTEMS, ["tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:red"]))


def dense_label(label):
    """The dense form of an ACM model: bert-base-acm-s128 -> bert-base-s128."""
    return label.replace("-acm", "")


def read(paths):
    rows, ceiling, checks, calibrations = {}, {}, [], []
    for path in paths:
        for line in open(path):
            line = line.strip()
            if not line.startswith("{"):
                continue
            entry = json.loads(line)
            if "check" in entry:
                checks.append(entry)
            elif "calibration" in entry:
                calibrations.append(entry)
            elif entry.get("system") == "ceiling":
                ceiling[entry["label"]] = entry["bf16_matmul_tflops"]
            elif "median_ms" in entry:
                # A case measured again (a later call) replaces the earlier one.
                rows[(entry["label"], entry["system"], entry["variant"], entry["batch"])] = entry
    return list(rows.values()), ceiling, checks, calibrations


def acm_labels(rows, checks):
    return {r["label"] for r in rows + checks if "mlp_fraction" in r}


def enrich(rows, ceiling, acm):
    dense_tailor = {(r["label"], r["batch"]): r for r in rows
                    if r["system"] == "tailor" and r["budget"] == 1.0}
    dense_torch = {(r["label"], r["batch"]): r for r in rows if r["system"] == "torch-dense"}
    own_dense = {(r["system"], r["label"], r["batch"]): r for r in rows if r["budget"] == 1.0}
    full_flops = {r["label"]: r["flops_per_sample"] for r in dense_tailor.values()}
    for r in rows:
        key = (r["label"], r["batch"])
        # An ACM's own dense row is its dense form: the dense model's on the
        # runtime, the torch-dense row in PyTorch.
        dense = dense_label(r["label"]) if r["label"] in acm else r["label"]
        r["throughput_per_s"] = r["batch"] / (r["median_ms"] * 1e-3)
        r["flops_ratio"] = r["flops_per_sample"] / full_flops.get(dense, r["flops_per_sample"])
        r["tflops"] = r["flops_per_sample"] * r["batch"] / (r["median_ms"] * 1e-3) / 1e12
        r["ceiling_fraction"] = r["tflops"] / ceiling[r["label"]] if r["label"] in ceiling else None
        if r["label"] in acm:
            own = {"tailor": dense_tailor.get((dense, r["batch"])),
                   "torch-eager": dense_torch.get(key), "torch-dense": r}.get(r["system"])
        else:
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


def acm_table(rows, acm):
    """Per ACM model and batch: the ACM and its dense form, on the runtime and
    in PyTorch eager."""
    cases = defaultdict(dict)
    for r in rows:
        if r["label"] in acm and r["budget"] == 1.0:
            cases[(r["label"], r["batch"])][r["system"]] = r
    dense = {(r["label"], r["batch"]): r for r in rows
             if r["system"] == "tailor" and r["budget"] == 1.0}
    header = ["model", "batch", "MLP fraction run (tailor, PyTorch eager)", "tailor ACM ms",
              "tailor dense ms", "torch-eager ACM ms", "torch-dense ms",
              "tailor ACM speedup vs tailor dense", "torch-eager ACM speedup vs torch-dense",
              "torch-eager ACM / tailor ACM"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for (label, batch), systems in sorted(cases.items()):
        t, e, d = systems.get("tailor"), systems.get("torch-eager"), systems.get("torch-dense")
        td = dense.get((dense_label(label), batch))

        def ms(r):
            return f"{r['median_ms']:.3f}" if r else "-"

        def ratio(a, b):
            return f"{a['median_ms'] / b['median_ms']:.2f}" if a and b else "-"

        lines.append("| " + " | ".join([
            label, str(batch),
            f"{fmt(t and t.get('mlp_fraction'), '.3f')}, {fmt(e and e.get('mlp_fraction'), '.3f')}",
            ms(t), ms(td), ms(e),
            ms(d), ratio(td, t), ratio(d, e), ratio(e, t)]) + " |")
    return "\n".join(lines)


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
    rows, ceiling, checks, calibrations = read(args.results)
    acm = acm_labels(rows, checks)
    rows = enrich(rows, ceiling, acm)
    fields = ["label", "system", "precision", "variant", "budget", "batch", "flops_per_sample",
              "flops_ratio", "median_ms", "p90_ms", "throughput_per_s", "tflops",
              "ceiling_fraction", "speedup_vs_own_dense", "speedup_vs_torch_dense",
              "speedup_per_flops_cut", "peak_bytes", "mlp_fraction"]
    with open(args.csv, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    for c in checks:
        detail = ""
        if "samples" in c:
            detail = (f", median per sample {c['median_sample_error']:.2e}, "
                      f"{c['samples_differing']} of {c['samples']} samples beyond 1e-3")
        if "mlp_fraction" in c:
            detail += (f", MLP fraction run {c['mlp_fraction']:.4f} "
                       f"(runtime {fmt(c.get('runtime_mlp_fraction'), '.4f')})")
        print(f"check {c.get('label', '')} {c['check']} {c['variant']}: relative error "
              f"{c['relative_error']:.2e}{detail}, argmax agreement {c['argmax_agreement']:.3f}")
    for c in calibrations:
        shares = ", ".join("/".join(f"{s:.2f}" for s in layer) for layer in c["layer_shares"])
        print(f"{c['calibration']}: ACM gates fitted to shares "
              f"{'/'.join(f'{s:.2f}' for s in c['target_shares'])} of k = 1..N; on other random "
              f"inputs MLP fraction run {c['mlp_fraction']:.3f}, per layer {shares}")
    for label, value in sorted(ceiling.items()):
        print(f"{label}: measured bf16 matmul ceiling {value:.0f} TFLOP/s")
    print(table([r for r in rows if r["label"] not in acm]))
    if acm:
        print()
        print(acm_table(rows, acm))
    if args.plot:
        plot([r for r in rows if r["label"] not in acm], args.plot)


if __name__ == "__main__":
    main()
