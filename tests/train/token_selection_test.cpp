//===- token_selection_test.cpp - Significance, selection, restore --------===//

#include "tailor/train/error.h"
#include "tailor/train/token_selection.h"

#include <gmock/gmock.h>

#include <limits>

namespace tailor::train {
namespace {

std::vector<std::int64_t> row(const torch::Tensor &t, std::int64_t b) {
  auto r = t[b].contiguous();
  return {r.data_ptr<std::int64_t>(), r.data_ptr<std::int64_t>() + r.numel()};
}

TEST(TokenSelectionTest, SignificanceSumsHeadsAndQueries) {
  // batch 1, 2 heads, 2 queries, 3 keys.
  auto probabilities = torch::tensor({0.5f, 0.25f, 0.25f, 0.1f, 0.1f, 0.8f, //
                                      0.2f, 0.7f, 0.1f, 0.3f, 0.3f, 0.4f})
                           .view({1, 2, 2, 3});
  auto significance = tokenSignificance(probabilities);
  EXPECT_TRUE(
      torch::allclose(significance, torch::tensor({{1.1f, 1.35f, 1.55f}})));
  // A padding query (mask 0) adds nothing.
  auto masked =
      tokenSignificance(probabilities, torch::tensor({{true, false}}));
  EXPECT_TRUE(torch::allclose(masked, torch::tensor({{0.7f, 0.95f, 0.35f}})));
}

TEST(TokenSelectionTest, KeepsClsAndTheMostAttendedTokens) {
  // CLS (position 0) is the least attended in row 0 and is kept anyway.
  auto significance = torch::tensor(
      {{0.1f, 3.0f, 0.5f, 2.0f, 1.0f}, {5.0f, 0.2f, 0.9f, 0.1f, 0.8f}});
  auto kept = selectTokens(significance, 3);
  ASSERT_EQ(kept.sizes(), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(row(kept, 0), (std::vector<std::int64_t>{0, 1, 3}));
  EXPECT_EQ(row(kept, 1), (std::vector<std::int64_t>{0, 2, 4}));
}

TEST(TokenSelectionTest, TiesGoToTheLowerPositionAndNanRanksLast) {
  auto nan = std::numeric_limits<float>::quiet_NaN();
  auto significance = torch::tensor(
      {{0.0f, 1.0f, 2.0f, 1.0f, 1.0f}, {0.0f, nan, 0.5f, 0.25f, nan}});
  EXPECT_EQ(row(selectTokens(significance, 3), 0),
            (std::vector<std::int64_t>{0, 1, 2}));
  EXPECT_EQ(row(selectTokens(significance, 3), 1),
            (std::vector<std::int64_t>{0, 2, 3}));
}

TEST(TokenSelectionTest, KeepsEverythingWhenKIsTheLength) {
  auto significance = torch::rand({2, 4});
  EXPECT_EQ(row(selectTokens(significance, 4), 1),
            (std::vector<std::int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(row(selectTokens(significance, 1), 0),
            (std::vector<std::int64_t>{0}));
  EXPECT_THROW(selectTokens(significance, 0), Error);
}

TEST(TokenSelectionTest, GatherAndRestoreAreInverse) {
  auto x = torch::arange(2 * 5 * 3, torch::kFloat32).view({2, 5, 3});
  auto positions = torch::tensor({{0, 2, 4}, {0, 1, 3}}, torch::kLong);
  auto gathered = gatherTokens(x, positions);
  EXPECT_TRUE(torch::equal(gathered[0][1], x[0][2]));
  EXPECT_TRUE(torch::equal(gathered[1][2], x[1][3]));
  // Restoring changed rows into zeros puts them back where they came from
  // and leaves the dropped rows as `full` had them.
  auto restored = restoreTokens(torch::zeros_like(x), gathered * 2, positions);
  EXPECT_TRUE(torch::equal(restored[0][4], x[0][4] * 2));
  EXPECT_TRUE(torch::equal(restored[0][1], torch::zeros({3})));
  EXPECT_TRUE(torch::equal(restored[1][3], x[1][3] * 2));
}

} // namespace
} // namespace tailor::train
