//===- Ops.cpp - The step ops of an artifact and their roles --------------===//

#include "Ops.h"

#include <array>

namespace tailor::detail {
namespace {

const std::vector<OpSchema> &schemas() {
  // The order of the roles is the order of the enums in Ops.h.
  static const std::vector<OpSchema> table = {
      {Op::TokenEmbeddings,
       "token_embeddings",
       {{"ids"}},
       {{"y"}},
       {{"word"}, {"position"}, {"token_type", true}}},
      {Op::PatchEmbeddings,
       "patch_embeddings",
       {{"images"}},
       {{"y"}},
       {{"weight"}, {"bias"}, {"cls"}, {"position"}}},
      {Op::LayerNorm, "layer_norm", {{"x"}}, {{"y"}}, {{"gamma"}, {"beta"}}},
      {Op::Add, "add", {{"a"}, {"b"}}, {{"y"}}, {}},
      {Op::Linear,
       "linear",
       {{"x"}, {"counts", true}, {"residual", true}},
       {{"y"}},
       {{"weight"}, {"bias", true}}},
      {Op::Attention,
       "attention",
       {{"q", true},
        {"k", true},
        {"v", true},
        {"key_mask", true},
        {"qkv", true}},
       {{"context"}, {"significance", true}},
       {}},
      {Op::SelectTokens,
       "select_tokens",
       {{"x"}, {"significance"}},
       {{"y"}, {"indices"}},
       {}},
      {Op::RestoreTokens,
       "restore_tokens",
       {{"full"}, {"selected"}, {"indices"}},
       {{"y"}},
       {}},
      {Op::Classifier,
       "classifier",
       {{"x"}},
       {{"logits"}},
       {{"weight"}, {"bias"}, {"pooler_weight", true}, {"pooler_bias", true}}},
      {Op::GatherTokens, "gather_tokens", {{"x"}, {"indices"}}, {{"y"}}, {}},
      {Op::EnsembleMean,
       "ensemble_mean",
       {{"x0"},
        {"x1"},
        {"x2", true},
        {"x3", true},
        {"x4", true},
        {"x5", true},
        {"x6", true},
        {"x7", true}},
       {{"y"}},
       {}},
      {Op::AcmRoute, "acm_route", {{"logits"}}, {{"learners"}}, {}},
      {Op::AcmCompact,
       "acm_compact",
       {{"learners"}},
       {{"rows"}, {"counts"}},
       {}},
      {Op::GatherRows,
       "gather_rows",
       {{"x"}, {"rows"}, {"counts"}},
       {{"y"}},
       {}},
      {Op::ScatterAdd,
       "scatter_add",
       {{"x"}, {"rows"}, {"counts"}},
       {{"y"}},
       {}},
      {Op::AddLayerNorm,
       "add_layer_norm",
       {{"a"}, {"b"}},
       {{"sum", true}, {"y"}},
       {{"gamma"}, {"beta"}}},
  };
  return table;
}

} // namespace

const OpSchema *findOp(std::string_view name) {
  for (const OpSchema &schema : schemas())
    if (schema.name == name)
      return &schema;
  return nullptr;
}

const OpSchema &schemaOf(Op op) { return schemas()[static_cast<int>(op)]; }

std::string_view opNames() {
  return "token_embeddings, patch_embeddings, layer_norm, add, linear, "
         "attention, select_tokens, restore_tokens, classifier, gather_tokens, "
         "ensemble_mean, acm_route, acm_compact, gather_rows, scatter_add, "
         "add_layer_norm";
}

std::optional<Activation> parseActivation(std::string_view name) {
  static const std::array<std::pair<std::string_view, Activation>, 5> names = {
      {{"none", Activation::None},
       {"relu", Activation::Relu},
       {"gelu", Activation::Gelu},
       {"gelu_tanh", Activation::GeluTanh},
       {"tanh", Activation::Tanh}}};
  for (const auto &[text, activation] : names)
    if (text == name)
      return activation;
  return std::nullopt;
}

std::optional<Pooling> parsePooling(std::string_view name) {
  if (name == "cls")
    return Pooling::Cls;
  if (name == "mean")
    return Pooling::Mean;
  if (name == "token")
    return Pooling::Token;
  return std::nullopt;
}

} // namespace tailor::detail
