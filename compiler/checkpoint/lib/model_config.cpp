//===- model_config.cpp - model.json: parse, serialize, derived sizes -----===//

#include "checked_math.h"
#include "json_reader.h"

#include "tailor/checkpoint/error.h"
#include "tailor/checkpoint/model_config.h"

#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

namespace tailor::checkpoint {
namespace {

using nlohmann::json;

constexpr std::string_view formatName = "tailor-checkpoint";
constexpr std::int64_t formatVersion = 1;

template <typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

constexpr NameTable<ModelKind, 2> kindNames = {
    {{ModelKind::Encoder, "encoder"}, {ModelKind::Vit, "vit"}}};
constexpr NameTable<NormPlacement, 2> normNames = {
    {{NormPlacement::Post, "post"}, {NormPlacement::Pre, "pre"}}};
constexpr NameTable<Activation, 3> activationNames = {
    {{Activation::Gelu, "gelu"},
     {Activation::GeluTanh, "gelu_tanh"},
     {Activation::Relu, "relu"}}};
constexpr NameTable<TaskKind, 2> taskNames = {
    {{TaskKind::Sequence, "sequence"}, {TaskKind::Token, "token"}}};
constexpr NameTable<SsaInference, 3> ssaInferenceNames = {
    {{SsaInference::Dense, "dense"},
     {SsaInference::Sparse, "sparse"},
     {SsaInference::Ensemble, "ensemble"}}};

template <typename Enum, std::size_t N>
std::string_view nameOf(const NameTable<Enum, N> &table, Enum value) {
  for (const auto &[entry, name] : table)
    if (entry == value)
      return name;
  throw CheckpointError("invalid enumerator " +
                        std::to_string(static_cast<int>(value)));
}

template <typename Enum, std::size_t N>
Enum readEnum(const detail::ObjectReader &object, std::string_view key,
              const NameTable<Enum, N> &table) {
  const std::string text = object.string(key);
  std::string known;
  for (const auto &[entry, name] : table) {
    if (name == text)
      return entry;
    known += (known.empty() ? "\"" : ", \"") + std::string(name) + "\"";
  }
  object.fail(key, "unknown value \"" + text + "\" (expected " + known + ")");
}

ModelConfig readArchitecture(const detail::ObjectReader &architecture) {
  ModelConfig config;
  config.kind = readEnum(architecture, "kind", kindNames);
  const bool vit = config.kind == ModelKind::Vit;
  if (vit)
    architecture.allowOnly({"kind", "layers", "hidden", "heads", "intermediate",
                            "norm", "activation", "layer_norm_eps", "classes",
                            "task", "image_size", "patch_size", "channels"});
  else
    architecture.allowOnly({"kind", "layers", "hidden", "heads", "intermediate",
                            "norm", "activation", "layer_norm_eps", "classes",
                            "task", "vocab_size", "max_positions",
                            "type_vocab_size", "pooler"});
  config.layers = architecture.integer("layers");
  config.hidden = architecture.integer("hidden");
  config.heads = architecture.integer("heads");
  config.intermediate = architecture.integer("intermediate");
  config.norm = readEnum(architecture, "norm", normNames);
  config.activation = readEnum(architecture, "activation", activationNames);
  config.layerNormEps = architecture.has("layer_norm_eps")
                            ? architecture.number("layer_norm_eps")
                            : defaultLayerNormEps(config.norm);
  config.classes = architecture.integer("classes");
  if (architecture.has("task"))
    config.task = readEnum(architecture, "task", taskNames);
  if (vit) {
    config.imageSize = architecture.integer("image_size");
    config.patchSize = architecture.integer("patch_size");
    config.channels = architecture.integer("channels");
  } else {
    config.vocabSize = architecture.integer("vocab_size");
    config.maxPositions = architecture.integer("max_positions");
    if (architecture.has("type_vocab_size"))
      config.typeVocabSize = architecture.integer("type_vocab_size");
    if (architecture.has("pooler"))
      config.pooler = architecture.boolean("pooler");
  }
  return config;
}

SsaSettings readSsa(const detail::ObjectReader &ssa) {
  ssa.allowOnly({"block", "keep", "locality", "global_first_block", "inference",
                 "patterns"});
  SsaSettings settings;
  settings.block = ssa.integer("block");
  settings.keep = ssa.number("keep");
  if (ssa.has("locality"))
    settings.locality = ssa.number("locality");
  if (ssa.has("global_first_block"))
    settings.globalFirstBlock = ssa.boolean("global_first_block");
  settings.inference = readEnum(ssa, "inference", ssaInferenceNames);
  if (ssa.has("patterns"))
    for (const detail::ObjectReader &pattern : ssa.objects("patterns")) {
      pattern.allowOnly({"layers"});
      SsaPattern &read = settings.patterns.emplace_back();
      for (const detail::ObjectReader &layer : pattern.objects("layers")) {
        layer.allowOnly({"mask"});
        read.masks.push_back(layer.integers("mask"));
      }
    }
  return settings;
}

AcmSettings readAcm(const detail::ObjectReader &acm) {
  acm.allowOnly({"layers", "learners", "learner_width", "budget", "compute"});
  AcmSettings settings;
  settings.layers = acm.integers("layers");
  settings.learners = acm.integer("learners");
  settings.learnerWidth = acm.integer("learner_width");
  settings.budget = acm.number("budget");
  if (acm.has("compute"))
    settings.compute = acm.number("compute");
  return settings;
}

AdaptiveConfig readAdaptive(const detail::ObjectReader &adaptive) {
  adaptive.allowOnly({"length_drop", "drop_and_restore", "length_configs",
                      "pareto", "ssa", "acm"});
  AdaptiveConfig config;
  if (adaptive.has("length_drop")) {
    detail::ObjectReader lengthDrop = adaptive.object("length_drop");
    lengthDrop.allowOnly({"p", "layer_drop", "sandwich_random"});
    LengthDropSettings settings;
    if (lengthDrop.has("p"))
      settings.p = lengthDrop.number("p");
    if (lengthDrop.has("layer_drop"))
      settings.layerDrop = lengthDrop.number("layer_drop");
    if (lengthDrop.has("sandwich_random"))
      settings.sandwichRandom = lengthDrop.integer("sandwich_random");
    config.lengthDrop = settings;
  }
  if (adaptive.has("drop_and_restore"))
    config.dropAndRestore = adaptive.boolean("drop_and_restore");
  if (adaptive.has("length_configs"))
    for (const detail::ObjectReader &entry :
         adaptive.objects("length_configs")) {
      entry.allowOnly({"budget", "lengths", "flops", "accuracy"});
      config.lengthConfigs.push_back(
          {entry.number("budget"), entry.integers("lengths"),
           entry.integer("flops"), entry.number("accuracy")});
    }
  if (adaptive.has("pareto"))
    for (const detail::ObjectReader &entry : adaptive.objects("pareto")) {
      entry.allowOnly({"lengths", "flops", "accuracy"});
      config.pareto.push_back({entry.integers("lengths"),
                               entry.integer("flops"),
                               entry.number("accuracy")});
    }
  if (adaptive.has("ssa"))
    config.ssa = readSsa(adaptive.object("ssa"));
  if (adaptive.has("acm"))
    config.acm = readAcm(adaptive.object("acm"));
  return config;
}

} // namespace

std::string_view toString(ModelKind kind) { return nameOf(kindNames, kind); }
std::string_view toString(NormPlacement norm) {
  return nameOf(normNames, norm);
}
std::string_view toString(Activation activation) {
  return nameOf(activationNames, activation);
}
std::string_view toString(TaskKind task) { return nameOf(taskNames, task); }
std::string_view toString(SsaInference inference) {
  return nameOf(ssaInferenceNames, inference);
}

bool operator==(const LengthDropSettings &a, const LengthDropSettings &b) {
  return std::tie(a.p, a.layerDrop, a.sandwichRandom) ==
         std::tie(b.p, b.layerDrop, b.sandwichRandom);
}

bool operator==(const LengthConfig &a, const LengthConfig &b) {
  return std::tie(a.budget, a.lengths, a.flops, a.accuracy) ==
         std::tie(b.budget, b.lengths, b.flops, b.accuracy);
}

bool operator==(const ParetoPoint &a, const ParetoPoint &b) {
  return std::tie(a.lengths, a.flops, a.accuracy) ==
         std::tie(b.lengths, b.flops, b.accuracy);
}

bool operator==(const SsaPattern &a, const SsaPattern &b) {
  return a.masks == b.masks;
}

bool operator==(const SsaSettings &a, const SsaSettings &b) {
  return std::tie(a.block, a.keep, a.locality, a.globalFirstBlock, a.inference,
                  a.patterns) == std::tie(b.block, b.keep, b.locality,
                                          b.globalFirstBlock, b.inference,
                                          b.patterns);
}

bool operator==(const AcmSettings &a, const AcmSettings &b) {
  return std::tie(a.layers, a.learners, a.learnerWidth, a.budget, a.compute) ==
         std::tie(b.layers, b.learners, b.learnerWidth, b.budget, b.compute);
}

bool operator==(const AdaptiveConfig &a, const AdaptiveConfig &b) {
  return std::tie(a.lengthDrop, a.dropAndRestore, a.lengthConfigs, a.pareto,
                  a.ssa, a.acm) == std::tie(b.lengthDrop, b.dropAndRestore,
                                            b.lengthConfigs, b.pareto, b.ssa,
                                            b.acm);
}

bool operator==(const ModelConfig &a, const ModelConfig &b) {
  return std::tie(a.kind, a.layers, a.hidden, a.heads, a.intermediate, a.norm,
                  a.activation, a.layerNormEps, a.classes, a.task, a.vocabSize,
                  a.maxPositions, a.typeVocabSize, a.pooler, a.imageSize,
                  a.patchSize, a.channels, a.adaptive) ==
         std::tie(b.kind, b.layers, b.hidden, b.heads, b.intermediate, b.norm,
                  b.activation, b.layerNormEps, b.classes, b.task, b.vocabSize,
                  b.maxPositions, b.typeVocabSize, b.pooler, b.imageSize,
                  b.patchSize, b.channels, b.adaptive);
}

double defaultLayerNormEps(NormPlacement norm) {
  return norm == NormPlacement::Post ? 1e-12 : 1e-6;
}

std::int64_t inputTokens(const ModelConfig &config) {
  if (config.kind == ModelKind::Encoder)
    return config.maxPositions;
  if (config.patchSize < 1 || config.imageSize < 1 ||
      config.imageSize % config.patchSize != 0)
    throw CheckpointError("image_size " + std::to_string(config.imageSize) +
                          " is not a positive multiple of patch_size " +
                          std::to_string(config.patchSize));
  const std::int64_t side = config.imageSize / config.patchSize;
  std::optional<std::int64_t> patches = detail::checkedProduct({side, side});
  std::optional<std::int64_t> tokens =
      patches ? detail::checkedSum(*patches, 1) : std::nullopt;
  if (!tokens)
    throw CheckpointError("image_size " + std::to_string(config.imageSize) +
                          " / patch_size " + std::to_string(config.patchSize) +
                          ": the token count overflows 64-bit integers");
  return *tokens;
}

bool isAcmLayer(const ModelConfig &config, std::int64_t layer) {
  const std::optional<AcmSettings> &acm = config.adaptive.acm;
  return acm && std::find(acm->layers.begin(), acm->layers.end(), layer) !=
                    acm->layers.end();
}

std::int64_t ssaBlockRows(const ModelConfig &config, std::int64_t block) {
  if (block < 1)
    throw CheckpointError("SSA block size " + std::to_string(block) +
                          " is not positive");
  const std::int64_t tokens = inputTokens(config);
  return tokens / block + (tokens % block != 0 ? 1 : 0);
}

std::vector<std::int64_t> fullLengths(const ModelConfig &config) {
  return std::vector<std::int64_t>(
      static_cast<std::size_t>(std::max<std::int64_t>(config.layers, 0)),
      inputTokens(config));
}

bool restoresBeforeLastLayer(const ModelConfig &config) {
  return config.task == TaskKind::Token;
}

ModelConfig parseModelJson(const json &modelJson, std::string_view where) {
  detail::ObjectReader root(modelJson, std::string(where), "");
  root.allowOnly({"format", "version", "architecture", "adaptive"});
  const std::string format = root.string("format");
  if (format != formatName)
    root.fail("format", "expected \"" + std::string(formatName) + "\", got \"" +
                            format + "\"");
  const std::int64_t version = root.integer("version");
  if (version != formatVersion)
    root.fail("version", "version " + std::to_string(version) +
                             " is not supported (this build reads version " +
                             std::to_string(formatVersion) + ")");
  ModelConfig config = readArchitecture(root.object("architecture"));
  if (root.has("adaptive"))
    config.adaptive = readAdaptive(root.object("adaptive"));
  validate(config, where);
  return config;
}

json toJson(const ModelConfig &config) {
  json architecture = {{"kind", toString(config.kind)},
                       {"layers", config.layers},
                       {"hidden", config.hidden},
                       {"heads", config.heads},
                       {"intermediate", config.intermediate},
                       {"norm", toString(config.norm)},
                       {"activation", toString(config.activation)},
                       {"layer_norm_eps", config.layerNormEps},
                       {"classes", config.classes},
                       {"task", toString(config.task)}};
  if (config.kind == ModelKind::Vit) {
    architecture["image_size"] = config.imageSize;
    architecture["patch_size"] = config.patchSize;
    architecture["channels"] = config.channels;
  } else {
    architecture["vocab_size"] = config.vocabSize;
    architecture["max_positions"] = config.maxPositions;
    architecture["type_vocab_size"] = config.typeVocabSize;
    architecture["pooler"] = config.pooler;
  }

  const AdaptiveConfig &adaptive = config.adaptive;
  json adaptiveJson = {{"drop_and_restore", adaptive.dropAndRestore},
                       {"length_configs", json::array()},
                       {"pareto", json::array()}};
  if (adaptive.lengthDrop)
    adaptiveJson["length_drop"] = {
        {"p", adaptive.lengthDrop->p},
        {"layer_drop", adaptive.lengthDrop->layerDrop},
        {"sandwich_random", adaptive.lengthDrop->sandwichRandom}};
  for (const LengthConfig &entry : adaptive.lengthConfigs)
    adaptiveJson["length_configs"].push_back({{"budget", entry.budget},
                                              {"lengths", entry.lengths},
                                              {"flops", entry.flops},
                                              {"accuracy", entry.accuracy}});
  for (const ParetoPoint &point : adaptive.pareto)
    adaptiveJson["pareto"].push_back({{"lengths", point.lengths},
                                      {"flops", point.flops},
                                      {"accuracy", point.accuracy}});
  if (adaptive.ssa) {
    const SsaSettings &ssa = *adaptive.ssa;
    json patterns = json::array();
    for (const SsaPattern &pattern : ssa.patterns) {
      json layers = json::array();
      for (const std::vector<std::int64_t> &mask : pattern.masks)
        layers.push_back({{"mask", mask}});
      patterns.push_back({{"layers", std::move(layers)}});
    }
    adaptiveJson["ssa"] = {{"block", ssa.block},
                           {"keep", ssa.keep},
                           {"locality", ssa.locality},
                           {"global_first_block", ssa.globalFirstBlock},
                           {"inference", toString(ssa.inference)},
                           {"patterns", std::move(patterns)}};
  }
  if (adaptive.acm) {
    const AcmSettings &acm = *adaptive.acm;
    adaptiveJson["acm"] = {{"layers", acm.layers},
                           {"learners", acm.learners},
                           {"learner_width", acm.learnerWidth},
                           {"budget", acm.budget}};
    if (acm.compute)
      adaptiveJson["acm"]["compute"] = *acm.compute;
  }

  return {{"format", formatName},
          {"version", formatVersion},
          {"architecture", std::move(architecture)},
          {"adaptive", std::move(adaptiveJson)}};
}

} // namespace tailor::checkpoint
