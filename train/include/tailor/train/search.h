//===- search.h - Evolutionary search over length configurations -*- C++
//-*-===//
//
// The Length-Adaptive Transformer's search: a population of length
// configurations evolves by mutation and crossover of the current
// accuracy/FLOPs Pareto front; the result is that front and, for each
// requested budget, the most accurate configuration within it.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TRAIN_SEARCH_H
#define TAILOR_TRAIN_SEARCH_H

#include "tailor/train/length_config.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace tailor::train {

struct Candidate {
  Lengths lengths;
  std::int64_t flops = 0;
  double accuracy = 0.0;
};

struct SearchOptions {
  /// Fractions of the full model's FLOPs, each in (0, 1].
  std::vector<double> budgets{1.0, 0.5};
  std::int64_t population = 16; ///< random LengthDrop samples to start
  std::int64_t generations = 6;
  std::int64_t mutations = 8;       ///< children by mutation per generation
  std::int64_t crossovers = 8;      ///< children by crossover per generation
  double mutationProbability = 0.5; ///< per layer
  /// Mutation and the initial samples draw each layer's kept fraction from
  /// [1 - lengthDrop, 1] of the previous layer's length, as training did.
  double lengthDrop = 0.3;
  std::uint64_t seed = 0;
};

struct BudgetChoice {
  double budget = 1.0;
  Candidate best; ///< most accurate with flops <= budget * full FLOPs
};

struct SearchResult {
  std::int64_t fullFlops = 0;
  std::vector<Candidate> evaluated;  ///< every configuration, in order
  std::vector<Candidate> pareto;     ///< non-dominated, ascending FLOPs
  std::vector<BudgetChoice> choices; ///< one per budget, in the given order
};

using Fitness = std::function<double(const Lengths &)>;
using FlopsCounter = std::function<std::int64_t(const Lengths &)>;
/// Called after each evaluation with the number done and the planned total.
using SearchProgress = std::function<void(std::int64_t done, std::int64_t total,
                                          const Candidate &latest)>;

/// Throws Error on a budget outside (0, 1] or one that no configuration can
/// meet (even keeping only CLS costs more).
SearchResult searchLengths(const LengthSpace &space, const Fitness &fitness,
                           const FlopsCounter &flops,
                           const SearchOptions &options,
                           const SearchProgress &progress = {});

/// The non-dominated candidates (no other is at least as accurate for at
/// most the FLOPs, and strictly better in one), ascending FLOPs.
std::vector<Candidate> paretoFront(std::vector<Candidate> candidates);

} // namespace tailor::train

#endif // TAILOR_TRAIN_SEARCH_H
