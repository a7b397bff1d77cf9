//===- expected_tensors.cpp - A model's canonical tensors -----------------===//

#include "tailor/checkpoint/expected_tensors.h"

namespace tailor::checkpoint {

std::vector<TensorSpec> expectedTensors(const ModelConfig &config) {
  const std::int64_t hidden = config.hidden;
  std::vector<TensorSpec> tensors;
  auto add = [&](std::string name, std::vector<std::int64_t> shape) {
    tensors.push_back({std::move(name), std::move(shape)});
  };
  auto addLinear = [&](const std::string &prefix, std::int64_t out,
                       std::int64_t in) {
    add(prefix + ".weight", {out, in});
    add(prefix + ".bias", {out});
  };
  auto addNorm = [&](const std::string &prefix) {
    add(prefix + ".weight", {hidden});
    add(prefix + ".bias", {hidden});
  };

  if (config.kind == ModelKind::Encoder) {
    add("embeddings.word.weight", {config.vocabSize, hidden});
    add("embeddings.position.weight", {config.maxPositions, hidden});
    if (config.typeVocabSize > 0)
      add("embeddings.token_type.weight", {config.typeVocabSize, hidden});
    if (config.norm == NormPlacement::Post)
      addNorm("embeddings.norm");
  } else {
    addLinear("embeddings.patch", hidden,
              config.channels * config.patchSize * config.patchSize);
    add("embeddings.cls", {hidden});
    add("embeddings.position", {inputTokens(config), hidden});
  }
  for (std::int64_t i = 0; i < config.layers; ++i) {
    const std::string layer = "layers." + std::to_string(i) + ".";
    for (const char *projection : {"query", "key", "value", "output"})
      addLinear(layer + "attention." + projection, hidden, hidden);
    addNorm(layer + "attention_norm");
    if (isAcmLayer(config, i)) {
      const AcmSettings &acm = *config.adaptive.acm;
      for (std::int64_t j = 0; j < acm.learners; ++j) {
        const std::string learner =
            layer + "mlp.learners." + std::to_string(j) + ".";
        addLinear(learner + "up", acm.learnerWidth, hidden);
        addLinear(learner + "down", hidden, acm.learnerWidth);
      }
      addLinear(layer + "mlp.gate", acm.learners, hidden);
    } else {
      addLinear(layer + "mlp.up", config.intermediate, hidden);
      addLinear(layer + "mlp.down", hidden, config.intermediate);
    }
    addNorm(layer + "mlp_norm");
  }
  if (config.norm == NormPlacement::Pre)
    addNorm("final_norm");
  if (config.pooler)
    addLinear("pooler", hidden, hidden);
  addLinear("classifier", config.classes, hidden);
  return tensors;
}

} // namespace tailor::checkpoint
