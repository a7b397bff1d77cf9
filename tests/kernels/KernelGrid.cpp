//===- KernelGrid.cpp - Every kernel kind over a grid of shapes -----------===//

#include "KernelGrid.h"

namespace tailor::testing {

using namespace codegen::cuda;

const std::vector<std::int64_t> &gridSeqs() {
  static const std::vector<std::int64_t> seqs = {1, 7, 197, 513};
  return seqs;
}

const std::vector<std::int64_t> &gridHeadDims() {
  static const std::vector<std::int64_t> dims = {32, 64, 80, 128};
  return dims;
}

std::vector<std::vector<int>> localBlockTable(std::int64_t seq,
                                              std::int64_t block) {
  std::vector<std::vector<int>> table;
  for (int row = 0; row * block < seq; ++row)
    table.push_back(row == 0 ? std::vector<int>{0}
                             : std::vector<int>{row - 1, row});
  return table;
}

namespace {

struct AttentionVariant {
  const char *kind;
  Storage storage;
  Math math;
  bool mask, significance;
  /// Block-sparse in blocks of this many tokens (16 cuts the key tiles);
  /// 0: dense.
  std::int64_t sparseBlock;
  /// AttentionConfig::arch; the sm_90a kernels at head dim 64 (the others
  /// fall back to the mma.sync ones, compiled for every target).
  const char *arch = "";
};

const AttentionVariant kAttentionVariants[] = {
    {"attention f32", Storage::F32, Math::F32, true, true, 0},
    {"attention bf16 math", Storage::F32, Math::BF16, true, true, 0},
    {"attention f16 math", Storage::F32, Math::F16, false, false, 0},
    {"attention bf16 storage", Storage::BF16, Math::BF16, false, false, 0},
    {"attention f16 storage", Storage::F16, Math::F16, true, true, 0},
    {"attention f32 math bf16 storage", Storage::BF16, Math::F32, true, false,
     0},
    {"attention sparse f32", Storage::F32, Math::F32, true, true, kSparseBlock},
    {"attention sparse bf16", Storage::F32, Math::BF16, true, true,
     kSparseBlock},
    {"attention sparse cut f32", Storage::F32, Math::F32, true, true, 16},
    {"attention sparse cut bf16", Storage::F32, Math::BF16, true, true, 16},
    {"attention sparse bf16 storage", Storage::BF16, Math::BF16, false, false,
     kSparseBlock},
    {"attention sm_90a bf16 storage", Storage::BF16, Math::BF16, false, false,
     0, "sm_90a"},
    {"attention sm_90a f16 storage mask sig", Storage::F16, Math::F16, true,
     true, 0, "sm_90a"},
    {"attention sm_90a bf16 math mask sig", Storage::F32, Math::BF16, true,
     true, 0, "sm_90a"},
};

} // namespace

std::vector<GridKernel> kernelGrid() {
  std::vector<GridKernel> grid;
  auto add = [&](std::string kind, Kernel kernel, std::string arch = "") {
    grid.push_back({std::move(kind), std::move(kernel), std::move(arch)});
  };
  for (std::int64_t seq : gridSeqs()) {
    for (std::int64_t headDim : gridHeadDims())
      for (const AttentionVariant &variant : kAttentionVariants) {
        AttentionConfig config;
        config.seq = seq;
        config.heads = 3;
        config.headDim = headDim;
        config.storage = variant.storage;
        config.math = variant.math;
        config.keyMask = variant.mask;
        config.significance = variant.significance;
        if (variant.sparseBlock > 0) {
          config.sparseBlock = variant.sparseBlock;
          config.blockTable = localBlockTable(seq, variant.sparseBlock);
        }
        config.arch = variant.arch;
        Kernel kernel = attentionKernel(config);
        // Only the wgmma kernels are for one target.
        const bool wgmma = kernel.name.rfind("attention_wgmma", 0) == 0;
        add(variant.kind, std::move(kernel), wgmma ? variant.arch : "");
      }
    const std::int64_t half = seq / 2 + 1;
    for (std::int64_t kept : {std::int64_t{1}, half, seq}) {
      add("select_tokens keep first", selectTokensKernel(seq, kept, true));
      add("select_tokens", selectTokensKernel(seq, kept, false));
    }
    // Rows of u8 (a gathered key mask), f32 [80] and f32 [768].
    for (std::int64_t rowBytes : {1, 320, 3072}) {
      add("gather_rows", rowCopyKernel(RowCopy::Gather, seq, half, rowBytes));
      add("scatter_rows", rowCopyKernel(RowCopy::Scatter, seq, half, rowBytes));
    }
    for (std::int64_t learners : {1, 2, 8}) {
      add("acm_route", acmRouteKernel(seq, learners));
      add("acm_compact", acmCompactKernel(seq, 1, learners));
    }
    for (std::int64_t hidden : {80, 768}) {
      add("acm_gather", compactRowsKernel(CompactRows::Gather, seq, hidden));
      add("acm_scatter_add",
          compactRowsKernel(CompactRows::ScatterAdd, seq, hidden));
    }
    add("add", addKernel(seq * 80));
    for (int members : {2, kMaxEnsembleMembers})
      add("ensemble_mean", ensembleMeanKernel(members, seq * 10));
    add("token_embeddings", tokenEmbeddingsKernel(seq, 80, 1000, false));
    add("token_embeddings type", tokenEmbeddingsKernel(seq, 768, 30522, true));
    add("pool cls", poolKernel(seq, 80, Pool::Cls));
    add("pool mean", poolKernel(seq, 768, Pool::Mean));
    for (std::int64_t hidden : {32, 80, 768, 1000}) {
      add("layer_norm", layerNormKernel(seq, hidden, 1e-6f, false));
      add("add_layer_norm", layerNormKernel(seq, hidden, 1e-12f, true));
    }
    for (Activation activation :
         {Activation::None, Activation::Relu, Activation::Gelu,
          Activation::GeluTanh, Activation::Tanh})
      add(std::string("bias ") + activationName(activation),
          biasActivationKernel(seq, 3072, activation != Activation::None,
                               activation));
  }
  struct PatchShape {
    int channels, image, patch;
  };
  for (PatchShape shape : {PatchShape{1, 28, 4}, {3, 28, 7}, {3, 224, 16}}) {
    add("patch_unfold",
        patchUnfoldKernel(shape.channels, shape.image, shape.patch));
    const int side = shape.image / shape.patch;
    add("patch_finish", patchFinishKernel(side * side, 80));
  }
  // 16-bit activations (bf16 and fp16 sessions on a 16-bit plan): every
  // kind that reads or writes them, at one shape each.
  for (Storage storage : {Storage::BF16, Storage::F16}) {
    const std::string type = std::string(" ") + storageName(storage);
    add("acm_route" + type, acmRouteKernel(197, 4, storage));
    add("acm_gather" + type,
        compactRowsKernel(CompactRows::Gather, 197, 768, storage));
    add("acm_scatter_add" + type,
        compactRowsKernel(CompactRows::ScatterAdd, 197, 80, storage));
    add("add" + type, addKernel(197 * 80, storage));
    add("token_embeddings" + type,
        tokenEmbeddingsKernel(128, 768, 30522, true, storage));
    add("pool mean" + type, poolKernel(197, 768, Pool::Mean, storage));
    add("layer_norm" + type,
        layerNormKernel(197, 768, 1e-12f, false, true, storage));
    add("add_layer_norm" + type,
        layerNormKernel(197, 768, 1e-12f, true, false, storage));
    add("bias gelu" + type,
        biasActivationKernel(197, 3072, false, Activation::Gelu, false,
                             storage));
    add("bias tanh" + type,
        biasActivationKernel(1, 768, true, Activation::Tanh, true, storage));
    add("patch_unfold" + type, patchUnfoldKernel(3, 224, 16, storage));
    add("patch_finish" + type, patchFinishKernel(196, 768, storage));
  }
  return grid;
}

} // namespace tailor::testing
