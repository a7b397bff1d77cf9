#!/usr/bin/env bash
# Runs every test suite on a fresh Debian machine: installs what is missing,
# builds, runs ctest (unit tests, lit tests, kernel compile tests; GPU tests
# report themselves skipped without a GPU), then rebuilds the compiler and the
# format libraries under AddressSanitizer and runs their tests again.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=${TAILOR_JOBS:-$(nproc)}
section() { printf '\n== %s ==\n' "$*"; }

section "set-up"
scripts/setup.sh

section "build (default preset)"
cmake --preset default >/dev/null
cmake --build --preset default -j "$jobs"

section "tests (default preset)"
ctest --preset default -j "$jobs"

if [ "${TAILOR_SKIP_ASAN:-0}" != 1 ]; then
  section "build (asan preset)"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$jobs"
  section "tests under AddressSanitizer (asan preset)"
  ctest --preset asan -j "$jobs"
fi
