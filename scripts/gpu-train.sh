#!/usr/bin/env bash
# Trains the demo's ViT (tailor-train's defaults) on the GPU with PyTorch's
# LibTorch, as the GPU machine has it (Debian's LibTorch is CPU-only), and
# prints its test accuracy and the time per epoch.
#
# Here, once (the GPU machine reaches no package registry and has no
# Fashion-MNIST package):
#   scripts/gpu-train.sh --prepare
# which fills .deps/ with nlohmann-json and CLI11 (scripts/device-deps.sh)
# and Fashion-MNIST. Then on the GPU machine, from the repository root:
#   device run, carry [".deps"], command: scripts/gpu-train.sh [EPOCHS]
# EPOCHS defaults to 1. build.log, train.log and the checkpoint (vit/) go to
# $OUT (or gpu-train-out/). Then tailor-ssa-bench times one attention layer's
# training step (BERT-base width) on the GPU, dense and with SSA at keep 1/2,
# 1/4 and 1/8, at 1024 and 4096 tokens (ssa-bench.log).
set -euo pipefail
cd "$(dirname "$0")/.."
data=.deps/fashion-mnist

if [[ ${1:-} == --prepare ]]; then
  scripts/device-deps.sh
  mkdir -p "$data"
  cp /usr/share/datasets/fashion-mnist/*-ubyte.gz "$data/"
  echo "gpu-train: Fashion-MNIST copied into $data; carry .deps"
  exit 0
fi

epochs=${1:-1}
out=${OUT:-gpu-train-out}
build=build/gpu-train
mkdir -p "$out"
if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
  echo "gpu-train: $data is missing: run scripts/gpu-train.sh --prepare" \
    "on the CPU machine and carry .deps" >&2
  exit 1
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

# PyTorch's CMake package (Torch) lives inside the Python package. Its CUDA
# part enables CMake's CUDA language, so nvcc must be the toolkit the GPU
# machine has; USE_SYSTEM_NVTX lets it take NVTX 3 from that toolkit (CUDA
# 13 has no libnvToolsExt); CMAKE_POLICY_VERSION_MINIMUM keeps a CMake 4 from
# refusing an old cmake_minimum_required in PyTorch's CMake files. Only the
# trainer is built: no compiler (no MLIR there), no tests, no CUDA backend of
# the runtime.
torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
python3 -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda)'
if ! {
  cmake --preset default -B "$build" \
    -DCMAKE_PREFIX_PATH="$torch_prefix;$PWD/.deps/usr" \
    -DTAILOR_WITH_COMPILER=OFF -DTAILOR_WITH_TRAIN=ON -DTAILOR_WITH_CUDA=OFF \
    -DTAILOR_BUILD_TESTS=OFF -DUSE_SYSTEM_NVTX=ON \
    -DCMAKE_POLICY_VERSION_MINIMUM=3.5 &&
    cmake --build "$build" -j "$(nproc)" --target tailor-train tailor-ssa-bench
} >"$out/build.log" 2>&1; then
  grep -E -B2 -A8 "error|Error|FAILED" "$out/build.log" | head -100
  echo "gpu-train: the build failed; the whole log is $out/build.log" >&2
  exit 1
fi
grep -E "Found Torch|Caffe2: CUDA|CUDA detected|cuDNN" "$out/build.log" || true

# --no-search: the time is the training's (the search is the same on any
# device); the full-length test accuracy is still measured.
"$build/bin/tailor-train" --device cuda --fresh --epochs "$epochs" --no-search \
  --fashion-mnist-dir "$data" --out "$out/vit" 2>&1 | tr '\r' '\n' |
  tee "$out/train.log"
python3 - "$out/vit/results.json" "$epochs" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))
epochs = int(sys.argv[2])
run = results["training_this_run"]
full = next(r for r in results["results"] if r["config"] == "full")
print(f"device {results['device']}: {epochs} epoch(s), "
      f"{run['seconds'] / epochs:.1f} s per epoch "
      f"({run['examples_per_second']:.0f} examples/s), "
      f"full-length test accuracy {100 * full['test_accuracy']:.2f}%")
EOF

# SSA's training-step attention on the GPU, where attention dominates.
for shape in "1024 8" "4096 2"; do
  read -r tokens batch <<<"$shape"
  for keep in 0 0.5 0.25 0.125; do
    "$build/bin/tailor-ssa-bench" --device cuda --tokens "$tokens" \
      --batch "$batch" --hidden 768 --heads 12 --block 64 --keep "$keep" \
      --steps 10
  done
done 2>&1 | tee "$out/ssa-bench.log"
