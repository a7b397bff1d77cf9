//===- search.cpp - Evolutionary search over length configurations --------===//

#include "tailor/train/search.h"
#include "tailor/train/error.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace tailor::train {

namespace {

class Search {
public:
  Search(const LengthSpace &space, const Fitness &fitness,
         const FlopsCounter &flops, const SearchOptions &options,
         const SearchProgress &progress)
      : space(space), fitness(fitness), flops(flops), options(options),
        progress(progress), rng(options.seed) {}

  SearchResult run();

private:
  /// Evaluates `lengths` unless it was already; false when it was.
  bool evaluate(const Lengths &lengths);
  Lengths mutate(const Lengths &parent);
  Lengths crossover(const Lengths &a, const Lengths &b);
  /// Constant kept fraction per layer, the largest whose FLOPs fit `budget`.
  Lengths fitBudget(double budget, std::int64_t fullFlops);
  std::int64_t lowestLength(std::int64_t previous) const;

  const LengthSpace &space;
  const Fitness &fitness;
  const FlopsCounter &flops;
  const SearchOptions &options;
  const SearchProgress &progress;
  std::mt19937_64 rng;
  std::map<Lengths, std::size_t> seen;
  std::vector<Candidate> evaluated;
  std::int64_t planned = 0;
};

bool Search::evaluate(const Lengths &lengths) {
  if (seen.count(lengths))
    return false;
  seen.emplace(lengths, evaluated.size());
  evaluated.push_back({lengths, flops(lengths), fitness(lengths)});
  if (progress)
    progress(static_cast<std::int64_t>(evaluated.size()), planned,
             evaluated.back());
  return true;
}

std::int64_t Search::lowestLength(std::int64_t previous) const {
  auto lowest = static_cast<std::int64_t>(
      std::ceil((1.0 - options.lengthDrop) * static_cast<double>(previous)));
  return std::clamp<std::int64_t>(lowest, 1, previous);
}

Lengths Search::mutate(const Lengths &parent) {
  std::bernoulli_distribution mutates(options.mutationProbability);
  Lengths child = parent;
  std::int64_t previous = space.tokens;
  for (std::int64_t i = 0; i < space.freeLayers(); ++i) {
    if (mutates(rng)) {
      std::uniform_int_distribution<std::int64_t> pick(lowestLength(previous),
                                                       previous);
      child[i] = pick(rng);
    } else {
      child[i] = std::min(child[i], previous);
    }
    previous = child[i];
  }
  return child;
}

Lengths Search::crossover(const Lengths &a, const Lengths &b) {
  std::bernoulli_distribution fromA(0.5);
  Lengths child = a;
  std::int64_t previous = space.tokens;
  for (std::int64_t i = 0; i < space.freeLayers(); ++i) {
    child[i] = std::min(fromA(rng) ? a[i] : b[i], previous);
    previous = child[i];
  }
  return child;
}

Lengths Search::fitBudget(double budget, std::int64_t fullFlops) {
  auto shrunk = [&](double kept) {
    Lengths lengths = space.full();
    std::int64_t previous = space.tokens;
    for (std::int64_t i = 0; i < space.freeLayers(); ++i) {
      lengths[i] = std::max<std::int64_t>(
          1, static_cast<std::int64_t>(std::floor(kept * double(previous))));
      previous = lengths[i];
    }
    return lengths;
  };
  auto fits = [&](const Lengths &lengths) {
    return double(flops(lengths)) <= budget * double(fullFlops);
  };
  Lengths smallest = shrunk(0.0);
  if (!fits(smallest))
    throw Error("budget " + std::to_string(budget) +
                " cannot be met: keeping only CLS after every layer costs " +
                std::to_string(flops(smallest)) + " FLOPs of " +
                std::to_string(fullFlops));
  double low = 0.0, high = 1.0;
  for (int step = 0; step < 40; ++step) {
    double mid = 0.5 * (low + high);
    (fits(shrunk(mid)) ? low : high) = mid;
  }
  return shrunk(low);
}

SearchResult Search::run() {
  for (double budget : options.budgets)
    if (!(budget > 0.0 && budget <= 1.0))
      throw Error("budget " + std::to_string(budget) +
                  " is not a fraction of the full FLOPs in (0, 1]");
  SearchResult result;
  result.fullFlops = flops(space.full());
  planned = options.population + 1 +
            static_cast<std::int64_t>(options.budgets.size()) +
            options.generations * (options.mutations + options.crossovers);

  // The full model, one configuration per budget so every budget has a
  // candidate, then LengthDrop samples.
  evaluate(space.full());
  for (double budget : options.budgets)
    evaluate(fitBudget(budget, result.fullFlops));
  for (std::int64_t i = 0; i < options.population; ++i)
    evaluate(sampleLengths(space, options.lengthDrop, rng));

  const int kAttempts = 20; // children that repeat a seen one are redrawn
  for (std::int64_t g = 0; g < options.generations; ++g) {
    std::vector<Candidate> parents = paretoFront(evaluated);
    std::uniform_int_distribution<std::size_t> pick(0, parents.size() - 1);
    for (std::int64_t i = 0; i < options.mutations; ++i)
      for (int attempt = 0; attempt < kAttempts; ++attempt)
        if (evaluate(mutate(parents[pick(rng)].lengths)))
          break;
    for (std::int64_t i = 0; i < options.crossovers; ++i)
      for (int attempt = 0; attempt < kAttempts; ++attempt)
        if (evaluate(crossover(parents[pick(rng)].lengths,
                               parents[pick(rng)].lengths)))
          break;
  }

  result.evaluated = evaluated;
  result.pareto = paretoFront(evaluated);
  for (double budget : options.budgets) {
    BudgetChoice choice{budget, {}};
    bool found = false;
    for (const Candidate &candidate : evaluated) {
      if (double(candidate.flops) > budget * double(result.fullFlops))
        continue;
      bool better = !found || candidate.accuracy > choice.best.accuracy ||
                    (candidate.accuracy == choice.best.accuracy &&
                     candidate.flops < choice.best.flops);
      if (better)
        choice.best = candidate;
      found = true;
    }
    result.choices.push_back(choice);
  }
  return result;
}

} // namespace

std::vector<Candidate> paretoFront(std::vector<Candidate> candidates) {
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate &a, const Candidate &b) {
              return a.flops != b.flops ? a.flops < b.flops
                                        : a.accuracy > b.accuracy;
            });
  std::vector<Candidate> front;
  for (const Candidate &candidate : candidates)
    if (front.empty() || candidate.accuracy > front.back().accuracy)
      front.push_back(candidate);
  return front;
}

SearchResult searchLengths(const LengthSpace &space, const Fitness &fitness,
                           const FlopsCounter &flops,
                           const SearchOptions &options,
                           const SearchProgress &progress) {
  return Search(space, fitness, flops, options, progress).run();
}

} // namespace tailor::train
