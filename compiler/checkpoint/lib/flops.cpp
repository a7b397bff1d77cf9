//===- flops.cpp - FLOPs of a model under a length configuration ----------===//

#include "checked_math.h"
#include "config_keys.h"

#include "tailor/checkpoint/error.h"
#include "tailor/checkpoint/flops.h"

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

void countLayer(FlopsCounter &counter, const ModelConfig &config,
                std::int64_t tokensIn, std::int64_t tokensKept) {
  if (tokensIn < 1 || tokensKept < 1 || tokensKept > tokensIn)
    throw CheckpointError("layer FLOPs: a layer reads tokensIn >= 1 tokens "
                          "and keeps 1 to tokensIn of them, got tokensIn " +
                          std::to_string(tokensIn) + ", tokensKept " +
                          std::to_string(tokensKept));
  const std::int64_t hidden = config.hidden;
  for (int projection = 0; projection < 4; ++projection) // Q, K, V, output
    counter.matmul({tokensIn, hidden, hidden});
  // Over all heads, QK^T and PV each take tokensIn^2 x hidden multiply-adds.
  counter.matmul({tokensIn, hidden, tokensIn});
  counter.matmul({tokensIn, tokensIn, hidden});
  counter.matmul({tokensKept, hidden, config.intermediate});
  counter.matmul({tokensKept, config.intermediate, hidden});
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
  std::int64_t length = tokens;
  const std::size_t last = lengths.size() - 1;
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    const std::int64_t tokensIn =
        i == last && restoresBeforeLastLayer(config) ? tokens : length;
    countLayer(counter, config, tokensIn, lengths[i]);
    length = lengths[i];
  }
  if (config.task == TaskKind::Sequence) {
    // The pooler and the classifier see the CLS token only.
    if (config.pooler)
      counter.matmul({1, config.hidden, config.hidden});
    counter.matmul({1, config.hidden, config.classes});
  } else {
    counter.matmul({length, config.hidden, config.classes});
  }
  return counter.value();
}

} // namespace tailor::checkpoint
