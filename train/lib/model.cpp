//===- model.cpp - Length-adaptive text encoder and ViT -------------------===//

#include "tailor/train/model.h"
#include "tailor/train/error.h"
#include "tailor/train/token_selection.h"
#include "tailor/train/wordnet.h"

#include <cmath>
#include <limits>

namespace tailor::train {

using checkpoint::Activation;
using checkpoint::ModelConfig;
using checkpoint::ModelKind;
using checkpoint::NormPlacement;
using checkpoint::TaskKind;

namespace {
torch::nn::LayerNorm layerNorm(const ModelConfig &config) {
  return torch::nn::LayerNorm(
      torch::nn::LayerNormOptions({config.hidden}).eps(config.layerNormEps));
}
} // namespace

MultiHeadAttentionImpl::MultiHeadAttentionImpl(std::int64_t hidden,
                                               std::int64_t heads)
    : heads(heads) {
  query = register_module("query", torch::nn::Linear(hidden, hidden));
  key = register_module("key", torch::nn::Linear(hidden, hidden));
  value = register_module("value", torch::nn::Linear(hidden, hidden));
  output = register_module("output", torch::nn::Linear(hidden, hidden));
}

std::pair<torch::Tensor, torch::Tensor>
MultiHeadAttentionImpl::forward(const torch::Tensor &x,
                                const torch::Tensor &keyMask,
                                const SsaPattern *pattern) {
  const std::int64_t batch = x.size(0), seq = x.size(1), hidden = x.size(2);
  const std::int64_t width = hidden / heads;
  auto split = [&](const torch::Tensor &t) {
    return t.view({batch, seq, heads, width}).transpose(1, 2);
  };
  auto q = split(query(x));
  auto k = split(key(x));
  auto v = split(value(x));
  if (pattern) {
    auto context = blockSparseAttention(
        q / std::sqrt(static_cast<double>(width)), k, v, keyMask, *pattern);
    return {output(context.transpose(1, 2).reshape({batch, seq, hidden})),
            torch::Tensor()};
  }
  auto scores = torch::matmul(q, k.transpose(-2, -1)) /
                std::sqrt(static_cast<double>(width));
  if (keyMask.defined())
    scores = scores.masked_fill(keyMask.logical_not().view({batch, 1, 1, seq}),
                                -std::numeric_limits<float>::infinity());
  auto probabilities = torch::softmax(scores, -1);
  auto context = torch::matmul(probabilities, v)
                     .transpose(1, 2)
                     .reshape({batch, seq, hidden});
  // Which tokens to keep is discrete: no gradient flows through it.
  return {output(context), tokenSignificance(probabilities.detach(), keyMask)};
}

MlpImpl::MlpImpl(std::int64_t hidden, std::int64_t intermediate,
                 Activation activation)
    : activation(activation) {
  up = register_module("up", torch::nn::Linear(hidden, intermediate));
  down = register_module("down", torch::nn::Linear(intermediate, hidden));
}

torch::Tensor MlpImpl::forward(const torch::Tensor &x) {
  auto h = up(x);
  switch (activation) {
  case Activation::Gelu:
    h = torch::gelu(h);
    break;
  case Activation::GeluTanh:
    h = torch::gelu(h, "tanh");
    break;
  case Activation::Relu:
    h = torch::relu(h);
    break;
  }
  return down(h);
}

LayerImpl::LayerImpl(const ModelConfig &config, std::int64_t index)
    : preNorm(config.norm == NormPlacement::Pre) {
  attention = register_module("attention",
                              MultiHeadAttention(config.hidden, config.heads));
  attention_norm = register_module("attention_norm", layerNorm(config));
  if (checkpoint::isAcmLayer(config, index))
    acm = register_module(
        "mlp", AcmMlp(config.hidden, config.adaptive.acm->learners,
                      config.adaptive.acm->learnerWidth, config.activation));
  else
    mlp = register_module(
        "mlp", Mlp(config.hidden, config.intermediate, config.activation));
  mlp_norm = register_module("mlp_norm", layerNorm(config));
}

std::pair<torch::Tensor, torch::Tensor>
LayerImpl::attentionBlock(const torch::Tensor &x, const torch::Tensor &keyMask,
                          const SsaPattern *pattern) {
  if (preNorm) {
    auto [out, significance] = attention(attention_norm(x), keyMask, pattern);
    return {x + out, significance};
  }
  auto [out, significance] = attention(x, keyMask, pattern);
  return {attention_norm(x + out), significance};
}

torch::Tensor LayerImpl::mlpBlock(const torch::Tensor &x, ForwardTrace *trace) {
  auto input = preNorm ? mlp_norm(x) : x;
  if (trace && trace->recordMlpInputs)
    trace->mlpInputs.push_back(input);
  torch::Tensor out;
  if (acm) {
    AcmDecision decision;
    out = acm(input, trace ? &decision : nullptr);
    if (trace)
      trace->acm.push_back(std::move(decision));
  } else {
    out = mlp(input);
  }
  return preNorm ? x + out : mlp_norm(x + out);
}

AdaptiveTransformerImpl::AdaptiveTransformerImpl(ModelConfig config)
    : modelConfig(std::move(config)) {
  checkpoint::validate(modelConfig, "model");
  const ModelConfig &c = modelConfig;
  tokens = checkpoint::inputTokens(c);
  embeddings =
      register_module("embeddings", std::make_shared<torch::nn::Module>());
  if (c.kind == ModelKind::Vit) {
    patch = embeddings->register_module(
        "patch",
        torch::nn::Linear(c.channels * c.patchSize * c.patchSize, c.hidden));
    cls = embeddings->register_parameter("cls", torch::zeros({c.hidden}));
    patchPosition = embeddings->register_parameter(
        "position", torch::zeros({tokens, c.hidden}));
  } else {
    word = embeddings->register_module(
        "word", torch::nn::Embedding(c.vocabSize, c.hidden));
    position = embeddings->register_module(
        "position", torch::nn::Embedding(c.maxPositions, c.hidden));
    if (c.typeVocabSize > 0)
      token_type = embeddings->register_module(
          "token_type", torch::nn::Embedding(c.typeVocabSize, c.hidden));
    if (c.norm == NormPlacement::Post)
      embeddings_norm = embeddings->register_module("norm", layerNorm(c));
  }
  layers = register_module("layers", torch::nn::ModuleList());
  for (std::int64_t i = 0; i < c.layers; ++i)
    layers->push_back(Layer(c, i));
  if (c.norm == NormPlacement::Pre)
    final_norm = register_module("final_norm", layerNorm(c));
  if (c.pooler)
    pooler = register_module("pooler", torch::nn::Linear(c.hidden, c.hidden));
  classifier =
      register_module("classifier", torch::nn::Linear(c.hidden, c.classes));
  initialize();
}

void AdaptiveTransformerImpl::initialize() {
  // BERT's and ViT's initialisation: small normal weights, zero biases,
  // LayerNorm at identity.
  torch::NoGradGuard noGrad;
  for (auto &named : named_parameters()) {
    const std::string &name = named.key();
    bool isNorm = name.find("norm.") != std::string::npos;
    bool isBias =
        name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    if (isNorm)
      named.value().fill_(isBias ? 0.0 : 1.0);
    else if (isBias)
      named.value().zero_();
    else if (name ==
             "embeddings.patch.weight") // pixels, not unit-scale features
      named.value().normal_(0.0,
                            1.0 / std::sqrt(double(named.value().size(1))));
    else
      named.value().normal_(0.0, 0.02);
  }
}

LengthSpace AdaptiveTransformerImpl::lengthSpace() const {
  return LengthSpace::of(modelConfig);
}

LayerImpl &AdaptiveTransformerImpl::layer(std::int64_t index) {
  return *layers[index]->as<LayerImpl>();
}

std::pair<torch::Tensor, torch::Tensor>
AdaptiveTransformerImpl::embed(const torch::Tensor &inputs) {
  const ModelConfig &c = modelConfig;
  if (c.kind == ModelKind::Vit) {
    if (inputs.dim() != 4 || inputs.size(1) != c.channels ||
        inputs.size(2) != c.imageSize || inputs.size(3) != c.imageSize ||
        !inputs.is_floating_point())
      throw Error("vit input: expected float images [batch, " +
                  std::to_string(c.channels) + ", " +
                  std::to_string(c.imageSize) + ", " +
                  std::to_string(c.imageSize) + "], got " +
                  c10::str(inputs.sizes()));
    const std::int64_t batch = inputs.size(0), p = c.patchSize;
    const std::int64_t side = c.imageSize / p;
    // Patches in row-major order, each flattened as (channel, row, column).
    auto patches = inputs.view({batch, c.channels, side, p, side, p})
                       .permute({0, 2, 4, 1, 3, 5})
                       .reshape({batch, side * side, c.channels * p * p});
    auto x =
        torch::cat({cls.view({1, 1, c.hidden}).expand({batch, 1, c.hidden}),
                    patch(patches)},
                   1);
    return {x + patchPosition, torch::Tensor()};
  }
  if (inputs.dim() != 2 || inputs.scalar_type() != torch::kLong ||
      inputs.size(1) > c.maxPositions || inputs.size(1) < 1)
    throw Error("encoder input: expected int64 token ids [batch, seq] with seq "
                "<= " +
                std::to_string(c.maxPositions) + ", got " +
                c10::str(inputs.sizes()) + " " +
                std::string(c10::toString(inputs.scalar_type())));
  if (inputs.numel() > 0) {
    auto low = inputs.min().item<std::int64_t>();
    auto high = inputs.max().item<std::int64_t>();
    if (low < 0 || high >= c.vocabSize)
      throw Error(
          "encoder input: token id " + std::to_string(low < 0 ? low : high) +
          " outside the vocabulary [0, " + std::to_string(c.vocabSize) + ")");
  }
  const std::int64_t seq = inputs.size(1);
  auto x = word(inputs) +
           position(torch::arange(seq, inputs.options())).unsqueeze(0);
  if (token_type)
    x = x + token_type->weight[0];
  if (embeddings_norm)
    x = embeddings_norm(x);
  return {x, inputs.ne(Vocabulary::kPadId)};
}

torch::Tensor AdaptiveTransformerImpl::head(const torch::Tensor &x) {
  auto h = final_norm ? final_norm(x) : x;
  if (modelConfig.task == TaskKind::Token)
    return classifier(h);
  auto first = h.select(1, 0);
  if (pooler)
    first = torch::tanh(pooler(first));
  return classifier(first);
}

torch::Tensor AdaptiveTransformerImpl::forward(const torch::Tensor &inputs,
                                               const RunConfig &run) {
  const LengthSpace space = lengthSpace();
  if (!run.lengths.empty())
    checkpoint::checkLengths(modelConfig, run.lengths, "length configuration");
  if (!run.skipLayers.empty() &&
      static_cast<std::int64_t>(run.skipLayers.size()) != modelConfig.layers)
    throw Error("LayerDrop mask has " + std::to_string(run.skipLayers.size()) +
                " entries for " + std::to_string(modelConfig.layers) +
                " layers");
  const bool ssa = !run.ssaPatterns.empty();
  if (ssa &&
      static_cast<std::int64_t>(run.ssaPatterns.size()) != modelConfig.layers)
    throw Error("SSA: " + std::to_string(run.ssaPatterns.size()) +
                " patterns for " + std::to_string(modelConfig.layers) +
                " layers");
  auto [x, mask] = embed(inputs);
  const std::int64_t batch = x.size(0), seq = x.size(1);
  const std::int64_t last = modelConfig.layers - 1;
  const torch::Tensor fullMask = mask;
  // Drop-and-Restore: `full` holds every token's latest hidden state at its
  // original position, `positions` the original positions of the tokens in x.
  torch::Tensor full, positions;
  auto allPositions = [&] {
    return torch::arange(seq, x.options().dtype(torch::kLong))
        .expand({batch, seq});
  };
  if (space.restoreBeforeLast) {
    full = x;
    positions = allPositions();
  }
  for (std::int64_t i = 0; i <= last; ++i) {
    if (space.restoreBeforeLast && i == last && x.size(1) < seq) {
      x = restoreTokens(full, x, positions);
      mask = fullMask;
      positions = allPositions();
    }
    if (!run.skipLayers.empty() && run.skipLayers[i])
      continue;
    auto *layer = layers[i]->as<LayerImpl>();
    auto [attended, significance] =
        layer->attentionBlock(x, mask, ssa ? &run.ssaPatterns[i] : nullptr);
    x = attended;
    std::int64_t keep = run.lengths.empty() ? x.size(1) : run.lengths[i];
    if (ssa && keep < x.size(1))
      throw Error("SSA attention has no token significance: it does not "
                  "combine with a length configuration that drops tokens");
    if (keep < x.size(1)) {
      auto kept = selectTokens(significance, keep);
      if (space.restoreBeforeLast) {
        full = restoreTokens(full, x, positions);
        positions = positions.gather(1, kept);
      }
      x = gatherTokens(x, kept);
      if (mask.defined())
        mask = mask.gather(1, kept);
    }
    x = layer->mlpBlock(x, run.trace);
  }
  if (space.restoreBeforeLast && x.size(1) < seq) // the last layer was skipped
    x = restoreTokens(full, x, positions);
  return head(x);
}

} // namespace tailor::train
