#!/usr/bin/env bash
# Installs every Debian package Tailor needs and checks the CUDA toolkit.
# Idempotent: a second run finds everything in place, installs nothing and says so.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libtorch-dev
  libgtest-dev libgmock-dev
  nlohmann-json3-dev libcli11-dev
  libopenblas-dev zlib1g-dev
  dataset-fashion-mnist wordnet-base
  gnuplot-nox python3
  clang-format
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed; nothing to do"
else
  echo "setup: installing ${#missing[@]} package(s): ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cuda=${CUDA_HOME:-/usr/local/cuda}
if [ -f "$cuda/include/nvrtc.h" ] && ls "$cuda"/lib64/libnvrtc.so* >/dev/null 2>&1; then
  echo "setup: CUDA toolkit at $cuda ($("$cuda/bin/nvcc" --version | grep -o 'release [0-9.]*'))"
else
  echo "setup: warning: no CUDA toolkit with NVRTC at $cuda; kernels will not be compiled" >&2
fi
