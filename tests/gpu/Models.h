//===- Models.h - The models the GPU tests run whole ------------*- C++ -*-===//
#ifndef TAILOR_TESTS_GPU_MODELS_H
#define TAILOR_TESTS_GPU_MODELS_H

#include "tailor/testing/TinyModel.h"

#include <vector>

namespace tailor::testing {

/// A small ViT, token and sequence encoders (key mask, pooler, token
/// types, Drop-and-Restore), each with token-dropping variants.
std::vector<ModelConfig> tinyModels();

/// BERT-base-shaped (12 layers, hidden 768, 12 heads, 3072, 128 tokens
/// with a key mask; a small vocabulary), random weights, three variants.
ModelConfig bertBaseShaped();

} // namespace tailor::testing

#endif // TAILOR_TESTS_GPU_MODELS_H
