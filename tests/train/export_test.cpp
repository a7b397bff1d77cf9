//===- export_test.cpp - Checkpoints read back by the compiler's loader ---===//

#include "tiny_models.h"

#include "tailor/checkpoint/checkpoint.h"
#include "tailor/train/error.h"
#include "tailor/train/export.h"

#include <gmock/gmock.h>

#include <filesystem>

namespace tailor::train {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class ExportTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = (fs::temp_directory_path() /
           ("tailor_export_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name()))
              .string();
    fs::remove_all(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  /// Exports `model` with `config`, loads it back and checks config and
  /// every tensor.
  void roundTrip(AdaptiveTransformer &model,
                 const checkpoint::ModelConfig &config) {
    exportCheckpoint(model, config, dir);
    checkpoint::Checkpoint loaded = checkpoint::Checkpoint::load(dir);
    EXPECT_EQ(loaded.format(), checkpoint::CheckpointFormat::Tailor);
    EXPECT_TRUE(loaded.config() == config);
    std::size_t count = 0;
    for (const auto &named : model->named_parameters()) {
      SCOPED_TRACE(named.key());
      std::vector<float> values = loaded.tensorF32(named.key());
      auto expected = named.value().detach().contiguous();
      ASSERT_EQ(loaded.shape(named.key()), expected.sizes().vec());
      EXPECT_TRUE(
          std::equal(values.begin(), values.end(), expected.data_ptr<float>()));
      ++count;
    }
    EXPECT_EQ(loaded.tensorNames().size(), count);
  }

  std::string dir;
};

TEST_F(ExportTest, VitWithSearchResultsRoundTrips) {
  torch::manual_seed(4);
  checkpoint::ModelConfig config = testing::tinyVit();
  AdaptiveTransformer model(config);
  config.adaptive.lengthDrop = checkpoint::LengthDropSettings{0.4, 0.1, 1};
  config.adaptive.lengthConfigs = {
      {1.0, {5, 5}, checkpoint::modelFlops(config, {5, 5}), 0.9},
      {0.5, {3, 2}, checkpoint::modelFlops(config, {3, 2}), 0.85}};
  config.adaptive.pareto = {
      {{3, 2}, checkpoint::modelFlops(config, {3, 2}), 0.86},
      {{5, 5}, checkpoint::modelFlops(config, {5, 5}), 0.91}};
  roundTrip(model, config);
}

TEST_F(ExportTest, DropAndRestoreVitRoundTrips) {
  checkpoint::ModelConfig config = testing::tinyVit(/*token=*/true);
  AdaptiveTransformer model(config);
  config.adaptive.dropAndRestore = true;
  config.adaptive.lengthConfigs = {
      {0.7, {2, 5}, checkpoint::modelFlops(config, {2, 5}), 0.8}};
  roundTrip(model, config);
}

TEST_F(ExportTest, EncoderRoundTrips) {
  torch::manual_seed(5);
  checkpoint::ModelConfig config = testing::tinyEncoder();
  config.typeVocabSize = 2;
  AdaptiveTransformer model(config);
  roundTrip(model, config);
}

TEST_F(ExportTest, AcmVitRoundTripsAndLoadsBackToTheSameModel) {
  torch::manual_seed(6);
  checkpoint::ModelConfig config = testing::tinyVit();
  config.adaptive.acm = checkpoint::AcmSettings{{1}, 4, 4, 0.5, 0.625};
  AdaptiveTransformer model(config);
  config.adaptive.lengthConfigs = {
      {1.0, {5, 5}, checkpoint::modelFlops(config, {5, 5}), 0.8}};
  roundTrip(model, config);

  checkpoint::Checkpoint loaded = checkpoint::Checkpoint::load(dir);
  EXPECT_EQ(loaded.shape("layers.1.mlp.learners.3.up.weight"),
            (std::vector<std::int64_t>{4, 8}));
  EXPECT_EQ(loaded.shape("layers.1.mlp.gate.weight"),
            (std::vector<std::int64_t>{4, 8}));
  EXPECT_EQ(loaded.shape("layers.0.mlp.up.weight"),
            (std::vector<std::int64_t>{16, 8}));
  EXPECT_THROW(loaded.shape("layers.1.mlp.up.weight"),
               checkpoint::CheckpointError);

  // The trainer's loader builds the ACM model back: same gates, same logits.
  AdaptiveTransformer reloaded = loadCheckpoint(dir);
  model->eval();
  auto images = torch::rand({3, 1, 8, 8});
  ForwardTrace before, after;
  RunConfig run, rerun;
  run.trace = &before;
  rerun.trace = &after;
  torch::NoGradGuard noGrad;
  EXPECT_TRUE(torch::equal(model->forward(images, run),
                           reloaded->forward(images, rerun)));
  ASSERT_EQ(after.acm.size(), 1u);
  EXPECT_TRUE(torch::equal(before.acm[0].learners, after.acm[0].learners));
}

TEST_F(ExportTest, RefusesAConfigOfAnotherModel) {
  AdaptiveTransformer model(testing::tinyVit());
  checkpoint::ModelConfig other = testing::tinyVit();
  other.intermediate = 32;
  EXPECT_THAT([&] { exportCheckpoint(model, other, dir); },
              ::testing::ThrowsMessage<Error>(HasSubstr("architecture")));
  checkpoint::ModelConfig badLengths = testing::tinyVit();
  badLengths.adaptive.lengthConfigs = {{0.5, {6, 2}, 0, 0.5}};
  EXPECT_THROW(exportCheckpoint(model, badLengths, dir),
               checkpoint::CheckpointError);
  EXPECT_FALSE(fs::exists(dir + "/model.json"));
}

} // namespace
} // namespace tailor::train
