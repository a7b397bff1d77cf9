#!/usr/bin/env python3
"""Merges the JSON lines of tailor-bench and torch_bench.py into a table,
a CSV of every number and a PNG plot of latency against budget per system.

Per row (model, batch, budget): each system's median and p90 latency, its
throughput, its speedup over its own dense (budget 1.0) row and over
PyTorch's dense model, against the FLOPs ratio; the achieved TFLOP/s against
the bf16 matmul ceiling measured in the same run; the fastest PyTorch system
over the runtime; peak GPU memory. Then a summary of issue 14's must-show
items: every row measured, the runtime's dense model at batch 64 at least as
fast as the fastest PyTorch system (target 1.2x), and each tailored variant's
speedup over the runtime's own dense at least 0.9 of its FLOPs cut.

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

SYSTEMS = ["tailor", "torch-eager", "torch-compile", "torch-reduce-overhead",
           "torch-max-autotune", "torch-dense"]
COLORS = dict(zip(SYSTEMS, ["tab:blue", "tab:orange", "tab:green", "tab:brown", "tab:purple",
                            "tab:red"]))
COMPILED_SYSTEMS = ("torch-compile", "torch-reduce-overhead", "torch-max-autotune")

# Issue 14: the models, batches and budgets the benchmark must show, in the
# runtime and in every PyTorch system but the dense one (the same model as
# eager's budget 1.0 row).
MUST_SHOW_MODELS = ("bert-base-s128", "bert-base-s512", "vit-b16")
MUST_SHOW_BATCHES = (1, 8, 64)
MUST_SHOW_BUDGETS = (1.0, 0.75, 0.5, 0.25)
MUST_SHOW_SYSTEMS = SYSTEMS[:-1]
# The runtime's dense model at batch 64 against the fastest PyTorch system:
# fastest PyTorch time over the runtime's, at least the goal, ideally the target.
DENSE_GOAL, DENSE_TARGET = 1.0, 1.2
# A tailored variant should turn this much of its FLOPs cut into time: a speedup
# over the runtime's own dense of at least this over its FLOPs fraction.
TAILORED_EFFICIENCY = 0.9


LEGEND = ("PyTorch, bf16: eager; compile, reduce-overhead (CUDA graphs), max-autotune (with CUDA "
          "graphs): torch.compile's modes, of the whole model with static shapes on a budget 1.00 "
          "row, of the encoder layer (regional) on a tailored one; dense: the dense model, eager. "
          "Goal met: the runtime's speedup over its own dense reaches the goal.")


def dense_label(label):
    """The dense form of an ACM model: bert-base-acm-s128 -> bert-base-s128."""
    return label.replace("-acm", "")


def read(paths):
    """The timed rows, the ceiling per label, the checks, the gate
    calibrations, and the rows that were not measured (with why)."""
    rows, ceiling, checks, calibrations, skipped = {}, {}, [], [], {}
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
                key = (entry["label"], entry["system"], entry["variant"], entry["batch"])
                rows[key] = entry
                skipped.pop(key, None)
            elif "skipped" in entry:
                # A case skipped in one call and measured in another was measured.
                key = (entry["label"], entry["system"], entry["variant"], entry["batch"])
                if key not in rows:
                    skipped[key] = entry
    return list(rows.values()), ceiling, checks, calibrations, list(skipped.values())


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
        r["speedup_goal"] = (TAILORED_EFFICIENCY / r["flops_ratio"]
                             if r["budget"] < 1.0 and r["label"] not in acm else None)
        r["speedup_goal_met"] = (r["speedup_vs_own_dense"] >= r["speedup_goal"]
                                 if r["speedup_goal"] and r["speedup_vs_own_dense"] else None)
    add_fastest_torch(rows)
    return rows


def add_fastest_torch(rows):
    """On each runtime row, the fastest PyTorch system of its case and that
    system's time over the runtime's (above 1: the runtime is faster).
    torch-dense does not run: it is eager's budget 1.0 model again, or an ACM
    model's dense form, another model."""
    torch_rows = defaultdict(list)
    for r in rows:
        if r["system"] in MUST_SHOW_SYSTEMS and r["system"] != "tailor":
            torch_rows[(r["label"], r["batch"], r["variant"])].append(r)
    for r in rows:
        candidates = torch_rows.get((r["label"], r["batch"], r["variant"]))
        if r["system"] == "tailor" and candidates:
            fastest = min(candidates, key=lambda c: c["median_ms"])
            r["fastest_torch_system"] = fastest["system"]
            r["fastest_torch_over_tailor"] = fastest["median_ms"] / r["median_ms"]


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


def cases(rows):
    """(label, batch, budget) -> {system: row}."""
    by_case = defaultdict(dict)
    for r in rows:
        by_case[(r["label"], r["batch"], r["budget"])][r["system"]] = r
    return by_case


def short(system):
    return system.replace("torch-", "")


def table(rows):
    """Per (model, batch, budget): each system's median ms, then the
    runtime's rate, its ratio to the fastest PyTorch system and, for a
    tailored variant, its speedup over its own dense against the goal."""
    by_case = cases(rows)
    present = [s for s in SYSTEMS if any(s in c for c in by_case.values())]
    header = ["model", "batch", "budget", "flops"] + [f"{short(s)} ms" for s in present] + [
        "tailor TFLOP/s (% of bf16 ceiling)", "fastest PyTorch / tailor",
        "tailor speedup vs its dense", f"goal {TAILORED_EFFICIENCY} / flops", "goal met"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for (label, batch, budget), systems in sorted(by_case.items(),
                                                  key=lambda k: (k[0][0], k[0][1], -k[0][2])):
        any_row = next(iter(systems.values()))
        cells = [label, str(batch), f"{budget:.2f}", f"{any_row['flops_ratio']:.2f}"]
        for s in present:
            r = systems.get(s)
            cells.append(f"{r['median_ms']:.3f}" if r else "-")
        t = systems.get("tailor") or {}
        rate = fmt(t.get("tflops"), ".1f")
        if t.get("ceiling_fraction") is not None:
            rate += f" ({t['ceiling_fraction']:.0%})"
        fastest = ("-" if "fastest_torch_system" not in t else
                   f"{t['fastest_torch_over_tailor']:.2f}x ({short(t['fastest_torch_system'])})")
        met = t.get("speedup_goal_met")
        cells += [rate, fastest, fmt(t.get("speedup_vs_own_dense"), ".2f"),
                  fmt(t.get("speedup_goal"), ".2f"),
                  "-" if met is None else ("pass" if met else "fail")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def coverage_item(label, by_case):
    """Whether every must-show row of `label` was measured, and its compiled
    dense rows compiled as a whole model."""
    missing = defaultdict(int)
    whole, compiled_dense = 0, 0
    for batch in MUST_SHOW_BATCHES:
        for budget in MUST_SHOW_BUDGETS:
            systems = by_case.get((label, batch, budget), {})
            for s in MUST_SHOW_SYSTEMS:
                row = systems.get(s)
                if row is None:
                    missing[short(s)] += 1
                elif budget == 1.0 and s in COMPILED_SYSTEMS:
                    compiled_dense += 1
                    whole += row.get("compile_scope") == "whole-model"
    expected = len(MUST_SHOW_BATCHES) * len(MUST_SHOW_BUDGETS) * len(MUST_SHOW_SYSTEMS)
    measured = expected - sum(missing.values())
    passed = not missing and whole == compiled_dense
    detail = f"{measured}/{expected} rows"
    if missing:
        detail += " (missing: " + ", ".join(f"{s} {n}" for s, n in sorted(missing.items())) + ")"
    detail += f"; compiled dense rows whole-model: {whole}/{compiled_dense}"
    return passed, detail


def dense_item(label, by_case):
    """The runtime's dense model at batch 64 against the fastest PyTorch system."""
    t = by_case.get((label, 64, 1.0), {}).get("tailor")
    if not t or "fastest_torch_system" not in t:
        return False, "not measured"
    ratio = t["fastest_torch_over_tailor"]
    fastest = by_case[(label, 64, 1.0)][t["fastest_torch_system"]]
    target = "met" if ratio >= DENSE_TARGET else "not met"
    return ratio >= DENSE_GOAL, (f"{ratio:.2f}x: {short(fastest['system'])} "
                                 f"{fastest['median_ms']:.3f} ms, tailor {t['median_ms']:.3f} ms "
                                 f"(target {DENSE_TARGET}x {target})")


def tailored_item(label, by_case):
    """How many tailored variants per batch reach their speedup goal."""
    counts = []
    passed = True
    for batch in MUST_SHOW_BATCHES:
        met = [by_case.get((label, batch, budget), {}).get("tailor", {}).get("speedup_goal_met")
               for budget in MUST_SHOW_BUDGETS if budget < 1.0]
        passed = passed and all(met)
        counts.append(f"batch {batch}: {sum(bool(m) for m in met)}/{len(met)}")
    return passed, ", ".join(counts)


def must_show(rows, ceiling, skipped):
    """Issue 14's must-show items, each passed or failed, as a markdown list;
    then the rows that were not measured and why."""
    by_case = cases(rows)
    measured = [f"{label} {ceiling[label]:.0f} TFLOP/s" for label in MUST_SHOW_MODELS
                if label in ceiling]
    items = [(len(measured) == len(MUST_SHOW_MODELS), "bf16 matmul ceiling measured in the run",
              ", ".join(measured) or "none")]
    checks = ((coverage_item, "every row measured"),
              (dense_item, f"dense, batch 64: fastest PyTorch / tailor >= {DENSE_GOAL}"),
              (tailored_item, f"tailored: speedup vs its dense >= {TAILORED_EFFICIENCY} / flops"))
    for check, what in checks:
        for label in MUST_SHOW_MODELS:
            passed, detail = check(label, by_case)
            items.append((passed, f"{label}, {what}", detail))
    lines = [f"Must-show (issue 14): {sum(p for p, _, _ in items)} of {len(items)} pass", ""]
    lines += [f"- {'pass' if passed else '**FAIL**'}: {what}: {detail}"
              for passed, what, detail in items]
    for s in skipped:
        lines.append(f"- not measured: {s['label']} {s['system']} {s['variant']} "
                     f"batch {s['batch']}: {s['skipped']}")
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
    rows, ceiling, checks, calibrations, skipped = read(args.results)
    acm = acm_labels(rows, checks)
    rows = enrich(rows, ceiling, acm)
    fields = ["label", "system", "precision", "variant", "budget", "batch", "flops_per_sample",
              "flops_ratio", "median_ms", "p90_ms", "throughput_per_s", "tflops",
              "ceiling_fraction", "speedup_vs_own_dense", "speedup_vs_torch_dense",
              "speedup_per_flops_cut", "speedup_goal", "speedup_goal_met",
              "fastest_torch_system", "fastest_torch_over_tailor", "mode", "compile_scope",
              "first_call_s", "peak_bytes", "mlp_fraction"]
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
    print()
    print(LEGEND)
    print()
    print(table([r for r in rows if r["label"] not in acm]))
    print()
    print(must_show([r for r in rows if r["label"] not in acm], ceiling, skipped))
    if acm:
        print()
        print(acm_table(rows, acm))
    if args.plot:
        plot([r for r in rows if r["label"] not in acm], args.plot)


if __name__ == "__main__":
    main()
