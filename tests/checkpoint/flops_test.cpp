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

TEST(FlopsTest, MlpFlopsIsTheLayersPartOnItsKeptTokens) {
  ModelConfig config = tinyEncoder();
  // hidden 4, intermediate 8: 2 x (3 x 4 x 8 + 3 x 8 x 4).
  EXPECT_EQ(mlpFlops(config, 3), 384);
  EXPECT_EQ(layerFlops(config, 5, 3) - layerFlops(config, 5, 2),
            mlpFlops(config, 3) - mlpFlops(config, 2));
  EXPECT_THROW(acmGateFlops(config, 3), CheckpointError);
}

TEST(FlopsTest, DropAndRestoreRunsTheLastLayerOnEveryToken) {
  ModelConfig config = tinyEncoder();
  config.task = TaskKind::Token;
  config.pooler = false;
  // Layer 0: 5 in, 3 kept: 712. Layer 1 after the restore: 5 in, 5 kept:
  // 840. The classifier runs on all 5 tokens: 5 x 4 x 3 = 60.
  EXPECT_EQ(modelFlops(config, {3, 5}), 2 * (712 + 840 + 60));
}

TEST(FlopsTest, SsaCountsTheKeptBlocksOfEveryPattern) {
  ModelConfig config = tinyEncoder();
  // 5 tokens in blocks of 2: blocks of 2, 2 and 1 tokens, 3 x 3 masks.
  const std::vector<std::int64_t> all(9, 1);
  const std::vector<std::int64_t> local = {1, 1, 1, 1, 1, 0, 1, 0, 1};
  SsaSettings ssa;
  ssa.block = 2;
  ssa.keep = 0.5;
  ssa.inference = SsaInference::Sparse;
  ssa.patterns = {SsaPattern{{local, all}}};
  config.adaptive.ssa = ssa;
  // `local` keeps 4 + 4 + 2, 4 + 4 and 2 + 1 of the 25 (query, key) pairs:
  // QK^T and PV take 2 x 21 x 4 = 168 multiply-adds, not 200. Layer 0:
  // 320 + 168 + 320 = 808; layer 1 (all blocks) 840; pooler and classifier
  // 28.
  EXPECT_EQ(modelFlops(config, fullLengths(config)), 2 * (808 + 840 + 28));
  // Layer 1 on 3 tokens has 2 blocks, not the mask's 3: counted dense (392);
  // layer 0 keeps 3 tokens for its MLP: 320 + 168 + 192 = 680.
  EXPECT_EQ(modelFlops(config, {3, 2}), 2 * (680 + 392 + 28));
  // An ensemble runs the layers and the head once per pattern, but what
  // two patterns compute alike only once: the first layer's Q, K and V
  // (3 x 5 x 4 x 4 = 240), and the layers up to where the masks differ.
  config.adaptive.ssa->inference = SsaInference::Ensemble;
  const SsaPattern first = config.adaptive.ssa->patterns.front();
  config.adaptive.ssa->patterns.push_back(SsaPattern{{all, local}});
  EXPECT_EQ(modelFlops(config, fullLengths(config)),
            2 * ((808 + 840 + 28) + (840 - 240 + 808 + 28)));
  // A third pattern like the first in layer 0 computes layer 1 without its
  // Q, K and V, and its head; a fourth like the first, nothing.
  config.adaptive.ssa->patterns.push_back(SsaPattern{{local, local}});
  config.adaptive.ssa->patterns.push_back(first);
  EXPECT_EQ(modelFlops(config, fullLengths(config)),
            2 * ((808 + 840 + 28) + (840 - 240 + 808 + 28) + (808 - 240 + 28)));
  // Dense inference ignores the patterns.
  config.adaptive.ssa->inference = SsaInference::Dense;
  EXPECT_EQ(modelFlops(config, fullLengths(config)), 2 * (840 + 840 + 28));
}

TEST(FlopsTest, AnAcmLayerCountsEveryLearnerAndItsGate) {
  ModelConfig config = tinyEncoder();
  const std::int64_t dense = modelFlops(config, {3, 2});
  config.adaptive.acm = AcmSettings{{1}, 2, 4, 0.5, std::nullopt};
  // Layer 1 keeps 2 tokens: its gate adds 2 x 4 x 2 multiply-adds; its
  // learners, 2 x 2 x 4 x 4 in all, are the dense MLP's 2 x 2 x 4 x 8.
  EXPECT_EQ(modelFlops(config, {3, 2}), dense + 2 * 16);
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
