//===- LearnerTokens.cpp - How many tokens each ACM learner ran -----------===//

#include "LearnerTokens.h"

namespace tailor::detail {

std::vector<AcmRoute> findAcmRoutes(const Variant &variant) {
  std::vector<AcmRoute> routes;
  const std::vector<Step> &steps = variant.steps;
  for (std::size_t index = 0; index < steps.size(); ++index) {
    const Step &route = steps[index];
    if (route.op != Op::AcmRoute)
      continue;
    const std::vector<std::int64_t> &logits =
        variant.buffers[route.inputs[0]].dims;
    const int learners = route.outputs[0];
    AcmRoute found;
    found.tokensPerSample = logits[0];
    found.compactSteps.assign(logits[1], -1);
    for (std::size_t next = index + 1; next < steps.size(); ++next) {
      const Step &step = steps[next];
      if (step.op == Op::AcmCompact && step.inputs[0] == learners &&
          step.learner < logits[1] && found.compactSteps[step.learner] < 0)
        found.compactSteps[step.learner] = static_cast<int>(next);
      bool rewritten = false;
      for (int output : step.outputs)
        rewritten = rewritten || output == learners;
      if (rewritten)
        break;
    }
    routes.push_back(std::move(found));
  }
  return routes;
}

std::vector<std::vector<std::int64_t>>
learnerTokens(const Variant &variant, std::int64_t batch,
              const std::function<std::int64_t(int step)> &total) {
  std::vector<std::vector<std::int64_t>> tokens;
  for (const AcmRoute &route : variant.acmRoutes) {
    std::vector<std::int64_t> perLearner(route.compactSteps.size(), 0);
    perLearner[0] = batch * route.tokensPerSample;
    for (std::size_t j = 1; j < perLearner.size(); ++j)
      if (route.compactSteps[j] >= 0)
        perLearner[j] = total(route.compactSteps[j]);
    tokens.push_back(std::move(perLearner));
  }
  return tokens;
}

} // namespace tailor::detail
