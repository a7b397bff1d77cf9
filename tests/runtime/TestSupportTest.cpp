//===- TestSupportTest.cpp - The test support agrees with the checkpoint ===//
//
// tailor_testing's models are meant for the compiler's tests too: the
// checkpoint it writes must load with tailor_checkpoint, and its artifacts
// must carry that library's FLOPs and length rules.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include "tailor/checkpoint/checkpoint.h"

#include <gtest/gtest.h>

namespace tailor::testing {
namespace {

TEST(TestSupport, CheckpointLoadsWithTheCheckpointLibrary) {
  ModelConfig config;
  config.kind = "encoder";
  config.task = "token";
  config.norm = "post";
  config.typeVocabSize = 2;
  config.layers = 3;
  config.variants = {{"b1.00", 1.0, {}}, {"b0.60", 0.6, {7, 4, 10}}};
  Weights weights = randomWeights(config);
  TempDir dir;
  writeCheckpoint(config, weights, dir.path(""));
  checkpoint::Checkpoint loaded = checkpoint::Checkpoint::load(dir.path(""));
  EXPECT_EQ(loaded.config(), config.toCheckpointConfig());
  ASSERT_EQ(loaded.tensorNames().size(), weights.size());
  for (const auto &[name, array] : weights) {
    EXPECT_EQ(loaded.shape(name), array.shape) << name;
    EXPECT_EQ(loaded.tensorF32(name), array.toFloat32()) << name;
  }
  Artifact artifact = buildArtifact(config, weights);
  for (std::size_t i = 0; i < config.variants.size(); ++i)
    EXPECT_EQ(artifact.manifest["variants"][i]["flops"],
              loaded.config().adaptive.lengthConfigs[i].flops);
}

TEST(TestSupport, LengthsFollowTheCheckpointRules) {
  ModelConfig config;
  config.variants = {{"rising", 1.0, {3, 4}}};
  EXPECT_THROW(config.lengthsOf(config.variants[0]),
               checkpoint::CheckpointError);
  config.task = "token";
  config.variants = {{"not restored", 1.0, {4, 3}}};
  EXPECT_THROW(config.lengthsOf(config.variants[0]),
               checkpoint::CheckpointError);
}

} // namespace
} // namespace tailor::testing
