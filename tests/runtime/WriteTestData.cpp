//===- WriteTestData.cpp - Inputs for the sample test ---------------------===//
//
// write-test-data DIR: writes DIR/vit.tailor (a tiny ViT for 28x28 images,
// variants b1.00 and b0.50), DIR/images.idx.gz (random images) and
// DIR/labels.idx (the reference model's own predictions for the full
// variant, over several classes, so that a correct runtime scores accuracy 1
// and a wrong one does not).
//
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include <iostream>

using namespace tailor::testing;

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: write-test-data DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  try {
    ModelConfig config;
    config.imageSize = 28;
    config.patchSize = 7;
    config.classes = 10;
    config.inputNormalization = {{0.2860, 0.3530}};
    config.variants = {{"b1.00", 1.0, {}}, {"b0.50", 0.5, {12, 6}}};
    Weights weights = randomWeights(config);
    buildArtifact(config, weights).write(dir + "/vit.tailor");

    const std::int64_t count = 24;
    std::vector<std::int32_t> labels;
    std::vector<std::uint8_t> pixels = imagesOfSeveralClasses(
        config, weights, config.variants[0], count, 5, labels);
    writeIdx(dir + "/images.idx.gz", {count, 28, 28}, pixels, /*gzip=*/true);
    writeIdx(dir + "/labels.idx", {count},
             std::vector<std::uint8_t>(labels.begin(), labels.end()));
  } catch (const std::exception &error) {
    std::cerr << "write-test-data: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
