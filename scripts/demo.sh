#!/usr/bin/env bash
# The main job, end to end on a fresh Debian machine: set up, build, train a
# small length-adaptive ViT on Fashion-MNIST, search its length configuration
# for each FLOPs budget, compile one variant per budget into one artifact, run
# every variant on the test set with the runtime, and print and plot the
# results.
#
# Outputs go to runs/demo/ (TAILOR_DEMO_DIR to change it). Run it again and
# it resumes: finished steps are not redone.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/common.sh
out=${TAILOR_DEMO_DIR:-runs/demo}
bin=build/default/bin

section "set-up"
scripts/setup.sh

build_preset default

section "train: ViT on Fashion-MNIST with LengthDrop"
# 4 layers, hidden 64, patch 7 (16 patches + CLS), 12 epochs; resumes from
# $out/vit/state. OpenBLAS (Debian's LibTorch multiplies matrices with it)
# gets one thread: its own threads doubled the CPU time of this small
# model's products and made the training no faster.
OPENBLAS_NUM_THREADS=1 "$bin/tailor-train" --out "$out/vit" --no-search

section "search: the best length configuration per FLOPs budget"
# Training is finished, so this goes straight to the evolutionary search and
# writes the checkpoint with the chosen configurations.
OPENBLAS_NUM_THREADS=1 "$bin/tailor-train" --out "$out/vit" --budgets 1,0.75,0.5,0.35

section "compile: one variant per budget, into one artifact"
"$bin/tailorc" compile "$out/vit" --budgets 1,0.75,0.5,0.35 -o "$out/vit.tailor"

section "run: every variant on the Fashion-MNIST test set (CPU runtime)"
data=/usr/share/datasets/fashion-mnist
"$bin/tailor-run" "$out/vit.tailor" --all-variants \
  --input "$data/t10k-images-idx3-ubyte.gz" --labels "$data/t10k-labels-idx1-ubyte.gz" \
  --summary-csv "$out/variants.csv"

section "results"
cat "$out/vit/results.txt"
echo
scripts/demo-report.py "$out/vit" "$out/variants.csv" "$out/variants.png"
echo
echo "checkpoint:    $out/vit/model.json, $out/vit/model.safetensors"
echo "Pareto front:  $out/vit/pareto.csv, plotted in $out/vit/pareto.png"
echo "artifact:      $out/vit.tailor (run it: $bin/tailor-run $out/vit.tailor --input ...)"
echo "variants:      $out/variants.csv, plotted in $out/variants.png"
