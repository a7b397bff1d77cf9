#!/usr/bin/env bash
# The attention benchmark, Tailor's kernels and torch's SDPA in one run, at
# BERT-base head shapes (12 heads of 64), seq 128 and 512, bf16.
# Usage: bench/attention/run.sh BUILD_DIR [extra attention-bench options]
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR}
shift
here=$(cd "$(dirname "$0")" && pwd)
for batch in 64 8; do
  "$build/bin/attention-bench" --batch "$batch" "$@" 128 512
  python3 "$here/sdpa.py" --batch "$batch" 128 512
done
