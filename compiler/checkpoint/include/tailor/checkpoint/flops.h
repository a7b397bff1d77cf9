//===- flops.h - FLOPs of a model under a length configuration --*- C++ -*-===//
//
// The one FLOPs count of Tailor: the trainer's search and the compiler both
// call it. FLOPs are 2 x the multiply-adds of every matmul for one input;
// compiler/checkpoint/README.md spells the formula out.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_CHECKPOINT_FLOPS_H
#define TAILOR_CHECKPOINT_FLOPS_H

#include "tailor/checkpoint/model_config.h"

#include <cstdint>
#include <vector>

namespace tailor::checkpoint {

/// One layer reading `tokensIn` tokens and keeping `tokensKept` of them after
/// its attention: the Q, K, V and output projections, QK^T and PV run on
/// tokensIn tokens, the MLP on tokensKept. Throws CheckpointError unless
/// 1 <= tokensKept <= tokensIn, or when the count overflows 64 bits.
std::int64_t layerFlops(const ModelConfig &config, std::int64_t tokensIn,
                        std::int64_t tokensKept);
/// A layer that keeps all `tokensIn` tokens.
std::int64_t layerFlops(const ModelConfig &config, std::int64_t tokensIn);

/// One layer's MLP (its up and down projections) on `tokens` tokens, and an
/// ACM layer's gate on them (config.adaptive.acm set): the parts of
/// layerFlops an ACM's measured compute scales and adds.
std::int64_t mlpFlops(const ModelConfig &config, std::int64_t tokens);
std::int64_t acmGateFlops(const ModelConfig &config, std::int64_t tokens);

/// The whole model under `lengths` (checked with checkLengths): the patch
/// projection (ViT), every layer on the previous layer's kept length (the
/// first on inputTokens, the last on inputTokens again after
/// Drop-and-Restore), the pooler and the classifier. An ACM layer counts
/// its dense MLP (every learner on every token) plus its gate.
/// With SSA inference sparse or ensemble (adaptive.ssa), the layers and the
/// head count once per pattern (one for sparse), each layer's QK^T and PV on
/// the blocks its mask keeps.
std::int64_t modelFlops(const ModelConfig &config,
                        const std::vector<std::int64_t> &lengths);

} // namespace tailor::checkpoint

#endif // TAILOR_CHECKPOINT_FLOPS_H
