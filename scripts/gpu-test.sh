#!/usr/bin/env bash
# Builds the runtime preset (no MLIR, no LibTorch) with the CUDA backend and
# the GPU tests, runs the tests labelled gpu (then, with --all, every other
# test), then the attention benchmark beside torch's SDPA. Meant for the GPU
# machine, in one call from the repository root:
#
#   scripts/gpu-test.sh [--all] [LOG_DIR]     (the log goes to LOG_DIR/log)
#
# Exit status: that of the tests.
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
  cmake --preset runtime -DTAILOR_WITH_CUDA=ON >/dev/null || return 1
  if ! cmake --build --preset runtime -j"$jobs" >"$logdir/build.log" 2>&1; then
    grep -E -A5 "error:|FAILED:" "$logdir/build.log" | head -80
    return 1
  fi
  # One GPU: the GPU tests one at a time.
  ctest --preset runtime -L gpu --timeout 1200
  local status=$?
  if ((all)); then
    ctest --preset runtime -LE gpu -j"$jobs" || status=1
  fi
  bench/attention/run.sh build/runtime
  return $status
}
run 2>&1 | tee "$logdir/log"
exit "${PIPESTATUS[0]}"
