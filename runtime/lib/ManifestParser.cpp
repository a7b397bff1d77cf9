//===- ManifestParser.cpp - Parse and validate an artifact's manifest -----===//

#include "Json.h"
#include "LearnerTokens.h"
#include "Manifest.h"
#include "Validate.h"

#include "tailor/safetensors/safetensors.h"

#include <algorithm>
#include <set>

namespace tailor::detail {
namespace {

constexpr std::string_view manifestKey = "tailor.manifest";
constexpr std::int64_t supportedVersion = 1;
/// Far above any real model; keeps every size computation from overflowing.
constexpr std::int64_t maxElementsPerSample = std::int64_t(1) << 40;

std::int64_t positiveInt(const JsonNode &node) {
  std::int64_t value = node.asInt();
  if (value <= 0)
    node.fail("expected a positive integer, got " + std::to_string(value));
  return value;
}

std::int64_t nonNegativeInt(const JsonNode &node) {
  std::int64_t value = node.asInt();
  if (value < 0)
    node.fail("expected a non-negative integer, got " + std::to_string(value));
  return value;
}

std::string nonEmptyString(const JsonNode &node) {
  std::string value = node.asString();
  if (value.empty())
    node.fail("expected a non-empty string");
  return value;
}

std::string oneOf(const JsonNode &node,
                  std::initializer_list<std::string_view> allowed) {
  std::string value = node.asString();
  std::string names;
  for (std::string_view name : allowed) {
    if (value == name)
      return value;
    names += (names.empty() ? "\"" : ", \"") + std::string(name) + "\"";
  }
  node.fail("\"" + value + "\" is not one of " + names);
}

DType parseDTypeField(const JsonNode &node) {
  std::string name = node.asString();
  std::optional<DType> dtype = parseDType(name);
  if (!dtype)
    node.fail("unknown dtype \"" + name + "\" (expected f32, i32 or u8)");
  return *dtype;
}

/// A shape whose first dimension is the batch (-1) and the others positive;
/// returns the dimensions after the batch.
std::vector<std::int64_t> parseBatchedShape(const JsonNode &node) {
  std::vector<std::int64_t> shape = node.asIntArray();
  if (shape.empty() || shape[0] != -1)
    node.fail("shape " + formatShape(shape) +
              " must start with -1, the batch dimension");
  std::int64_t elements = 1;
  for (std::size_t i = 1; i < shape.size(); ++i) {
    if (shape[i] <= 0)
      node.fail("shape " + formatShape(shape) + " has dimension " +
                std::to_string(i) + " = " + std::to_string(shape[i]) +
                "; every dimension but the batch must be positive");
    if (shape[i] > maxElementsPerSample / elements)
      node.fail("shape " + formatShape(shape) + " is too large");
    elements *= shape[i];
  }
  return {shape.begin() + 1, shape.end()};
}

ModelInfo parseModel(const JsonNode &node) {
  ModelInfo info;
  info.kind = oneOf(node.field("kind"), {"vit", "encoder"});
  info.task = oneOf(node.field("task"), {"sequence", "token"});
  info.classes = positiveInt(node.field("classes"));
  info.hidden = positiveInt(node.field("hidden"));
  info.layers = positiveInt(node.field("layers"));
  info.heads = positiveInt(node.field("heads"));
  if (auto source = node.optionalField("source"))
    info.source = source->asString();
  if (auto normalization = node.optionalField("input_normalization")) {
    InputNormalization values;
    values.mean = normalization->field("mean").asNumber();
    JsonNode std = normalization->field("std");
    values.std = std.asNumber();
    if (!(values.std > 0))
      std.fail("expected a positive number");
    info.inputNormalization = values;
  }
  return info;
}

/// model.vocabulary: the U8 tensor `node` names, one word per line.
text::Vocabulary parseVocabulary(const JsonNode &node,
                                 const safetensors::File &file) {
  std::string name = nonEmptyString(node);
  const safetensors::TensorInfo *tensor = file.find(name);
  if (!tensor)
    node.fail("names tensor '" + name + "', which is not in the file");
  if (tensor->dtype != safetensors::DType::U8 || tensor->shape.size() != 1)
    node.fail("tensor '" + name + "' is " +
              std::string(safetensors::dtypeName(tensor->dtype)) + " " +
              formatShape(tensor->shape) +
              "; a vocabulary is U8 [bytes], one word per line");
  std::string_view text(reinterpret_cast<const char *>(file.data(*tensor)),
                        static_cast<std::size_t>(tensor->shape[0]));
  try {
    return text::Vocabulary::fromText(text,
                                      node.path() + " (tensor '" + name + "')");
  } catch (const text::TextError &error) {
    throw ArtifactError(error.what());
  }
}

/// Every token id the vocabulary gives must index the embedding table: the
/// two come from one training run, so their sizes are equal.
void checkVocabularySize(const Manifest &manifest, const JsonNode &where) {
  for (const Variant &variant : manifest.variants)
    for (const Step &step : variant.steps) {
      if (step.op != Op::TokenEmbeddings)
        continue;
      const Weight &word = *step.weights[roles::token_embeddings::Word];
      if (word.shape[0] != manifest.vocabulary->size())
        where.fail("the vocabulary has " +
                   std::to_string(manifest.vocabulary->size()) +
                   " words but variant '" + variant.info.name +
                   "' embeds token ids with '" + word.name + "' of " +
                   std::to_string(word.shape[0]) + " rows");
    }
}

std::vector<TensorInfo> parseTensorInfos(const JsonNode &node) {
  std::vector<TensorInfo> infos;
  std::set<std::string> names;
  for (const JsonNode &element : node.elements()) {
    TensorInfo info;
    info.name = nonEmptyString(element.field("name"));
    if (!names.insert(info.name).second)
      element.fail("duplicate name '" + info.name + "'");
    info.dtype = parseDTypeField(element.field("dtype"));
    info.shape = parseBatchedShape(element.field("shape"));
    info.shape.insert(info.shape.begin(), -1);
    infos.push_back(std::move(info));
  }
  if (infos.empty())
    node.fail("expected at least one entry");
  return infos;
}

Buffer parseBuffer(const JsonNode &node, std::uint64_t arenaBytesPerSample) {
  Buffer buffer;
  buffer.name = nonEmptyString(node.field("name"));
  JsonNode where(node.json(), node.path() + " ('" + buffer.name + "')");
  // Floats planned at 16 bits are F32 buffers to the backends (Placement).
  JsonNode dtype = where.field("dtype");
  const std::string dtypeText = dtype.asString();
  buffer.halfFloat = dtypeText == "bf16" || dtypeText == "f16";
  std::optional<DType> parsed =
      buffer.halfFloat ? DType::F32 : parseDType(dtypeText);
  if (!parsed)
    dtype.fail("unknown dtype \"" + dtypeText +
               "\" (expected f32, bf16, f16, i32 or u8)");
  buffer.dtype = *parsed;
  const std::uint64_t elementBytes =
      buffer.halfFloat ? 2 : dtypeSize(buffer.dtype);
  buffer.dims = parseBatchedShape(where.field("shape"));
  buffer.elementsPerSample = 1;
  for (std::int64_t dim : buffer.dims)
    buffer.elementsPerSample *= dim;
  buffer.bytesPerSample = buffer.elementsPerSample * elementBytes;
  JsonNode offset = where.field("offset_per_sample");
  buffer.offsetPerSample = nonNegativeInt(offset);
  if (buffer.offsetPerSample % elementBytes != 0)
    offset.fail(std::to_string(buffer.offsetPerSample) +
                " is not a multiple of the " + dtypeText + " element size");
  if (buffer.offsetPerSample > arenaBytesPerSample ||
      buffer.bytesPerSample > arenaBytesPerSample - buffer.offsetPerSample)
    where.fail("bytes [" + std::to_string(buffer.offsetPerSample) + ", " +
               std::to_string(buffer.offsetPerSample + buffer.bytesPerSample) +
               ") per sample lie outside the arena of " +
               std::to_string(arenaBytesPerSample) + " bytes per sample");
  return buffer;
}

/// Finds the weights a step names in the file and keeps them in
/// Manifest::weights, checking each once.
class WeightTable {
public:
  WeightTable(const safetensors::File &file,
              std::map<std::string, Weight, std::less<>> &weights)
      : file(file), weights(weights) {}

  const Weight *get(const std::string &name, const JsonNode &where) {
    auto found = weights.find(name);
    if (found != weights.end())
      return &found->second;
    const safetensors::TensorInfo *tensor = file.find(name);
    if (!tensor)
      where.fail("names tensor '" + name + "', which is not in the file");
    Weight &weight =
        weights.emplace(name, Weight{name, tensor->shape}).first->second;
    if (tensor->dtype == safetensors::DType::BF16 ||
        tensor->dtype == safetensors::DType::F16) {
      weight.converted = file.toFloat32(*tensor);
      weight.data = weight.converted.data();
      return &weight;
    }
    if (tensor->dtype != safetensors::DType::F32) {
      weights.erase(name);
      where.fail("tensor '" + name + "' has dtype " +
                 std::string(safetensors::dtypeName(tensor->dtype)) +
                 "; weights are F32, BF16 or F16");
    }
    const std::uint8_t *bytes = file.data(*tensor);
    if (reinterpret_cast<std::uintptr_t>(bytes) % alignof(float) != 0) {
      weights.erase(name);
      where.fail("tensor '" + name +
                 "' is not 4-byte aligned in the file, so it cannot be "
                 "used in place");
    }
    weight.data = reinterpret_cast<const float *>(bytes);
    return &weight;
  }

private:
  const safetensors::File &file;
  std::map<std::string, Weight, std::less<>> &weights;
};

/// Reads `step`'s object `field` (role -> name): the name each role of
/// `roles` is given, with its place, or nothing for an absent optional role.
std::vector<std::optional<std::pair<std::string, JsonNode>>>
parseRoles(const JsonNode &step, std::string_view field,
           const std::vector<Role> &roles, std::string_view kind,
           std::string_view opName) {
  std::optional<JsonNode> node = step.optionalField(field);
  std::vector<std::optional<std::pair<std::string, JsonNode>>> named(
      roles.size());
  if (node) {
    for (auto &[role, value] : node->members()) {
      auto known = std::find_if(roles.begin(), roles.end(),
                                [&](const Role &r) { return r.name == role; });
      if (known == roles.end()) {
        std::string names;
        for (const Role &candidate : roles)
          names += (names.empty() ? "" : ", ") + std::string(candidate.name);
        node->fail("unknown " + std::string(kind) + " role '" + role +
                   "' for " + std::string(opName) + " (" +
                   (names.empty() ? "it has none" : "roles: " + names) + ")");
      }
      named[known - roles.begin()].emplace(nonEmptyString(value), value);
    }
  }
  for (std::size_t i = 0; i < roles.size(); ++i) {
    if (named[i] || roles[i].optional)
      continue;
    std::string missing =
        std::string(kind) + " '" + std::string(roles[i].name) + "'";
    if (!node)
      step.fail("missing required field '" + std::string(field) + "' (" +
                std::string(opName) + " needs " + missing + ")");
    node->fail("missing " + missing);
  }
  return named;
}

class VariantParser {
public:
  VariantParser(WeightTable &weights, Variant &variant)
      : weights(weights), variant(variant) {}

  void parseBuffers(const JsonNode &node) {
    for (const JsonNode &element : node.elements()) {
      Buffer buffer = parseBuffer(element, variant.info.arenaBytesPerSample);
      variant.halfFloats = variant.halfFloats || buffer.halfFloat;
      if (!bufferIndex.emplace(buffer.name, variant.buffers.size()).second)
        element.fail("duplicate buffer '" + buffer.name + "'");
      variant.buffers.push_back(std::move(buffer));
    }
  }

  void parseSteps(const JsonNode &node) {
    std::vector<JsonNode> elements = node.elements();
    if (elements.empty())
      node.fail("expected at least one step");
    for (const JsonNode &element : elements)
      variant.steps.push_back(parseStep(element));
  }

  /// Model inputs and outputs are buffers of the variant too.
  std::vector<int> bindTensors(const std::vector<TensorInfo> &tensors,
                               std::string_view kind, const JsonNode &where) {
    std::vector<int> indices;
    for (const TensorInfo &tensor : tensors) {
      auto found = bufferIndex.find(tensor.name);
      if (found == bufferIndex.end())
        where.fail("no buffer for the model " + std::string(kind) + " '" +
                   tensor.name + "'");
      const Buffer &buffer = variant.buffers[found->second];
      std::vector<std::int64_t> shape = buffer.dims;
      shape.insert(shape.begin(), -1);
      if (buffer.halfFloat || buffer.dtype != tensor.dtype ||
          shape != tensor.shape)
        where.fail("buffer '" + tensor.name + "' is " +
                   (buffer.halfFloat ? std::string("16-bit float")
                                     : std::string(dtypeName(buffer.dtype))) +
                   " " + formatShape(shape) + " but the model " +
                   std::string(kind) + " is " +
                   std::string(dtypeName(tensor.dtype)) + " " +
                   formatShape(tensor.shape));
      indices.push_back(found->second);
    }
    return indices;
  }

private:
  Step parseStep(const JsonNode &node) {
    std::string opName = node.field("op").asString();
    const OpSchema *schema = findOp(opName);
    if (!schema)
      node.field("op").fail("unknown op '" + opName +
                            "' (known: " + std::string(opNames()) + ")");
    JsonNode where(node.json(), node.path() + " (" + opName + ")");
    Step step;
    step.op = schema->op;
    step.inputs = bindBuffers(where, "inputs", schema->inputs, "input", opName);
    step.outputs =
        bindBuffers(where, "outputs", schema->outputs, "output", opName);
    auto weightRoles =
        parseRoles(where, "weights", schema->weights, "weight", opName);
    for (auto &named : weightRoles)
      step.weights.push_back(named ? weights.get(named->first, named->second)
                                   : nullptr);
    parseAttrs(where, step);
    if (std::optional<JsonNode> guard = where.optionalField("guard"))
      step.guard = bindGuard(*guard);
    checkStepShapes(step, variant.buffers, where);
    return step;
  }

  /// The i32 [-1] counts buffer a step's "guard" names; that an earlier
  /// acm_compact wrote it is checked with the dataflow.
  int bindGuard(const JsonNode &node) const {
    std::string name = nonEmptyString(node);
    auto found = bufferIndex.find(name);
    if (found == bufferIndex.end())
      node.fail("names buffer '" + name +
                "', which the variant does not declare");
    const Buffer &buffer = variant.buffers[found->second];
    if (buffer.dtype != DType::I32 || !buffer.dims.empty()) {
      std::vector<std::int64_t> shape = buffer.dims;
      shape.insert(shape.begin(), -1);
      node.fail("buffer '" + name + "' is " +
                std::string(dtypeName(buffer.dtype)) + " " +
                formatShape(shape) + "; a guard is an i32 [-1] counts buffer");
    }
    return found->second;
  }

  std::vector<int> bindBuffers(const JsonNode &step, std::string_view field,
                               const std::vector<Role> &roles,
                               std::string_view kind, std::string_view opName) {
    std::vector<int> indices;
    for (auto &named : parseRoles(step, field, roles, kind, opName)) {
      if (!named) {
        indices.push_back(-1);
        continue;
      }
      auto found = bufferIndex.find(named->first);
      if (found == bufferIndex.end())
        named->second.fail("names buffer '" + named->first +
                           "', which the variant does not declare");
      indices.push_back(found->second);
    }
    return indices;
  }

  /// {"block": b, "table": [[key blocks], ...]}; the shapes are checked
  /// with the step's (StepShapes.cpp).
  static BlockTable parseBlockTable(const JsonNode &node) {
    for (auto &[name, value] : node.members())
      if (name != "block" && name != "table")
        value.fail("unknown field of block_sparse (expected block, table)");
    BlockTable table;
    table.blockSize = positiveInt(node.field("block"));
    for (const JsonNode &row : node.field("table").elements())
      table.keyBlocks.push_back(row.asIntArray());
    return table;
  }

  /// Reads the attributes `step`'s op takes; any other is an error.
  static void parseAttrs(const JsonNode &where, Step &step) {
    std::optional<JsonNode> attrs = where.optionalField("attrs");
    std::vector<std::string> allowed;
    auto required = [&](std::string_view name) {
      allowed.emplace_back(name);
      if (!attrs)
        where.fail("missing required field 'attrs' (it needs '" +
                   std::string(name) + "')");
      return attrs->field(name);
    };
    auto optional = [&](std::string_view name) {
      allowed.emplace_back(name);
      return attrs ? attrs->optionalField(name) : std::nullopt;
    };
    switch (step.op) {
    case Op::PatchEmbeddings:
      step.patchSize = positiveInt(required("patch_size"));
      break;
    case Op::LayerNorm:
    case Op::AddLayerNorm: {
      JsonNode epsilon = required("epsilon");
      step.epsilon = static_cast<float>(epsilon.asNumber());
      if (!(step.epsilon > 0))
        epsilon.fail("expected a positive number");
      break;
    }
    case Op::Linear:
      if (auto activation = optional("activation")) {
        std::string name = activation->asString();
        std::optional<Activation> parsed = parseActivation(name);
        if (!parsed)
          activation->fail("unknown activation \"" + name +
                           "\" (expected none, relu, gelu, gelu_tanh or tanh)");
        step.activation = *parsed;
      }
      break;
    case Op::Attention:
      step.heads = positiveInt(required("heads"));
      if (auto sparse = optional("block_sparse"))
        step.blockSparse = parseBlockTable(*sparse);
      break;
    case Op::SelectTokens:
      if (auto keepFirst = optional("keep_first"))
        step.keepFirst = keepFirst->asBool();
      break;
    case Op::Classifier:
      if (auto pooling = optional("pooling")) {
        std::string name = pooling->asString();
        std::optional<Pooling> parsed = parsePooling(name);
        if (!parsed)
          pooling->fail("unknown pooling \"" + name +
                        "\" (expected cls, mean or token)");
        step.pooling = *parsed;
      }
      break;
    case Op::AcmCompact:
      step.learner = positiveInt(required("learner"));
      break;
    case Op::TokenEmbeddings:
    case Op::Add:
    case Op::RestoreTokens:
    case Op::GatherTokens:
    case Op::EnsembleMean:
    case Op::AcmRoute:
    case Op::GatherRows:
    case Op::ScatterAdd:
      break;
    }
    if (!attrs)
      return;
    for (auto &[name, value] : attrs->members())
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
        value.fail("unknown attribute for " +
                   std::string(schemaOf(step.op).name));
  }

  WeightTable &weights;
  Variant &variant;
  std::map<std::string, int> bufferIndex;
};

Variant parseVariant(const JsonNode &node, const Manifest &manifest,
                     WeightTable &weights) {
  Variant variant;
  VariantInfo &info = variant.info;
  info.name = nonEmptyString(node.field("name"));
  JsonNode where(node.json(), node.path() + " ('" + info.name + "')");
  JsonNode budget = where.field("budget");
  info.budget = budget.asNumber();
  if (!(info.budget > 0 && info.budget <= 1))
    budget.fail("budget " + budget.json().dump() + " is not in (0, 1]");
  info.flops = nonNegativeInt(where.field("flops"));
  JsonNode lengths = where.field("lengths");
  for (const JsonNode &length : lengths.elements())
    info.lengths.push_back(positiveInt(length));
  if (static_cast<std::int64_t>(info.lengths.size()) != manifest.info.layers)
    lengths.fail("has " + std::to_string(info.lengths.size()) +
                 " entries but the model has " +
                 std::to_string(manifest.info.layers) + " layers");
  info.arenaBytesPerSample =
      nonNegativeInt(where.field("arena_bytes_per_sample"));

  VariantParser parser(weights, variant);
  parser.parseBuffers(where.field("buffers"));
  variant.inputBuffers = parser.bindTensors(manifest.inputs, "input", where);
  variant.outputBuffers = parser.bindTensors(manifest.outputs, "output", where);
  parser.parseSteps(where.field("steps"));
  checkDataflow(variant, where);
  variant.acmRoutes = findAcmRoutes(variant);
  return variant;
}

} // namespace

Manifest parseManifest(const safetensors::File &file) {
  auto text = file.metadata().find(std::string(manifestKey));
  if (text == file.metadata().end())
    throw ArtifactError("no \"" + std::string(manifestKey) +
                        "\" in the safetensors metadata: not a Tailor "
                        "artifact");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text->second);
  } catch (const nlohmann::json::parse_error &error) {
    throw ArtifactError("the manifest is not valid JSON: " +
                        std::string(error.what()));
  }
  JsonNode root(json, "manifest");
  std::string format = root.field("format").asString();
  if (format != "tailor-artifact")
    root.field("format").fail("expected \"tailor-artifact\", got \"" + format +
                              "\"");
  JsonNode version = root.field("version");
  if (version.asInt() != supportedVersion)
    version.fail("version " + std::to_string(version.asInt()) +
                 " is not supported (this runtime reads version " +
                 std::to_string(supportedVersion) + ")");

  Manifest manifest;
  JsonNode model = root.field("model");
  manifest.info = parseModel(model);
  if (std::optional<JsonNode> precision = root.optionalField("precision")) {
    manifest.info.precision = precision->asString();
    const char *const known[] = {"fp32", "tf32", "bf16", "fp16"};
    if (std::find(std::begin(known), std::end(known),
                  manifest.info.precision) == std::end(known))
      precision->fail("unknown precision \"" + manifest.info.precision +
                      "\" (expected fp32, tf32, bf16 or fp16)");
  }
  std::optional<JsonNode> vocabulary = model.optionalField("vocabulary");
  if (vocabulary && manifest.info.kind != "encoder")
    vocabulary->fail("a " + manifest.info.kind +
                     " takes no text; only an encoder has a vocabulary");
  if (vocabulary) {
    manifest.vocabulary = parseVocabulary(*vocabulary, file);
    manifest.info.vocabularySize = manifest.vocabulary->size();
  }
  manifest.inputs = parseTensorInfos(root.field("inputs"));
  manifest.outputs = parseTensorInfos(root.field("outputs"));
  for (const TensorInfo &output : manifest.outputs)
    for (const TensorInfo &input : manifest.inputs)
      if (input.name == output.name)
        root.field("outputs").fail("'" + output.name +
                                   "' is both an input and an output");

  WeightTable weights(file, manifest.weights);
  JsonNode variants = root.field("variants");
  std::set<std::string> names;
  for (const JsonNode &element : variants.elements()) {
    manifest.variants.push_back(parseVariant(element, manifest, weights));
    if (!names.insert(manifest.variants.back().info.name).second)
      element.fail("duplicate variant name '" +
                   manifest.variants.back().info.name + "'");
  }
  if (manifest.variants.empty())
    variants.fail("expected at least one variant");
  if (vocabulary)
    checkVocabularySize(manifest, *vocabulary);
  return manifest;
}

} // namespace tailor::detail
