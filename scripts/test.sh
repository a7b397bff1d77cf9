#!/usr/bin/env bash
# Runs every test suite on a fresh Debian machine: installs what is missing,
# builds, runs ctest (unit tests, lit tests, kernel compile tests; GPU tests
# report themselves skipped without a GPU), then rebuilds the compiler and the
# format libraries under AddressSanitizer and runs their tests again.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/common.sh

section "set-up"
scripts/setup.sh

build_preset default

section "tests (default preset)"
ctest --preset default -j "$jobs"

if [ "${TAILOR_SKIP_ASAN:-0}" != 1 ]; then
  build_preset asan
  section "tests under AddressSanitizer (asan preset)"
  ctest --preset asan -j "$jobs"
fi
