//===- checkpoint_files.cpp - Writing checkpoints in tests ----------------===//

#include "tailor/testing/checkpoint_files.h"

#include "tailor/checkpoint/expected_tensors.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <unistd.h>

namespace tailor::testing {
namespace {

namespace fs = std::filesystem;
using checkpoint::ModelConfig;
using checkpoint::ModelKind;
using safetensors::DType;

std::uint32_t bitsOf(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

[[noreturn]] void notExact(const std::string &name, float value, DType dtype) {
  throw std::invalid_argument(
      "tensor '" + name + "': " + std::to_string(value) + " is not exact in " +
      std::string(safetensors::dtypeName(dtype)));
}

/// Normal halves and zero only: what randomWeights produces.
std::uint16_t exactHalf(const std::string &name, float value) {
  const std::uint32_t bits = bitsOf(value);
  const std::uint32_t sign = (bits >> 16) & 0x8000u;
  if ((bits & 0x7fffffffu) == 0)
    return static_cast<std::uint16_t>(sign);
  const int exponent = static_cast<int>((bits >> 23) & 0xffu) - 127 + 15;
  const std::uint32_t mantissa = bits & 0x7fffffu;
  if (exponent < 1 || exponent > 30 || (mantissa & 0x1fffu) != 0)
    notExact(name, value, DType::F16);
  return static_cast<std::uint16_t>(sign | (exponent << 10) | (mantissa >> 13));
}

std::uint16_t exactBfloat16(const std::string &name, float value) {
  const std::uint32_t bits = bitsOf(value);
  if ((bits & 0xffffu) != 0)
    notExact(name, value, DType::BF16);
  return static_cast<std::uint16_t>(bits >> 16);
}

template <typename T>
void addAs(safetensors::Writer &writer, const std::string &name, DType dtype,
           const TensorValues &tensor,
           T (*convert)(const std::string &, float)) {
  std::vector<T> converted;
  for (float value : tensor.values)
    converted.push_back(convert(name, value));
  writer.add(name, dtype, tensor.shape, converted.data(),
             converted.size() * sizeof(T));
}

nlohmann::json labels(std::int64_t classes) {
  nlohmann::json id2label = nlohmann::json::object();
  for (std::int64_t i = 0; i < classes; ++i)
    id2label[std::to_string(i)] = "LABEL_" + std::to_string(i);
  return id2label;
}

std::string huggingFaceActivation(checkpoint::Activation activation) {
  switch (activation) {
  case checkpoint::Activation::Gelu:
    return "gelu";
  case checkpoint::Activation::GeluTanh:
    return "gelu_pytorch_tanh";
  case checkpoint::Activation::Relu:
    return "relu";
  }
  throw std::invalid_argument("unknown activation");
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

/// "layers.4.mlp.up.weight" -> {"4", "mlp.up.weight"}; {"", ""} otherwise.
std::pair<std::string, std::string> splitLayer(const std::string &name) {
  if (!startsWith(name, "layers."))
    return {"", ""};
  const std::size_t dot = name.find('.', 7);
  return {name.substr(7, dot - 7), name.substr(dot + 1)};
}

std::string bertLayerName(const std::string &index, const std::string &rest) {
  const std::string layer = "bert.encoder.layer." + index + ".";
  for (const char *projection : {"query", "key", "value"})
    if (startsWith(rest, std::string("attention.") + projection + "."))
      return layer + "attention.self." + rest.substr(10);
  if (startsWith(rest, "attention.output."))
    return layer + "attention.output.dense." + rest.substr(17);
  if (startsWith(rest, "attention_norm."))
    return layer + "attention.output.LayerNorm." + rest.substr(15);
  if (startsWith(rest, "mlp.up."))
    return layer + "intermediate.dense." + rest.substr(7);
  if (startsWith(rest, "mlp.down."))
    return layer + "output.dense." + rest.substr(9);
  if (startsWith(rest, "mlp_norm."))
    return layer + "output.LayerNorm." + rest.substr(9);
  return "";
}

std::string vitLayerName(const std::string &index, const std::string &rest) {
  const std::string layer = "vit.encoder.layer." + index + ".";
  for (const char *projection : {"query", "key", "value"})
    if (startsWith(rest, std::string("attention.") + projection + "."))
      return layer + "attention.attention." + rest.substr(10);
  if (startsWith(rest, "attention.output."))
    return layer + "attention.output.dense." + rest.substr(17);
  if (startsWith(rest, "attention_norm."))
    return layer + "layernorm_before." + rest.substr(15);
  if (startsWith(rest, "mlp.up."))
    return layer + "intermediate.dense." + rest.substr(7);
  if (startsWith(rest, "mlp.down."))
    return layer + "output.dense." + rest.substr(9);
  if (startsWith(rest, "mlp_norm."))
    return layer + "layernorm_after." + rest.substr(9);
  return "";
}

} // namespace

TemporaryDirectory::TemporaryDirectory() {
  static int counter = 0;
  fs::path path = fs::path(::testing::TempDir()) /
                  ("tailor-checkpoint-" + std::to_string(::getpid()) + "-" +
                   std::to_string(counter++));
  fs::remove_all(path);
  fs::create_directories(path);
  root = path.string();
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  fs::remove_all(root, ignored);
}

std::string TemporaryDirectory::file(std::string_view name) const {
  return (fs::path(root) / name).string();
}

std::string TemporaryDirectory::subdirectory(std::string_view name) const {
  fs::path path = fs::path(root) / name;
  fs::create_directories(path);
  return path.string();
}

Weights randomWeights(const ModelConfig &config, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> step(-255, 255);
  Weights weights;
  for (const checkpoint::TensorSpec &spec :
       checkpoint::expectedTensors(config)) {
    std::int64_t count = 1;
    for (std::int64_t dim : spec.shape)
      count *= dim;
    TensorValues tensor{spec.shape, std::vector<float>(count)};
    for (float &value : tensor.values)
      value = static_cast<float>(step(random)) / 256.0f;
    weights[spec.name] = std::move(tensor);
  }
  return weights;
}

void writeText(const std::string &path, const std::string &text) {
  std::ofstream stream(path, std::ios::binary | std::ios::trunc);
  stream << text;
  if (!stream)
    throw std::runtime_error("cannot write " + path);
}

void writeSafetensors(const std::string &path, const Weights &tensors,
                      DType dtype) {
  safetensors::Writer writer;
  for (const auto &[name, tensor] : tensors) {
    switch (dtype) {
    case DType::F32:
      writer.addFloat32(name, tensor.shape, tensor.values);
      break;
    case DType::F64:
      addAs<double>(writer, name, dtype, tensor,
                    [](const std::string &, float v) { return double(v); });
      break;
    case DType::F16:
      addAs<std::uint16_t>(writer, name, dtype, tensor, exactHalf);
      break;
    case DType::BF16:
      addAs<std::uint16_t>(writer, name, dtype, tensor, exactBfloat16);
      break;
    default:
      throw std::invalid_argument("writeSafetensors: weights are F32, F64, "
                                  "F16 or BF16");
    }
  }
  writer.write(path);
}

void writeTailorCheckpoint(const std::string &directory,
                           const ModelConfig &config, const Weights &weights,
                           DType dtype) {
  writeText((fs::path(directory) / "model.json").string(),
            checkpoint::toJson(config).dump(2));
  writeSafetensors((fs::path(directory) / "model.safetensors").string(),
                   weights, dtype);
}

nlohmann::json huggingFaceConfigJson(const ModelConfig &config) {
  nlohmann::json common = {
      {"num_hidden_layers", config.layers},
      {"hidden_size", config.hidden},
      {"num_attention_heads", config.heads},
      {"intermediate_size", config.intermediate},
      {"hidden_act", huggingFaceActivation(config.activation)},
      {"layer_norm_eps", config.layerNormEps},
      {"id2label", labels(config.classes)},
      // Keys Tailor does not read, as real files have them.
      {"attention_probs_dropout_prob", 0.1},
      {"hidden_dropout_prob", 0.1},
      {"initializer_range", 0.02},
      {"torch_dtype", "float32"},
      {"transformers_version", "4.40.0"}};
  if (config.task != checkpoint::TaskKind::Sequence)
    throw std::invalid_argument("Hugging Face classifiers have task sequence");
  if (config.kind == ModelKind::Encoder) {
    if (config.norm != checkpoint::NormPlacement::Post || !config.pooler)
      throw std::invalid_argument("BERT is post-norm with a pooler");
    common.update({{"model_type", "bert"},
                   {"architectures", {"BertForSequenceClassification"}},
                   {"vocab_size", config.vocabSize},
                   {"max_position_embeddings", config.maxPositions},
                   {"type_vocab_size", config.typeVocabSize},
                   {"position_embedding_type", "absolute"},
                   {"pad_token_id", 0}});
    return common;
  }
  if (config.norm != checkpoint::NormPlacement::Pre)
    throw std::invalid_argument("ViT is pre-norm");
  common.update({{"model_type", "vit"},
                 {"architectures", {"ViTForImageClassification"}},
                 {"image_size", config.imageSize},
                 {"patch_size", config.patchSize},
                 {"num_channels", config.channels},
                 {"qkv_bias", true},
                 {"encoder_stride", config.patchSize}});
  return common;
}

std::pair<std::string, std::vector<std::int64_t>>
huggingFaceTensor(const ModelConfig &config, const std::string &name,
                  const std::vector<std::int64_t> &shape) {
  const bool vit = config.kind == ModelKind::Vit;
  const auto [index, rest] = splitLayer(name);
  std::string renamed;
  if (!index.empty())
    renamed = vit ? vitLayerName(index, rest) : bertLayerName(index, rest);
  else if (startsWith(name, "classifier."))
    renamed = name;
  else if (!vit && startsWith(name, "embeddings.word."))
    renamed = "bert.embeddings.word_embeddings." + name.substr(16);
  else if (!vit && startsWith(name, "embeddings.position."))
    renamed = "bert.embeddings.position_embeddings." + name.substr(20);
  else if (!vit && startsWith(name, "embeddings.token_type."))
    renamed = "bert.embeddings.token_type_embeddings." + name.substr(22);
  else if (!vit && startsWith(name, "embeddings.norm."))
    renamed = "bert.embeddings.LayerNorm." + name.substr(16);
  else if (!vit && startsWith(name, "pooler."))
    renamed = "bert.pooler.dense." + name.substr(7);
  else if (vit && name == "embeddings.patch.weight")
    return {
        "vit.embeddings.patch_embeddings.projection.weight",
        {config.hidden, config.channels, config.patchSize, config.patchSize}};
  else if (vit && name == "embeddings.patch.bias")
    renamed = "vit.embeddings.patch_embeddings.projection.bias";
  else if (vit && name == "embeddings.cls")
    return {"vit.embeddings.cls_token", {1, 1, config.hidden}};
  else if (vit && name == "embeddings.position")
    return {"vit.embeddings.position_embeddings",
            {1, shape.at(0), config.hidden}};
  else if (vit && startsWith(name, "final_norm."))
    renamed = "vit.layernorm." + name.substr(11);
  return {renamed.empty() ? name : renamed, shape};
}

void writeHuggingFaceCheckpoint(const std::string &directory,
                                const ModelConfig &config,
                                const Weights &weights, DType dtype) {
  Weights renamed;
  for (const auto &[name, tensor] : weights) {
    auto [source, shape] = huggingFaceTensor(config, name, tensor.shape);
    renamed[source] = {shape, tensor.values};
  }
  writeText((fs::path(directory) / "config.json").string(),
            huggingFaceConfigJson(config).dump(2));
  writeSafetensors((fs::path(directory) / "model.safetensors").string(),
                   renamed, dtype);
}

ModelConfig oddEncoderConfig() {
  ModelConfig config;
  config.kind = ModelKind::Encoder;
  config.layers = 3;
  config.hidden = 96;
  config.heads = 6;
  config.intermediate = 200;
  config.norm = checkpoint::NormPlacement::Post;
  config.activation = checkpoint::Activation::Gelu;
  config.layerNormEps = 1e-12;
  config.classes = 5;
  config.vocabSize = 50;
  config.maxPositions = 17;
  config.typeVocabSize = 2;
  config.pooler = true;
  return config;
}

ModelConfig oddVitConfig() {
  ModelConfig config;
  config.kind = ModelKind::Vit;
  config.layers = 3;
  config.hidden = 96;
  config.heads = 6;
  config.intermediate = 200;
  config.norm = checkpoint::NormPlacement::Pre;
  config.activation = checkpoint::Activation::GeluTanh;
  config.layerNormEps = 1e-6;
  config.classes = 7;
  config.imageSize = 12;
  config.patchSize = 4;
  config.channels = 3;
  return config;
}

} // namespace tailor::testing
