//===- Generators.h - CUDA kernels specialized to static shapes -*- C++ -*-===//
//
// One generator per kernel kind. Each bakes every size it is given into the
// source as a constant, so a kernel serves exactly one step of one variant.
// The comment of each generator lists the kernel's parameters in launch
// order; activations are [batch, ...] row-major, f32 unless said otherwise.
// Generators throw CodegenError for shapes they cannot serve.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_CODEGEN_CUDA_GENERATORS_H
#define TAILOR_CODEGEN_CUDA_GENERATORS_H

#include "tailor/codegen/cuda/Kernel.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tailor::codegen::cuda {

/// The key tile of the attention kernels: a block-sparse table whose block
/// is a multiple of this maps onto whole tiles. Any other block size works
/// too: the tiles a block boundary cuts are masked key by key from a bit
/// table of (blocks)^2 bits in constant memory, at most 32 KiB of it.
constexpr int kSparseBlock = 64;

struct AttentionConfig {
  std::int64_t seq = 0, heads = 0, headDim = 0;
  /// Elements between consecutive tokens of q, k, v and context; 0 means
  /// heads * headDim (the [B, S, H] buffers of the artifact format).
  std::int64_t rowStride = 0;
  /// Elements between consecutive tokens of context when they differ from
  /// rowStride (q, k, v slices of a packed [B, S, 3H] buffer, context [B, S,
  /// H]); 0 means rowStride.
  std::int64_t contextStride = 0;
  Storage storage = Storage::F32;
  Math math = Math::F32;
  bool keyMask = false;
  bool significance = false;
  /// Block-sparse attention: blocks of `sparseBlock` queries and keys (the
  /// last may be partial); for each query block, the key blocks it attends
  /// to (ascending, unique, ceil(seq / sparseBlock) rows). Empty: dense.
  std::int64_t sparseBlock = kSparseBlock;
  std::vector<std::vector<int>> blockTable;
  /// The target the kernel is for ("sm_80", "sm_90a", ...): on "sm_90a",
  /// dense attention of head dim 64 in BF16/F16 math gets the wgmma kernel
  /// (which runs there only). Any other target, or empty, gets the mma.sync
  /// kernel, which runs on sm_80 and later.
  std::string arch;
};

/// Multi-head attention as docs/artifact-format.md defines it, flash style:
/// tiles of keys streamed through shared memory with an online softmax.
/// Params: q, k, v (storage), key_mask (u8 [B, S], ignored without
/// keyMask), context (storage), significance (f32 [B, S], accumulated with
/// atomics: the launcher zeroes it first; ignored without significance).
/// Math BF16/F16 needs an even head dim and F32 or matching storage.
Kernel attentionKernel(const AttentionConfig &config);

/// The indices select_tokens keeps: `kept` of `seq` tokens by significance
/// (first always when keepFirst, ties to the lower index, NaN last), in
/// increasing order. Params: significance [B, S], indices (i32 [B, kept]).
Kernel selectTokensKernel(std::int64_t seq, std::int64_t kept, bool keepFirst);

enum class RowCopy {
  Gather, ///< dst[b, j] = src[b, indices[b, j]]: dst [B, kept, ...]
  Scatter ///< dst[b, indices[b, j]] = src[b, j]: src [B, kept, ...]
};

/// Copies rows of `rowBytes` bytes by i32 indices into a [B, seq, ...]
/// buffer, any dtype. An index outside [0, seq) is recorded as an error
/// (see kNoError) and its row is skipped. Params: src, indices, dst,
/// error (u64).
Kernel rowCopyKernel(RowCopy direction, std::int64_t seq, std::int64_t kept,
                     std::int64_t rowBytes);

/// y = layer_norm(x) over rows of `hidden`, or with `residual`:
/// sum = a + b, y = layer_norm(sum) (of the sum as stored), sum written
/// only with `writeSum` (an add_layer_norm step without its sum output).
/// Params: x (a), b (ignored without residual), sum (ignored without
/// residual or writeSum), y (all `storage`), gamma, beta (f32).
Kernel layerNormKernel(std::int64_t rowsPerSample, std::int64_t hidden,
                       float epsilon, bool residual, bool writeSum = true,
                       Storage storage = Storage::F32);

/// y = a + b over `elementsPerSample` per sample. Params: a, b, y.
Kernel addKernel(std::int64_t elementsPerSample,
                 Storage storage = Storage::F32);

/// The most inputs ensembleMeanKernel averages.
constexpr int kMaxEnsembleMembers = 8;

/// y = (x0 + ... + x{members-1}) / members over `elementsPerSample` per
/// sample, 2 <= members <= kMaxEnsembleMembers. Params: x0 ... x7 (those
/// past `members` ignored), y.
Kernel ensembleMeanKernel(int members, std::int64_t elementsPerSample);

/// y = act(y + bias) (+ residual) in place on [B, rows, out] (a GEMM's
/// output), the epilogues cuBLASLt lacks: an activation before a residual
/// add. Params: y, bias (ignored without hasBias), residual (ignored without
/// hasResidual), all in `storage`.
Kernel biasActivationKernel(std::int64_t rowsPerSample, std::int64_t out,
                            bool hasBias, Activation activation,
                            bool hasResidual = false,
                            Storage storage = Storage::F32);

/// y = word[ids] + position[0..S) (+ tokenType[0]); an id outside the
/// table is recorded as an error (flat position b * S + t) and its row
/// left unwritten. Params: ids (i32 [B, S]), word, position, token_type
/// (ignored without it), y, error (u64); the tables and y in `storage`.
Kernel tokenEmbeddingsKernel(std::int64_t seq, std::int64_t hidden,
                             std::int64_t vocab, bool tokenType,
                             Storage storage = Storage::F32);

/// images [B, C, I, I] -> patches [B, (I/P)^2, C*P*P], each patch flattened
/// as (channel, row, column). Params: images (f32), patches (`storage`).
Kernel patchUnfoldKernel(std::int64_t channels, std::int64_t imageSize,
                         std::int64_t patchSize,
                         Storage storage = Storage::F32);

/// y [B, 1 + N, H]: row 0 = cls + position[0], row 1 + p = projected[b, p]
/// + (bias + position[1 + p]). Params: projected ([B, N, H]), bias, cls,
/// position, y, all in `storage`.
Kernel patchFinishKernel(std::int64_t patches, std::int64_t hidden,
                         Storage storage = Storage::F32);

enum class Pool { Cls, Mean };

/// pooled [B, H] from x [B, S, H]: token 0, or the mean over tokens.
/// Params: x, pooled (both `storage`).
Kernel poolKernel(std::int64_t seq, std::int64_t hidden, Pool pool,
                  Storage storage = Storage::F32);

/// acm_route: learners[b, s] = 1 + argmax of the `choices` gate logits of
/// the token (ties to the lowest index; NaN never wins, all NaN gives 1).
/// Params: logits ([B, S, choices], `storage`), learners (i32 [B, S]).
Kernel acmRouteKernel(std::int64_t seq, std::int64_t choices,
                      Storage storage = Storage::F32);

/// The most acm_compact steps one acmCompactKernel runs.
constexpr int kMaxCompactions = 8;

/// The acm_compact steps of learners firstLearner .. firstLearner +
/// learners - 1 over one `learners` buffer, a wholeBatch kernel of one block
/// per learner, each walking the B * S tokens in order (deterministic):
/// rows = the flat ids t with learners[t] > its learner, ascending;
/// counts[b] = how many lie in samples 0..b. Params: learners (i32 [B, S]),
/// kMaxCompactions rows (i32 [B, S]) then as many counts (i32 [B]), those
/// past `learners` null, then the batch.
Kernel acmCompactKernel(std::int64_t seq, std::int64_t firstLearner,
                        std::int64_t learners);

enum class CompactRows {
  Gather,    ///< y[i] = x[rows[i]]
  ScatterAdd ///< y[rows[i]] += x[i]
};

/// gather_rows and scatter_add over rows of `hidden` `storage` elements of
/// [B, S, hidden]
/// buffers, for i < counts[B - 1], read on the device. A row id outside
/// [0, B * S) is recorded as an error (position i, see kNoError) and its
/// row skipped. Params: x, rows (i32 [B, S]), counts (i32 [B]), y, error
/// (u64).
Kernel compactRowsKernel(CompactRows direction, std::int64_t seq,
                         std::int64_t hidden, Storage storage = Storage::F32);

} // namespace tailor::codegen::cuda

#endif // TAILOR_CODEGEN_CUDA_GENERATORS_H
