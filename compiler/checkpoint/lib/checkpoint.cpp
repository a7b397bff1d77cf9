//===- checkpoint.cpp - Loading Tailor and Hugging Face checkpoints -------===//

#include "huggingface.h"
#include "json_reader.h"

#include "tailor/checkpoint/checkpoint.h"

#include <filesystem>
#include <set>

namespace tailor::checkpoint {
namespace {

namespace fs = std::filesystem;
namespace st = tailor::safetensors;

std::string shapeText(const std::vector<std::int64_t> &shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

bool isFloatingPoint(st::DType dtype) {
  return dtype == st::DType::F32 || dtype == st::DType::F16 ||
         dtype == st::DType::BF16 || dtype == st::DType::F64;
}

bool isFile(const fs::path &path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

st::File openWeights(const std::string &path) {
  try {
    return st::File::open(path);
  } catch (const st::FormatError &error) {
    throw CheckpointError(error.what());
  }
}

/// "the tensor 'bert.encoder.layer.0.output.dense.weight' (Tailor's
/// 'layers.0.mlp.down.weight')", or just the name when they are the same.
std::string tensorLabel(const std::string &source,
                        const std::string &canonical) {
  std::string label = "tensor '" + source + "'";
  if (source != canonical)
    label += " (Tailor's '" + canonical + "')";
  return label;
}

/// The trainer's vocab.txt beside a Tailor encoder, checked against the
/// word embedding table it indexes.
std::optional<text::Vocabulary> readVocabulary(const fs::path &root,
                                               CheckpointFormat format,
                                               const ModelConfig &config) {
  const std::string path = (root / "vocab.txt").string();
  if (format != CheckpointFormat::Tailor || config.kind != ModelKind::Encoder ||
      !isFile(path))
    return std::nullopt;
  try {
    text::Vocabulary vocabulary = text::Vocabulary::load(path);
    if (vocabulary.size() != config.vocabSize)
      throw CheckpointError(path + ": " + std::to_string(vocabulary.size()) +
                            " words, but the model's vocab_size is " +
                            std::to_string(config.vocabSize));
    return vocabulary;
  } catch (const text::TextError &error) {
    throw CheckpointError(error.what());
  }
}

} // namespace

std::string_view toString(CheckpointFormat format) {
  switch (format) {
  case CheckpointFormat::Tailor:
    return "tailor";
  case CheckpointFormat::HuggingFaceBert:
    return "huggingface-bert";
  case CheckpointFormat::HuggingFaceVit:
    return "huggingface-vit";
  }
  throw CheckpointError("invalid CheckpointFormat " +
                        std::to_string(static_cast<int>(format)));
}

Checkpoint::Checkpoint(std::string dir, CheckpointFormat format,
                       std::string configFile, ModelConfig config,
                       safetensors::File weights, std::vector<Tensor> tensors,
                       std::optional<text::Vocabulary> vocabulary)
    : dir(std::move(dir)), checkpointFormat(format),
      configFile(std::move(configFile)), modelConfig(std::move(config)),
      wordVocabulary(std::move(vocabulary)), weights(std::move(weights)),
      tensors(std::move(tensors)) {
  for (std::size_t i = 0; i < this->tensors.size(); ++i)
    byName.emplace(this->tensors[i].spec.name, i);
}

Checkpoint Checkpoint::load(const std::string &directory) {
  std::error_code error;
  if (!fs::is_directory(directory, error))
    throw CheckpointError(directory + ": not a checkpoint directory (" +
                          (fs::exists(directory, error)
                               ? "not a directory"
                               : "no such file or directory") +
                          ")");
  const fs::path root(directory);
  const std::string modelJson = (root / "model.json").string();
  const std::string configJson = (root / "config.json").string();

  CheckpointFormat format;
  std::string configPath;
  ModelConfig config;
  if (isFile(modelJson)) {
    format = CheckpointFormat::Tailor;
    configPath = modelJson;
    config = parseModelJson(detail::readJsonFile(modelJson), modelJson);
  } else if (isFile(configJson)) {
    configPath = configJson;
    detail::HuggingFaceConfig parsed = detail::parseHuggingFaceConfig(
        detail::readJsonFile(configJson), configJson);
    format = parsed.format;
    config = std::move(parsed.config);
  } else {
    throw CheckpointError(directory + ": no model.json (Tailor checkpoint) or "
                                      "config.json (Hugging Face checkpoint)");
  }

  const std::string weightsPath = (root / "model.safetensors").string();
  st::File weights = openWeights(weightsPath);
  const bool tailor = format == CheckpointFormat::Tailor;
  std::vector<Tensor> tensors;
  std::set<std::string, std::less<>> used;
  for (TensorSpec &canonical : expectedTensors(config)) {
    TensorSpec expected =
        tailor ? canonical : detail::huggingFaceTensor(config, canonical);
    const std::string label = tensorLabel(expected.name, canonical.name);
    const st::TensorInfo *info = weights.find(expected.name);
    if (!info)
      throw CheckpointError(weightsPath + ": missing " + label + " of shape " +
                            shapeText(expected.shape) + ", which " +
                            configPath + " needs");
    if (info->shape != expected.shape)
      throw CheckpointError(weightsPath + ": " + label + " has shape " +
                            shapeText(info->shape) + ", but " + configPath +
                            " needs " + shapeText(expected.shape));
    if (!isFloatingPoint(info->dtype))
      throw CheckpointError(weightsPath + ": " + label + " is " +
                            std::string(st::dtypeName(info->dtype)) +
                            "; weights must be F32, F16, BF16 or F64");
    used.insert(info->name);
    tensors.push_back({std::move(canonical),
                       {weightsPath, info->name, info->dtype, info->shape}});
  }
  for (const st::TensorInfo &info : weights.tensors())
    if (!used.count(info.name) &&
        !detail::isHuggingFaceBuffer(format, info.name))
      throw CheckpointError(weightsPath + ": unknown tensor '" + info.name +
                            "' of shape " + shapeText(info.shape) +
                            ": no part of the " +
                            std::string(toString(config.kind)) + " model " +
                            configPath + " describes");
  std::optional<text::Vocabulary> vocabulary =
      readVocabulary(root, format, config);
  return Checkpoint(directory, format, configPath, std::move(config),
                    std::move(weights), std::move(tensors),
                    std::move(vocabulary));
}

std::vector<std::string> Checkpoint::tensorNames() const {
  std::vector<std::string> names;
  for (const Tensor &entry : tensors)
    names.push_back(entry.spec.name);
  return names;
}

const Checkpoint::Tensor &Checkpoint::tensor(std::string_view name) const {
  auto it = byName.find(name);
  if (it == byName.end())
    throw CheckpointError(dir + ": no tensor '" + std::string(name) +
                          "' in this checkpoint");
  return tensors[it->second];
}

std::vector<std::int64_t> Checkpoint::shape(std::string_view name) const {
  return tensor(name).spec.shape;
}

std::vector<float> Checkpoint::tensorF32(std::string_view name) const {
  // Every canonical layout is the source's elements in the same order, so
  // the conversion never reorders.
  try {
    return weights.toFloat32(weights.get(tensor(name).source.tensor));
  } catch (const st::FormatError &error) {
    throw CheckpointError(error.what());
  }
}

const TensorSource &Checkpoint::source(std::string_view name) const {
  return tensor(name).source;
}

} // namespace tailor::checkpoint
