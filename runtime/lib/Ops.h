//===- Ops.h - The step ops of an artifact and their roles ------*- C++ -*-===//
//
// One schema per op of docs/artifact-format.md: the roles a step maps to
// buffers and weights, in the order Step (Manifest.h) indexes them.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_RUNTIME_OPS_H
#define TAILOR_RUNTIME_OPS_H

#include <optional>
#include <string_view>
#include <vector>

namespace tailor::detail {

enum class Op {
  TokenEmbeddings,
  PatchEmbeddings,
  LayerNorm,
  Add,
  Linear,
  Attention,
  SelectTokens,
  RestoreTokens,
  Classifier,
  GatherTokens,
  EnsembleMean,
  AcmRoute,
  AcmCompact,
  GatherRows,
  ScatterAdd,
  AddLayerNorm,
};

enum class Activation { None, Relu, Gelu, GeluTanh, Tanh };
enum class Pooling { Cls, Mean, Token };

struct Role {
  std::string_view name;
  bool optional = false;
};

struct OpSchema {
  Op op;
  std::string_view name;
  std::vector<Role> inputs;
  std::vector<Role> outputs;
  std::vector<Role> weights;
};

/// nullptr when no op has that name.
const OpSchema *findOp(std::string_view name);
const OpSchema &schemaOf(Op op);
/// Every op's name, comma-separated, for error messages.
std::string_view opNames();

std::optional<Activation> parseActivation(std::string_view name);
std::optional<Pooling> parsePooling(std::string_view name);

// Role indices, in schema order. Ops with one output write role 0.
namespace roles {
namespace token_embeddings {
enum Input { Ids };
enum Weight { Word, Position, TokenType };
} // namespace token_embeddings
namespace patch_embeddings {
enum Input { Images };
enum Weight { Kernel, Bias, Cls, Position };
} // namespace patch_embeddings
namespace layer_norm {
enum Input { X };
enum Weight { Gamma, Beta };
} // namespace layer_norm
namespace add {
enum Input { A, B };
} // namespace add
namespace add_layer_norm {
enum Input { A, B };
/// sum is optional: written only when a later step reads it.
enum Output { Sum, Y };
enum Weight { Gamma, Beta };
} // namespace add_layer_norm
namespace linear {
/// counts: only its batch total of x's flattened rows are computed;
/// residual: added to the result (y's shape).
enum Input { X, Counts, Residual };
enum Weight { Kernel, Bias };
} // namespace linear
namespace attention {
/// Either q, k and v, or qkv alone: the three packed along the last
/// dimension (q | k | v).
enum Input { Q, K, V, KeyMask, Qkv };
enum Output { Context, Significance };
} // namespace attention
namespace select_tokens {
enum Input { X, Significance };
enum Output { Selected, Indices };
} // namespace select_tokens
namespace restore_tokens {
enum Input { Full, Selected, Indices };
} // namespace restore_tokens
namespace classifier {
enum Input { X };
enum Weight { Kernel, Bias, PoolerKernel, PoolerBias };
} // namespace classifier
namespace gather_tokens {
enum Input { X, Indices };
} // namespace gather_tokens
namespace acm_compact {
enum Output { Rows, Counts };
} // namespace acm_compact
/// gather_rows and scatter_add.
namespace compact_rows {
enum Input { X, Rows, Counts };
} // namespace compact_rows
namespace ensemble_mean {
/// x0, x1 and up to 6 more optional members.
constexpr int kMaxMembers = 8;
} // namespace ensemble_mean
} // namespace roles

} // namespace tailor::detail

#endif // TAILOR_RUNTIME_OPS_H
