//===- ReferenceModel.cpp - A tiny model's forward pass, naively ----------===//
//
// The architecture of TinyModel.h written once more, directly on Arrays with
// the reference ops, so that a plan that drops, misorders or miswires a step
// disagrees with it.
//
//===----------------------------------------------------------------------===//

#include "tailor/testing/Reference.h"
#include "tailor/testing/TinyModel.h"

#include <optional>

namespace tailor::testing {
namespace {

class ReferenceModel {
public:
  ReferenceModel(const ModelConfig &config, const Weights &weights)
      : config(config), weights(weights) {}

  /// With `pattern`, layer l's attention is block-sparse by its mask l.
  Array forward(const std::vector<std::int64_t> &lengths, const Inputs &inputs,
                const checkpoint::SsaPattern *pattern) const {
    const std::int64_t full = config.tokens();
    Array x =
        config.kind == "vit"
            ? reference::patchEmbeddings(
                  inputs.images, w("embeddings.patch.weight"),
                  w("embeddings.patch.bias"), w("embeddings.cls"),
                  w("embeddings.position"), config.patchSize)
            : reference::tokenEmbeddings(
                  inputs.ids, inputs.batch, full, w("embeddings.word.weight"),
                  w("embeddings.position.weight"),
                  config.typeVocabSize > 0 ? &w("embeddings.token_type.weight")
                                           : nullptr);
    if (post())
      x = norm(x, "embeddings.norm");
    std::vector<std::pair<Array, std::vector<std::int32_t>>> dropped;
    // The key mask follows the kept tokens, as the trainer's does; restored
    // tokens take their own again.
    std::vector<std::uint8_t> mask;
    if (config.keyMask)
      mask = inputs.keyMask;
    for (std::int64_t l = 0; l < config.layers; ++l) {
      std::string p = "layers." + std::to_string(l) + ".";
      if (l == config.layers - 1 && !dropped.empty()) {
        for (auto it = dropped.rbegin(); it != dropped.rend(); ++it)
          x = reference::restoreTokens(it->first, x, it->second);
        if (config.keyMask)
          mask = inputs.keyMask;
      }
      const std::int64_t seq = x.shape[1];
      Array in = post() ? x : norm(x, p + "attention_norm");
      Array q = dense(in, p + "attention.query");
      Array k = dense(in, p + "attention.key");
      Array v = dense(in, p + "attention.value");
      std::optional<reference::BlockMask> blocks;
      if (pattern)
        blocks = reference::BlockMask{config.ssa->block, pattern->masks[l]};
      reference::Attention attention = reference::attention(
          q, k, v, mask, config.heads, blocks ? &*blocks : nullptr);
      Array r =
          reference::add(x, dense(attention.context, p + "attention.output"));
      if (post())
        r = norm(r, p + "attention_norm");
      if (lengths[l] < seq) {
        reference::Selection selection =
            reference::selectTokens(r, attention.significance, lengths[l]);
        if (config.task == "token")
          dropped.emplace_back(r, selection.indices);
        if (!mask.empty())
          mask = reference::gatherTokens(mask, inputs.batch, selection.indices);
        r = selection.selected;
      }
      Array m = post() ? r : norm(r, p + "mlp_norm");
      Array up = dense(m, p + "mlp.up", config.activation);
      x = reference::add(r, dense(up, p + "mlp.down"));
      if (post())
        x = norm(x, p + "mlp_norm");
    }
    bool perToken = config.task == "token";
    if (!post())
      x = norm(x, "final_norm");
    bool pooler = config.pooler;
    return reference::classifier(x, w("classifier.weight"),
                                 w("classifier.bias"),
                                 pooler ? &w("pooler.weight") : nullptr,
                                 pooler ? &w("pooler.bias") : nullptr,
                                 perToken ? "token" : config.pooling);
  }

private:
  bool post() const { return config.norm == "post"; }
  const Array &w(const std::string &name) const { return weights.at(name); }

  Array norm(const Array &x, const std::string &name) const {
    return reference::layerNorm(x, w(name + ".weight"), w(name + ".bias"),
                                config.layerNormEps);
  }
  Array dense(const Array &x, const std::string &name,
              const std::string &activation = "none") const {
    return reference::linear(x, w(name + ".weight"), &w(name + ".bias"),
                             activation);
  }

  const ModelConfig &config;
  const Weights &weights;
};

} // namespace

Inputs randomInputs(const ModelConfig &config, std::int64_t batch,
                    std::uint64_t seed) {
  std::mt19937_64 random(seed);
  Inputs inputs;
  inputs.batch = batch;
  if (config.kind == "vit") {
    inputs.images =
        Array({batch, config.channels, config.imageSize, config.imageSize});
    std::uniform_real_distribution<double> pixel(0.0, 1.0);
    for (double &value : inputs.images.values)
      value = static_cast<float>(pixel(random));
    return inputs;
  }
  const std::int64_t seq = config.tokens();
  std::uniform_int_distribution<std::int32_t> id(1, config.vocabSize - 1);
  std::uniform_int_distribution<std::int64_t> padding(0, seq / 2);
  for (std::int64_t b = 0; b < batch; ++b) {
    std::int64_t real = config.keyMask ? seq - padding(random) : seq;
    for (std::int64_t s = 0; s < seq; ++s) {
      inputs.ids.push_back(s == 0 ? 0 : s < real ? id(random) : 0);
      if (config.keyMask)
        inputs.keyMask.push_back(s < real ? 1 : 0);
    }
  }
  return inputs;
}

Array referenceForward(const ModelConfig &config, const Weights &weights,
                       const VariantConfig &variant, const Inputs &inputs) {
  const ReferenceModel model(config, weights);
  const std::vector<std::int64_t> lengths = config.lengthsOf(variant);
  using checkpoint::SsaInference;
  if (!config.ssa || config.ssa->inference == SsaInference::Dense)
    return model.forward(lengths, inputs, nullptr);
  if (config.ssa->inference == SsaInference::Sparse)
    return model.forward(lengths, inputs, &config.ssa->patterns.front());
  // Ensemble: the mean of every pattern's logits.
  Array mean;
  for (const checkpoint::SsaPattern &pattern : config.ssa->patterns) {
    Array logits = model.forward(lengths, inputs, &pattern);
    if (mean.values.empty())
      mean = logits;
    else
      for (std::size_t i = 0; i < mean.values.size(); ++i)
        mean.values[i] += logits.values[i];
  }
  const double count = static_cast<double>(config.ssa->patterns.size());
  for (auto &value : mean.values)
    value /= count;
  return mean;
}

} // namespace tailor::testing
