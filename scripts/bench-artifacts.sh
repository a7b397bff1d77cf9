#!/usr/bin/env bash
# Compiles the benchmark models here (the GPU machine has no MLIR) into
# .bench/, compressed for the trip: BERT-base at sequence 128 and 512 and
# ViT-B/16 at 224x224, each with budgets 1.0, 0.75, 0.5 and 0.25. The weights
# are zero until scripts/bench-gpu.sh fills them on the GPU machine.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${TAILOR_BUILD:-build/default}
jobs=${TAILOR_JOBS:-$(nproc)}
cmake --build "$build" -j "$jobs" --target tailorc bench-checkpoint >/dev/null
mkdir -p .bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
compile() {
  local name=$1; shift
  echo "== $name"
  "$build/bin/bench-checkpoint" "$work/$name" "$@"
  "$build/bin/tailorc" compile "$work/$name" --budgets 1.0,0.75,0.5,0.25 \
    ${TAILOR_BENCH_COMPILE_FLAGS:-} -o "$work/$name.tailor"
  gzip -1 -c "$work/$name.tailor" > ".bench/$name.tailor.gz"
  rm -rf "$work/$name" "$work/$name.tailor"
  ls -la ".bench/$name.tailor.gz"
}
compile bert-base-s128 --model bert-base --sequence 128
compile bert-base-s512 --model bert-base --sequence 512
compile vit-b16 --model vit-b16
