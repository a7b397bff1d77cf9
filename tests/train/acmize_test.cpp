//===- acmize_test.cpp - A dense model distilled into ACMs ----------------===//

#include "tiny_models.h"

#include "tailor/train/acmize.h"
#include "tailor/train/error.h"
#include "tailor/train/evaluate.h"

#include <gmock/gmock.h>

#include <numeric>

namespace tailor::train {
namespace {

using ::testing::HasSubstr;

/// Random 8x8 images with random labels: enough to run every stage.
Dataset noiseImages(std::int64_t count) {
  torch::manual_seed(21);
  return {torch::rand({count, 1, 8, 8}),
          torch::randint(0, 3, {count}, torch::kLong)};
}

/// The ACM run with the gates forced to choose every learner.
torch::Tensor withEveryLearner(AdaptiveTransformer &model,
                               const torch::Tensor &inputs) {
  torch::NoGradGuard noGrad;
  for (std::int64_t layer : model->config().adaptive.acm->layers) {
    auto gate = model->layer(layer).acmMlp()->gateLayer();
    gate->weight.zero_();
    gate->bias.fill_(0.0);
    gate->bias[gate->bias.size(0) - 1] = 1.0;
  }
  model->eval();
  return model->forward(inputs);
}

/// Mean squared error of the one-learner prefix against the dense MLP at
/// every ACM layer's dense input.
double firstPrefixError(AdaptiveTransformer &model, AdaptiveTransformer &dense,
                        const torch::Tensor &inputs) {
  torch::NoGradGuard noGrad;
  const std::vector<std::int64_t> &layers =
      model->config().adaptive.acm->layers;
  const DenseActivations activations = denseActivations(dense, layers, inputs);
  double error = 0.0;
  for (std::size_t l = 0; l < layers.size(); ++l)
    error += (model->layer(layers[l]).acmMlp()->prefixOutputs(
                  activations.inputs[l])[0] -
              activations.outputs[l])
                 .pow(2)
                 .mean()
                 .item<double>();
  return error;
}

/// With every learner running, `model` computes what `dense` does on
/// `count` noise images.
void expectEveryLearnerComputesTheDenseModel(AdaptiveTransformer &model,
                                             AdaptiveTransformer &dense,
                                             std::int64_t count) {
  auto images = noiseImages(count).inputs;
  torch::NoGradGuard noGrad;
  EXPECT_TRUE(torch::allclose(withEveryLearner(model, images),
                              dense->forward(images), 1e-5, 1e-5));
}

TEST(AcmizeTest, TheInitialAcmModelIsTheDenseModel) {
  AdaptiveTransformer dense = testing::tinyVitWithStrongMlps(9);
  AcmOptions options;
  options.learners = 4;
  AdaptiveTransformer model = initialAcmModel(dense, options);
  const checkpoint::AcmSettings &acm = *model->config().adaptive.acm;
  EXPECT_EQ(acm.layers, (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(acm.learnerWidth, 4);
  EXPECT_TRUE(model->config().adaptive.lengthConfigs.empty());
  expectEveryLearnerComputesTheDenseModel(model, dense, 5);
}

TEST(AcmizeTest, ConvertsOnlyTheListedLayers) {
  AdaptiveTransformer dense = testing::tinyVitWithStrongMlps(9);
  AcmOptions options;
  options.layers = {1};
  options.learners = 2;
  AdaptiveTransformer model = initialAcmModel(dense, options);
  EXPECT_TRUE(model->layer(0).denseMlp());
  EXPECT_FALSE(model->layer(0).acmMlp());
  EXPECT_TRUE(model->layer(1).acmMlp());
  expectEveryLearnerComputesTheDenseModel(model, dense, 4);
}

TEST(AcmizeTest, StageOneTeachesThePrefixesTheDenseMlp) {
  AdaptiveTransformer dense = testing::tinyVitWithStrongMlps(9);
  const Dataset data = noiseImages(64);
  AcmOptions options;
  options.batchSize = 16;
  options.moduleEpochs = 6;
  options.gateEpochs = 0;
  options.finetuneEpochs = 0;
  options.learningRate = 1e-2;
  AdaptiveTransformer initial = initialAcmModel(dense, options);
  const double before = firstPrefixError(initial, dense, data.inputs);
  AcmizeSummary summary;
  AdaptiveTransformer model =
      acmize(dense, data, options, torch::kCPU, summary);
  EXPECT_LT(firstPrefixError(model, dense, data.inputs), 0.7 * before);
  ASSERT_EQ(summary.stages.size(), 3u);
  EXPECT_EQ(summary.stages[0].steps, 24);
  EXPECT_EQ(summary.stages[2].steps, 0);
}

TEST(AcmizeTest, AllStagesRunAndLeaveTheDenseModelAlone) {
  AdaptiveTransformer dense = testing::tinyVitWithStrongMlps(9);
  std::vector<torch::Tensor> denseBefore;
  for (const auto &parameter : dense->parameters())
    denseBefore.push_back(parameter.clone());
  const Dataset data = noiseImages(48);
  AcmOptions options;
  options.batchSize = 16;
  options.moduleEpochs = 1;
  options.gateEpochs = 1;
  options.finetuneEpochs = 1;
  options.calibrationExamples = 32;
  AcmizeSummary summary;
  AdaptiveTransformer model =
      acmize(dense, data, options, torch::kCPU, summary);
  EXPECT_FALSE(model->is_training());
  ASSERT_EQ(summary.stages.size(), 3u);
  for (const AcmStageSummary &stage : summary.stages)
    EXPECT_EQ(stage.steps, 3) << stage.name;
  EXPECT_GT(summary.threshold, 0.0);
  auto denseAfter = dense->parameters();
  for (std::size_t i = 0; i < denseBefore.size(); ++i)
    EXPECT_TRUE(torch::equal(denseBefore[i], denseAfter[i])) << i;

  AcmEvaluation evaluation = evaluateAcm(model, data, 20, torch::kCPU);
  ASSERT_EQ(evaluation.histogram.size(), 2u);
  double learners = 0.0;
  for (const std::vector<std::int64_t> &row : evaluation.histogram) {
    ASSERT_EQ(row.size(), 4u);
    // Every token of every image, CLS included: 48 x 5.
    EXPECT_EQ(std::accumulate(row.begin(), row.end(), std::int64_t{0}), 240);
    for (std::size_t k = 0; k < row.size(); ++k)
      learners += double(k + 1) * double(row[k]);
  }
  EXPECT_NEAR(evaluation.compute, learners / 480.0 / 4.0, 1e-12);
  EXPECT_GE(evaluation.accuracy, 0.0);
}

TEST(AcmizeTest, RejectsLearnersThatDoNotSplitTheMlp) {
  AcmOptions options;
  options.learners = 3;
  EXPECT_THAT([&] { acmConfig(testing::tinyVit(), options); },
              ::testing::ThrowsMessage<Error>(HasSubstr("--learners 3")));
  options.learners = 4;
  options.layers = {2};
  EXPECT_THROW(acmConfig(testing::tinyVit(), options),
               checkpoint::CheckpointError);
  options.layers = {};
  options.budget = 0.0;
  EXPECT_THROW(acmConfig(testing::tinyVit(), options),
               checkpoint::CheckpointError);
}

} // namespace
} // namespace tailor::train
