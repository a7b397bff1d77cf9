//===- acm_test.cpp - Adaptive Computation Modules ------------------------===//

#include "tiny_models.h"

#include "tailor/train/acm.h"
#include "tailor/train/error.h"
#include "tailor/train/model.h"

#include <gmock/gmock.h>

#include <set>

namespace tailor::train {
namespace {

using checkpoint::Activation;

constexpr std::int64_t kHidden = 8, kLearners = 4, kWidth = 6;

/// A dense MLP of kLearners * kWidth units with random weights and biases.
Mlp randomDenseMlp(Activation activation) {
  torch::manual_seed(3);
  Mlp dense(kHidden, kLearners * kWidth, activation);
  torch::NoGradGuard noGrad;
  for (auto &parameter : dense->parameters())
    parameter.normal_(0.0, 0.5);
  return dense;
}

/// Gate weights zero and logits `bias`: every token gets the same choice.
void fixGate(AcmMlpImpl &acm, std::vector<float> bias) {
  torch::NoGradGuard noGrad;
  acm.gateLayer()->weight.zero_();
  acm.gateLayer()->bias.copy_(torch::tensor(bias));
}

TEST(AcmTest, AllLearnersFromTheDenseSlicesAreTheDenseMlp) {
  for (Activation activation :
       {Activation::Gelu, Activation::GeluTanh, Activation::Relu}) {
    Mlp dense = randomDenseMlp(activation);
    AcmMlp acm(kHidden, kLearners, kWidth, activation);
    acm->initializeFrom(*dense);
    auto x = torch::randn({2, 5, kHidden});
    auto prefixes = acm->prefixOutputs(x);
    ASSERT_EQ(prefixes.sizes(),
              (std::vector<std::int64_t>{kLearners, 2, 5, kHidden}));
    EXPECT_TRUE(torch::allclose(prefixes[kLearners - 1], dense(x), 1e-5, 1e-5))
        << checkpoint::toString(activation);
    // Each prefix is the running sum of the learners, in order.
    auto learners = acm->learnerModules();
    auto sum = learners[0]->as<MlpImpl>()->forward(x);
    for (std::int64_t k = 1; k < kLearners; ++k) {
      sum = sum + learners[k]->as<MlpImpl>()->forward(x);
      EXPECT_TRUE(torch::allclose(prefixes[k], sum, 1e-6, 1e-6)) << k;
    }
  }
}

TEST(AcmTest, TheFirstLearnerHoldsTheMostImportantUnitsAndTheBias) {
  Mlp dense = randomDenseMlp(Activation::Gelu);
  AcmMlp acm(kHidden, kLearners, kWidth, Activation::Gelu);
  acm->initializeFrom(*dense);
  auto importance = [](MlpImpl &mlp) {
    return mlp.upLayer()->weight.norm(2, 1) *
           mlp.downLayer()->weight.norm(2, 0);
  };
  auto sorted = std::get<0>(importance(*dense).sort(0, /*descending=*/true));
  auto learners = acm->learnerModules();
  for (std::int64_t j = 0; j < kLearners; ++j) {
    auto own =
        std::get<0>(importance(*learners[j]->as<MlpImpl>()).sort(0, true));
    EXPECT_TRUE(torch::allclose(own, sorted.narrow(0, j * kWidth, kWidth)))
        << j;
    auto bias = learners[j]->as<MlpImpl>()->downLayer()->bias;
    EXPECT_TRUE(torch::equal(bias, j == 0 ? dense->downLayer()->bias
                                          : torch::zeros_like(bias)));
  }
}

TEST(AcmTest, TheGateArgmaxPicksHowManyLearnersRun) {
  Mlp dense = randomDenseMlp(Activation::Gelu);
  AcmMlp acm(kHidden, kLearners, kWidth, Activation::Gelu);
  acm->initializeFrom(*dense);
  acm->eval();
  auto x = torch::randn({3, 4, kHidden});
  auto prefixes = acm->prefixOutputs(x);
  for (std::int64_t k = 1; k <= kLearners; ++k) {
    std::vector<float> bias(kLearners, 0.0f);
    bias[k - 1] = 1.0f;
    fixGate(*acm, bias);
    AcmDecision decision;
    auto out = acm->forward(x, &decision);
    EXPECT_TRUE(
        torch::equal(decision.learners, torch::full({3, 4}, k, torch::kLong)))
        << k;
    EXPECT_TRUE(torch::allclose(decision.compute,
                                torch::full({3, 4}, double(k) / kLearners)));
    EXPECT_TRUE(torch::allclose(out, prefixes[k - 1], 1e-6, 1e-6)) << k;
  }
}

TEST(AcmTest, TiesGoToTheFewestLearnersAndTokensChooseApart) {
  EXPECT_TRUE(torch::equal(
      chosenLearners(torch::tensor(
          {{0.5f, 2.0f, 2.0f}, {1.0f, 1.0f, 1.0f}, {0.0f, -1.0f, 3.0f}})),
      torch::tensor({2, 1, 3}, torch::kLong)));
  // A gate that reads the token: the first feature's sign picks 1 or N.
  AcmMlp acm(kHidden, kLearners, kWidth, Activation::Relu);
  acm->eval();
  {
    torch::NoGradGuard noGrad;
    acm->gateLayer()->weight.zero_();
    acm->gateLayer()->bias.zero_();
    acm->gateLayer()->weight[0][0] = -1.0;
    acm->gateLayer()->weight[kLearners - 1][0] = 1.0;
  }
  auto x = torch::randn({1, 6, kHidden});
  x[0][0][0] = 2.0;
  x[0][1][0] = -2.0;
  AcmDecision decision;
  auto out = acm->forward(x, &decision);
  auto prefixes = acm->prefixOutputs(x);
  EXPECT_EQ(decision.learners[0][0].item<std::int64_t>(), kLearners);
  EXPECT_EQ(decision.learners[0][1].item<std::int64_t>(), 1);
  for (std::int64_t t = 0; t < 6; ++t) {
    std::int64_t k = decision.learners[0][t].item<std::int64_t>();
    EXPECT_TRUE(torch::allclose(out[0][t], prefixes[k - 1][0][t], 1e-6, 1e-6));
  }
}

TEST(AcmTest, TrainingRunsTheSampledChoiceAndTheGateGetsAGradient) {
  Mlp dense = randomDenseMlp(Activation::Gelu);
  AcmMlp acm(kHidden, kLearners, kWidth, Activation::Gelu);
  acm->initializeFrom(*dense);
  acm->train();
  torch::manual_seed(8);
  auto x = torch::randn({4, 5, kHidden});
  AcmDecision decision;
  auto out = acm->forward(x, &decision);
  auto prefixes = acm->prefixOutputs(x).detach();
  std::set<std::int64_t> seen;
  for (std::int64_t b = 0; b < 4; ++b)
    for (std::int64_t t = 0; t < 5; ++t) {
      std::int64_t k = decision.learners[b][t].item<std::int64_t>();
      seen.insert(k);
      EXPECT_NEAR(decision.compute[b][t].item<double>(), double(k) / kLearners,
                  1e-6);
      EXPECT_TRUE(
          torch::allclose(out[b][t], prefixes[k - 1][b][t], 1e-5, 1e-5));
    }
  // Gumbel noise on a fresh gate spreads the choices.
  EXPECT_GT(seen.size(), 1u);
  (decision.compute.mean() + out.pow(2).mean()).backward();
  auto gateGradient = acm->gateLayer()->weight.grad();
  ASSERT_TRUE(gateGradient.defined());
  EXPECT_GT(gateGradient.abs().sum().item<double>(), 0.0);
}

TEST(AcmTest, TheComputeLossIsZeroAtTheBudget) {
  auto at = torch::tensor(0.5, torch::requires_grad());
  auto loss = computeBudgetLoss(at, 0.5);
  EXPECT_EQ(loss.item<double>(), 0.0);
  loss.backward();
  EXPECT_EQ(at.grad().item<double>(), 0.0);
  auto above = torch::tensor(0.75, torch::requires_grad());
  auto aboveLoss = computeBudgetLoss(above, 0.5);
  EXPECT_NEAR(aboveLoss.item<double>(), 0.0625, 1e-7);
  aboveLoss.backward();
  EXPECT_GT(above.grad().item<double>(), 0.0); // descending lowers compute
  EXPECT_NEAR(computeBudgetLoss(torch::tensor(0.25), 0.5).item<double>(),
              0.0625, 1e-7);
}

TEST(AcmTest, GateLabelsAreTheFewestLearnersWithinTheThreshold) {
  // Errors [N = 3, 4 tokens]; the third prefix is what no threshold meets.
  auto errors = torch::tensor({{0.5f, 3.0f, 3.0f, 0.2f},
                               {0.4f, 0.9f, 2.0f, 0.1f},
                               {0.0f, 0.0f, 1.5f, 0.0f}});
  EXPECT_TRUE(torch::equal(gateLabels(errors, 1.0),
                           torch::tensor({0, 1, 2, 0}, torch::kLong)));
  EXPECT_TRUE(torch::equal(gateLabels(errors, 0.45),
                           torch::tensor({1, 2, 2, 0}, torch::kLong)));
  // Mean compute of the labels: (2 + 3 + 3 + 1) / 4 / 3 = 0.75.
  const double threshold = thresholdForBudget(errors, 0.75);
  auto labels = gateLabels(errors, threshold);
  EXPECT_NEAR((labels + 1).to(torch::kDouble).mean().item<double>() / 3.0, 0.75,
              1e-9);
}

TEST(AcmTest, TheThresholdMeetsTheBudgetOnManyTokens) {
  torch::manual_seed(2);
  // Errors that fall with the number of learners, as trained prefixes' do.
  auto base = torch::rand({1, 4000});
  auto errors =
      torch::cat({base, base * 0.5, base * 0.2, torch::zeros_like(base)});
  for (double budget : {0.3, 0.5, 0.8}) {
    auto labels = gateLabels(errors, thresholdForBudget(errors, budget));
    EXPECT_NEAR((labels + 1).to(torch::kDouble).mean().item<double>() / 4.0,
                budget, 0.01)
        << budget;
  }
}

TEST(AcmTest, RejectsFewerThanTwoLearnersAndMismatchedSlices) {
  EXPECT_THROW(AcmMlp(kHidden, 1, kWidth, Activation::Gelu), Error);
  AcmMlp acm(kHidden, kLearners, kWidth + 1, Activation::Gelu);
  Mlp dense = randomDenseMlp(Activation::Gelu);
  EXPECT_THAT([&] { acm->initializeFrom(*dense); },
              ::testing::ThrowsMessage<Error>(
                  ::testing::HasSubstr("cannot split a dense MLP")));
}

} // namespace
} // namespace tailor::train
