//===- trainer.h - LengthDrop training with the sandwich rule ---*- C++ -*-===//
#ifndef TAILOR_TRAIN_TRAINER_H
#define TAILOR_TRAIN_TRAINER_H

#include "tailor/train/dataset.h"
#include "tailor/train/model.h"

#include <nlohmann/json.hpp>

#include <string>

namespace tailor::train {

struct TrainOptions {
  std::int64_t epochs = 12;
  std::int64_t batchSize = 64;
  double learningRate = 2e-3;
  double weightDecay = 0.05;
  /// Fraction of the steps with a linear warm-up; a cosine decay follows.
  double warmup = 0.05;
  double clipNorm = 1.0;
  /// LengthDrop's p (each layer keeps a fraction in [1 - p, 1] of the
  /// previous layer's tokens); 0 trains the full model alone.
  double lengthDrop = 0.4;
  /// Probability that a sub-model skips a layer (the only model when
  /// lengthDrop is 0).
  double layerDrop = 0.0;
  /// Random sub-models per step besides the full and the smallest one.
  std::int64_t sandwichRandom = 1;
  std::uint64_t seed = 0;
  /// SSA training (block, keep, locality, global block; its inference
  /// fields are not used here); nullopt trains dense attention.
  std::optional<checkpoint::SsaSettings> ssa;
  /// Fraction of the steps, at the end, trained with dense attention after
  /// SSA (the optional short dense fine-tune).
  double ssaDenseFinetune = 0.0;
  /// Steps between resumable checkpoints (one also ends every epoch).
  std::int64_t checkpointEvery = 200;
  /// Stop after this many steps of this run, saving the state, so that a
  /// later run resumes (0: train to the end). Not a setting of the training:
  /// toJson leaves it out.
  std::int64_t stopAfter = 0;

  nlohmann::json toJson() const;
};

/// What one call of trainModel did (a resumed run counts its own steps).
struct TrainSummary {
  /// The step the model is at, and the run's last.
  std::int64_t step = 0;
  std::int64_t totalSteps = 0;
  /// Steps and examples this call trained.
  std::int64_t steps = 0;
  std::int64_t examples = 0;
  double seconds = 0.0;
  /// CPU time of the process meanwhile (all threads): on a shared machine
  /// the fairer measure of the work.
  double cpuSeconds = 0.0;
};

/// Trains `model` on `train`. `stateDir` holds the resumable state (model,
/// optimizer, step): a run finds it there and continues, provided it was
/// written with the same `settings` (else Error names the first setting that
/// differs); a finished run returns at once.
TrainSummary trainModel(AdaptiveTransformer &model, const Dataset &train,
                        const TrainOptions &options,
                        const torch::Device &device,
                        const std::string &stateDir,
                        const nlohmann::json &settings);

/// The learning rate's factor at `step` (from 0) of `totalSteps`: a linear
/// warm-up over the first `warmup` fraction of the steps, then a cosine
/// decay to 0.
double learningRateScale(std::int64_t step, std::int64_t totalSteps,
                         double warmup);
/// Sets every parameter group of `optimizer` to learning rate `rate`.
void setLearningRate(torch::optim::AdamW &optimizer, double rate);

/// Mean cross-entropy against the labels (kIgnoreLabel skipped).
torch::Tensor labelLoss(const torch::Tensor &logits,
                        const torch::Tensor &labels);
/// In-place distillation: mean cross-entropy of the student against the
/// teacher's softmax, over the labelled examples or tokens.
torch::Tensor distillationLoss(const torch::Tensor &student,
                               const torch::Tensor &teacher,
                               const torch::Tensor &labels);

} // namespace tailor::train

#endif // TAILOR_TRAIN_TRAINER_H
