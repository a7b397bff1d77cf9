//===- huggingface.h - Hugging Face BERT and ViT checkpoints --------------===//
//
// config.json of BertForSequenceClassification / ViTForImageClassification
// into a ModelConfig, and Tailor's canonical tensor names into theirs
// (docs/checkpoint-format.md, "Hugging Face").
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_CHECKPOINT_LIB_HUGGINGFACE_H
#define TAILOR_CHECKPOINT_LIB_HUGGINGFACE_H

#include "tailor/checkpoint/checkpoint.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace tailor::checkpoint::detail {

struct HuggingFaceConfig {
  CheckpointFormat format;
  ModelConfig config;
};

/// Reads and validates config.json (`where` names it in errors); its
/// model_type picks BERT or ViT.
HuggingFaceConfig parseHuggingFaceConfig(const nlohmann::json &configJson,
                                         const std::string &where);

/// The tensor a Hugging Face checkpoint stores `canonical` under, with its
/// shape there.
TensorSpec huggingFaceTensor(const ModelConfig &config,
                             const TensorSpec &canonical);

/// Buffers Hugging Face saves next to the weights that are no part of the
/// model's parameters (BERT's position_ids in older checkpoints).
bool isHuggingFaceBuffer(CheckpointFormat format, std::string_view name);

} // namespace tailor::checkpoint::detail

#endif // TAILOR_CHECKPOINT_LIB_HUGGINGFACE_H
