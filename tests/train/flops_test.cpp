//===- flops_test.cpp - The search's FLOPs against a hand count -----------===//
//
// The search counts FLOPs with tailor::checkpoint::modelFlops, the count the
// compiler uses; these are the trainer's model shapes counted by hand.
//
//===----------------------------------------------------------------------===//

#include "tiny_models.h"

#include "tailor/checkpoint/flops.h"
#include "tailor/train/length_config.h"

#include <gtest/gtest.h>

namespace tailor::train {
namespace {

TEST(FlopsTest, VitUnderALengthConfigurationByHand) {
  const auto config = testing::tinyVit();
  // Multiply-adds, hidden 8, MLP 16, 5 tokens (4 patches + CLS):
  //   patches   4 x 16 x 8                                      =  512
  //   layer 0   5 in, 3 kept: 4x5x8x8 + 2x5x5x8 + 2x3x8x16     = 2448
  //   layer 1   3 in, 2 kept: 4x3x8x8 + 2x3x3x8 + 2x2x8x16     = 1424
  //   classifier on CLS: 8 x 3                                   =   24
  EXPECT_EQ(checkpoint::modelFlops(config, {3, 2}),
            2 * (512 + 2448 + 1424 + 24));
}

TEST(FlopsTest, DropAndRestoreRunsTheLastLayerOnEveryToken) {
  const auto config = testing::tinyVit(/*token=*/true);
  // Layer 0 keeps 2 of 5: 4x5x8x8 + 2x5x5x8 + 2x2x8x16 = 2192.
  // Layer 1 on all 5 again: 4x5x8x8 + 2x5x5x8 + 2x5x8x16 = 2960.
  // Classifier on all 5 tokens: 5 x 8 x 3 = 120.
  EXPECT_EQ(checkpoint::modelFlops(config, {2, 5}),
            2 * (512 + 2192 + 2960 + 120));
  // The search only moves the entries before the last.
  EXPECT_EQ(LengthSpace::of(config).freeLayers(), 1);
}

TEST(FlopsTest, TheDemoVitByHand) {
  // tailor-train's default model: 4 layers, hidden 64, MLP 128, 28x28
  // images, patch 7 (16 patches + CLS), 10 classes.
  checkpoint::ModelConfig config = testing::tinyVit();
  config.layers = 4;
  config.hidden = 64;
  config.heads = 4;
  config.intermediate = 128;
  config.imageSize = 28;
  config.patchSize = 7;
  config.classes = 10;
  const std::int64_t patches = 16 * 49 * 64;
  auto layer = [](std::int64_t in, std::int64_t kept) {
    return 4 * in * 64 * 64 + 2 * in * in * 64 + 2 * kept * 64 * 128;
  };
  EXPECT_EQ(checkpoint::modelFlops(config, {17, 17, 17, 17}),
            2 * (patches + 4 * layer(17, 17) + 64 * 10));
  EXPECT_EQ(checkpoint::modelFlops(config, {11, 7, 5, 2}),
            2 * (patches + layer(17, 11) + layer(11, 7) + layer(7, 5) +
                 layer(5, 2) + 64 * 10));
}

} // namespace
} // namespace tailor::train
