//===- Reference.h - Naive reference implementations of the ops -*- C++ -*-===//
//
// Straightforward double-precision loops, one per op of
// docs/artifact-format.md, written from the op semantics alone (no BLAS, no
// runtime code). Activations are [batch, ...]; names of activations and
// poolings are the manifest's ("gelu", "cls").
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TESTING_REFERENCE_H
#define TAILOR_TESTING_REFERENCE_H

#include "tailor/testing/Array.h"

#include <string>

namespace tailor::testing::reference {

/// ids [B, S] -> [B, S, H]: word[ids] + position[0..S) (+ tokenType[0]).
Array tokenEmbeddings(const std::vector<std::int32_t> &ids, std::int64_t batch,
                      std::int64_t seq, const Array &word,
                      const Array &position, const Array *tokenType);

/// images [B, C, I, I] -> [B, 1 + (I/P)^2, H].
Array patchEmbeddings(const Array &images, const Array &weight,
                      const Array &bias, const Array &cls,
                      const Array &position, std::int64_t patch);

Array layerNorm(const Array &x, const Array &gamma, const Array &beta,
                double epsilon);

Array add(const Array &a, const Array &b);

/// x [..., in] -> [..., out]: act(x W^T + b); `bias` may be null.
Array linear(const Array &x, const Array &weight, const Array *bias,
             const std::string &activation = "none");

struct Attention {
  Array context;      ///< [B, S, H]
  Array significance; ///< [B, S]
};

/// A block-sparse pattern: rows x rows blocks of `block` tokens, `mask`
/// row major (query block, key block), 1 where computed.
struct BlockMask {
  std::int64_t block = 0;
  std::vector<std::int64_t> mask;
};

/// q, k, v [B, S, H]; keyMask [B * S] (empty: no mask). With `blocks`, a
/// query attends only to the keys of the key blocks its block keeps.
Attention attention(const Array &q, const Array &k, const Array &v,
                    const std::vector<std::uint8_t> &keyMask,
                    std::int64_t heads, const BlockMask *blocks = nullptr);

struct Selection {
  Array selected;                    ///< [B, k, H]
  std::vector<std::int32_t> indices; ///< [B * k]
};

Selection selectTokens(const Array &x, const Array &significance,
                       std::int64_t kept, bool keepFirst = true);

Array restoreTokens(const Array &full, const Array &selected,
                    const std::vector<std::int32_t> &indices);

/// A per-token mask [B * S] at the tokens a selection kept: [B * k],
/// k = indices.size() / B.
std::vector<std::uint8_t>
gatherTokens(const std::vector<std::uint8_t> &mask, std::int64_t batch,
             const std::vector<std::int32_t> &indices);

/// x [B, S, H] -> [B, C] (cls, mean) or [B, S, C] (token).
Array classifier(const Array &x, const Array &weight, const Array &bias,
                 const Array *poolerWeight, const Array *poolerBias,
                 const std::string &pooling);

} // namespace tailor::testing::reference

#endif // TAILOR_TESTING_REFERENCE_H
