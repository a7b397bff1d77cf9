//===- AcmLayer.cpp - A hand-built ACM layer and its reference ------------===//

#include "AcmLayer.h"

#include "tailor/testing/Reference.h"

#include <algorithm>
#include <limits>

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

SmallPlan guardedScatterPlan(const Array &weight, std::int64_t chosen) {
  const std::int64_t S = AcmLayer::seq, H = AcmLayer::hidden;
  Array gateBias({3});
  gateBias.values[chosen - 1] = 1;
  SmallPlan plan;
  plan.input("u", "f32", {S, H})
      .output("acc", "f32", {S, H})
      .buffer("gate", "f32", {S, 3})
      .buffer("learners", "i32", {S})
      .buffer("rows1", "i32", {S})
      .buffer("counts1", "i32", {})
      .buffer("rows2", "i32", {S})
      .buffer("counts2", "i32", {})
      .weight("zero", Array({3, H}))
      .weight("gate.bias", gateBias)
      .weight("w", weight)
      .step("linear", {{"x", "u"}}, {{"y", "gate"}},
            {{"weight", "zero"}, {"bias", "gate.bias"}})
      .step("acm_route", {{"logits", "gate"}}, {{"learners", "learners"}})
      .step("acm_compact", {{"learners", "learners"}},
            {{"rows", "rows1"}, {"counts", "counts1"}}, nullptr,
            {{"learner", 1}})
      .step("acm_compact", {{"learners", "learners"}},
            {{"rows", "rows2"}, {"counts", "counts2"}}, nullptr,
            {{"learner", 2}})
      .step("linear", {{"x", "u"}}, {{"y", "acc"}}, {{"weight", "w"}})
      .step("scatter_add",
            {{"x", "u"}, {"rows", "rows1"}, {"counts", "counts1"}},
            {{"y", "acc"}}, nullptr, nullptr, "counts2");
  return plan;
}

SmallPlan gatherByIdsPlan() {
  const std::int64_t S = AcmLayer::seq, H = AcmLayer::hidden;
  SmallPlan plan;
  plan.input("u", "f32", {S, H})
      .input("ids", "i32", {S})
      .input("learners", "i32", {S})
      .output("y", "f32", {S, H})
      .buffer("rows", "i32", {S})
      .buffer("counts", "i32", {})
      .step("acm_compact", {{"learners", "learners"}},
            {{"rows", "rows"}, {"counts", "counts"}}, nullptr, {{"learner", 1}})
      .step("gather_rows", {{"x", "u"}, {"rows", "ids"}, {"counts", "counts"}},
            {{"y", "y"}});
  return plan;
}

SmallPlan routeAndCompactPlan() {
  const std::int64_t S = AcmLayer::seq;
  SmallPlan plan;
  plan.input("logits", "f32", {S, 3})
      .output("learners", "i32", {S})
      .output("rows", "i32", {S})
      .output("counts", "i32", {})
      .step("acm_route", {{"logits", "logits"}}, {{"learners", "learners"}})
      .step("acm_compact", {{"learners", "learners"}},
            {{"rows", "rows"}, {"counts", "counts"}}, nullptr,
            {{"learner", 1}});
  return plan;
}

TrickyLogits trickyLogits() {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  return {{1,      3,    3,      // a tie: the first of the largest
           nan,    0,    -1,     // NaN never wins
           nan,    nan,  nan,    // unless all are NaN: one learner
           -inf,   -inf, -inf,   // all equal
           5,      nan,  5,      // NaN between a tie
           0,      0,    0,      // sample 1: all equal
           -1,     inf,  nan,    // infinity wins
           2,      1,    7,      // the last
           -inf,   -2,   -inf,   // the only finite one
           1e-30f, 0,    -0.0f}, // a tiny positive beats zeros
          {2, 2, 1, 1, 1, 1, 2, 3, 2, 1}};
}

} // namespace tailor::testing
