//===- Kernels.h - CPU kernels of the step ops ------------------*- C++ -*-===//
//
// One function per op of docs/artifact-format.md on raw, densely packed
// row-major f32 data; the plan was validated at load time, so sizes here are
// consistent. GEMMs go through CBLAS. The leading dimension of every
// activation is the batch.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_RUNTIME_CPU_KERNELS_H
#define TAILOR_RUNTIME_CPU_KERNELS_H

#include "../Ops.h"

#include <cstdint>
#include <vector>

namespace tailor::detail::cpu {

class ThreadPool;

/// y[r, :] = act(x[r, :] W^T + b) (+ residual[r, :]) for `rows` rows; W is
/// [out, in]; b and residual may be null.
void linear(const float *x, float *y, std::int64_t rows, std::int64_t in,
            std::int64_t out, const float *weight, const float *bias,
            Activation activation, ThreadPool &pool,
            const float *residual = nullptr);

/// y = word[ids] + position[0..seq) (+ tokenType[0] when not null). The ids
/// must be in range: see firstIdOutOfRange.
void tokenEmbeddings(const std::int32_t *ids, float *y, std::int64_t batch,
                     std::int64_t seq, std::int64_t hidden, const float *word,
                     const float *position, const float *tokenType,
                     ThreadPool &pool);

/// The index of the first id outside [0, vocab), or -1.
std::int64_t firstIdOutOfRange(const std::int32_t *ids, std::int64_t count,
                               std::int64_t vocab);

struct PatchShape {
  std::int64_t channels, size, patch, hidden;
};

/// images [B, C, I, I] -> y [B, 1 + (I/P)^2, H]: the CLS row, then each
/// patch (row-major patch order, flattened as channel, row, column)
/// projected; position added to every row.
void patchEmbeddings(const float *images, float *y, std::int64_t batch,
                     const PatchShape &shape, const float *weight,
                     const float *bias, const float *cls, const float *position,
                     ThreadPool &pool);

/// Over the last dimension, biased variance.
void layerNorm(const float *x, float *y, std::int64_t rows, std::int64_t hidden,
               const float *gamma, const float *beta, float epsilon,
               ThreadPool &pool);

void add(const float *a, const float *b, float *y, std::int64_t count,
         ThreadPool &pool);

/// sum = a + b, y = layerNorm(sum) row by row; sum may be null (the sums
/// are then kept one row at a time).
void addLayerNorm(const float *a, const float *b, float *sum, float *y,
                  std::int64_t rows, std::int64_t hidden, const float *gamma,
                  const float *beta, float epsilon, ThreadPool &pool);

/// y = the mean of the `members` arrays of `count` floats each.
void mean(const std::vector<const float *> &members, float *y,
          std::int64_t count, ThreadPool &pool);

struct AttentionShape {
  std::int64_t batch, seq, hidden, heads;
  /// Floats between consecutive tokens of q, k and v (3 * hidden when they
  /// are slices of one packed buffer); 0: hidden. context's is hidden.
  std::int64_t rowStride = 0;
  /// Block-sparse attention: blocks of `block` queries and keys, query
  /// block i attending to the key blocks (*keyBlocks)[i]; null: dense.
  std::int64_t block = 0;
  const std::vector<std::vector<std::int64_t>> *keyBlocks = nullptr;
};

/// Multi-head attention of projected q, k, v [B, S, H]. keyMask [B, S] (may
/// be null): keys where it is 0 get no attention; a query with every key
/// masked yields zeros. significance [B, S] (may be null): the attention
/// each key receives, summed over heads and (unmasked) queries. With a block
/// table, a query attends only to the keys of its block's key blocks: the
/// others get no attention, as masked keys do.
void attention(const float *q, const float *k, const float *v,
               const std::uint8_t *keyMask, float *context, float *significance,
               const AttentionShape &shape, ThreadPool &pool);

/// Keeps `kept` of the `seq` tokens of each sample: the first when
/// keepFirst, the rest by descending significance (ties to the lower index,
/// NaN least), in increasing index order.
void selectTokens(const float *x, const float *significance, float *y,
                  std::int32_t *indices, std::int64_t batch, std::int64_t seq,
                  std::int64_t kept, std::int64_t hidden, bool keepFirst,
                  ThreadPool &pool);

/// y = full; y[b, indices[b, j]] = selected[b, j]. The indices must be in
/// [0, seq): see firstIdOutOfRange.
void restoreTokens(const float *full, const float *selected,
                   const std::int32_t *indices, float *y, std::int64_t batch,
                   std::int64_t seq, std::int64_t kept, std::int64_t hidden,
                   ThreadPool &pool);

/// y[b, j] = x[b, indices[b, j]] for rows of `rowBytes` bytes (any dtype).
/// The indices must be in [0, seq): see firstIdOutOfRange.
void gatherTokens(const std::uint8_t *x, const std::int32_t *indices,
                  std::uint8_t *y, std::int64_t batch, std::int64_t seq,
                  std::int64_t kept, std::int64_t rowBytes, ThreadPool &pool);

/// learners[t] = 1 + the index of the largest of the `choices` logits of
/// token t (ties to the lowest index; a NaN never wins unless all are NaN,
/// then 1).
void acmRoute(const float *logits, std::int32_t *learners, std::int64_t tokens,
              std::int64_t choices, ThreadPool &pool);

/// rows = the flat ids t of the batch * seq tokens with learners[t] >
/// learner, ascending; counts[b] = how many lie in samples 0..b.
void acmCompact(const std::int32_t *learners, std::int32_t *rows,
                std::int32_t *counts, std::int64_t batch, std::int64_t seq,
                std::int64_t learner);

/// y[i] = x[rows[i]] for i < total, rows of `hidden`. The row ids must be
/// in range: see firstIdOutOfRange.
void gatherRows(const float *x, const std::int32_t *rows, float *y,
                std::int64_t total, std::int64_t hidden, ThreadPool &pool);

/// y[rows[i]] += x[i] for i < total, in order of i. The row ids must be in
/// range: see firstIdOutOfRange.
void scatterAdd(const float *x, const std::int32_t *rows, float *y,
                std::int64_t total, std::int64_t hidden, ThreadPool &pool);

struct ClassifierWeights {
  const float *weight, *bias;
  const float *poolerWeight, *poolerBias; ///< both null without a pooler
};

/// Pools x [B, S, H] (cls: token 0, mean: over tokens, token: none), applies
/// the pooler when there is one, then logits = pooled W^T + b: [B, C], or
/// [B, S, C] for token pooling.
void classifier(const float *x, float *logits, std::int64_t batch,
                std::int64_t seq, std::int64_t hidden, std::int64_t classes,
                const ClassifierWeights &weights, Pooling pooling,
                ThreadPool &pool);

} // namespace tailor::detail::cpu

#endif // TAILOR_RUNTIME_CPU_KERNELS_H
