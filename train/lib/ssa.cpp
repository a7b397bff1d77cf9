//===- ssa.cpp - Stochastically subsampled self-attention -----------------===//

#include "tailor/train/ssa.h"
#include "tailor/train/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tailor::train {

std::vector<std::int64_t> SsaPattern::mask() const {
  std::vector<std::int64_t> bits(rows * rows, 0);
  auto table = keyBlocks.accessor<std::int64_t, 2>();
  for (std::int64_t row = 0; row < rows; ++row)
    for (std::int64_t j = 0; j < table.size(1); ++j)
      bits[row * rows + table[row][j]] = 1;
  if (globalFirstBlock)
    std::fill(bits.begin(), bits.begin() + rows, 1);
  return bits;
}

std::int64_t ssaKeptBlocks(const checkpoint::SsaSettings &settings,
                           std::int64_t rows) {
  const std::int64_t wanted =
      std::llround(settings.keep * static_cast<double>(rows));
  const std::int64_t least = settings.globalFirstBlock && rows > 1 ? 2 : 1;
  return std::min(rows, std::max(wanted, least));
}

SsaPattern sampleSsaPattern(const checkpoint::SsaSettings &settings,
                            std::int64_t tokens, std::mt19937_64 &rng) {
  if (settings.block < 1 || tokens < 1)
    throw Error("SSA pattern: block " + std::to_string(settings.block) +
                " and tokens " + std::to_string(tokens) + " must be positive");
  SsaPattern pattern;
  pattern.block = settings.block;
  pattern.rows = (tokens + settings.block - 1) / settings.block;
  pattern.globalFirstBlock = settings.globalFirstBlock;
  const std::int64_t rows = pattern.rows;
  const std::int64_t kept = ssaKeptBlocks(settings, rows);
  pattern.keyBlocks = torch::empty({rows, kept}, torch::kLong);
  auto table = pattern.keyBlocks.accessor<std::int64_t, 2>();
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (std::int64_t i = 0; i < rows; ++i) {
    // Weighted sampling without replacement: the largest keys
    // log(u) / w (Efraimidis-Spirakis); forced blocks get +infinity.
    std::vector<std::pair<double, std::int64_t>> keys;
    for (std::int64_t j = 0; j < rows; ++j) {
      const bool forced = j == i || (settings.globalFirstBlock && j == 0);
      const double weight =
          std::exp(-settings.locality * static_cast<double>(std::abs(i - j)));
      const double u = std::max(uniform(rng), 1e-300);
      keys.push_back({forced ? std::numeric_limits<double>::infinity()
                             : std::log(u) / weight,
                      j});
    }
    std::partial_sort(
        keys.begin(), keys.begin() + kept, keys.end(),
        [](const auto &a, const auto &b) { return a.first > b.first; });
    std::vector<std::int64_t> chosen;
    for (std::int64_t j = 0; j < kept; ++j)
      chosen.push_back(keys[j].second);
    std::sort(chosen.begin(), chosen.end());
    for (std::int64_t j = 0; j < kept; ++j)
      table[i][j] = chosen[j];
  }
  return pattern;
}

std::vector<SsaPattern> sampleSsaLayers(const checkpoint::SsaSettings &settings,
                                        std::int64_t layers,
                                        std::int64_t tokens,
                                        std::mt19937_64 &rng) {
  std::vector<SsaPattern> patterns;
  for (std::int64_t layer = 0; layer < layers; ++layer)
    patterns.push_back(sampleSsaPattern(settings, tokens, rng));
  return patterns;
}

namespace {

/// Softmax over the last dimension where `valid`, zeros for a row with no
/// valid entry.
torch::Tensor maskedSoftmax(const torch::Tensor &scores,
                            const torch::Tensor &valid) {
  auto masked = scores.masked_fill(valid.logical_not(),
                                   -std::numeric_limits<float>::infinity());
  return torch::softmax(masked, -1).nan_to_num(0.0);
}

} // namespace

torch::Tensor blockSparseAttention(const torch::Tensor &q,
                                   const torch::Tensor &k,
                                   const torch::Tensor &v,
                                   const torch::Tensor &keyMask,
                                   const SsaPattern &pattern) {
  const std::int64_t batch = q.size(0), heads = q.size(1), seq = q.size(2),
                     width = q.size(3);
  const std::int64_t block = pattern.block, rows = pattern.rows;
  if ((seq + block - 1) / block != rows)
    throw Error("SSA pattern of " + std::to_string(rows) + " blocks of " +
                std::to_string(block) + " for " + std::to_string(seq) +
                " tokens");
  const std::int64_t padded = rows * block, kept = pattern.keyBlocks.size(1);
  auto pad = [&](const torch::Tensor &t) {
    return torch::constant_pad_nd(t, {0, 0, 0, padded - seq});
  };
  auto valid = keyMask.defined()
                   ? keyMask.to(torch::kBool)
                   : torch::ones({batch, seq}, q.options().dtype(torch::kBool));
  valid = torch::cat(
      {valid, torch::zeros({batch, padded - seq}, valid.options())}, 1);
  const auto index = pattern.keyBlocks.flatten().to(q.device());
  // The kept key blocks of every query block: [B, H, rows, kept*block, W].
  auto gather = [&](const torch::Tensor &t) {
    return pad(t)
        .reshape({batch, heads, rows, block, width})
        .index_select(2, index)
        .view({batch, heads, rows, kept * block, width});
  };
  auto queries = pad(q).reshape({batch, heads, rows, block, width});
  auto scores = torch::matmul(queries, gather(k).transpose(-2, -1));
  auto keyValid = valid.view({batch, rows, block})
                      .index_select(1, index)
                      .view({batch, 1, rows, 1, kept * block});
  auto context = torch::matmul(maskedSoftmax(scores, keyValid), gather(v))
                     .reshape({batch, heads, padded, width});
  if (pattern.globalFirstBlock) {
    // Query block 0 (CLS) attends to every key.
    auto first = queries.select(2, 0);
    auto firstScores = torch::matmul(first, pad(k).transpose(-2, -1));
    auto firstContext = torch::matmul(
        maskedSoftmax(firstScores, valid.view({batch, 1, 1, padded})), pad(v));
    context =
        torch::cat({firstContext, context.narrow(2, block, padded - block)}, 2);
  }
  return context.narrow(2, 0, seq);
}

} // namespace tailor::train
