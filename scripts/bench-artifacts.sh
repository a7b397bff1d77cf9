#!/usr/bin/env bash
# Compiles the benchmark models here (the GPU machine has no MLIR) into
# .bench/, compressed for the trip: BERT-base at sequence 128 and 512 and
# ViT-B/16 at 224x224, each with budgets 1.0, 0.75, 0.5 and 0.25, and
# bert-base-acm-s128, BERT-base at 128 with every MLP an ACM of 4 learners
# (full length only), at --precision bf16 (a 16-bit plan: bf16 activations and
# weight matrices; TAILOR_BENCH_PRECISION=fp32 for the f32 form). The weights
# are zero until scripts/bench-gpu.sh fills them on the GPU machine.
#   scripts/bench-artifacts.sh [NAME...]    (default: every model)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${TAILOR_BUILD:-build/default}
jobs=${TAILOR_JOBS:-$(nproc)}
cmake --build "$build" -j "$jobs" --target tailorc bench-checkpoint >/dev/null
mkdir -p .bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wanted=("$@")
# compile NAME BUDGETS BENCH-CHECKPOINT-OPTIONS...
compile() {
  local name=$1 budgets=$2; shift 2
  if [ ${#wanted[@]} -gt 0 ] && [[ " ${wanted[*]} " != *" $name "* ]]; then return; fi
  echo "== $name"
  "$build/bin/bench-checkpoint" "$work/$name" --budgets "$budgets" "$@"
  "$build/bin/tailorc" compile "$work/$name" --budgets "$budgets" \
    --precision "${TAILOR_BENCH_PRECISION:-bf16}" \
    ${TAILOR_BENCH_COMPILE_FLAGS:-} -o "$work/$name.tailor"
  gzip -1 -c "$work/$name.tailor" > ".bench/$name.tailor.gz"
  rm -rf "$work/$name" "$work/$name.tailor"
  ls -la ".bench/$name.tailor.gz"
}
budgets=1.0,0.75,0.5,0.25
compile bert-base-s128 $budgets --model bert-base --sequence 128
compile bert-base-s512 $budgets --model bert-base --sequence 512
compile vit-b16 $budgets --model vit-b16
compile bert-base-acm-s128 1.0 --model bert-base --sequence 128 \
  --acm-learners 4 --acm-budget 0.5
