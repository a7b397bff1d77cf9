//===- Models.h - The models the GPU tests run whole ------------*- C++ -*-===//
#ifndef TAILOR_TESTS_GPU_MODELS_H
#define TAILOR_TESTS_GPU_MODELS_H

#include "tailor/testing/TinyModel.h"

#include <vector>

namespace tailor::testing {

/// A small ViT, token and sequence encoders (key mask, pooler, token
/// types, Drop-and-Restore), each with token-dropping variants.
std::vector<ModelConfig> tinyModels();

/// SSA models (each one full variant): the tiny ViT sparse and as an
/// ensemble of 3 in blocks of 4 (blocks that cut the kernels' key tiles),
/// the tiny sequence encoder (key mask) as an ensemble of 2, and a ViT of
/// 257 tokens as an ensemble of 2 in blocks of 64 (whole tiles) and sparse
/// in blocks of 16.
std::vector<ModelConfig> ssaModels();

/// BERT-base-shaped (12 layers, hidden 768, 12 heads, 3072, 128 tokens
/// with a key mask; a small vocabulary), random weights, three variants.
ModelConfig bertBaseShaped();

} // namespace tailor::testing

#endif // TAILOR_TESTS_GPU_MODELS_H
