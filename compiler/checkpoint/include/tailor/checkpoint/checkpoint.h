//===- checkpoint.h - Loading Tailor and Hugging Face checkpoints -*- C++
//-*-===//
//
// A checkpoint directory (docs/checkpoint-format.md) opened, validated and
// presented under Tailor's canonical tensor names, whatever wrote it: the
// trainer (model.json) or Hugging Face (config.json of a
// BertForSequenceClassification or ViTForImageClassification).
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_CHECKPOINT_CHECKPOINT_H
#define TAILOR_CHECKPOINT_CHECKPOINT_H

#include "tailor/checkpoint/error.h"
#include "tailor/checkpoint/expected_tensors.h"
#include "tailor/checkpoint/flops.h"
#include "tailor/checkpoint/model_config.h"
#include "tailor/safetensors/safetensors.h"
#include "tailor/text/text.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tailor::checkpoint {

enum class CheckpointFormat { Tailor, HuggingFaceBert, HuggingFaceVit };

/// "tailor", "huggingface-bert", "huggingface-vit".
std::string_view toString(CheckpointFormat format);

/// Where a canonical tensor's values are stored.
struct TensorSource {
  /// The safetensors file.
  std::string file;
  /// The tensor's name in that file (Hugging Face's name for an imported
  /// checkpoint).
  std::string tensor;
  safetensors::DType dtype = safetensors::DType::F32;
  /// Its shape in the file; the canonical shape has the same elements in the
  /// same order (ViT's [H, C, P, P] patch kernel is [H, C*P*P]).
  std::vector<std::int64_t> shape;
};

class Checkpoint {
public:
  /// Opens `directory`: model.json (Tailor) or config.json (Hugging Face,
  /// model_type "bert" or "vit") and model.safetensors. Validates the config
  /// and checks that the file holds exactly the tensors the config needs,
  /// each of the right shape and a floating-point dtype; reads vocab.txt
  /// when a Tailor encoder checkpoint has one. Throws CheckpointError.
  static Checkpoint load(const std::string &directory);

  const std::string &directory() const { return dir; }
  CheckpointFormat format() const { return checkpointFormat; }
  /// The model.json or config.json the config was read from.
  const std::string &configPath() const { return configFile; }
  const ModelConfig &config() const { return modelConfig; }
  /// The word vocabulary of a Tailor encoder checkpoint with vocab.txt (the
  /// trainer's text tasks write it), of exactly vocab_size words; none
  /// otherwise (Hugging Face's vocab.txt is WordPiece's, not read).
  const std::optional<text::Vocabulary> &vocabulary() const {
    return wordVocabulary;
  }

  /// Canonical names, in expectedTensors order.
  std::vector<std::string> tensorNames() const;
  /// Canonical shape; throws CheckpointError for an unknown name.
  std::vector<std::int64_t> shape(std::string_view name) const;
  /// Values converted to f32, row-major in the canonical shape.
  std::vector<float> tensorF32(std::string_view name) const;
  const TensorSource &source(std::string_view name) const;

private:
  struct Tensor {
    TensorSpec spec;
    TensorSource source;
  };

  Checkpoint(std::string dir, CheckpointFormat format, std::string configFile,
             ModelConfig config, safetensors::File weights,
             std::vector<Tensor> tensors,
             std::optional<text::Vocabulary> vocabulary);
  const Tensor &tensor(std::string_view name) const;

  std::string dir;
  CheckpointFormat checkpointFormat;
  std::string configFile;
  ModelConfig modelConfig;
  std::optional<text::Vocabulary> wordVocabulary;
  safetensors::File weights;
  std::vector<Tensor> tensors;
  std::map<std::string, std::size_t, std::less<>> byName;
};

} // namespace tailor::checkpoint

#endif // TAILOR_CHECKPOINT_CHECKPOINT_H
