//===- acm_compiled_test.cpp - The compiled ACM model is LibTorch's -------===//
//
// An ACM model built and run by the trainer (LibTorch), exported, compiled by
// tailorc and run by the CPU runtime: the same gate decisions (the tokens
// each learner ran, layer by layer) and the same logits. The gates are
// random, so tokens pick every count of learners, and one layer's gate can
// only pick 1 or 2, so its learners 3 and 4 are skipped (their guards).
//
//===----------------------------------------------------------------------===//

#include "Harness.h"
#include "tiny_models.h"

#include "tailor/train/acmize.h"
#include "tailor/train/export.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace tailor::train {
namespace {

constexpr std::int64_t kLearners = 4;
constexpr std::int64_t kBatch = 12;

AdaptiveTransformer acmModel(const AcmOptions &options) {
  AdaptiveTransformer dense = testing::tinyVitWithStrongMlps(5);
  torch::NoGradGuard noGrad;
  AdaptiveTransformer model = initialAcmModel(dense, options);
  for (std::int64_t layer : options.layers) {
    auto gate = model->layer(layer).acmMlp()->gateLayer();
    gate->weight.normal_(0.0, 1.0);
    gate->bias.normal_(0.0, 0.5);
  }
  // Layer 1 runs one or two learners: -inf would not export, -100 is never
  // the largest logit.
  auto narrow = model->layer(1).acmMlp()->gateLayer();
  narrow->bias.narrow(0, 2, kLearners - 2).fill_(-100.0);
  model->eval();
  return model;
}

TEST(AcmCompiled, TheCpuRuntimeMakesTheTrainersGateDecisionsAndLogits) {
  AcmOptions options;
  options.learners = kLearners;
  options.layers = {0, 1};
  AdaptiveTransformer model = acmModel(options);
  tailor::testing::TempDir dir;
  const std::string checkpoint = dir.path("acm");
  exportCheckpoint(model, acmConfig(testing::tinyVit(), options), checkpoint);
  const std::string artifact = dir.path("acm.tailor");
  const std::string command = std::string(TAILORC) + " compile " + checkpoint +
                              " --budgets 1.0 -o " + artifact + " > " +
                              dir.path("tailorc.log") + " 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;

  torch::manual_seed(17);
  const torch::Tensor images = torch::rand({kBatch, 1, 8, 8});
  ForwardTrace trace;
  RunConfig run;
  run.trace = &trace;
  torch::Tensor expected;
  {
    torch::NoGradGuard noGrad;
    expected = model->forward(images, run);
  }
  ASSERT_EQ(trace.acm.size(), 2u);

  Model compiled = tailor::testing::loadModel(artifact);
  Result<Session> session = Session::create(compiled, {"cpu", 2});
  ASSERT_TRUE(session.ok()) << session.status().message();
  const TensorView input{DType::F32, {kBatch, 1, 8, 8}, images.data_ptr()};
  std::map<std::string, Tensor> outputs;
  Result<RunStats> stats = session->run("b1.00", {{"images", input}}, outputs);
  ASSERT_TRUE(stats.ok()) << stats.status().message();

  // Learner j ran on the tokens whose gate chose more than j learners.
  ASSERT_EQ(stats->learnerTokens.size(), 2u);
  bool everyCount = false;
  for (std::size_t layer = 0; layer < 2; ++layer) {
    const torch::Tensor chosen = trace.acm[layer].learners;
    std::vector<std::int64_t> tokens;
    for (std::int64_t j = 0; j < kLearners; ++j)
      tokens.push_back(chosen.gt(j).sum().item<std::int64_t>());
    EXPECT_EQ(stats->learnerTokens[layer], tokens) << "layer " << layer;
    if (layer == 0)
      everyCount = chosen.eq(kLearners).any().item<bool>() &&
                   chosen.eq(1).any().item<bool>();
  }
  EXPECT_TRUE(everyCount) << "layer 0 should pick from 1 to all learners";
  EXPECT_EQ(stats->learnerTokens[1][2], 0) << "layer 1's learners 3, 4 run";

  const Tensor &logits = outputs.at("logits");
  const torch::Tensor actual = torch::from_blob(
      const_cast<void *>(logits.data()), expected.sizes(), torch::kFloat);
  const double error = (actual - expected).abs().max().item<double>();
  const double scale = expected.abs().max().item<double>();
  // fp32 on both sides, summed in the same order: DESIGN.md's CPU bound.
  EXPECT_LE(error, 1e-5 * scale)
      << "largest logit difference " << error << " of " << scale;
}

} // namespace
} // namespace tailor::train
