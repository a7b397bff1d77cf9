//===- train_state.h - Resumable training state -----------------*- C++ -*-===//
#ifndef TAILOR_TRAIN_TRAIN_STATE_H
#define TAILOR_TRAIN_TRAIN_STATE_H

#include "tailor/train/model.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace tailor::train {

/// `dir`/model.pt, optimizer.pt and state.json ({"step", "settings"}), each
/// written to a temporary name and renamed, state.json last, so an
/// interrupted save leaves the previous state whole.
void saveTrainState(const std::string &dir, AdaptiveTransformer &model,
                    torch::optim::Optimizer &optimizer, std::int64_t step,
                    const nlohmann::json &settings);

/// The step to continue from, with model and optimizer loaded; nullopt when
/// `dir` has no state. Throws Error when the state was written with other
/// settings (naming the first that differs) or cannot be read.
std::optional<std::int64_t> loadTrainState(const std::string &dir,
                                           AdaptiveTransformer &model,
                                           torch::optim::Optimizer &optimizer,
                                           const nlohmann::json &settings);

} // namespace tailor::train

#endif // TAILOR_TRAIN_TRAIN_STATE_H
