#!/usr/bin/env bash
# The GPU benchmark on the GPU machine (see bench/README.md):
#   device run, carry [".deps", ".bench"], command: scripts/bench-gpu.sh [NAME...]
# NAME is a carried artifact (.bench/NAME.tailor.gz); the default is every
# one. For each, the script fills the same random weights in (and fits an ACM
# model's gate biases to run half its learners: bench/calibrate_acm_gates.py),
# compiles every kernel the runtime needs (in parallel, into the kernel
# cache), checks the runtime's fp32 outputs against PyTorch's, times every
# variant and batch on the runtime (bf16), measures the bf16 matmul ceiling,
# and times PyTorch (bf16): eager, the dense model, and torch.compile in
# default, reduce-overhead and max-autotune modes (the dense model compiled
# whole with static shapes, tailored variants per layer; bench/README.md).
# It writes the table, bench.csv and bench.png to $OUT (or bench-out/).
# Results of earlier calls carried in .bench/*.jsonl join the report, so the
# models can be run one call each; results.jsonl is written as the run goes,
# so a call cut off at its limit still returns what it measured.
#
# Options, in the environment:
#   TAILOR_BENCH_SYSTEMS    PyTorch systems (torch_bench.py --systems), default
#                           eager,dense,compile,reduce-overhead,max-autotune;
#                           an ACM model runs eager and dense only
#   TAILOR_BENCH_BATCHES    default 1,8,64
#   TAILOR_BENCH_ITERATIONS timed runs per row, default 50
#   TAILOR_BENCH_COMPILE_SECONDS  per model, seconds after PyTorch starts past
#                           which no compiled row starts, default 400 (a row
#                           already compiling finishes: leave a margin for it)
#   TAILOR_BENCH_COMPILE_VARIANTS variants timed under torch.compile, default all
#   TAILOR_BENCH_MAX_AUTOTUNE_BATCHES batches timed under max-autotune (its
#                           autotuning is the slowest compile), default all
#   TAILOR_KERNEL_CACHE     the runtime's kernel cache, default /tmp/tailor-kernel-cache
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-bench-out}
mkdir -p "$out"
batches=${TAILOR_BENCH_BATCHES:-1,8,64}
iterations=${TAILOR_BENCH_ITERATIONS:-50}
compile_seconds=${TAILOR_BENCH_COMPILE_SECONDS:-400}
compile_variants=${TAILOR_BENCH_COMPILE_VARIANTS:-}
autotune_batches=${TAILOR_BENCH_MAX_AUTOTUNE_BATCHES:-}
systems=${TAILOR_BENCH_SYSTEMS:-eager,dense,compile,reduce-overhead,max-autotune}
export TAILOR_KERNEL_CACHE=${TAILOR_KERNEL_CACHE:-/tmp/tailor-kernel-cache}

cmake --preset runtime -DCMAKE_PREFIX_PATH="$PWD/.deps/usr" -DTAILOR_BUILD_TESTS=OFF >/dev/null
cmake --build --preset runtime -j "$(nproc)" --target tailor-bench bench-fill-weights >/dev/null
bin=build/runtime/bin
# Results of earlier calls, carried back in .bench/, join this call's.
results="$out/results.jsonl"
cat .bench/*.jsonl > "$results" 2>/dev/null || : > "$results"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for packed in .bench/*.tailor.gz; do names+=("$(basename "$packed" .tailor.gz)"); done
fi

for name in "${names[@]}"; do
  artifact=/tmp/$name.tailor
  check=/tmp/check-$name
  echo "== $name"
  gunzip -c ".bench/$name.tailor.gz" > "$artifact"
  "$bin/bench-fill-weights" "$artifact" --seed 1
  python3 bench/calibrate_acm_gates.py "$artifact" --label "$name" | tee -a "$results"
  variants=$(python3 -c "import json,sys; from safetensors import safe_open
f=safe_open(sys.argv[1],'np'); print(' '.join(v['name'] for v in json.loads(f.metadata()['tailor.manifest'])['variants']))" "$artifact")
  start=$(date +%s)
  for precision in fp32 bf16; do
    for variant in $variants; do
      "$bin/tailor-bench" "$artifact" --precision "$precision" --variants "$variant" --warm-only &
    done
  done
  wait
  echo "kernels compiled in $(( $(date +%s) - start )) s"
  mkdir -p "$check"
  "$bin/tailor-bench" "$artifact" --precision fp32 --check-dir "$check" \
    --batches 8 --warmup 0 --iterations 1 --label "$name" >/dev/null
  "$bin/tailor-bench" "$artifact" --precision bf16 --check-dir "$check" \
    --batches "$batches" --iterations "$iterations" --label "$name" | tee -a "$results"
  python3 bench/torch_bench.py "$artifact" --label "$name" --check-dir "$check" \
    --batches "$batches" --iterations "$iterations" --systems "$systems" \
    --deadline $(( $(date +%s) + compile_seconds )) --compile-variants "$compile_variants" \
    --max-autotune-batches "$autotune_batches" \
    | tee -a "$results"
  rm -f "$artifact"
done
python3 bench/report.py "$results" --csv "$out/bench.csv" --plot "$out/bench.png" \
  | tee "$out/table.md"
