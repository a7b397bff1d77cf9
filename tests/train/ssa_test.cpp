//===- ssa_test.cpp - SSA patterns and block-sparse attention -------------===//

#include "tailor/train/error.h"
#include "tailor/train/ssa.h"

#include <gmock/gmock.h>

#include <algorithm>
#include <limits>

namespace tailor::train {
namespace {

checkpoint::SsaSettings settings(std::int64_t block, double keep,
                                 double locality) {
  checkpoint::SsaSettings ssa;
  ssa.block = block;
  ssa.keep = keep;
  ssa.locality = locality;
  return ssa;
}

std::vector<std::int64_t> rowOf(const SsaPattern &pattern, std::int64_t row) {
  auto r = pattern.keyBlocks[row].contiguous();
  return {r.data_ptr<std::int64_t>(), r.data_ptr<std::int64_t>() + r.numel()};
}

TEST(SsaTest, EachQueryBlockKeepsItselfTheGlobalBlockAndTheRate) {
  std::mt19937_64 rng(7);
  // 197 tokens in blocks of 16: 13 blocks, the last of 5 tokens.
  const SsaPattern pattern =
      sampleSsaPattern(settings(16, 0.25, 1.0), 197, rng);
  EXPECT_EQ(pattern.rows, 13);
  ASSERT_EQ(pattern.keyBlocks.sizes(), (std::vector<std::int64_t>{13, 3}));
  for (std::int64_t i = 0; i < 13; ++i) {
    std::vector<std::int64_t> keys = rowOf(pattern, i);
    EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
    EXPECT_EQ(std::adjacent_find(keys.begin(), keys.end()), keys.end());
    EXPECT_THAT(keys, ::testing::Contains(0));
    EXPECT_THAT(keys, ::testing::Contains(i));
  }
  const std::vector<std::int64_t> mask = pattern.mask();
  ASSERT_EQ(mask.size(), 169u);
  for (std::int64_t j = 0; j < 13; ++j)
    EXPECT_EQ(mask[j], 1) << "the CLS block attends to every block";
  EXPECT_EQ(std::count(mask.begin() + 13, mask.end(), 1), 12 * 3);
}

TEST(SsaTest, KeptBlocksFollowTheRate) {
  EXPECT_EQ(ssaKeptBlocks(settings(16, 0.5, 1.0), 13), 7);
  EXPECT_EQ(ssaKeptBlocks(settings(16, 0.25, 1.0), 13), 3);
  EXPECT_EQ(ssaKeptBlocks(settings(16, 0.125, 1.0), 13), 2);
  EXPECT_EQ(ssaKeptBlocks(settings(16, 1.0, 1.0), 13), 13);
}

TEST(SsaTest, AStrongLocalityBiasKeepsTheNearestBlocks) {
  std::mt19937_64 rng(3);
  // 4 of 10 blocks: 0, itself, and its two neighbours (weights e^-50 for
  // anything further).
  const SsaPattern pattern = sampleSsaPattern(settings(4, 0.4, 50.0), 40, rng);
  EXPECT_THAT(rowOf(pattern, 5), ::testing::ElementsAre(0, 4, 5, 6));
  EXPECT_THAT(rowOf(pattern, 9), ::testing::ElementsAre(0, 7, 8, 9));
}

TEST(SsaTest, PatternsFollowTheSeed) {
  std::mt19937_64 a(11), b(11), c(12);
  const auto ssa = settings(4, 0.5, 0.5);
  EXPECT_TRUE(torch::equal(sampleSsaPattern(ssa, 37, a).keyBlocks,
                           sampleSsaPattern(ssa, 37, b).keyBlocks));
  bool differs = false;
  for (int i = 0; i < 5; ++i)
    differs = differs || !torch::equal(sampleSsaPattern(ssa, 37, a).keyBlocks,
                                       sampleSsaPattern(ssa, 37, c).keyBlocks);
  EXPECT_TRUE(differs);
}

/// Dense softmax attention with the pattern's block mask spread over the
/// tokens: what the block-sparse kernel must compute.
torch::Tensor maskedReference(const torch::Tensor &q, const torch::Tensor &k,
                              const torch::Tensor &v,
                              const torch::Tensor &keyMask,
                              const SsaPattern &pattern) {
  const std::int64_t seq = q.size(2);
  const std::vector<std::int64_t> mask = pattern.mask();
  auto allowed = torch::zeros({seq, seq}, torch::kBool);
  for (std::int64_t i = 0; i < seq; ++i)
    for (std::int64_t j = 0; j < seq; ++j)
      allowed[i][j].fill_(
          mask[i / pattern.block * pattern.rows + j / pattern.block] != 0);
  allowed = allowed.view({1, 1, seq, seq})
                .logical_and(keyMask.view({keyMask.size(0), 1, 1, seq}));
  auto scores = torch::matmul(q, k.transpose(-2, -1))
                    .masked_fill(allowed.logical_not(),
                                 -std::numeric_limits<float>::infinity());
  return torch::matmul(torch::softmax(scores, -1).nan_to_num(0.0), v);
}

TEST(SsaTest, BlockSparseAttentionIsTheMaskedSoftmaxExactly) {
  torch::manual_seed(0);
  std::mt19937_64 rng(5);
  // 23 tokens in blocks of 4: a partial last block; padding at the end of
  // sample 1.
  const SsaPattern pattern = sampleSsaPattern(settings(4, 0.5, 1.0), 23, rng);
  auto q = torch::randn({2, 3, 23, 8}, torch::kDouble);
  auto k = torch::randn({2, 3, 23, 8}, torch::kDouble);
  auto v = torch::randn({2, 3, 23, 8}, torch::kDouble);
  auto keyMask = torch::ones({2, 23}, torch::kBool);
  keyMask[1].narrow(0, 17, 6).fill_(false);
  auto sparse = blockSparseAttention(q, k, v, keyMask, pattern);
  EXPECT_TRUE(torch::allclose(
      sparse, maskedReference(q, k, v, keyMask, pattern), 1e-12, 1e-12));
  // And it differs from dense attention: blocks were dropped.
  auto dense = torch::matmul(
      torch::softmax(torch::matmul(q, k.transpose(-2, -1)), -1), v);
  EXPECT_FALSE(torch::allclose(sparse[0], dense[0], 1e-3, 1e-3));
}

TEST(SsaTest, GradientsReachQueriesKeysAndValues) {
  std::mt19937_64 rng(1);
  const SsaPattern pattern = sampleSsaPattern(settings(4, 0.5, 1.0), 16, rng);
  auto q = torch::randn({1, 2, 16, 4}, torch::requires_grad());
  auto k = torch::randn({1, 2, 16, 4}, torch::requires_grad());
  auto v = torch::randn({1, 2, 16, 4}, torch::requires_grad());
  blockSparseAttention(q, k, v, torch::Tensor(), pattern).sum().backward();
  for (const auto &t : {q, k, v}) {
    ASSERT_TRUE(t.grad().defined());
    EXPECT_TRUE(torch::isfinite(t.grad()).all().item<bool>());
    EXPECT_GT(t.grad().abs().sum().item<double>(), 0.0);
  }
}

TEST(SsaTest, APatternForOtherTokensIsAnError) {
  std::mt19937_64 rng(1);
  const SsaPattern pattern = sampleSsaPattern(settings(4, 0.5, 1.0), 16, rng);
  auto x = torch::randn({1, 1, 20, 4});
  EXPECT_THROW(blockSparseAttention(x, x, x, torch::Tensor(), pattern), Error);
}

} // namespace
} // namespace tailor::train
