#!/usr/bin/env python3
"""PyTorch eager and torch.compile of the models in a Tailor artifact.

The model is rebuilt from the artifact itself: its manifest (architecture,
each variant's length configuration) and its weights, so the same weights and
the same configurations run here as in the Tailor runtime. Token dropping
follows the Length-Adaptive Transformer's reference code: a layer that drops
tokens computes its attention probabilities explicitly, sums them into each
token's significance, keeps CLS and the top tokens, and index-selects them;
a layer that keeps every token uses scaled_dot_product_attention.

An ACM layer (docs/checkpoint-format.md, adaptive.acm) runs its gate, then
learner 0 on every token and learner j on the tokens whose gate chose more
than j learners, index-selected and index-added back (acm_mlp), in eager mode
only; its dense form, every learner on every token as one MLP, is the dense
model.

Systems (--systems), all in bf16: eager; dense (the dense model in eager
mode: for an ACM model its dense form); and torch.compile in three modes,
compile (default), reduce-overhead (CUDA graphs) and max-autotune (with CUDA
graphs). A compiled dense row (budget 1.0) compiles the whole model with
static shapes, per batch; a compiled tailored row compiles the encoder layer
(regional compilation, see Forwards).

Prints one JSON line per (system, variant, batch) for bench/report.py, each as
soon as it is measured, and its progress on stderr; first the bf16 matmul
ceiling of the GPU. With --check-dir it first compares its fp32 outputs with
the runtime's (tailor-bench --check-dir) and reports the bf16 agreement.
"""

import argparse
import functools
import json
import math
import os
import sys
import time
import traceback

import numpy as np
import torch
import torch._dynamo
import torch.nn.functional as F
from safetensors import safe_open

# Where the models run; the timing needs CUDA events, so only checks run
# elsewhere.
DEVICE = "cuda"

ACTIVATIONS = {
    "gelu": lambda x: F.gelu(x),
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "relu": F.relu,
}


class Artifact:
    """The manifest and the float weights of a .tailor file."""

    def __init__(self, path):
        with safe_open(path, framework="pt") as f:
            self.manifest = json.loads(f.metadata()["tailor.manifest"])
            self.weights = {
                name: f.get_tensor(name)
                for name in f.keys()
                if not name.startswith("kernel.")
            }
        self.model = self.manifest["model"]
        steps = self.manifest["variants"][0]["steps"]
        norms = [s for s in steps if s["op"] == "layer_norm"]
        self.epsilon = norms[0]["attrs"]["epsilon"]
        activations = [
            s["attrs"]["activation"]
            for s in steps
            if s["op"] == "linear" and s.get("attrs", {}).get("activation", "none") != "none"
        ]
        self.activation = activations[0] if activations else "gelu"
        patch = [s for s in steps if s["op"] == "patch_embeddings"]
        self.patch_size = patch[0]["attrs"]["patch_size"] if patch else None
        # N of the ACM layers (adaptive.acm has one), 0 when every MLP is dense.
        self.acm_learners = max(acm_learners(self.weights, i)
                                for i in range(self.model["layers"]))


# The weights of one layer, in the order encoder_layer takes them, before
# its MLP's (mlp_weights).
LAYER_WEIGHTS = ("attention.query", "attention.key", "attention.value", "attention.output")
LAYER_NORMS = ("attention_norm", "mlp_norm")


def linear_weights(weights, prefix, names):
    """Weight then bias of each name, as a tuple."""
    return tuple(weights[f"{prefix}{name}.{part}"] for name in names for part in ("weight", "bias"))


def acm_learners(weights, layer):
    """N, the learners of layer `layer`'s ACM (its gate's rows); 0 for a dense MLP."""
    gate = weights.get(f"layers.{layer}.mlp.gate.weight")
    return 0 if gate is None else gate.shape[0]


def mlp_weights(weights, layer):
    """A dense MLP's up and down weights, or an ACM's gate then each
    learner's up and down (weight then bias each)."""
    prefix = f"layers.{layer}.mlp."
    n = acm_learners(weights, layer)
    if n == 0:
        return linear_weights(weights, prefix, ("up", "down"))
    names = ("gate",) + tuple(f"learners.{j}.{part}" for j in range(n) for part in ("up", "down"))
    return linear_weights(weights, prefix, names)


def dense_form(acm_weights):
    """An ACM's learners as one dense MLP that runs them all on every token:
    their up rows and down columns side by side, their down biases summed."""
    learners = acm_weights[2:]
    ups, up_biases, downs, down_biases = (learners[part::4] for part in range(4))
    return (torch.cat(ups), torch.cat(up_biases), torch.cat(downs, dim=1),
            torch.stack(down_biases).sum(0))


def dense_mlp(m, w, act):
    uw, ub, dw, db = w
    return F.linear(act(F.linear(m, uw, ub)), dw, db)


def acm_mlp(m, w, act, record=None):
    """An ACM: k = 1 + argmax of the gate's logits per token (torch.argmax
    returns the first maximum: a tie goes to the fewest learners); learner 0
    on every token, then learner j on the tokens with k > j, index-selected
    and index-added to the sum in learner order. Appends k to `record` when
    given."""
    gw, gb = w[:2]
    learners = [w[i:i + 4] for i in range(2, len(w), 4)]
    flat = m.reshape(-1, m.shape[-1])
    k = 1 + torch.argmax(F.linear(flat, gw, gb), dim=-1)
    out = dense_mlp(flat, learners[0], act)
    for j in range(1, len(learners)):
        rows = torch.nonzero(k > j).squeeze(1)
        out.index_add_(0, rows, dense_mlp(flat.index_select(0, rows), learners[j], act))
    if record is not None:
        record.append(k.view(m.shape[:-1]))
    return out.view(m.shape)


def encoder_layer(x, w, keep: int, heads: int, pre_norm: bool, epsilon: float, act,
                  mlp=dense_mlp):
    """One encoder layer that keeps `keep` tokens. `w` holds the layer's
    weights as tensors (LAYER_WEIGHTS then LAYER_NORMS, weight then bias, then
    what `mlp` takes: mlp_weights), so every layer runs the same code:
    torch.compile compiles it once per shape class (regional compilation)
    rather than once per layer and variant."""
    b, n, h = x.shape
    d = h // heads
    (qw, qb, kw, kb, vw, vb, ow, ob, anw, anb, mnw, mnb) = w[:12]

    def norm(t, weight, bias):
        return F.layer_norm(t, (h,), weight, bias, epsilon)

    def split(t):
        return t.view(b, n, heads, d).transpose(1, 2)

    a = norm(x, anw, anb) if pre_norm else x
    q = split(F.linear(a, qw, qb))
    k = split(F.linear(a, kw, kb))
    v = split(F.linear(a, vw, vb))
    drops = keep < n
    if drops:
        probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d), dim=-1)
        context = probs @ v
        significance = probs.float().sum(dim=(1, 2))
    else:
        context = F.scaled_dot_product_attention(q, k, v)
    context = context.transpose(1, 2).reshape(b, n, h)
    r = x + F.linear(context, ow, ob)
    if not pre_norm:
        r = norm(r, anw, anb)
    if drops:
        top = significance[:, 1:].topk(keep - 1, dim=1).indices + 1
        kept = torch.cat([torch.zeros_like(top[:, :1]), top.sort(dim=1).values], dim=1)
        r = r.gather(1, kept.unsqueeze(-1).expand(-1, -1, h))
    m = norm(r, mnw, mnb) if pre_norm else r
    y = r + mlp(m, w[12:], act)
    if not pre_norm:
        y = norm(y, mnw, mnb)
    return y


class TailoredModel(torch.nn.Module):
    """One variant of the model: `lengths` are the tokens kept after each
    layer (None: every token, SDPA everywhere — the dense model). `layer_fn`
    runs one layer: encoder_layer, or a torch.compile of it. An ACM layer's
    MLP runs `acm_fn` (acm_mlp, or a wrapper of it), or with None its dense
    form."""

    def __init__(self, artifact, weights, lengths, layer_fn=encoder_layer, acm_fn=acm_mlp):
        super().__init__()
        self.w = weights
        self.lengths = lengths
        model = artifact.model
        self.kind = model["kind"]
        self.hidden = model["hidden"]
        self.heads = model["heads"]
        self.layers = model["layers"]
        self.epsilon = artifact.epsilon
        self.act = ACTIVATIONS[artifact.activation]
        self.pre_norm = "final_norm.weight" in weights
        self.patch_size = artifact.patch_size
        self.layer_weights, self.layer_fns = [], []
        for i in range(self.layers):
            mlp = mlp_weights(weights, i)
            acm = acm_learners(weights, i) > 0
            if acm and acm_fn is None:
                mlp = dense_form(mlp)
            self.layer_weights.append(
                linear_weights(weights, f"layers.{i}.", LAYER_WEIGHTS + LAYER_NORMS) + mlp)
            self.layer_fns.append(functools.partial(layer_fn, mlp=acm_fn)
                                  if acm and acm_fn is not None else layer_fn)

    def norm(self, x, name):
        return F.layer_norm(x, (self.hidden,), self.w[name + ".weight"],
                            self.w[name + ".bias"], self.epsilon)

    def linear(self, x, name):
        return F.linear(x, self.w[name + ".weight"], self.w[name + ".bias"])

    def embed(self, inputs):
        w = self.w
        if self.kind == "vit":
            images = inputs["images"]
            b, c, size, _ = images.shape
            p = self.patch_size
            s = size // p
            patches = (images.view(b, c, s, p, s, p).permute(0, 2, 4, 1, 3, 5)
                       .reshape(b, s * s, c * p * p))
            x = F.linear(patches, w["embeddings.patch.weight"], w["embeddings.patch.bias"])
            cls = w["embeddings.cls"].view(1, 1, -1).expand(b, 1, -1)
            return torch.cat([cls, x], dim=1) + w["embeddings.position"]
        ids = inputs["ids"]
        x = w["embeddings.word.weight"][ids] + w["embeddings.position.weight"][: ids.shape[1]]
        if "embeddings.token_type.weight" in w:
            x = x + w["embeddings.token_type.weight"][0]
        if not self.pre_norm:
            x = self.norm(x, "embeddings.norm")
        return x

    def forward(self, inputs):
        x = self.embed(inputs)
        for i in range(self.layers):
            keep = self.lengths[i] if self.lengths is not None else x.shape[1]
            x = self.layer_fns[i](x, self.layer_weights[i], keep, self.heads, self.pre_norm,
                                  self.epsilon, self.act)
        if self.pre_norm:
            x = self.norm(x, "final_norm")
        pooled = x[:, 0]
        if "pooler.weight" in self.w:
            pooled = torch.tanh(self.linear(pooled, "pooler"))
        return self.linear(pooled, "classifier")


def mlp_fraction(chosen, learners):
    """Mean k/N over the ACM decisions `chosen` (acm_mlp's record): the
    fraction of the learners' compute that ran."""
    tokens = sum(k.numel() for k in chosen)
    return sum(k.sum().item() for k in chosen) / (tokens * learners)


def measure_mlp_fraction(artifact, weights, lengths, inputs_list):
    """mlp_fraction of the variant of `lengths` over `inputs_list`."""
    chosen = []
    model = TailoredModel(artifact, weights, lengths,
                          acm_fn=functools.partial(acm_mlp, record=chosen))
    with torch.no_grad():
        for inputs in inputs_list:
            model(inputs)
    return mlp_fraction(chosen, artifact.acm_learners)


def device_weights(artifact, dtype):
    return {name: t.to(DEVICE, dtype) for name, t in artifact.weights.items()}


def load_raw(directory, entry):
    dtypes = {"f32": np.float32, "i32": np.int32, "u8": np.uint8}
    data = np.fromfile(os.path.join(directory, entry["file"]), dtype=dtypes[entry["dtype"]])
    return torch.from_numpy(data.reshape(entry["shape"]))


def torch_inputs(artifact, raw, dtype):
    """The artifact's inputs as the PyTorch model takes them."""
    if artifact.model["kind"] == "vit":
        return {"images": raw["images"].to(DEVICE, dtype)}
    return {"ids": raw["ids"].to(DEVICE, torch.long)}


def relative_error(a, b):
    a, b = a.double(), b.double()
    return ((a - b).norm() / b.norm().clamp_min(1e-30)).item()


def check(artifact, check_dir, out, label):
    """fp32 PyTorch against fp32 Tailor (must agree), then bf16 agreement."""
    weights = device_weights(artifact, torch.float32)
    ok = True
    for precision in ("fp32", "bf16"):
        path = os.path.join(check_dir, f"check_{precision}.json")
        if not os.path.exists(path):
            continue
        spec = json.load(open(path))
        raw = {name: load_raw(check_dir, entry) for name, entry in spec["inputs"].items()}
        inputs = torch_inputs(artifact, raw, torch.float32)
        for variant in artifact.manifest["variants"]:
            chosen = []
            model = TailoredModel(artifact, weights, variant["lengths"],
                                  acm_fn=functools.partial(acm_mlp, record=chosen))
            with torch.no_grad():
                expected = model(inputs).float().cpu()
            actual = load_raw(check_dir, spec["outputs"][variant["name"]]["logits"]).float()
            error = relative_error(actual, expected)
            per_sample = [relative_error(a, e) for a, e in zip(actual, expected)]
            differing = sum(e > 1e-3 for e in per_sample)
            agree = (actual.argmax(-1) == expected.argmax(-1)).float().mean().item()
            # Random weights leave near-ties in token significance (and in
            # ACM gates): rounding may flip one token of a sample, which then
            # differs everywhere. Most samples must match exactly; a few
            # flips are reported.
            passed = precision != "fp32" or differing <= len(per_sample) // 4
            ok = ok and passed
            line = {"check": precision, "label": label, "variant": variant["name"],
                    "relative_error": error, "argmax_agreement": agree,
                    "samples": len(per_sample), "samples_differing": differing,
                    "median_sample_error": sorted(per_sample)[len(per_sample) // 2],
                    "passed": passed}
            if chosen:
                # The runtime's, on the same inputs, tells whether the gates agree.
                line["mlp_fraction"] = mlp_fraction(chosen, artifact.acm_learners)
                line["runtime_mlp_fraction"] = spec.get("mlp_fraction", {}).get(variant["name"])
            print(json.dumps(line), file=out, flush=True)
    return ok


def log(message):
    """Progress on stderr: stdout carries the JSON lines."""
    print(f"torch_bench: {message}", file=sys.stderr, flush=True)


def cuda_times(fn, inputs_rotation, warmup, iterations):
    """Milliseconds of each of `iterations` calls after `warmup` untimed ones,
    sorted, by CUDA events around each call: what the GPU spent from the
    call's first launch to its last kernel, launch gaps included."""
    for i in range(warmup):
        fn(inputs_rotation[i % len(inputs_rotation)])
    torch.cuda.synchronize()
    times = []
    for i in range(iterations):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        fn(inputs_rotation[i % len(inputs_rotation)])
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    return sorted(times)


def median_and_p90(times):
    """Of sorted times."""
    return times[len(times) // 2], times[min(len(times) - 1, int(0.9 * (len(times) - 1) + 0.5))]


def random_inputs(artifact, batch, seed):
    generator = torch.Generator(device=DEVICE).manual_seed(seed)
    spec = artifact.manifest["inputs"][0]
    shape = [batch] + spec["shape"][1:]
    if artifact.model["kind"] == "vit":
        return {"images": torch.randn(shape, device=DEVICE, generator=generator,
                                      dtype=torch.bfloat16)}
    vocabulary = artifact.weights["embeddings.word.weight"].shape[0]
    ids = torch.randint(1, min(1000, vocabulary), shape, device=DEVICE, generator=generator)
    ids[:, 0] = 0
    return {"ids": ids}


# The side of the ceiling's square GEMM: large enough to fill every SM for
# many waves, so that it runs at the tensor cores' sustained rate.
CEILING_SIZE = 8192


def matmul_ceiling():
    """The bf16 GEMM rate of this GPU (TFLOP/s): the best of 30 products of
    two 8192 x 8192 bf16 matrices. The best, not the median: the rows are
    judged against what the hardware can reach."""
    n = CEILING_SIZE
    a = torch.randn(n, n, device=DEVICE, dtype=torch.bfloat16)
    b = torch.randn(n, n, device=DEVICE, dtype=torch.bfloat16)
    best = cuda_times(lambda _: a @ b, [None], 5, 30)[0]
    return 2 * n ** 3 / (best * 1e-3) / 1e12


# Each --systems name: its rows' system in the results, and the
# torch.compile mode it runs (None: not compiled). "dense" is the dense model
# in eager mode (an ACM model's dense form: its learners as one MLP).
SYSTEMS = {
    "eager": ("torch-eager", None),
    "dense": ("torch-dense", None),
    "compile": ("torch-compile", "default"),
    "reduce-overhead": ("torch-reduce-overhead", "reduce-overhead"),
    "max-autotune": ("torch-max-autotune", "max-autotune"),
}
# The modes whose compiled code replays CUDA graphs (CUDAGraph Trees).
CUDA_GRAPH_MODES = ("reduce-overhead", "max-autotune")
# CUDAGraph Trees runs a new graph once as it is, records it on the next call
# and replays it from the one after: the warm-up covers at least those calls.
CUDA_GRAPH_WARMUP = 3


def configure_dynamo():
    """Raises the recompile limits: the dense model compiles once per batch and
    mode (static shapes), the regional layer once per shape class and mode,
    past dynamo's default of 8 per function, beyond which it would silently
    run eagerly. Keeps floats (the layer norms' epsilon) constants: a float
    made an input becomes a CPU tensor, and one CPU input makes Inductor skip
    CUDA graphs."""
    torch._dynamo.config.recompile_limit = 256
    torch._dynamo.config.accumulated_recompile_limit = 4096
    torch._dynamo.config.specialize_float = True


def mark_weights_static(weights):
    """Tells CUDAGraph Trees that the weights stay where they are, so that a
    replay reads them in place instead of first copying them into the graph's
    own buffers (220 MB per BERT-base forward); the inputs, which rotate, are
    still copied in. Unguarded: the regional layer takes another layer's
    weights at every call, and a guard on their addresses would recompile it
    per layer; CUDAGraph Trees records each call site's graph instead."""
    for tensor in weights.values():
        torch._dynamo.mark_static_address(tensor, guard=False)


def with_step_mark(module):
    """`module` with each call one step of CUDAGraph Trees. The mark tells it
    that the outputs of the previous forward, which the next replay
    overwrites, will not be read again (the timing drops them), so that a
    regional forward's twelve layer graphs form one path replayed as a whole
    rather than a chain that grows with every call."""
    def forward(inputs):
        torch.compiler.cudagraph_mark_step_begin()
        return module(inputs)
    return forward


class Forwards:
    """Builds the forward that a row times, sharing the compiled functions
    between rows.

    A dense row (budget 1.0: every layer keeps every token, so the variant is
    the dense model) compiles the whole forward with static shapes
    (dynamic=False, fullgraph), once per mode; each batch recompiles it, as
    static shapes mean. A tailored row compiles the encoder layer alone
    (regional compilation, PyTorch's recipe for models of repeated blocks):
    every layer, variant and batch shares one compiled function per mode,
    which recompiles with dynamic sizes once the lengths change. A whole
    tailored model specializes every layer's kernels to its length and
    compiled in 390 s per BERT-base variant (default mode), too slow for a
    call of 10 minutes."""

    def __init__(self, artifact, weights):
        self.artifact = artifact
        self.weights = weights
        self.dense = TailoredModel(artifact, weights, None, acm_fn=None)
        self.whole = {}
        self.layers = {}
        # Cleared, and the dense model compiled again with graph breaks,
        # should dynamo not take its forward as one graph.
        self.fullgraph = True

    @staticmethod
    def scope(system, variant):
        """How `system` compiles `variant`: "whole-model", "regional" or None."""
        if SYSTEMS[system][1] is None:
            return None
        return "whole-model" if variant["budget"] == 1.0 else "regional"

    def build(self, system, variant):
        """The callable that runs one forward of `variant` in `system`."""
        mode = SYSTEMS[system][1]
        if system == "dense":
            return self.dense
        if mode is None:
            return TailoredModel(self.artifact, self.weights, variant["lengths"])
        if self.scope(system, variant) == "whole-model":
            if mode not in self.whole:
                self.whole[mode] = torch.compile(self.dense, mode=mode, dynamic=False,
                                                 fullgraph=self.fullgraph)
            module = self.whole[mode]
        else:
            if mode not in self.layers:
                self.layers[mode] = torch.compile(encoder_layer, mode=mode)
            module = TailoredModel(self.artifact, self.weights, variant["lengths"],
                                   self.layers[mode])
        return with_step_mark(module) if mode in CUDA_GRAPH_MODES else module

    def allow_graph_breaks(self):
        self.fullgraph = False
        self.whole.clear()


def plan(variants, batches, systems, compile_variants, autotune_batches):
    """The rows, (system, variant, batch), in the order they run. Eager and
    dense first (seconds), then the compiled systems in order of interest, so
    that what a deadline or a call's limit cuts off matters least: the dense
    model at the largest batch in every mode (where the runtime is judged
    against PyTorch at its best), then at the other batches, then the
    tailored variants, largest batch first."""
    rows = [(system, variant, batch) for variant in variants for batch in batches
            for system in ("eager", "dense")
            if system in systems and (system == "eager" or variant["budget"] == 1.0)]
    largest_first = sorted(batches, key=lambda batch: batch != max(batches))
    compiled = [system for system in SYSTEMS if SYSTEMS[system][1] and system in systems]
    chosen = [v for v in variants if compile_variants is None or v["name"] in compile_variants]
    for group in ([v for v in chosen if v["budget"] == 1.0],
                  [v for v in chosen if v["budget"] != 1.0]):
        for batch in largest_first:
            for system in compiled:
                if system != "max-autotune" or batch in autotune_batches:
                    rows += [(system, variant, batch) for variant in group]
    return rows


def measure(forward, rotation, warmup, iterations, cuda_graphs):
    """The first call's seconds (a compiled system compiles then), then the
    median and p90 ms of the timed calls."""
    with torch.no_grad():
        started = time.time()
        forward(rotation[0])
        torch.cuda.synchronize()
        first_call_s = time.time() - started
        times = cuda_times(forward, rotation,
                           max(warmup, CUDA_GRAPH_WARMUP) if cuda_graphs else warmup, iterations)
    return first_call_s, *median_and_p90(times)


def time_row(forwards, system, variant, batch, rotation, args):
    """One row's JSON object. A dense forward that dynamo cannot take as one
    graph is compiled again with graph breaks, and the row says so."""
    mode = SYSTEMS[system][1]
    scope = forwards.scope(system, variant)
    torch.cuda.reset_peak_memory_stats()
    started = time.time()
    try:
        first_call_s, median, p90 = measure(forwards.build(system, variant), rotation,
                                            args.warmup, args.iterations, mode in CUDA_GRAPH_MODES)
    except torch._dynamo.exc.Unsupported:
        if scope != "whole-model" or not forwards.fullgraph:
            raise
        log("the dense forward is not one graph: compiling it with graph breaks")
        forwards.allow_graph_breaks()
        first_call_s, median, p90 = measure(forwards.build(system, variant), rotation,
                                            args.warmup, args.iterations, mode in CUDA_GRAPH_MODES)
    line = {
        "system": SYSTEMS[system][0], "label": args.label, "precision": "bf16",
        "variant": variant["name"], "budget": variant["budget"],
        "batch": batch, "flops_per_sample": variant["flops"],
        "median_ms": median, "p90_ms": p90,
        "peak_bytes": torch.cuda.max_memory_allocated(),
        "first_call_s": first_call_s,
        "setup_and_timing_s": time.time() - started,
    }
    if mode is not None:
        line.update(mode=mode, compile_scope=scope)
    if scope == "whole-model":
        line["fullgraph"] = forwards.fullgraph
    return line


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("artifact")
    parser.add_argument("--label", default="")
    parser.add_argument("--batches", default="1,8,64")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--rotations", type=int, default=4)
    parser.add_argument("--check-dir")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=", ".join(SYSTEMS))
    parser.add_argument("--compile-variants", default="",
                        help="variants to time under torch.compile (default: all)")
    parser.add_argument("--max-autotune-batches", default="",
                        help="batches for max-autotune (default: --batches)")
    parser.add_argument("--deadline", type=float, default=float("inf"),
                        help="seconds since the epoch after which no compiled row starts")
    args = parser.parse_args()
    unknown = set(args.systems.split(",")) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems {', '.join(sorted(unknown))}")
    return args


def main():
    args = parse_args()
    configure_dynamo()
    artifact = Artifact(args.artifact)
    out = sys.stdout
    if args.check_dir and not check(artifact, args.check_dir, out, args.label):
        print("torch_bench: fp32 outputs differ from the runtime's", file=sys.stderr)
        sys.exit(1)
    ceiling = matmul_ceiling()
    log(f"bf16 matmul ceiling {ceiling:.0f} TFLOP/s")
    print(json.dumps({"system": "ceiling", "label": args.label, "bf16_matmul_tflops": ceiling,
                      "gemm": f"{CEILING_SIZE}^3 bf16, best of 30",
                      "device": torch.cuda.get_device_name(), "torch": torch.__version__}),
          file=out, flush=True)

    weights = device_weights(artifact, torch.bfloat16)
    mark_weights_static(weights)
    batches = [int(b) for b in args.batches.split(",")]
    autotune_batches = ({int(b) for b in args.max_autotune_batches.split(",")}
                        if args.max_autotune_batches else set(batches))
    systems = args.systems.split(",")
    if artifact.acm_learners:
        # ACM layers run eagerly (index_select needs the token counts).
        systems = [s for s in systems if s in ("eager", "dense")]
    compile_variants = set(args.compile_variants.split(",")) if args.compile_variants else None
    rows = plan(artifact.manifest["variants"], batches, systems, compile_variants,
                autotune_batches)
    forwards = Forwards(artifact, weights)
    rotations = {b: [random_inputs(artifact, b, 100 + r) for r in range(args.rotations)]
                 for b in batches}

    for number, (system, variant, batch) in enumerate(rows, 1):
        case = {"system": SYSTEMS[system][0], "label": args.label, "variant": variant["name"],
                "batch": batch}
        where = f"{number}/{len(rows)} {case['system']} {variant['name']} batch {batch}"
        if SYSTEMS[system][1] and time.time() > args.deadline:
            log(f"{where}: skipped, past the compile deadline")
            print(json.dumps({**case, "skipped": "compile deadline"}), file=out, flush=True)
            continue
        log(f"{where} ({Forwards.scope(system, variant) or 'eager'})")
        try:
            line = time_row(forwards, system, variant, batch, rotations[batch], args)
        except Exception as error:  # A row that fails costs itself only.
            traceback.print_exc(file=sys.stderr)
            print(json.dumps({**case, "skipped": f"{type(error).__name__}: {error}"[:300]}),
                  file=out, flush=True)
            continue
        if artifact.acm_learners and system != "dense":
            line["mlp_fraction"] = measure_mlp_fraction(artifact, weights, variant["lengths"],
                                                        rotations[batch])
        print(json.dumps(line), file=out, flush=True)
        log(f"{where}: {line['median_ms']:.3f} ms, first call {line['first_call_s']:.1f} s")


if __name__ == "__main__":
    main()
