//===- length_config.h - Length configurations and LengthDrop ---*- C++ -*-===//
//
// A length configuration says how many tokens (CLS included) each layer keeps
// after its attention sub-layer. LengthDrop samples them during training; the
// search mutates and crosses them over.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TRAIN_LENGTH_CONFIG_H
#define TAILOR_TRAIN_LENGTH_CONFIG_H

#include "tailor/checkpoint/model_config.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace tailor::train {

using Lengths = std::vector<std::int64_t>;

/// Where a length configuration's entries may move for one model: `layers`
/// entries starting from `tokens` (the input length, CLS included). With
/// `restoreBeforeLast` (Drop-and-Restore) the dropped tokens come back before
/// the last layer, so only the first layers - 1 entries are free and the last
/// one is always `tokens`. tailor::checkpoint::checkLengths states the rules.
struct LengthSpace {
  std::int64_t layers = 0;
  std::int64_t tokens = 0;
  bool restoreBeforeLast = false;

  static LengthSpace of(const checkpoint::ModelConfig &config);
  /// Number of entries the search and LengthDrop choose.
  std::int64_t freeLayers() const;
  Lengths full() const;
};

/// LengthDrop (Kim & Cho): each free layer keeps floor((1 - r) * previous)
/// tokens, r uniform in [0, p], at least 1.
Lengths sampleLengths(const LengthSpace &space, double p, std::mt19937_64 &rng);
/// The sandwich rule's smallest model: r = p at every free layer.
Lengths smallestLengths(const LengthSpace &space, double p);

/// "50,40,32" <-> {50, 40, 32}; parsing throws Error on a malformed list.
std::string formatLengths(const Lengths &lengths);
Lengths parseLengths(const std::string &text);

} // namespace tailor::train

#endif // TAILOR_TRAIN_LENGTH_CONFIG_H
