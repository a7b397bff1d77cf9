#!/usr/bin/env bash
# The attention benchmark, in one run on one GPU, bf16, BERT-base head shapes
# (12 heads of 64): Tailor's dense kernels (on sm_90a the wgmma ones too) and
# torch's SDPA (flash and cuDNN) at seq 128 and 512 (batch 64), 128, 512 and
# 1024 (batch 8) and 4096 (batch 2), then the block-sparse kernel against the
# dense one at keep rates 1, 1/2, 1/4, 1/8 of SSA-drawn tables, seq 1024 (batch 8) and
# 4096 (batch 2), in blocks of 64 and of 16 (README.md says why).
# Usage: bench/attention/run.sh BUILD_DIR [OUT_DIR]
# OUT_DIR (default BUILD_DIR) receives attention.csv, every kernel timed.
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR [OUT_DIR]}
out=${2:-$build}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
csv=$out/attention.csv
rm -f "$csv"
bench=$build/bin/attention-bench
for shape in "64 128 512" "8 128 512 1024" "2 4096"; do
  read -r batch seqs <<<"$shape"
  # shellcheck disable=SC2086 # the lengths are separate arguments
  "$bench" --batch "$batch" --csv "$csv" $seqs
  # shellcheck disable=SC2086
  python3 "$here/sdpa.py" --batch "$batch" --csv "$csv" $seqs
done
for block in 64 16; do
  for shape in "8 1024" "2 4096"; do
    read -r batch seq <<<"$shape"
    "$bench" --keep 1,0.5,0.25,0.125 --block "$block" --batch "$batch" \
      --csv "$csv" "$seq"
  done
done
echo "attention.csv: $csv"
