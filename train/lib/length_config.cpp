//===- length_config.cpp - Length configurations and LengthDrop -----------===//

#include "tailor/train/length_config.h"
#include "tailor/train/error.h"

#include <cmath>
#include <sstream>

namespace tailor::train {

LengthSpace LengthSpace::of(const checkpoint::ModelConfig &config) {
  return {config.layers, checkpoint::inputTokens(config),
          checkpoint::restoresBeforeLastLayer(config)};
}

std::int64_t LengthSpace::freeLayers() const {
  return restoreBeforeLast ? layers - 1 : layers;
}

Lengths LengthSpace::full() const { return Lengths(layers, tokens); }

static Lengths shrink(const LengthSpace &space,
                      const std::vector<double> &ratios) {
  Lengths lengths = space.full();
  std::int64_t previous = space.tokens;
  for (std::int64_t i = 0; i < space.freeLayers(); ++i) {
    auto kept = static_cast<std::int64_t>(
        std::floor((1.0 - ratios[i]) * static_cast<double>(previous)));
    lengths[i] = std::max<std::int64_t>(1, kept);
    previous = lengths[i];
  }
  return lengths;
}

Lengths sampleLengths(const LengthSpace &space, double p,
                      std::mt19937_64 &rng) {
  std::uniform_real_distribution<double> ratio(0.0, p);
  std::vector<double> ratios(space.freeLayers());
  for (double &r : ratios)
    r = ratio(rng);
  return shrink(space, ratios);
}

Lengths smallestLengths(const LengthSpace &space, double p) {
  return shrink(space, std::vector<double>(space.freeLayers(), p));
}

std::string formatLengths(const Lengths &lengths) {
  std::string text;
  for (std::size_t i = 0; i < lengths.size(); ++i)
    text += (i ? "," : "") + std::to_string(lengths[i]);
  return text;
}

Lengths parseLengths(const std::string &text) {
  Lengths lengths;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    std::size_t used = 0;
    long long value = 0;
    try {
      value = std::stoll(item, &used);
    } catch (const std::exception &) {
      used = 0;
    }
    if (used == 0 || used != item.size())
      throw Error("length list '" + text + "': '" + item +
                  "' is not an integer");
    lengths.push_back(value);
  }
  if (lengths.empty())
    throw Error("length list is empty");
  return lengths;
}

} // namespace tailor::train
