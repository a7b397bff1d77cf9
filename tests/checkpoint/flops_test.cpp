//===- flops_test.cpp - FLOPs against counts done by hand -----------------===//

#include "tailor/checkpoint/error.h"
#include "tailor/checkpoint/flops.h"

#include <gmock/gmock.h>

namespace tailor::checkpoint {
namespace {

using ::testing::HasSubstr;

/// Encoder: 2 layers, hidden 4 (2 heads), MLP 8, 5 positions, 3 classes,
/// with a pooler.
ModelConfig tinyEncoder() {
  ModelConfig config;
  config.kind = ModelKind::Encoder;
  config.layers = 2;
  config.hidden = 4;
  config.heads = 2;
  config.intermediate = 8;
  config.classes = 3;
  config.vocabSize = 10;
  config.maxPositions = 5;
  config.pooler = true;
  return config;
}

TEST(FlopsTest, EncoderLayerByHand) {
  const ModelConfig config = tinyEncoder();
  // 5 tokens in, 3 kept. Multiply-adds:
  //   Q, K, V, O:   4 x 5 x 4 x 4 = 320
  //   QK^T and PV:  2 x 5 x 5 x 4 = 200
  //   MLP up, down: 2 x 3 x 4 x 8 = 192
  EXPECT_EQ(layerFlops(config, 5, 3), 2 * (320 + 200 + 192));
  // Keeping every token: the MLP runs on 5 tokens, 2 x 5 x 4 x 8 = 320.
  EXPECT_EQ(layerFlops(config, 5), 2 * (320 + 200 + 320));
}

TEST(FlopsTest, EncoderModelByHand) {
  const ModelConfig config = tinyEncoder();
  // Layer 0 on 5 tokens keeping 3: 712 multiply-adds (above).
  // Layer 1 on 3 tokens keeping 2:
  //   4 x 3 x 4 x 4 = 192, 2 x 3 x 3 x 4 = 72, 2 x 2 x 4 x 8 = 128 -> 392.
  // Pooler on CLS: 4 x 4 = 16. Classifier on CLS: 4 x 3 = 12.
  // The embeddings are lookups: no multiply-adds.
  EXPECT_EQ(modelFlops(config, {3, 2}), 2 * (712 + 392 + 16 + 12));
  // Full lengths: two layers of 840 multiply-adds.
  EXPECT_EQ(modelFlops(config, fullLengths(config)), 2 * (840 + 840 + 16 + 12));
}

TEST(FlopsTest, VitModelByHand) {
  ModelConfig config;
  config.kind = ModelKind::Vit;
  config.norm = NormPlacement::Pre;
  config.layers = 1;
  config.hidden = 6;
  config.heads = 3;
  config.intermediate = 10;
  config.classes = 2;
  config.imageSize = 4;
  config.patchSize = 2;
  config.channels = 3;
  // 4 patches + CLS = 5 tokens. Patch projection: 4 patches x 12 inputs x 6.
  const std::int64_t patch = 4 * 12 * 6;
  // Layer on 5 tokens keeping 2:
  //   4 x 5 x 6 x 6 = 720, 2 x 5 x 5 x 6 = 300, 2 x 2 x 6 x 10 = 240.
  const std::int64_t layer = 720 + 300 + 240;
  const std::int64_t classifier = 6 * 2;
  EXPECT_EQ(modelFlops(config, {2}), 2 * (patch + layer + classifier));
}

TEST(FlopsTest, DropAndRestoreRunsTheLastLayerOnEveryToken) {
  ModelConfig config = tinyEncoder();
  config.task = TaskKind::Token;
  config.pooler = false;
  // Layer 0: 5 in, 3 kept: 712. Layer 1 after the restore: 5 in, 5 kept:
  // 840. The classifier runs on all 5 tokens: 5 x 4 x 3 = 60.
  EXPECT_EQ(modelFlops(config, {3, 5}), 2 * (712 + 840 + 60));
}

TEST(FlopsTest, RejectsBadLengthsAndConfigs) {
  const ModelConfig config = tinyEncoder();
  EXPECT_THROW(layerFlops(config, 3, 4), CheckpointError);
  EXPECT_THROW(layerFlops(config, 0), CheckpointError);
  try {
    modelFlops(config, {3, 4});
    FAIL() << "lengths that increase must throw";
  } catch (const CheckpointError &error) {
    EXPECT_THAT(error.what(),
                HasSubstr("layer 1 keeps 4 tokens, more than layer 0's 3"));
  }
  ModelConfig broken = config;
  broken.heads = 3;
  try {
    modelFlops(broken, {3, 2});
    FAIL() << "an invalid config must throw";
  } catch (const CheckpointError &error) {
    EXPECT_THAT(error.what(),
                HasSubstr("architecture.hidden: 4 is not divisible by "
                          "architecture.heads 3"));
  }
}

TEST(FlopsTest, OverflowIsAnError) {
  ModelConfig config = tinyEncoder();
  config.hidden = std::int64_t(1) << 31;
  config.heads = 1;
  config.maxPositions = std::int64_t(1) << 20;
  try {
    layerFlops(config, config.maxPositions);
    FAIL() << "a count past 2^63 must throw";
  } catch (const CheckpointError &error) {
    EXPECT_THAT(error.what(), HasSubstr("overflows 64-bit integers"));
  }
}

} // namespace
} // namespace tailor::checkpoint
