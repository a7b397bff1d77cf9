//===- Models.cpp - The models the GPU tests run whole --------------------===//

#include "Models.h"

namespace tailor::testing {

std::vector<ModelConfig> tinyModels() {
  ModelConfig vit = tinyVitModel();
  vit.inputNormalization = {{0.2860, 0.3530}};
  vit.variants = {
      {"b1.00", 1.0, {}}, {"b0.50", 0.5, {12, 6}}, {"b0.25", 0.25, {8, 3}}};

  ModelConfig tokens = tinyTokenEncoderModel();
  tokens.layers = 3;
  tokens.variants = {{"b1.00", 1.0, {}}, {"b0.60", 0.6, {7, 4, 10}}};

  ModelConfig sequence = tinySequenceEncoderModel();
  sequence.hidden = 32;
  sequence.variants = {{"b1.00", 1.0, {}}, {"b0.50", 0.5, {9, 5}}};
  return {vit, tokens, sequence};
}

std::vector<ModelConfig> ssaModels() {
  using checkpoint::SsaInference;
  ModelConfig vit = tinyVitModel();
  ModelConfig sequence = tinySequenceEncoderModel();
  sequence.hidden = 32;
  ModelConfig longVit = tinyVitModel(); // 16 x 16 patches + CLS
  longVit.imageSize = 32;
  longVit.hidden = 32;
  return {withSsa(vit, SsaInference::Sparse, 1, 4),
          withSsa(vit, SsaInference::Ensemble, 3, 4),
          withSsa(sequence, SsaInference::Ensemble, 2, 4),
          withSsa(longVit, SsaInference::Ensemble, 2, 64),
          withSsa(longVit, SsaInference::Sparse, 1, 16)};
}

ModelConfig bertBaseShaped() {
  ModelConfig bert;
  bert.kind = "encoder";
  bert.norm = "post";
  bert.layers = 12;
  bert.hidden = 768;
  bert.heads = 12;
  bert.intermediate = 3072;
  bert.classes = 3;
  bert.activation = "gelu";
  bert.layerNormEps = 1e-12;
  bert.pooler = true;
  bert.typeVocabSize = 2;
  bert.keyMask = true;
  bert.vocabSize = 1000;
  bert.maxPositions = 128;
  bert.seed = 5;
  bert.variants = {
      {"b1.00", 1.0, {}},
      {"b0.50", 0.5, {128, 112, 96, 88, 80, 72, 64, 56, 48, 40, 32, 32}},
      {"b0.25", 0.25, {96, 64, 48, 40, 32, 28, 24, 20, 16, 16, 16, 16}}};
  return bert;
}

} // namespace tailor::testing
