//===- flops.cpp - FLOPs of a model under a length configuration ----------===//

#include "checked_math.h"
#include "config_keys.h"

#include "tailor/checkpoint/error.h"
#include "tailor/checkpoint/flops.h"

#include <algorithm>

namespace tailor::checkpoint {
namespace {

/// Sums 2 x multiply-adds, throwing when the count leaves 64 bits.
class FlopsCounter {
public:
  /// A matmul whose multiply-adds are the product of `sizes` (rows, inner
  /// and columns, the inner size possibly given as several factors).
  void matmul(std::initializer_list<std::int64_t> sizes) {
    std::optional<std::int64_t> multiplyAdds = detail::checkedProduct(sizes);
    std::optional<std::int64_t> flops =
        multiplyAdds ? detail::checkedProduct({2, *multiplyAdds})
                     : std::nullopt;
    std::optional<std::int64_t> sum =
        flops ? detail::checkedSum(total, *flops) : std::nullopt;
    if (!sum)
      throw CheckpointError("the FLOPs count overflows 64-bit integers");
    total = *sum;
  }
  std::int64_t value() const { return total; }

private:
  std::int64_t total = 0;
};

/// Over all heads, QK^T and PV each take tokens^2 x hidden multiply-adds;
/// with an SSA layer's mask (rows x rows entries for blocks of
/// adaptive.ssa.block tokens, the last partial), only the kept (query block,
/// key block) pairs are computed.
void countAttention(FlopsCounter &counter, const ModelConfig &config,
                    std::int64_t tokens,
                    const std::vector<std::int64_t> *mask) {
  const std::int64_t hidden = config.hidden;
  if (!mask) {
    counter.matmul({tokens, hidden, tokens});
    counter.matmul({tokens, tokens, hidden});
    return;
  }
  const std::int64_t block = config.adaptive.ssa->block;
  const std::int64_t rows = (tokens + block - 1) / block;
  auto size = [&](std::int64_t index) {
    return std::min(block, tokens - index * block);
  };
  for (std::int64_t row = 0; row < rows; ++row)
    for (std::int64_t col = 0; col < rows; ++col)
      if ((*mask)[row * rows + col] != 0) {
        counter.matmul({size(row), hidden, size(col)});
        counter.matmul({size(row), size(col), hidden});
      }
}

/// The SSA patterns the model runs with: none (one dense pass) unless its
/// inference is sparse (the one pattern) or an ensemble (every pattern).
std::vector<const SsaPattern *> inferencePatterns(const ModelConfig &config) {
  const std::optional<SsaSettings> &ssa = config.adaptive.ssa;
  if (!ssa || ssa->inference == SsaInference::Dense)
    return {nullptr};
  std::vector<const SsaPattern *> patterns;
  for (const SsaPattern &pattern : ssa->patterns)
    patterns.push_back(&pattern);
  if (ssa->inference == SsaInference::Sparse)
    patterns.resize(1);
  return patterns;
}

void countMlp(FlopsCounter &counter, const ModelConfig &config,
              std::int64_t tokens) {
  counter.matmul({tokens, config.hidden, config.intermediate});
  counter.matmul({tokens, config.intermediate, config.hidden});
}

void countAcmGate(FlopsCounter &counter, const ModelConfig &config,
                  std::int64_t tokens) {
  counter.matmul({tokens, config.hidden, config.adaptive.acm->learners});
}

/// An ACM layer counts as its dense MLP (every learner on every token: the
/// most it can cost) plus its gate.
void countLayer(FlopsCounter &counter, const ModelConfig &config,
                std::int64_t tokensIn, std::int64_t tokensKept,
                bool acm = false,
                const std::vector<std::int64_t> *ssaMask = nullptr,
                bool qkv = true) {
  if (tokensIn < 1 || tokensKept < 1 || tokensKept > tokensIn)
    throw CheckpointError("layer FLOPs: a layer reads tokensIn >= 1 tokens "
                          "and keeps 1 to tokensIn of them, got tokensIn " +
                          std::to_string(tokensIn) + ", tokensKept " +
                          std::to_string(tokensKept));
  const std::int64_t hidden = config.hidden;
  // Q, K, V (unless computed already: see modelFlops), output.
  for (int projection = qkv ? 0 : 3; projection < 4; ++projection)
    counter.matmul({tokensIn, hidden, hidden});
  countAttention(counter, config, tokensIn, ssaMask);
  countMlp(counter, config, tokensKept);
  if (acm)
    countAcmGate(counter, config, tokensKept);
}

} // namespace

std::int64_t layerFlops(const ModelConfig &config, std::int64_t tokensIn,
                        std::int64_t tokensKept) {
  detail::validateArchitecture(config, "layerFlops: model config",
                               detail::modelJsonKeys);
  FlopsCounter counter;
  countLayer(counter, config, tokensIn, tokensKept);
  return counter.value();
}

std::int64_t layerFlops(const ModelConfig &config, std::int64_t tokensIn) {
  return layerFlops(config, tokensIn, tokensIn);
}

std::int64_t mlpFlops(const ModelConfig &config, std::int64_t tokens) {
  FlopsCounter counter;
  countMlp(counter, config, tokens);
  return counter.value();
}

std::int64_t acmGateFlops(const ModelConfig &config, std::int64_t tokens) {
  if (!config.adaptive.acm)
    throw CheckpointError("acmGateFlops: the model has no adaptive.acm");
  FlopsCounter counter;
  countAcmGate(counter, config, tokens);
  return counter.value();
}

std::int64_t modelFlops(const ModelConfig &config,
                        const std::vector<std::int64_t> &lengths) {
  detail::validateArchitecture(config, "modelFlops: model config",
                               detail::modelJsonKeys);
  checkLengths(config, lengths, "modelFlops: length configuration");
  const std::int64_t tokens = inputTokens(config);
  FlopsCounter counter;
  if (config.kind == ModelKind::Vit)
    counter.matmul({tokens - 1, config.channels, config.patchSize,
                    config.patchSize, config.hidden});
  // An SSA model runs its layers and head once per pattern, on the one
  // embedding: what two patterns compute alike is computed once (the
  // compiler's CSE), the first layer's Q, K and V always, and the layers
  // whose masks equal an earlier pattern's all the way from the first. Each
  // layer's attention computes its mask's blocks, when the mask covers the
  // layer's tokens (ceil(tokens / block) blocks a side).
  const std::int64_t block =
      config.adaptive.ssa ? config.adaptive.ssa->block : 1;
  auto maskFor = [&](const SsaPattern &pattern, std::size_t layer,
                     std::int64_t tokensIn) {
    if (layer >= pattern.masks.size())
      throw CheckpointError("modelFlops: an SSA pattern has " +
                            std::to_string(pattern.masks.size()) +
                            " masks for " + std::to_string(lengths.size()) +
                            " layers");
    const std::vector<std::int64_t> &mask = pattern.masks[layer];
    const std::int64_t rows = (tokensIn + block - 1) / block;
    return static_cast<std::int64_t>(mask.size()) == rows * rows ? &mask
                                                                 : nullptr;
  };
  const std::vector<const SsaPattern *> patterns = inferencePatterns(config);
  for (std::size_t p = 0; p < patterns.size(); ++p) {
    const SsaPattern *pattern = patterns[p];
    // The leading layers an earlier pattern computed already.
    std::size_t shared = 0;
    for (std::size_t q = 0; q < p; ++q) {
      std::size_t same = 0;
      while (same < lengths.size() && same < pattern->masks.size() &&
             same < patterns[q]->masks.size() &&
             pattern->masks[same] == patterns[q]->masks[same])
        ++same;
      shared = std::max(shared, same);
    }
    std::int64_t length = tokens;
    const std::size_t last = lengths.size() - 1;
    for (std::size_t i = 0; i < lengths.size(); ++i) {
      const std::int64_t tokensIn =
          i == last && restoresBeforeLastLayer(config) ? tokens : length;
      if (i < shared) {
        length = lengths[i];
        continue;
      }
      countLayer(counter, config, tokensIn, lengths[i],
                 isAcmLayer(config, static_cast<std::int64_t>(i)),
                 pattern ? maskFor(*pattern, i, tokensIn) : nullptr,
                 p == 0 || i > shared);
      length = lengths[i];
    }
    if (shared == lengths.size())
      continue; // the head too
    if (config.task == TaskKind::Sequence) {
      // The pooler and the classifier see the CLS token only.
      if (config.pooler)
        counter.matmul({1, config.hidden, config.hidden});
      counter.matmul({1, config.hidden, config.classes});
    } else {
      counter.matmul({length, config.hidden, config.classes});
    }
  }
  return counter.value();
}

} // namespace tailor::checkpoint
