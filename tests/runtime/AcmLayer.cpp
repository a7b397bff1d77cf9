//===- AcmLayer.cpp - A hand-built ACM layer and its reference ------------===//

#include "AcmLayer.h"

#include "tailor/testing/Reference.h"

#include <algorithm>

namespace tailor::testing {
namespace {

std::string learnerName(std::int64_t j, const std::string &what) {
  return "learner" + std::to_string(j) + "." + what;
}

} // namespace

AcmLayer::AcmLayer(std::mt19937_64 &random) {
  gateWeight = randomArray({learners, hidden}, random);
  gateBias = randomArray({learners}, random, 0.5);
  for (std::int64_t j = 0; j < learners; ++j) {
    upWeight.push_back(randomArray({width, hidden}, random));
    upBias.push_back(randomArray({width}, random));
    downWeight.push_back(randomArray({hidden, width}, random));
    downBias.push_back(randomArray({hidden}, random));
  }
}

SmallPlan AcmLayer::plan() const {
  SmallPlan plan;
  plan.input("u", "f32", {seq, hidden})
      .output("y", "f32", {seq, hidden})
      .buffer("gate", "f32", {seq, learners})
      .buffer("learners", "i32", {seq})
      .buffer("h0", "f32", {seq, width})
      .buffer("acc", "f32", {seq, hidden})
      .weight("gate.weight", gateWeight)
      .weight("gate.bias", gateBias);
  for (std::int64_t j = 0; j < learners; ++j)
    plan.weight(learnerName(j, "up.weight"), upWeight[j])
        .weight(learnerName(j, "up.bias"), upBias[j])
        .weight(learnerName(j, "down.weight"), downWeight[j])
        .weight(learnerName(j, "down.bias"), downBias[j]);
  auto weights = [](std::int64_t j, const std::string &layer) {
    return nlohmann::json{{"weight", learnerName(j, layer + ".weight")},
                          {"bias", learnerName(j, layer + ".bias")}};
  };
  plan.step("linear", {{"x", "u"}}, {{"y", "gate"}},
            {{"weight", "gate.weight"}, {"bias", "gate.bias"}})
      .step("acm_route", {{"logits", "gate"}}, {{"learners", "learners"}})
      .step("linear", {{"x", "u"}}, {{"y", "h0"}}, weights(0, "up"),
            {{"activation", "gelu"}})
      .step("linear", {{"x", "h0"}}, {{"y", "acc"}}, weights(0, "down"));
  for (std::int64_t j = 1; j < learners; ++j) {
    const std::string rows = "rows" + std::to_string(j);
    const std::string counts = "counts" + std::to_string(j);
    plan.buffer(rows, "i32", {seq})
        .buffer(counts, "i32", {})
        .step("acm_compact", {{"learners", "learners"}},
              {{"rows", rows}, {"counts", counts}}, nullptr, {{"learner", j}});
  }
  for (std::int64_t j = 1; j < learners; ++j) {
    const std::string index = std::to_string(j);
    const std::string rows = "rows" + index, counts = "counts" + index;
    const std::string x = "x" + index, h = "h" + index, o = "o" + index;
    plan.buffer(x, "f32", {seq, hidden})
        .buffer(h, "f32", {seq, width})
        .buffer(o, "f32", {seq, hidden})
        .step("gather_rows", {{"x", "u"}, {"rows", rows}, {"counts", counts}},
              {{"y", x}}, nullptr, nullptr, counts)
        .step("linear", {{"x", x}, {"counts", counts}}, {{"y", h}},
              weights(j, "up"), {{"activation", "gelu"}}, counts)
        .step("linear", {{"x", h}, {"counts", counts}}, {{"y", o}},
              weights(j, "down"), nullptr, counts)
        .step("scatter_add", {{"x", o}, {"rows", rows}, {"counts", counts}},
              {{"y", "acc"}}, nullptr, nullptr, counts);
  }
  plan.step("add", {{"a", "u"}, {"b", "acc"}}, {{"y", "y"}});
  return plan;
}

Array AcmLayer::reference(const Array &u,
                          std::vector<std::int64_t> &learnerTokens) const {
  Array gate = reference::linear(u, gateWeight, &gateBias);
  std::vector<Array> outputs;
  for (std::int64_t j = 0; j < learners; ++j)
    outputs.push_back(
        reference::linear(reference::linear(u, upWeight[j], &upBias[j], "gelu"),
                          downWeight[j], &downBias[j]));
  Array y = u;
  learnerTokens.assign(learners, 0);
  for (std::int64_t t = 0; t * hidden < u.size(); ++t) {
    auto logits = gate.values.begin() + t * learners;
    const std::int64_t chosen =
        1 + (std::max_element(logits, logits + learners) - logits);
    for (std::int64_t j = 0; j < chosen; ++j) {
      ++learnerTokens[j];
      for (std::int64_t i = 0; i < hidden; ++i)
        y.values[t * hidden + i] += outputs[j].values[t * hidden + i];
    }
  }
  return y;
}

} // namespace tailor::testing
