//===- trainer_test.cpp - LengthDrop training and resumable state ---------===//

#include "tiny_models.h"

#include "tailor/train/error.h"
#include "tailor/train/evaluate.h"
#include "tailor/train/trainer.h"

#include <gmock/gmock.h>

#include <filesystem>

namespace tailor::train {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

/// 8x8 images of noise with one 4x4 patch, at a random place, drawn with
/// the class's pattern: horizontal stripes, vertical stripes or a
/// checkerboard.
Dataset patternImages(std::int64_t count) {
  torch::manual_seed(11);
  auto labels = torch::randint(0, 3, {count}, torch::kLong);
  auto places = torch::randint(0, 4, {count}, torch::kLong);
  auto images = torch::rand({count, 1, 8, 8}) * 0.3;
  auto rows = torch::arange(4).view({4, 1}).expand({4, 4});
  auto columns = torch::arange(4).view({1, 4}).expand({4, 4});
  const torch::Tensor patterns[] = {rows.remainder(2).eq(0),
                                    columns.remainder(2).eq(0),
                                    (rows + columns).remainder(2).eq(0)};
  for (std::int64_t i = 0; i < count; ++i) {
    std::int64_t place = places[i].item<std::int64_t>();
    std::int64_t row = place / 2 * 4, column = place % 2 * 4;
    images[i][0].slice(0, row, row + 4).slice(1, column, column + 4) +=
        patterns[labels[i].item<std::int64_t>()].to(torch::kFloat32) * 0.7;
  }
  return {images, labels};
}

class TrainerTest : public ::testing::Test {
protected:
  void SetUp() override {
    base = (fs::temp_directory_path() /
            ("tailor_trainer_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(base);
    options.epochs = 8;
    options.batchSize = 16;
    options.learningRate = 3e-3;
    options.lengthDrop = 0.4;
    options.layerDrop = 0.1;
    options.checkpointEvery = 1000;
  }
  void TearDown() override { fs::remove_all(base); }

  AdaptiveTransformer newModel(std::uint64_t seed) {
    torch::manual_seed(seed);
    return AdaptiveTransformer(testing::tinyVit());
  }

  const nlohmann::json settings = {{"test", "patterns"}};
  const Dataset data = patternImages(96);
  const torch::Device cpu{torch::kCPU};
  TrainOptions options;
  std::string base;
};

TEST_F(TrainerTest, LearnsAndTheSmallestModelLearnsToo) {
  options.epochs = 25;
  AdaptiveTransformer model = newModel(1);
  const RunConfig smallest{{3, 2}, {}};
  double before = evaluateAccuracy(model, data, smallest, 32, cpu);
  TrainSummary summary =
      trainModel(model, data, options, cpu, base + "/state", settings);
  EXPECT_EQ(summary.steps, 25 * 6);
  EXPECT_EQ(summary.examples, 25 * 96);
  EXPECT_GT(evaluateAccuracy(model, data, {}, 32, cpu), 0.9);
  double after = evaluateAccuracy(model, data, smallest, 32, cpu);
  EXPECT_GT(after, 0.8);
  EXPECT_GT(after, before);
}

TEST_F(TrainerTest, AnInterruptedRunResumesToTheSameModel) {
  AdaptiveTransformer whole = newModel(1);
  trainModel(whole, data, options, cpu, base + "/whole", settings);

  TrainOptions firstPart = options;
  firstPart.stopAfter = 7;
  AdaptiveTransformer interrupted = newModel(1);
  TrainSummary first = trainModel(interrupted, data, firstPart, cpu,
                                  base + "/resumed", settings);
  EXPECT_EQ(first.step, 7);
  // A fresh process: another initialisation, overwritten by the state.
  AdaptiveTransformer resumed = newModel(2);
  TrainSummary rest =
      trainModel(resumed, data, options, cpu, base + "/resumed", settings);
  EXPECT_EQ(rest.steps, 48 - 7);
  EXPECT_EQ(rest.step, 48);

  auto expected = whole->named_parameters();
  for (const auto &named : resumed->named_parameters())
    EXPECT_TRUE(
        torch::allclose(named.value(), expected[named.key()], 1e-6, 1e-7))
        << named.key();
  // A finished run trains no more.
  EXPECT_EQ(trainModel(resumed, data, options, cpu, base + "/resumed", settings)
                .steps,
            0);
}

TEST_F(TrainerTest, RefusesStateWrittenWithOtherSettings) {
  TrainOptions firstPart = options;
  firstPart.stopAfter = 2;
  AdaptiveTransformer model = newModel(1);
  trainModel(model, data, firstPart, cpu, base + "/state", settings);
  EXPECT_THAT(
      [&] {
        trainModel(model, data, options, cpu, base + "/state",
                   {{"test", "other"}});
      },
      ::testing::ThrowsMessage<Error>(HasSubstr("/test")));
}

TEST_F(TrainerTest, RejectsBadOptions) {
  AdaptiveTransformer model = newModel(1);
  options.lengthDrop = 1.0;
  EXPECT_THAT(
      [&] { trainModel(model, data, options, cpu, base + "/s", settings); },
      ::testing::ThrowsMessage<Error>(HasSubstr("--length-drop")));
}

} // namespace
} // namespace tailor::train
