//===- huggingface_config.cpp - Hugging Face config.json ------------------===//

#include "config_keys.h"
#include "huggingface.h"
#include "json_reader.h"

namespace tailor::checkpoint::detail {
namespace {

/// Hugging Face's default when config.json leaves layer_norm_eps out (the
/// same for BertConfig and ViTConfig).
constexpr double huggingFaceLayerNormEps = 1e-12;
/// BertConfig's default type_vocab_size.
constexpr std::int64_t bertTypeVocabSize = 2;

Activation readActivation(const ObjectReader &root) {
  const std::string name = root.string("hidden_act");
  if (name == "gelu")
    return Activation::Gelu;
  if (name == "gelu_new" || name == "gelu_pytorch_tanh")
    return Activation::GeluTanh;
  if (name == "relu")
    return Activation::Relu;
  root.fail("hidden_act", "unsupported activation \"" + name +
                              "\" (Tailor runs \"gelu\", \"gelu_new\", "
                              "\"gelu_pytorch_tanh\" and \"relu\")");
}

std::int64_t readClasses(const ObjectReader &root) {
  if (root.has("id2label")) {
    const nlohmann::json &labels = root.value("id2label");
    if (!labels.is_object())
      root.fail("id2label", "expected an object mapping class ids to labels, "
                            "got " +
                                describeJson(labels));
    return static_cast<std::int64_t>(labels.size());
  }
  if (root.has("num_labels"))
    return root.integer("num_labels");
  throw CheckpointError(root.file() +
                        ": missing key 'id2label' (or 'num_labels'): the "
                        "class count");
}

void readCommon(const ObjectReader &root, ModelConfig &config) {
  config.layers = root.integer("num_hidden_layers");
  config.hidden = root.integer("hidden_size");
  config.heads = root.integer("num_attention_heads");
  config.intermediate = root.integer("intermediate_size");
  config.activation = readActivation(root);
  config.layerNormEps = root.has("layer_norm_eps")
                            ? root.number("layer_norm_eps")
                            : huggingFaceLayerNormEps;
  config.classes = readClasses(root);
  config.task = TaskKind::Sequence;
}

ModelConfig readBert(const ObjectReader &root) {
  ModelConfig config;
  config.kind = ModelKind::Encoder;
  config.norm = NormPlacement::Post;
  config.pooler = true;
  readCommon(root, config);
  config.vocabSize = root.integer("vocab_size");
  config.maxPositions = root.integer("max_position_embeddings");
  config.typeVocabSize = root.has("type_vocab_size")
                             ? root.integer("type_vocab_size")
                             : bertTypeVocabSize;
  if (root.has("position_embedding_type") &&
      root.string("position_embedding_type") != "absolute")
    root.fail("position_embedding_type",
              "\"" + root.string("position_embedding_type") +
                  "\" is not supported (Tailor runs \"absolute\")");
  return config;
}

ModelConfig readVit(const ObjectReader &root) {
  ModelConfig config;
  config.kind = ModelKind::Vit;
  config.norm = NormPlacement::Pre;
  readCommon(root, config);
  config.imageSize = root.integer("image_size");
  config.patchSize = root.integer("patch_size");
  config.channels = root.integer("num_channels");
  if (root.has("qkv_bias") && !root.boolean("qkv_bias"))
    root.fail("qkv_bias", "false is not supported (Tailor's attention "
                          "projections have biases)");
  return config;
}

} // namespace

HuggingFaceConfig parseHuggingFaceConfig(const nlohmann::json &configJson,
                                         const std::string &where) {
  ObjectReader root(configJson, where, "");
  const std::string modelType = root.string("model_type");
  HuggingFaceConfig result;
  if (modelType == "bert") {
    result.format = CheckpointFormat::HuggingFaceBert;
    result.config = readBert(root);
  } else if (modelType == "vit") {
    result.format = CheckpointFormat::HuggingFaceVit;
    result.config = readVit(root);
  } else {
    root.fail("model_type", "unsupported model type \"" + modelType +
                                "\" (Tailor imports \"bert\" and \"vit\")");
  }
  validateArchitecture(result.config, where, huggingFaceKeys);
  return result;
}

} // namespace tailor::checkpoint::detail
