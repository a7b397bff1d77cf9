//===- tiny_models.cpp - Small model configs for the trainer's tests ------===//

#include "tiny_models.h"

namespace tailor::train::testing {

using namespace checkpoint;

ModelConfig tinyVit(bool token) {
  ModelConfig config;
  config.kind = ModelKind::Vit;
  config.norm = NormPlacement::Pre;
  config.layerNormEps = defaultLayerNormEps(NormPlacement::Pre);
  config.layers = 2;
  config.hidden = 8;
  config.heads = 2;
  config.intermediate = 16;
  config.classes = 3;
  config.imageSize = 8;
  config.patchSize = 4;
  config.channels = 1;
  config.task = token ? TaskKind::Token : TaskKind::Sequence;
  return config;
}

ModelConfig tinyEncoder() {
  ModelConfig config;
  config.kind = ModelKind::Encoder;
  config.norm = NormPlacement::Post;
  config.layers = 2;
  config.hidden = 8;
  config.heads = 2;
  config.intermediate = 16;
  config.classes = 3;
  config.vocabSize = 20;
  config.maxPositions = 6;
  config.pooler = true;
  return config;
}

AdaptiveTransformer tinyVitWithStrongMlps(std::uint64_t seed) {
  torch::manual_seed(seed);
  AdaptiveTransformer dense(tinyVit());
  torch::NoGradGuard noGrad;
  for (auto &parameter : dense->named_parameters())
    if (parameter.key().find(".mlp.") != std::string::npos)
      parameter.value().normal_(0.0, 0.4);
  dense->eval();
  return dense;
}

} // namespace tailor::train::testing
