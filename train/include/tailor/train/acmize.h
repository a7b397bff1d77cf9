//===- acmize.h - A dense model distilled into ACMs -------------*- C++ -*-===//
//
// `tailor-train --acmize DIR` (train/README.md, "ACM"): the MLPs of a trained
// dense model become Adaptive Computation Modules in three stages.
//   1. Module distillation: each ACM learns to reproduce its dense MLP's
//      output, on the dense model's own MLP inputs, with every prefix of
//      learners (mean squared error averaged over the prefixes).
//   2. Gate pretraining: each token's label is the fewest learners whose
//      error is within one threshold, chosen so that the labels average the
//      budget; the gates learn the labels by cross-entropy.
//   3. End-to-end fine-tuning with straight-through Gumbel-softmax gates, the
//      noise annealed to 0 (the argmax inference uses): the task loss,
//      distillation from the dense model's predictions, and
//      (mean compute - budget)^2.
// The dense model stays frozen throughout.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TRAIN_ACMIZE_H
#define TAILOR_TRAIN_ACMIZE_H

#include "tailor/train/dataset.h"
#include "tailor/train/model.h"

#include <nlohmann/json.hpp>

namespace tailor::train {

struct AcmOptions {
  /// Learners per ACM (N).
  std::int64_t learners = 4;
  /// Mean fraction of learners per token to aim for, in (0, 1].
  double budget = 0.5;
  /// Layers whose MLP becomes an ACM; empty: every layer.
  std::vector<std::int64_t> layers;
  /// Epochs of each stage.
  std::int64_t moduleEpochs = 2;
  std::int64_t gateEpochs = 1;
  std::int64_t finetuneEpochs = 2;
  std::int64_t batchSize = 64;
  /// Peak AdamW learning rate of stages 1 and 2 (no weight decay), and of
  /// stage 3 (with `weightDecay`); warm-up then cosine decay in each.
  double learningRate = 2e-3;
  double finetuneLearningRate = 5e-4;
  double weightDecay = 0.05;
  /// Stage 3's loss weights: distillation and compute budget (the task loss
  /// has weight 1).
  double distillWeight = 1.0;
  double budgetWeight = 10.0;
  /// Stage 3's Gumbel-softmax temperature.
  double temperature = 1.0;
  /// Training examples stage 2's threshold is calibrated on.
  std::int64_t calibrationExamples = 5000;
  std::uint64_t seed = 0;

  nlohmann::json toJson() const;
};

/// What one stage did.
struct AcmStageSummary {
  std::string name;
  std::int64_t steps = 0;
  double seconds = 0.0;
  double cpuSeconds = 0.0;
  /// Mean loss over the stage's last epoch.
  double loss = 0.0;
};

struct AcmizeSummary {
  std::vector<AcmStageSummary> stages;
  /// Stage 2's error threshold (squared error relative to the layer's mean
  /// squared dense output).
  double threshold = 0.0;
};

/// `dense`'s architecture with adaptive.acm (budget and layers from
/// `options`) and no other adaptive data. Throws Error or
/// checkpoint::CheckpointError for settings the format does not allow.
checkpoint::ModelConfig acmConfig(const checkpoint::ModelConfig &dense,
                                  const AcmOptions &options);

/// The ACM model of `dense` before training: every tensor copied, each ACM
/// initialised from its dense MLP (AcmMlpImpl::initializeFrom), so it
/// computes exactly what `dense` does when every learner runs.
AdaptiveTransformer initialAcmModel(AdaptiveTransformer &dense,
                                    const AcmOptions &options);

/// The dense model's MLP inputs and outputs at each of `layers`, in order,
/// without gradients: what stage 1 teaches the learner prefixes.
struct DenseActivations {
  std::vector<torch::Tensor> inputs, outputs;
};
DenseActivations denseActivations(AdaptiveTransformer &dense,
                                  const std::vector<std::int64_t> &layers,
                                  const torch::Tensor &batchInputs);

/// Runs the three stages on `train` (`dense` on `device`, frozen) and
/// returns the ACM model, in eval mode.
AdaptiveTransformer acmize(AdaptiveTransformer &dense, const Dataset &train,
                           const AcmOptions &options,
                           const torch::Device &device, AcmizeSummary &summary);

} // namespace tailor::train

#endif // TAILOR_TRAIN_ACMIZE_H
