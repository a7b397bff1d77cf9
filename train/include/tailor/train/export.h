//===- export.h - Writing a trained model as a checkpoint -------*- C++ -*-===//
#ifndef TAILOR_TRAIN_EXPORT_H
#define TAILOR_TRAIN_EXPORT_H

#include "tailor/train/model.h"

#include <string>

namespace tailor::train {

/// Writes the checkpoint of docs/checkpoint-format.md into `dir` (created if
/// missing): model.safetensors holds every parameter of `model` as F32 under
/// its own name, model.json is `config` (the model's architecture with the
/// adaptive section the caller filled in). Throws Error when the parameters
/// are not exactly the tensors the format expects for `config`, or
/// checkpoint::CheckpointError when `config` breaks a rule of the format.
void exportCheckpoint(AdaptiveTransformer &model,
                      const checkpoint::ModelConfig &config,
                      const std::string &dir);

/// The model a checkpoint directory holds (Tailor or Hugging Face, read by
/// tailor::checkpoint), in eval mode. Throws checkpoint::CheckpointError for
/// a bad checkpoint.
AdaptiveTransformer loadCheckpoint(const std::string &dir);

} // namespace tailor::train

#endif // TAILOR_TRAIN_EXPORT_H
