//===- TinyModel.cpp - Small ViTs and encoders with random weights --------===//

#include "tailor/testing/TinyModel.h"

#include "tailor/checkpoint/flops.h"
#include "tailor/testing/Reference.h"
#include "tailor/text/text.h"

#include <cmath>
#include <stdexcept>

namespace tailor::testing {

namespace {

namespace ck = tailor::checkpoint;

/// The architecture without the adaptive section.
ck::ModelConfig architectureOf(const ModelConfig &config) {
  ck::ModelConfig result;
  result.kind =
      config.kind == "vit" ? ck::ModelKind::Vit : ck::ModelKind::Encoder;
  result.layers = config.layers;
  result.hidden = config.hidden;
  result.heads = config.heads;
  result.intermediate = config.intermediate;
  result.norm =
      config.norm == "pre" ? ck::NormPlacement::Pre : ck::NormPlacement::Post;
  if (config.activation == "gelu")
    result.activation = ck::Activation::Gelu;
  else if (config.activation == "gelu_tanh")
    result.activation = ck::Activation::GeluTanh;
  else if (config.activation == "relu")
    result.activation = ck::Activation::Relu;
  else
    throw std::invalid_argument("no checkpoint activation " +
                                config.activation);
  result.layerNormEps = config.layerNormEps;
  result.classes = config.classes;
  result.task =
      config.task == "token" ? ck::TaskKind::Token : ck::TaskKind::Sequence;
  if (config.kind == "encoder") {
    result.vocabSize = config.vocabSize;
    result.maxPositions = config.maxPositions;
    result.typeVocabSize = config.typeVocabSize;
    result.pooler = config.pooler;
  } else {
    result.imageSize = config.imageSize;
    result.patchSize = config.patchSize;
    result.channels = config.channels;
  }
  result.adaptive.dropAndRestore = config.task == "token";
  return result;
}

} // namespace

std::int64_t ModelConfig::tokens() const {
  return ck::inputTokens(architectureOf(*this));
}

std::vector<std::int64_t>
ModelConfig::lengthsOf(const VariantConfig &variant) const {
  ck::ModelConfig architecture = architectureOf(*this);
  if (variant.lengths.empty())
    return ck::fullLengths(architecture);
  ck::checkLengths(architecture, variant.lengths,
                   "variant '" + variant.name + "' lengths");
  return variant.lengths;
}

ck::ModelConfig ModelConfig::toCheckpointConfig() const {
  ck::ModelConfig result = architectureOf(*this);
  result.adaptive.ssa = ssa;
  for (const VariantConfig &variant : variants) {
    std::vector<std::int64_t> lengths = lengthsOf(variant);
    result.adaptive.lengthConfigs.push_back(
        {variant.budget, lengths, ck::modelFlops(result, lengths), 0.0});
  }
  ck::validate(result, "tailor::testing::ModelConfig");
  return result;
}

std::int64_t countFlops(const ModelConfig &config,
                        const VariantConfig &variant) {
  ck::ModelConfig model = architectureOf(config);
  model.adaptive.ssa = config.ssa;
  return ck::modelFlops(model, config.lengthsOf(variant));
}

namespace {

std::string layerName(std::int64_t layer, const std::string &name) {
  return "layers." + std::to_string(layer) + "." + name;
}

bool hasKeyMask(const ModelConfig &config) {
  return config.kind == "encoder" && config.keyMask;
}

std::vector<std::string> inputNames(const ModelConfig &config) {
  if (config.kind == "vit")
    return {"images"};
  if (hasKeyMask(config))
    return {"ids", "key_mask"};
  return {"ids"};
}

} // namespace

Weights randomWeights(const ModelConfig &config) {
  std::mt19937_64 random(config.seed);
  Weights weights;
  const std::int64_t h = config.hidden;
  auto dense = [&](const std::string &name, std::int64_t out, std::int64_t in) {
    weights[name + ".weight"] =
        randomArray({out, in}, random, 1.0 / std::sqrt(double(in)));
    weights[name + ".bias"] = randomArray({out}, random, 0.1);
  };
  auto norm = [&](const std::string &name) {
    weights[name + ".weight"] = randomArray({h}, random, 0.1, 1.0);
    weights[name + ".bias"] = randomArray({h}, random, 0.1);
  };
  if (config.kind == "vit") {
    std::int64_t features =
        config.channels * config.patchSize * config.patchSize;
    dense("embeddings.patch", h, features);
    weights["embeddings.cls"] = randomArray({h}, random, 0.5);
    weights["embeddings.position"] =
        randomArray({config.tokens(), h}, random, 0.5);
  } else {
    weights["embeddings.word.weight"] =
        randomArray({config.vocabSize, h}, random, 0.5);
    weights["embeddings.position.weight"] =
        randomArray({config.maxPositions, h}, random, 0.5);
    if (config.typeVocabSize > 0)
      weights["embeddings.token_type.weight"] =
          randomArray({config.typeVocabSize, h}, random, 0.5);
  }
  if (config.norm == "post")
    norm("embeddings.norm");
  for (std::int64_t l = 0; l < config.layers; ++l) {
    for (const char *projection : {"query", "key", "value", "output"})
      dense(layerName(l, std::string("attention.") + projection), h, h);
    norm(layerName(l, "attention_norm"));
    dense(layerName(l, "mlp.up"), config.intermediate, h);
    dense(layerName(l, "mlp.down"), h, config.intermediate);
    norm(layerName(l, "mlp_norm"));
  }
  if (config.norm == "pre")
    norm("final_norm");
  if (config.pooler)
    dense("pooler", h, h);
  dense("classifier", config.classes, h);
  return weights;
}

namespace {

/// Emits the steps of one variant, naming buffers after what they hold.
class VariantEmitter {
public:
  explicit VariantEmitter(const ModelConfig &config) : config(config) {}

  /// The embeddings, then the layers and head: once, or with an SSA
  /// ensemble once per pattern (buffers "m<i>.*") and the mean of their
  /// logits.
  PlanBuilder::Plan emit(const std::vector<std::int64_t> &lengths) {
    const std::string x = embeddings();
    using ck::SsaInference;
    if (!config.ssa || config.ssa->inference == SsaInference::Dense) {
      encode(x, lengths, nullptr, "", "logits");
    } else if (config.ssa->inference == SsaInference::Sparse) {
      encode(x, lengths, &config.ssa->patterns.front(), "", "logits");
    } else {
      nlohmann::json members;
      for (std::size_t i = 0; i < config.ssa->patterns.size(); ++i) {
        const std::string member = "m" + std::to_string(i) + ".";
        encode(x, lengths, &config.ssa->patterns[i], member, member + "logits");
        members["x" + std::to_string(i)] = member + "logits";
      }
      declareLogits("logits");
      plan.step("ensemble_mean", members, {{"y", "logits"}});
    }
    return plan.finish(inputNames(config), {"logits"});
  }

private:
  std::string embeddings() {
    const std::int64_t seq = config.tokens(), h = config.hidden;
    std::string x;
    if (config.kind == "vit") {
      plan.buffer("images", "f32",
                  {config.channels, config.imageSize, config.imageSize});
      x = plan.buffer("embeddings", config.activations, {seq, h});
      plan.step("patch_embeddings", {{"images", "images"}}, {{"y", x}},
                {{"weight", "embeddings.patch.weight"},
                 {"bias", "embeddings.patch.bias"},
                 {"cls", "embeddings.cls"},
                 {"position", "embeddings.position"}},
                {{"patch_size", config.patchSize}});
    } else {
      plan.buffer("ids", "i32", {seq});
      if (hasKeyMask(config))
        plan.buffer("key_mask", "u8", {seq});
      x = plan.buffer("embeddings", config.activations, {seq, h});
      nlohmann::json weights = {{"word", "embeddings.word.weight"},
                                {"position", "embeddings.position.weight"}};
      if (config.typeVocabSize > 0)
        weights["token_type"] = "embeddings.token_type.weight";
      plan.step("token_embeddings", {{"ids", "ids"}}, {{"y", x}}, weights);
    }
    if (config.norm == "post")
      x = layerNorm("embeddings.normed", x, seq, "embeddings.norm");
    return x;
  }

  /// The layers and head on the embeddings `x`, block-sparse by `pattern`
  /// when there is one; every buffer named with the prefix `member`, the
  /// logits `logits`.
  void encode(std::string x, const std::vector<std::int64_t> &lengths,
              const ck::SsaPattern *pattern, const std::string &member,
              const std::string &logits) {
    const std::int64_t full = config.tokens(), h = config.hidden;
    std::int64_t seq = full;
    struct Dropped {
      std::string full, indices;
      std::int64_t seq;
    };
    std::vector<Dropped> dropped;
    // The key mask of the tokens each layer runs on: gathered with them.
    std::string mask = hasKeyMask(config) ? "key_mask" : "";
    for (std::int64_t l = 0; l < config.layers; ++l) {
      std::string p = member + "l" + std::to_string(l) + ".";
      // Drop-and-Restore: the last layer runs on every token again.
      if (l == config.layers - 1 && !dropped.empty()) {
        if (hasKeyMask(config))
          mask = "key_mask";
        for (std::size_t i = dropped.size(); i-- > 0;) {
          std::string restored =
              plan.buffer(member + "restored" + std::to_string(i),
                          config.activations, {dropped[i].seq, h});
          plan.step("restore_tokens",
                    {{"full", dropped[i].full},
                     {"selected", x},
                     {"indices", dropped[i].indices}},
                    {{"y", restored}});
          x = restored;
          seq = dropped[i].seq;
        }
      }
      std::string in = config.norm == "pre"
                           ? layerNorm(p + "attention_in", x, seq,
                                       layerName(l, "attention_norm"))
                           : x;
      std::string q =
          linear(p + "q", in, seq, h, layerName(l, "attention.query"));
      std::string k =
          linear(p + "k", in, seq, h, layerName(l, "attention.key"));
      std::string v =
          linear(p + "v", in, seq, h, layerName(l, "attention.value"));
      bool select = lengths[l] < seq;
      std::string context =
          plan.buffer(p + "context", config.activations, {seq, h});
      nlohmann::json outputs = {{"context", context}};
      if (select)
        outputs["significance"] = plan.buffer(p + "significance", "f32", {seq});
      nlohmann::json inputs = {{"q", q}, {"k", k}, {"v", v}};
      if (!mask.empty())
        inputs["key_mask"] = mask;
      nlohmann::json attrs = {{"heads", config.heads}};
      if (pattern)
        attrs["block_sparse"] = blockSparse(pattern->masks[l]);
      plan.step("attention", inputs, outputs, {}, attrs);
      std::string o = linear(p + "attention_out", context, seq, h,
                             layerName(l, "attention.output"));
      std::string r = add(p + "attention_residual", x, o, seq);
      if (config.norm == "post")
        r = layerNorm(p + "attention_normed", r, seq,
                      layerName(l, "attention_norm"));
      if (select) {
        std::string kept =
            plan.buffer(p + "kept", config.activations, {lengths[l], h});
        std::string indices = plan.buffer(p + "indices", "i32", {lengths[l]});
        plan.step("select_tokens",
                  {{"x", r}, {"significance", outputs["significance"]}},
                  {{"y", kept}, {"indices", indices}});
        if (config.task == "token")
          dropped.push_back({r, indices, seq});
        if (!mask.empty() && l < config.layers - 1) {
          std::string keptMask =
              plan.buffer(p + "kept_mask", "u8", {lengths[l]});
          plan.step("gather_tokens", {{"x", mask}, {"indices", indices}},
                    {{"y", keptMask}});
          mask = keptMask;
        }
        r = kept;
        seq = lengths[l];
      }
      std::string m = config.norm == "pre" ? layerNorm(p + "mlp_in", r, seq,
                                                       layerName(l, "mlp_norm"))
                                           : r;
      std::string up = linear(p + "mlp_up", m, seq, config.intermediate,
                              layerName(l, "mlp.up"), config.activation);
      std::string down =
          linear(p + "mlp_down", up, seq, h, layerName(l, "mlp.down"));
      x = add(p + "out", r, down, seq);
      if (config.norm == "post")
        x = layerNorm(p + "out_normed", x, seq, layerName(l, "mlp_norm"));
    }
    if (config.norm == "pre")
      x = layerNorm(member + "final_normed", x, seq, "final_norm");
    const bool perToken = config.task == "token";
    declareLogits(logits);
    nlohmann::json weights = {{"weight", "classifier.weight"},
                              {"bias", "classifier.bias"}};
    if (config.pooler) {
      weights["pooler_weight"] = "pooler.weight";
      weights["pooler_bias"] = "pooler.bias";
    }
    plan.step("classifier", {{"x", x}}, {{"logits", logits}}, weights,
              {{"pooling", perToken ? "token" : config.pooling}});
  }

  void declareLogits(const std::string &name) {
    plan.buffer(name, "f32",
                config.task == "token"
                    ? std::vector<std::int64_t>{config.tokens(), config.classes}
                    : std::vector<std::int64_t>{config.classes});
  }

  /// An attention step's block_sparse attribute from a layer's mask.
  nlohmann::json blockSparse(const std::vector<std::int64_t> &mask) const {
    const std::int64_t block = config.ssa->block;
    const std::int64_t rows = (config.tokens() + block - 1) / block;
    nlohmann::json table = nlohmann::json::array();
    for (std::int64_t row = 0; row < rows; ++row) {
      nlohmann::json keys = nlohmann::json::array();
      for (std::int64_t key = 0; key < rows; ++key)
        if (mask[row * rows + key])
          keys.push_back(key);
      table.push_back(keys);
    }
    return {{"block", block}, {"table", table}};
  }

  std::string layerNorm(const std::string &name, const std::string &x,
                        std::int64_t seq, const std::string &weights) {
    plan.buffer(name, config.activations, {seq, config.hidden});
    plan.step("layer_norm", {{"x", x}}, {{"y", name}},
              {{"gamma", weights + ".weight"}, {"beta", weights + ".bias"}},
              {{"epsilon", config.layerNormEps}});
    return name;
  }

  std::string linear(const std::string &name, const std::string &x,
                     std::int64_t seq, std::int64_t out,
                     const std::string &weights,
                     const std::string &activation = "none") {
    plan.buffer(name, config.activations, {seq, out});
    nlohmann::json attrs;
    if (activation != "none")
      attrs["activation"] = activation;
    plan.step("linear", {{"x", x}}, {{"y", name}},
              {{"weight", weights + ".weight"}, {"bias", weights + ".bias"}},
              attrs);
    return name;
  }

  std::string add(const std::string &name, const std::string &a,
                  const std::string &b, std::int64_t seq) {
    plan.buffer(name, config.activations, {seq, config.hidden});
    plan.step("add", {{"a", a}, {"b", b}}, {{"y", name}});
    return name;
  }

  const ModelConfig &config;
  PlanBuilder plan;
};

} // namespace

Artifact buildArtifact(const ModelConfig &config, const Weights &weights) {
  Artifact artifact;
  artifact.weights = weights;
  nlohmann::json model = {{"kind", config.kind},
                          {"task", config.task},
                          {"classes", config.classes},
                          {"hidden", config.hidden},
                          {"layers", config.layers},
                          {"heads", config.heads},
                          {"source", "tailor::testing tiny model"}};
  if (config.inputNormalization)
    model["input_normalization"] = {{"mean", config.inputNormalization->first},
                                    {"std", config.inputNormalization->second}};
  if (!config.vocabulary.empty()) {
    model["vocabulary"] = "text.vocabulary";
    artifact.byteTensors["text.vocabulary"] =
        text::Vocabulary::fromWords(config.vocabulary, "test vocabulary")
            .toText();
  }
  const std::int64_t tokens = config.tokens();
  nlohmann::json inputs = nlohmann::json::array();
  if (config.kind == "vit") {
    inputs.push_back(
        {{"name", "images"},
         {"dtype", "f32"},
         {"shape", {-1, config.channels, config.imageSize, config.imageSize}}});
  } else {
    inputs.push_back(
        {{"name", "ids"}, {"dtype", "i32"}, {"shape", {-1, tokens}}});
    if (hasKeyMask(config))
      inputs.push_back(
          {{"name", "key_mask"}, {"dtype", "u8"}, {"shape", {-1, tokens}}});
  }
  nlohmann::json logitsShape = config.task == "token"
                                   ? nlohmann::json{-1, tokens, config.classes}
                                   : nlohmann::json{-1, config.classes};
  nlohmann::json variants = nlohmann::json::array();
  for (const VariantConfig &variant : config.variants) {
    std::vector<std::int64_t> lengths = config.lengthsOf(variant);
    PlanBuilder::Plan plan = VariantEmitter(config).emit(lengths);
    variants.push_back({{"name", variant.name},
                        {"budget", variant.budget},
                        {"flops", countFlops(config, variant)},
                        {"lengths", lengths},
                        {"arena_bytes_per_sample", plan.arenaBytesPerSample},
                        {"buffers", plan.buffers},
                        {"steps", plan.steps}});
  }
  artifact.manifest = {
      {"format", "tailor-artifact"},
      {"version", 1},
      {"model", model},
      {"inputs", inputs},
      {"outputs",
       {{{"name", "logits"}, {"dtype", "f32"}, {"shape", logitsShape}}}},
      {"variants", variants}};
  return artifact;
}

ModelConfig tinyVitModel() {
  ModelConfig config;
  config.kind = "vit";
  config.imageSize = 8;
  config.patchSize = 2;
  return config;
}

ModelConfig tinyTokenEncoderModel() {
  ModelConfig config;
  config.kind = "encoder";
  config.task = "token";
  config.norm = "post";
  config.layerNormEps = 1e-12;
  config.maxPositions = 10;
  return config;
}

ModelConfig tinySequenceEncoderModel() {
  ModelConfig config;
  config.kind = "encoder";
  config.norm = "post";
  config.activation = "gelu_tanh";
  config.pooler = true;
  config.typeVocabSize = 2;
  config.keyMask = true;
  config.heads = 4;
  config.maxPositions = 12;
  return config;
}

Inputs trainerTextInputs(const ModelConfig &config,
                         const std::vector<std::string> &texts) {
  const auto vocabulary =
      text::Vocabulary::fromWords(config.vocabulary, "test vocabulary");
  Inputs inputs;
  inputs.batch = static_cast<std::int64_t>(texts.size());
  for (const std::string &one : texts)
    for (std::int64_t id :
         vocabulary.encode(text::tokenize(one), config.tokens())) {
      inputs.ids.push_back(static_cast<std::int32_t>(id));
      inputs.keyMask.push_back(id != text::Vocabulary::kPadId);
    }
  return inputs;
}

ModelConfig tinyTextEncoderModel(const std::vector<std::string> &texts) {
  std::vector<std::vector<std::string>> words;
  for (const std::string &text : texts)
    words.push_back(text::tokenize(text));
  ModelConfig config = tinySequenceEncoderModel();
  config.vocabulary = text::Vocabulary::build(words, 1).words();
  config.vocabSize = static_cast<std::int64_t>(config.vocabulary.size());
  return config;
}

ModelConfig withSsa(ModelConfig base, checkpoint::SsaInference inference,
                    int patterns, std::int64_t block) {
  checkpoint::SsaSettings ssa;
  ssa.block = block;
  ssa.keep = 0.5;
  ssa.locality = 1.0;
  ssa.inference = inference;
  const std::int64_t rows = (base.tokens() + block - 1) / block;
  for (int p = 0; p < patterns; ++p) {
    checkpoint::SsaPattern pattern;
    for (std::int64_t l = 0; l < base.layers; ++l) {
      std::vector<std::int64_t> mask(rows * rows, 0);
      for (std::int64_t i = 0; i < rows; ++i) {
        mask[i] = mask[i * rows] = mask[i * rows + i] = 1;
        if (rows > 1)
          mask[i * rows + 1 + (i + p + l) % (rows - 1)] = 1;
      }
      pattern.masks.push_back(mask);
    }
    ssa.patterns.push_back(pattern);
  }
  base.ssa = ssa;
  base.variants = {{"b1.00", 1.0, {}}};
  return base;
}

} // namespace tailor::testing
