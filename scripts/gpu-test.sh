#!/usr/bin/env bash
# Builds the runtime preset (no MLIR, no LibTorch) with the CUDA backend and
# the GPU tests, runs the tests labelled gpu (then, with --all, every other
# test), then the attention benchmark beside torch's SDPA. Meant for the GPU
# machine, in one call from the repository root:
#
#   scripts/gpu-test.sh [--all] [LOG_DIR]
#
# LOG_DIR (default build/runtime) receives build.log, ctest.log (every
# test's full output) and log (this script's output: the test summary, the
# parity figures and the benchmark) and attention.csv (every attention
# kernel timed). Exit status: that of the tests.
set -uo pipefail
all=0
if [[ ${1:-} == --all ]]; then
  all=1
  shift
fi
logdir=${1:-build/runtime}
mkdir -p "$logdir"
jobs=$(nproc)
run() {
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  cmake --preset runtime -DTAILOR_WITH_CUDA=ON >"$logdir/build.log" 2>&1 &&
    cmake --build --preset runtime -j"$jobs" >>"$logdir/build.log" 2>&1
  if (($?)); then
    grep -E -A5 "error:|FAILED:|Error" "$logdir/build.log" | head -80
    return 1
  fi
  # One GPU: the GPU tests one at a time.
  ctest --preset runtime -L gpu --timeout 1200 -V >"$logdir/ctest.log" 2>&1
  local status=$?
  if ((all)); then
    ctest --preset runtime -LE gpu -j"$jobs" >>"$logdir/ctest.log" 2>&1 ||
      status=1
  fi
  grep -E "^[0-9]+: (parity|bucket|aot-|foreign cubin|\[  (FAILED|SKIPPED) \])|Failure|actual:|tests passed|tests failed|^[0-9]+/[0-9]+ Test" \
    "$logdir/ctest.log" | grep -v "Passed" | sed 's/^[0-9]*: //'
  grep -cE "^ *[0-9]+/[0-9]+ Test .*Passed" "$logdir/ctest.log" |
    sed 's/^/tests passed: /'
  bench/attention/run.sh build/runtime "$logdir"
  return $status
}
run 2>&1 | tee "$logdir/log"
exit "${PIPESTATUS[0]}"
