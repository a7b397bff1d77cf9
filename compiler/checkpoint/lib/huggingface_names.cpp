//===- huggingface_names.cpp - Canonical names to Hugging Face's ----------===//

#include "huggingface.h"

#include <array>

namespace tailor::checkpoint::detail {
namespace {

/// `from` (a whole name, or the start of one up to a dot) is spelt `to`.
struct Rename {
  std::string_view from;
  std::string_view to;
};

constexpr std::array<Rename, 6> bertModelNames = {{
    {"embeddings.word", "bert.embeddings.word_embeddings"},
    {"embeddings.position", "bert.embeddings.position_embeddings"},
    {"embeddings.token_type", "bert.embeddings.token_type_embeddings"},
    {"embeddings.norm", "bert.embeddings.LayerNorm"},
    {"pooler", "bert.pooler.dense"},
    {"classifier", "classifier"},
}};

constexpr std::array<Rename, 5> vitModelNames = {{
    {"embeddings.patch", "vit.embeddings.patch_embeddings.projection"},
    {"embeddings.cls", "vit.embeddings.cls_token"},
    {"embeddings.position", "vit.embeddings.position_embeddings"},
    {"final_norm", "vit.layernorm"},
    {"classifier", "classifier"},
}};

// Inside a layer, after "layers.{i}.".
constexpr std::array<Rename, 8> bertLayerNames = {{
    {"attention.query", "attention.self.query"},
    {"attention.key", "attention.self.key"},
    {"attention.value", "attention.self.value"},
    {"attention.output", "attention.output.dense"},
    {"attention_norm", "attention.output.LayerNorm"},
    {"mlp.up", "intermediate.dense"},
    {"mlp.down", "output.dense"},
    {"mlp_norm", "output.LayerNorm"},
}};

constexpr std::array<Rename, 8> vitLayerNames = {{
    {"attention.query", "attention.attention.query"},
    {"attention.key", "attention.attention.key"},
    {"attention.value", "attention.attention.value"},
    {"attention.output", "attention.output.dense"},
    {"attention_norm", "layernorm_before"},
    {"mlp.up", "intermediate.dense"},
    {"mlp.down", "output.dense"},
    {"mlp_norm", "layernorm_after"},
}};

template <std::size_t N>
std::string rename(const std::array<Rename, N> &table, std::string_view name) {
  for (const Rename &entry : table) {
    if (name.substr(0, entry.from.size()) != entry.from)
      continue;
    std::string_view rest = name.substr(entry.from.size());
    if (rest.empty() || rest.front() == '.')
      return std::string(entry.to) + std::string(rest);
  }
  throw CheckpointError("no Hugging Face name for tensor '" +
                        std::string(name) + "'");
}

} // namespace

TensorSpec huggingFaceTensor(const ModelConfig &config,
                             const TensorSpec &canonical) {
  const bool vit = config.kind == ModelKind::Vit;
  const std::string_view name = canonical.name;
  constexpr std::string_view layerPrefix = "layers.";
  TensorSpec source{"", canonical.shape};
  if (name.substr(0, layerPrefix.size()) == layerPrefix) {
    const std::size_t dot = name.find('.', layerPrefix.size());
    const std::string_view index =
        name.substr(layerPrefix.size(), dot - layerPrefix.size());
    const std::string_view inside = name.substr(dot + 1);
    source.name =
        std::string(vit ? "vit" : "bert") + ".encoder.layer." +
        std::string(index) + "." +
        (vit ? rename(vitLayerNames, inside) : rename(bertLayerNames, inside));
    return source;
  }
  source.name =
      vit ? rename(vitModelNames, name) : rename(bertModelNames, name);
  const std::int64_t hidden = config.hidden;
  if (name == "embeddings.patch.weight")
    source.shape = {hidden, config.channels, config.patchSize,
                    config.patchSize};
  else if (name == "embeddings.cls")
    source.shape = {1, 1, hidden};
  else if (name == "embeddings.position" && vit)
    source.shape = {1, inputTokens(config), hidden};
  return source;
}

bool isHuggingFaceBuffer(CheckpointFormat format, std::string_view name) {
  return format == CheckpointFormat::HuggingFaceBert &&
         name == "bert.embeddings.position_ids";
}

} // namespace tailor::checkpoint::detail
