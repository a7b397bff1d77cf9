//===- checkpoint_files.h - Writing checkpoints in tests --------*- C++ -*-===//
//
// Writes Tailor and Hugging Face (BERT, ViT) checkpoint directories of any
// ModelConfig with random weights, for the tests of everything that reads
// checkpoints. The Hugging Face names and shapes here are spelt out
// independently of the library's mapping, so tests of it compare two
// readings of docs/checkpoint-format.md.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TESTING_CHECKPOINT_FILES_H
#define TAILOR_TESTING_CHECKPOINT_FILES_H

#include "tailor/checkpoint/model_config.h"
#include "tailor/safetensors/safetensors.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tailor::testing {

/// A fresh directory under the GoogleTest temporary directory, removed with
/// its contents when this object dies.
class TemporaryDirectory {
public:
  TemporaryDirectory();
  TemporaryDirectory(const TemporaryDirectory &) = delete;
  TemporaryDirectory &operator=(const TemporaryDirectory &) = delete;
  ~TemporaryDirectory();

  const std::string &path() const { return root; }
  /// `name` inside the directory (not created).
  std::string file(std::string_view name) const;
  /// Creates and returns the subdirectory `name`.
  std::string subdirectory(std::string_view name) const;

private:
  std::string root;
};

struct TensorValues {
  std::vector<std::int64_t> shape;
  std::vector<float> values;
};

/// Canonical tensor name -> shape and row-major values.
using Weights = std::map<std::string, TensorValues>;

/// Every tensor of expectedTensors(config), filled from `seed`. Each value is
/// a multiple of 1/256 in (-1, 1): exact in F16, BF16, F32 and F64, so a
/// checkpoint written in any of them reads back equal.
Weights randomWeights(const checkpoint::ModelConfig &config,
                      std::uint64_t seed);

/// `path` holding exactly `text`.
void writeText(const std::string &path, const std::string &text);

/// model.safetensors holding `tensors` as they are named, in `dtype`.
/// Throws std::invalid_argument when a value is not exact in `dtype`.
void writeSafetensors(const std::string &path, const Weights &tensors,
                      safetensors::DType dtype = safetensors::DType::F32);

/// A Tailor checkpoint: model.json (toJson(config)) and model.safetensors.
void writeTailorCheckpoint(const std::string &directory,
                           const checkpoint::ModelConfig &config,
                           const Weights &weights,
                           safetensors::DType dtype = safetensors::DType::F32);

/// The config.json Hugging Face saves for `config`:
/// BertForSequenceClassification for an encoder (post-norm with a pooler, task
/// "sequence"), ViTForImageClassification for a vit (pre-norm). Throws
/// std::invalid_argument for a config neither can express.
nlohmann::json huggingFaceConfigJson(const checkpoint::ModelConfig &config);

/// Hugging Face's name and shape for canonical tensor `name`; names it does
/// not know come back unchanged, so tests can add stray tensors.
std::pair<std::string, std::vector<std::int64_t>>
huggingFaceTensor(const checkpoint::ModelConfig &config,
                  const std::string &name,
                  const std::vector<std::int64_t> &shape);

/// config.json and model.safetensors as Hugging Face saves them, with every
/// weight renamed and reshaped by huggingFaceTensor.
void writeHuggingFaceCheckpoint(
    const std::string &directory, const checkpoint::ModelConfig &config,
    const Weights &weights, safetensors::DType dtype = safetensors::DType::F32);

/// Small models with odd sizes (3 layers, 6 heads, hidden 96, intermediate
/// 200), shaped so Hugging Face can express them too.
/// BERT-like: post-norm, pooler, 2 token types, 17 positions, vocabulary 50,
/// 5 classes.
checkpoint::ModelConfig oddEncoderConfig();
/// ViT: pre-norm, 12x12 images of 3 channels in 4x4 patches (10 tokens),
/// 7 classes.
checkpoint::ModelConfig oddVitConfig();

} // namespace tailor::testing

#endif // TAILOR_TESTING_CHECKPOINT_FILES_H
