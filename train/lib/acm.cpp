//===- acm.cpp - Adaptive Computation Module ------------------------------===//

#include "tailor/train/acm.h"
#include "tailor/train/error.h"
#include "tailor/train/model.h"

#include <cmath>

namespace tailor::train {

AcmMlpImpl::AcmMlpImpl(std::int64_t hidden, std::int64_t learners,
                       std::int64_t learnerWidth,
                       checkpoint::Activation activation)
    : learnerCount(learners) {
  if (learners < 2 || learnerWidth < 1)
    throw Error("ACM: needs at least 2 learners of width >= 1, got " +
                std::to_string(learners) + " of width " +
                std::to_string(learnerWidth));
  learnerList = register_module("learners", torch::nn::ModuleList());
  for (std::int64_t j = 0; j < learners; ++j)
    learnerList->push_back(Mlp(hidden, learnerWidth, activation));
  gate = register_module("gate", torch::nn::Linear(hidden, learners));
}

torch::Tensor AcmMlpImpl::gateLogits(const torch::Tensor &x) { return gate(x); }

torch::Tensor AcmMlpImpl::prefixOutputs(const torch::Tensor &x) {
  std::vector<torch::Tensor> prefixes;
  torch::Tensor sum;
  for (std::int64_t j = 0; j < learnerCount; ++j) {
    auto out = learnerList[j]->as<MlpImpl>()->forward(x);
    sum = sum.defined() ? sum + out : out;
    prefixes.push_back(sum);
  }
  return torch::stack(prefixes);
}

torch::Tensor AcmMlpImpl::forward(const torch::Tensor &x,
                                  AcmDecision *decision) {
  auto logits = gateLogits(x);
  torch::Tensor choice; // one-hot over k = 1..N: [..., N]
  if (is_training()) {
    // Straight-through Gumbel-softmax: the forward pass runs the sampled k,
    // the gradient is the relaxed sample's.
    auto uniform = torch::rand_like(logits).clamp(1e-10, 1.0 - 1e-7);
    auto gumbel = -torch::log(-torch::log(uniform));
    auto soft = torch::softmax((logits + noise * gumbel) / temperature, -1);
    auto hard = torch::one_hot(soft.argmax(-1), learnerCount).to(soft.dtype());
    choice = hard - soft.detach() + soft;
  } else {
    choice = torch::one_hot(chosenLearners(logits) - 1, learnerCount)
                 .to(logits.dtype());
  }
  // Learner j runs when k > j: its weight is the choice's mass on k > j.
  auto runs = choice.flip(-1).cumsum(-1).flip(-1);
  // Summed in learner order, as the compiled model sums them; a learner that
  // does not run adds exactly 0.
  torch::Tensor sum;
  for (std::int64_t j = 0; j < learnerCount; ++j) {
    auto out = learnerList[j]->as<MlpImpl>()->forward(x) *
               runs.select(-1, j).unsqueeze(-1);
    sum = sum.defined() ? sum + out : out;
  }
  if (decision) {
    auto counts = torch::arange(1, learnerCount + 1, logits.options());
    decision->learners = choice.detach().argmax(-1) + 1;
    decision->compute = (choice * counts).sum(-1) / double(learnerCount);
  }
  return sum;
}

void AcmMlpImpl::initializeFrom(MlpImpl &dense) {
  torch::NoGradGuard noGrad;
  auto up = dense.upLayer(), down = dense.downLayer();
  const std::int64_t intermediate = up->weight.size(0);
  auto first = learnerList[0]->as<MlpImpl>();
  const std::int64_t width = first->upLayer()->weight.size(0);
  if (width * learnerCount != intermediate ||
      up->weight.size(1) != first->upLayer()->weight.size(1))
    throw Error("ACM: " + std::to_string(learnerCount) + " learners of width " +
                std::to_string(width) + " cannot split a dense MLP of " +
                c10::str(up->weight.sizes()));
  auto importance = up->weight.norm(2, 1) * down->weight.norm(2, 0);
  auto order = importance.argsort(0, /*descending=*/true);
  for (std::int64_t j = 0; j < learnerCount; ++j) {
    auto units = order.narrow(0, j * width, width);
    auto learner = learnerList[j]->as<MlpImpl>();
    learner->upLayer()->weight.copy_(up->weight.index_select(0, units));
    learner->upLayer()->bias.copy_(up->bias.index_select(0, units));
    learner->downLayer()->weight.copy_(down->weight.index_select(1, units));
    if (j == 0)
      learner->downLayer()->bias.copy_(down->bias);
    else
      learner->downLayer()->bias.zero_();
  }
}

torch::Tensor chosenLearners(const torch::Tensor &gateLogits) {
  // argmax returns the first maximum: ties go to the fewest learners.
  return gateLogits.argmax(-1) + 1;
}

torch::Tensor computeBudgetLoss(const torch::Tensor &meanCompute,
                                double budget) {
  return (meanCompute - budget).pow(2);
}

torch::Tensor gateLabels(const torch::Tensor &prefixErrors, double threshold) {
  const std::int64_t learners = prefixErrors.size(0);
  auto within = prefixErrors.le(threshold);
  // The last prefix always qualifies, so a token no prefix satisfies runs
  // every learner.
  within.select(0, learners - 1).fill_(true);
  // The first k - 1 where the error is within: argmax of the first true.
  return within.to(torch::kInt).argmax(0);
}

double thresholdForBudget(const torch::Tensor &prefixErrors, double budget) {
  const std::int64_t learners = prefixErrors.size(0);
  auto meanCompute = [&](double threshold) {
    return (gateLabels(prefixErrors, threshold).to(torch::kDouble) + 1.0)
               .mean()
               .item<double>() /
           double(learners);
  };
  // The mean compute falls as the threshold grows; bisect on log scale
  // between the smallest and largest error.
  double low = std::max(prefixErrors.min().item<double>(), 1e-12);
  double high = std::max(prefixErrors.max().item<double>(), low);
  if (meanCompute(high) >= budget)
    return high;
  if (meanCompute(low) <= budget)
    return low;
  for (int i = 0; i < 60; ++i) {
    const double middle = std::sqrt(low * high);
    if (meanCompute(middle) > budget)
      low = middle;
    else
      high = middle;
  }
  return high;
}

} // namespace tailor::train
