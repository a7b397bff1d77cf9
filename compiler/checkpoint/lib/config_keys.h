//===- config_keys.h - Key names for config validation errors -------------===//
//
// One validator serves model.json and Hugging Face config.json; its errors
// name the key as the file spells it ("architecture.hidden" or
// "hidden_size").
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_CHECKPOINT_LIB_CONFIG_KEYS_H
#define TAILOR_CHECKPOINT_LIB_CONFIG_KEYS_H

#include "tailor/checkpoint/model_config.h"

#include <string_view>

namespace tailor::checkpoint::detail {

struct ConfigKeys {
  std::string_view layers, hidden, heads, intermediate, layerNormEps, classes;
  std::string_view vocabSize, maxPositions, typeVocabSize, pooler;
  std::string_view imageSize, patchSize, channels;
};

extern const ConfigKeys modelJsonKeys;
extern const ConfigKeys huggingFaceKeys;

/// Throws CheckpointError "<where>: <key>: <rule>" for the first broken rule
/// of the architecture (not the adaptive section).
void validateArchitecture(const ModelConfig &config, std::string_view where,
                          const ConfigKeys &keys);

} // namespace tailor::checkpoint::detail

#endif // TAILOR_CHECKPOINT_LIB_CONFIG_KEYS_H
