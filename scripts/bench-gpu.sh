#!/usr/bin/env bash
# The GPU benchmark, in one call on the GPU machine (see bench/README.md):
#   device run, carry [".deps", ".bench"], command: scripts/bench-gpu.sh
# Builds the runtime and the bench tools (compiler and trainer off), fills
# each carried artifact with the same random weights, checks the runtime's
# fp32 outputs against PyTorch's, times every variant and batch on the
# runtime (bf16) and in PyTorch (eager, torch.compile default and
# max-autotune-no-cudagraphs, and the dense model), and writes the table,
# bench.csv and bench.png to $OUT (or bench-out/).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-bench-out}
mkdir -p "$out"
batches=${TAILOR_BENCH_BATCHES:-1,8,64}
iterations=${TAILOR_BENCH_ITERATIONS:-50}
# No new torch.compile starts after this many seconds: the call has a limit.
deadline=$(( $(date +%s) + ${TAILOR_BENCH_COMPILE_SECONDS:-360} ))

cmake --preset runtime -DCMAKE_PREFIX_PATH="$PWD/.deps/usr" -DTAILOR_BUILD_TESTS=OFF >/dev/null
cmake --build --preset runtime -j "$(nproc)" --target tailor-bench bench-fill-weights >/dev/null
bin=build/runtime/bin
results="$out/results.jsonl"
: > "$results"
for packed in .bench/*.tailor.gz; do
  name=$(basename "$packed" .tailor.gz)
  artifact=/tmp/$name.tailor
  check=/tmp/check-$name
  echo "== $name"
  gunzip -c "$packed" > "$artifact"
  "$bin/bench-fill-weights" "$artifact" --seed 1
  mkdir -p "$check"
  "$bin/tailor-bench" "$artifact" --precision fp32 --check-dir "$check" \
    --batches 8 --warmup 0 --iterations 1 --label "$name" >/dev/null
  "$bin/tailor-bench" "$artifact" --precision bf16 --check-dir "$check" \
    --batches "$batches" --iterations "$iterations" --label "$name" | tee -a "$results"
  python3 bench/torch_bench.py "$artifact" --label "$name" --check-dir "$check" \
    --batches "$batches" --iterations "$iterations" --deadline "$deadline" | tee -a "$results"
  rm -f "$artifact"
done
python3 bench/report.py "$results" --csv "$out/bench.csv" --plot "$out/bench.png" \
  | tee "$out/table.md"
