"""torch's scaled_dot_product_attention at the shapes attention-bench times.

python3 sdpa.py [--batch N] [--heads N] [--head-dim N] SEQ...
Prints one line per sequence length, as attention-bench does: bf16,
[batch, heads, seq, head_dim], no mask, the backend torch picks (flash on
H100); FLOPs 4 * B * heads * S^2 * head_dim; median of five rounds.
"""
import argparse

import torch
import torch.nn.functional as F


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--heads", type=int, default=12)
    parser.add_argument("--head-dim", type=int, default=64)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("seqs", type=int, nargs="*", default=[128, 512])
    args = parser.parse_args()
    for seq in args.seqs:
        shape = (args.batch, args.heads, seq, args.head_dim)
        q, k, v = (torch.randn(shape, device="cuda", dtype=torch.bfloat16)
                   for _ in range(3))
        for _ in range(5):
            F.scaled_dot_product_attention(q, k, v)
        start = torch.cuda.Event(enable_timing=True)
        stop = torch.cuda.Event(enable_timing=True)
        rounds = []
        for _ in range(5):
            start.record()
            for _ in range(args.iterations):
                F.scaled_dot_product_attention(q, k, v)
            stop.record()
            stop.synchronize()
            rounds.append(start.elapsed_time(stop) / args.iterations)
        ms = sorted(rounds)[2]
        flops = 4.0 * args.batch * args.heads * seq * seq * args.head_dim
        print(f"torch  {'sdpa bf16':26s} seq {seq:4d} batch {args.batch:3d} "
              f"heads {args.heads} dim {args.head_dim}: {ms:8.4f} ms "
              f"{flops / (ms * 1e-3) / 1e12:7.1f} TFLOP/s")


if __name__ == "__main__":
    main()
