"""torch's scaled_dot_product_attention at the shapes attention-bench times.

python3 sdpa.py [--batch N] [--heads N] [--head-dim N] [--csv FILE] SEQ...
Prints one line per sequence length and backend, as attention-bench does:
bf16, [batch, heads, seq, head_dim], no mask, through torch's flash
attention and cuDNN backends (a backend torch cannot run here is skipped,
said on stderr); FLOPs 4 * B * heads * S^2 * head_dim; median of five
rounds. --csv appends a row per length and backend in attention-bench's
columns.
"""
import argparse
import os
import sys

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

BACKENDS = {"flash": SDPBackend.FLASH_ATTENTION,
            "cudnn": SDPBackend.CUDNN_ATTENTION}


def time(q, k, v, iterations):
    """Milliseconds per call, the median of five rounds."""
    for _ in range(5):
        F.scaled_dot_product_attention(q, k, v)
    start = torch.cuda.Event(enable_timing=True)
    stop = torch.cuda.Event(enable_timing=True)
    rounds = []
    for _ in range(5):
        start.record()
        for _ in range(iterations):
            F.scaled_dot_product_attention(q, k, v)
        stop.record()
        stop.synchronize()
        rounds.append(start.elapsed_time(stop) / iterations)
    return sorted(rounds)[2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--heads", type=int, default=12)
    parser.add_argument("--head-dim", type=int, default=64)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--csv")
    parser.add_argument("seqs", type=int, nargs="*", default=[128, 512])
    args = parser.parse_args()
    rows = []
    for seq in args.seqs:
        shape = (args.batch, args.heads, seq, args.head_dim)
        q, k, v = (torch.randn(shape, device="cuda", dtype=torch.bfloat16)
                   for _ in range(3))
        for name, backend in BACKENDS.items():
            try:
                with sdpa_kernel([backend]):
                    ms = time(q, k, v, args.iterations)
            except RuntimeError as error:
                print(f"sdpa {name} at seq {seq}: {error}", file=sys.stderr)
                continue
            flops = 4.0 * args.batch * args.heads * seq * seq * args.head_dim
            tflops = flops / (ms * 1e-3) / 1e12
            what = f"sdpa {name} bf16"
            print(f"torch  {what:32s} seq {seq:4d} batch {args.batch:3d} "
                  f"heads {args.heads} dim {args.head_dim}: {ms:8.4f} ms "
                  f"{tflops:7.1f} TFLOP/s")
            rows.append(f"torch,{what},{seq},{args.batch},{args.heads},"
                        f"{args.head_dim},,,1,{ms:.6g},{tflops:.6g},{ms:.6g},"
                        "1\n")
    if args.csv:
        new = not os.path.exists(args.csv) or os.path.getsize(args.csv) == 0
        with open(args.csv, "a") as out:
            if new:
                out.write("system,kernel,seq,batch,heads,head_dim,block,keep,"
                          "kept_fraction,ms,tflops,dense_ms,speedup\n")
            out.writelines(rows)


if __name__ == "__main__":
    main()
