//===- ssa.h - Stochastically subsampled self-attention ---------*- C++ -*-===//
//
// SSA (docs/checkpoint-format.md, adaptive.ssa): tokens are cut into blocks;
// each query block attends to a fixed number of key blocks drawn with a
// locality bias, plus the global block 0 (CLS). Training draws a new pattern
// per layer and step; the attention then computes only the kept blocks, so
// its time and memory fall with the keep rate.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TRAIN_SSA_H
#define TAILOR_TRAIN_SSA_H

#include "tailor/checkpoint/model_config.h"

#include <torch/torch.h>

#include <random>
#include <vector>

namespace tailor::train {

/// One layer's pattern: rows = ceil(tokens / block) query blocks, each
/// attending to the same number of key blocks (keyBlocks [rows, kept],
/// ascending). With a global first block, query block 0 attends to every
/// key and every row holds key block 0.
struct SsaPattern {
  std::int64_t block = 0;
  std::int64_t rows = 0;
  bool globalFirstBlock = true;
  torch::Tensor keyBlocks;

  /// The rows x rows block mask of adaptive.ssa.patterns (row 0 all ones
  /// with a global first block).
  std::vector<std::int64_t> mask() const;
};

/// Key blocks each query block keeps: round(keep * rows), at least 1, and
/// at least 2 when a global block and the query's own block both count.
std::int64_t ssaKeptBlocks(const checkpoint::SsaSettings &settings,
                           std::int64_t rows);

/// Draws a pattern for `tokens` tokens: each query block i keeps key block 0
/// (global), itself, and the rest without replacement with weights
/// exp(-locality * |i - j|).
SsaPattern sampleSsaPattern(const checkpoint::SsaSettings &settings,
                            std::int64_t tokens, std::mt19937_64 &rng);

/// One pattern per layer, drawn in layer order from `rng`.
std::vector<SsaPattern> sampleSsaLayers(const checkpoint::SsaSettings &settings,
                                        std::int64_t layers,
                                        std::int64_t tokens,
                                        std::mt19937_64 &rng);

/// Softmax attention of q, k, v [batch, heads, seq, width] (already scaled
/// by 1/sqrt(width) in q) on the pattern's blocks only; keyMask [batch, seq]
/// bool or undefined. Returns the context [batch, heads, seq, width]; a
/// query with no real key among its blocks gets zeros.
torch::Tensor blockSparseAttention(const torch::Tensor &q,
                                   const torch::Tensor &k,
                                   const torch::Tensor &v,
                                   const torch::Tensor &keyMask,
                                   const SsaPattern &pattern);

} // namespace tailor::train

#endif // TAILOR_TRAIN_SSA_H
