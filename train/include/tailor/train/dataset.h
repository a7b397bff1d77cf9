//===- dataset.h - Labelled examples held in memory -------------*- C++ -*-===//
#ifndef TAILOR_TRAIN_DATASET_H
#define TAILOR_TRAIN_DATASET_H

#include "tailor/train/wordnet.h"

#include <torch/torch.h>

namespace tailor::train {

/// Label of tokens that carry none (CLS in token-level tasks); the losses and
/// the accuracy skip it.
constexpr std::int64_t kIgnoreLabel = -100;

/// One split. `inputs` are images [N, channels, size, size] (f32 in [0, 1])
/// or token ids [N, seq] (i64, CLS first, padded with Vocabulary::kPadId at the
/// end); `labels` are [N] (one per example) or [N, seq] (one per token).
struct Dataset {
  torch::Tensor inputs;
  torch::Tensor labels;

  std::int64_t size() const { return inputs.size(0); }
  bool isText() const { return inputs.scalar_type() == torch::kLong; }
  /// The examples at `indices`; text batches lose the trailing columns that
  /// are padding in every row (selection keeps padding last, so the result
  /// of the model on the real tokens does not change).
  Dataset batch(const torch::Tensor &indices) const;
  /// The first `count` examples (all when count >= size()).
  Dataset head(std::int64_t count) const;
};

} // namespace tailor::train

#endif // TAILOR_TRAIN_DATASET_H
