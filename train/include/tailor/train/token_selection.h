//===- token_selection.h - PoWER-BERT token selection -----------*- C++ -*-===//
//
// The numerical contract with the compiler's tailor.attention (significance
// result) and tailor.select_tokens / tailor.restore_tokens; train/README.md
// states the rule in words.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TRAIN_TOKEN_SELECTION_H
#define TAILOR_TRAIN_TOKEN_SELECTION_H

#include <torch/torch.h>

namespace tailor::train {

/// Attention received per key token, summed over heads and over the queries
/// that are real tokens: probabilities [batch, heads, queries, keys] and
/// queryMask [batch, queries] bool (undefined: every query counts) ->
/// [batch, keys]. Padding queries are left out so that a padded batch ranks
/// real tokens as the unpadded one does.
torch::Tensor tokenSignificance(const torch::Tensor &probabilities,
                                const torch::Tensor &queryMask = {});

/// Positions [batch, k] (int64, ascending) of the tokens to keep: position 0
/// (CLS) always, then the k - 1 most significant other tokens, ties going to
/// the lower position and NaN ranking last. k >= the sequence length keeps
/// every token.
torch::Tensor selectTokens(const torch::Tensor &significance, std::int64_t k);

/// Rows `positions` [batch, k] of `x` [batch, seq, ...] -> [batch, k, ...].
torch::Tensor gatherTokens(const torch::Tensor &x,
                           const torch::Tensor &positions);

/// Drop-and-Restore: `full` [batch, seq, hidden] with row positions[b, j]
/// replaced by selected[b, j] (tailor.restore_tokens).
torch::Tensor restoreTokens(const torch::Tensor &full,
                            const torch::Tensor &selected,
                            const torch::Tensor &positions);

} // namespace tailor::train

#endif // TAILOR_TRAIN_TOKEN_SELECTION_H
