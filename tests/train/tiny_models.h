//===- tiny_models.h - Small model configs for the trainer's tests -*- C++
//-*-===//
#ifndef TAILOR_TESTS_TRAIN_TINY_MODELS_H
#define TAILOR_TESTS_TRAIN_TINY_MODELS_H

#include "tailor/checkpoint/model_config.h"
#include "tailor/train/model.h"

#include <cstdint>

namespace tailor::train::testing {

/// Pre-norm ViT: 8x8 single-channel images, patch 4 (4 patches + CLS),
/// 2 layers, hidden 8 (2 heads), MLP 16, 3 classes. `token`: one label per
/// token (Drop-and-Restore).
checkpoint::ModelConfig tinyVit(bool token = false);

/// Post-norm encoder with a pooler: vocabulary 20, 6 positions, 2 layers,
/// hidden 8 (2 heads), MLP 16, 3 classes.
checkpoint::ModelConfig tinyEncoder();

/// tinyVit's model, seeded, in eval mode, with MLP weights drawn larger than
/// the initialisation's (normal, std 0.4) so that the MLPs matter: the
/// dense model the ACM tests start from.
AdaptiveTransformer tinyVitWithStrongMlps(std::uint64_t seed);

} // namespace tailor::train::testing

#endif // TAILOR_TESTS_TRAIN_TINY_MODELS_H
