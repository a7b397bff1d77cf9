#!/usr/bin/env python3
"""Fits the ACM gates' biases of a Tailor artifact to learner shares, in place.

Each ACM gate then picks k = 1..N learners for given shares of the tokens
(default .4, .3, .2, .1: a mean k/N of 0.5) on random inputs. Random weights
leave most of a token's LayerNorm output shared with every other token (in
BERT-base about three quarters of its square at the first layer, over 99%
from the ninth on), so a bias fixed in advance sends whole layers to one k.
A trained gate reads what differs between tokens; here each layer's bias is
fitted to its gate's logits on random inputs, layer after layer (a layer's
choices change the next layer's inputs), as training's stage 2 calibrates the
gates to the budget. The gate weights stay as drawn.

Prints one JSON line: the shares of each layer and the mean k/N, measured on
other random inputs. An artifact without ACM layers is left alone.
"""

import argparse
import functools
import json
import struct
import sys

import torch
import torch.nn.functional as F
from safetensors import safe_open

import torch_bench
from torch_bench import Artifact, TailoredModel, acm_mlp, mlp_fraction, random_inputs


def fit_bias(logits, shares, sweeps=200):
    """A bias b (b[0] = 0) under which argmax(logits + b) (the first maximum
    on a tie) is j in a share shares[j] of the rows of `logits` [rows, N]:
    b[j] is set in turn to the share's quantile of the margins by which the
    rows miss j, until every share is met to a row in a thousand."""
    logits = logits.double()
    rows, n = logits.shape
    wanted = torch.tensor([round(s * rows) for s in shares], device=logits.device)
    bias = torch.zeros(n, dtype=torch.float64, device=logits.device)
    for _ in range(sweeps):
        for j in range(1, n):
            others = logits + bias
            others[:, j] = float("-inf")
            margins = (others.max(dim=1).values - logits[:, j]).sort().values
            r = int(wanted[j])
            if r == 0:
                bias[j] = margins[0] - 1
            elif r == rows:
                bias[j] = margins[-1] + 1
            else:
                bias[j] = (margins[r - 1] + margins[r]) / 2
        counts = torch.bincount((logits + bias).argmax(dim=1), minlength=n)
        if (counts - wanted).abs().max() <= max(1, rows // 1000):
            return bias
    raise RuntimeError(f"the gate's shares {(counts / rows).tolist()} do not converge to "
                       f"{list(shares)}")


def calibrating_acm(shares):
    """acm_fn for TailoredModel: fits the layer's gate bias to its logits
    (without the old bias), sets it in place, then runs the ACM."""
    def run(m, w, act):
        gate_weight, gate_bias = w[:2]
        logits = F.linear(m.reshape(-1, m.shape[-1]), gate_weight)
        gate_bias.copy_(fit_bias(logits, shares))
        return acm_mlp(m, w, act)
    return run


def write_f32(path, tensors):
    """Overwrites F32 tensors of a safetensors file in place."""
    with open(path, "r+b") as f:
        header_size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_size))
        for name, tensor in tensors.items():
            data = tensor.detach().float().cpu().numpy().astype("<f4").tobytes()
            begin, end = header[name]["data_offsets"]
            if header[name]["dtype"] != "F32" or end - begin != len(data):
                raise ValueError(f"{path}: {name} is not F32 of {tensor.numel()} elements")
            f.seek(8 + header_size + begin)
            f.write(data)


def float_inputs(inputs):
    return {name: t.float() if t.is_floating_point() else t for name, t in inputs.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("artifact")
    parser.add_argument("--label", default="")
    parser.add_argument("--shares", default="0.4,0.3,0.2,0.1",
                        help="share of the tokens that run k = 1, 2, ... N learners")
    parser.add_argument("--batch", type=int, default=64, help="random samples to fit on")
    args = parser.parse_args()

    with safe_open(args.artifact, framework="pt") as f:
        if not any(name.endswith(".mlp.gate.weight") for name in f.keys()):
            print(f"calibrate_acm_gates: {args.artifact} has no ACM layers", file=sys.stderr)
            return
    artifact = Artifact(args.artifact)
    shares = [float(s) for s in args.shares.split(",")]
    if len(shares) != artifact.acm_learners or abs(sum(shares) - 1) > 1e-6:
        sys.exit(f"calibrate_acm_gates: --shares must be {artifact.acm_learners} fractions "
                 f"summing to 1, got {args.shares}")
    weights = torch_bench.device_weights(artifact, torch.float32)
    with torch.no_grad():
        TailoredModel(artifact, weights, None, acm_fn=calibrating_acm(shares))(
            float_inputs(random_inputs(artifact, args.batch, 7)))
    gate_biases = {name: t for name, t in weights.items() if name.endswith(".mlp.gate.bias")}
    write_f32(args.artifact, gate_biases)

    chosen = []
    with torch.no_grad():
        TailoredModel(artifact, weights, None,
                      acm_fn=functools.partial(acm_mlp, record=chosen))(
            float_inputs(random_inputs(artifact, args.batch, 8)))
    n = artifact.acm_learners
    layers = [(torch.bincount(k.flatten() - 1, minlength=n) / k.numel()).tolist()
              for k in chosen]
    print(json.dumps({"calibration": args.label, "target_shares": shares,
                      "layer_shares": layers, "mlp_fraction": mlp_fraction(chosen, n)}),
          flush=True)


if __name__ == "__main__":
    main()
