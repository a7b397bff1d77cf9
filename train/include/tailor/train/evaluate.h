//===- evaluate.h - Accuracy of a model on a split --------------*- C++ -*-===//
#ifndef TAILOR_TRAIN_EVALUATE_H
#define TAILOR_TRAIN_EVALUATE_H

#include "tailor/train/dataset.h"
#include "tailor/train/model.h"

namespace tailor::train {

/// Predictions that match their label, and labels counted (examples, or
/// tokens other than kIgnoreLabel in token-level tasks).
struct Hits {
  std::int64_t correct = 0;
  std::int64_t total = 0;
  double accuracy() const { return total ? double(correct) / total : 0.0; }
};

/// Hits of one batch of logits ([batch, classes] or [batch, seq, classes]).
Hits countHits(const torch::Tensor &logits, const torch::Tensor &labels);

/// Accuracy of `model` on `data` run as `run`, in batches, without gradients.
double evaluateAccuracy(AdaptiveTransformer &model, const Dataset &data,
                        const RunConfig &run, std::int64_t batchSize,
                        const torch::Device &device);
/// Accuracy of the ensemble of `members` (the model run each way, logits
/// averaged), as the compiled ensemble computes it.
double evaluateEnsembleAccuracy(AdaptiveTransformer &model, const Dataset &data,
                                const std::vector<RunConfig> &members,
                                std::int64_t batchSize,
                                const torch::Device &device);

/// An ACM model at inference (argmax gates) on a split.
struct AcmEvaluation {
  double accuracy = 0.0;
  /// Mean learners / N over every token of every ACM layer.
  double compute = 0.0;
  /// histogram[l][k - 1]: tokens that ran k learners in the l-th ACM layer.
  std::vector<std::vector<std::int64_t>> histogram;
};

/// Accuracy and gate choices of `model` (with adaptive.acm) on `data`, run
/// with every token, in batches, without gradients.
AcmEvaluation evaluateAcm(AdaptiveTransformer &model, const Dataset &data,
                          std::int64_t batchSize, const torch::Device &device);

} // namespace tailor::train

#endif // TAILOR_TRAIN_EVALUATE_H
