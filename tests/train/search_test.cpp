//===- search_test.cpp - The evolutionary length search -------------------===//

#include "tiny_models.h"

#include "tailor/checkpoint/flops.h"
#include "tailor/train/error.h"
#include "tailor/train/search.h"

#include <gmock/gmock.h>

#include <cmath>

namespace tailor::train {
namespace {

using ::testing::HasSubstr;

/// A ViT with 17 tokens and 3 layers: a space large enough to search.
checkpoint::ModelConfig searchVit(bool token = false) {
  checkpoint::ModelConfig config = testing::tinyVit(token);
  config.imageSize = 16;
  config.layers = 3;
  return config;
}

/// Accuracy that grows with the tokens kept, most in the early layers, with
/// a deterministic wobble so that the front is not trivially one line.
double syntheticAccuracy(const Lengths &lengths) {
  double score = 0.0, weight = 1.0;
  for (std::int64_t length : lengths) {
    score += weight * std::sqrt(double(length));
    weight *= 0.6;
  }
  return std::fmod(score * 7.31, 0.05) + score / 10.0;
}

SearchResult search(const checkpoint::ModelConfig &config,
                    std::vector<double> budgets, std::uint64_t seed = 7) {
  SearchOptions options;
  options.budgets = std::move(budgets);
  options.population = 8;
  options.generations = 3;
  options.mutations = 4;
  options.crossovers = 4;
  options.lengthDrop = 0.4;
  options.seed = seed;
  return searchLengths(
      LengthSpace::of(config), syntheticAccuracy,
      [&](const Lengths &lengths) {
        return checkpoint::modelFlops(config, lengths);
      },
      options);
}

TEST(SearchTest, ChoicesAreWithinBudgetAndTheBestEvaluated) {
  const auto config = searchVit();
  const SearchResult result = search(config, {1.0, 0.5, 0.3});
  EXPECT_EQ(result.fullFlops,
            checkpoint::modelFlops(config, checkpoint::fullLengths(config)));
  ASSERT_EQ(result.choices.size(), 3u);
  for (const BudgetChoice &choice : result.choices) {
    SCOPED_TRACE("budget " + std::to_string(choice.budget));
    EXPECT_NO_THROW(
        checkpoint::checkLengths(config, choice.best.lengths, "choice"));
    EXPECT_EQ(choice.best.flops,
              checkpoint::modelFlops(config, choice.best.lengths));
    EXPECT_LE(double(choice.best.flops), choice.budget * result.fullFlops);
    for (const Candidate &candidate : result.evaluated)
      if (double(candidate.flops) <= choice.budget * result.fullFlops)
        EXPECT_LE(candidate.accuracy, choice.best.accuracy);
  }
  // The full model is the best at budget 1 (accuracy grows with length).
  EXPECT_EQ(result.choices[0].best.lengths, checkpoint::fullLengths(config));
  EXPECT_LT(result.choices[2].best.flops, result.choices[1].best.flops);
}

TEST(SearchTest, ParetoFrontIsAscendingAndNonDominated) {
  const SearchResult result = search(searchVit(), {0.5});
  ASSERT_GE(result.pareto.size(), 2u);
  for (std::size_t i = 1; i < result.pareto.size(); ++i) {
    EXPECT_GT(result.pareto[i].flops, result.pareto[i - 1].flops);
    EXPECT_GT(result.pareto[i].accuracy, result.pareto[i - 1].accuracy);
  }
  for (const Candidate &point : result.pareto)
    for (const Candidate &other : result.evaluated)
      EXPECT_FALSE(other.flops <= point.flops &&
                   other.accuracy > point.accuracy)
          << formatLengths(other.lengths) << " dominates "
          << formatLengths(point.lengths);
  // Every configuration is evaluated once.
  std::set<Lengths> distinct;
  for (const Candidate &candidate : result.evaluated)
    EXPECT_TRUE(distinct.insert(candidate.lengths).second);
}

TEST(SearchTest, DropAndRestoreKeepsTheLastLayerFull) {
  const auto config = searchVit(/*token=*/true);
  // The last layer on every token costs a third of this model: 0.6 is the
  // floor.
  const SearchResult result = search(config, {0.75});
  for (const Candidate &candidate : result.evaluated)
    EXPECT_EQ(candidate.lengths.back(), checkpoint::inputTokens(config));
  EXPECT_LE(double(result.choices[0].best.flops), 0.75 * result.fullFlops);
}

TEST(SearchTest, IsReproducibleFromItsSeed) {
  const auto config = searchVit();
  auto lengthsOf = [](const SearchResult &result) {
    std::vector<Lengths> all;
    for (const Candidate &candidate : result.evaluated)
      all.push_back(candidate.lengths);
    return all;
  };
  EXPECT_EQ(lengthsOf(search(config, {0.5}, 3)),
            lengthsOf(search(config, {0.5}, 3)));
  EXPECT_NE(lengthsOf(search(config, {0.5}, 3)),
            lengthsOf(search(config, {0.5}, 4)));
}

TEST(SearchTest, RejectsBudgetsItCannotMeet) {
  const auto config = searchVit();
  EXPECT_THAT([&] { search(config, {1.5}); },
              ::testing::ThrowsMessage<Error>(HasSubstr("budget 1.5")));
  // Keeping only CLS still pays for the first layer's attention.
  EXPECT_THAT([&] { search(config, {0.05}); },
              ::testing::ThrowsMessage<Error>(HasSubstr("cannot be met")));
}

} // namespace
} // namespace tailor::train
