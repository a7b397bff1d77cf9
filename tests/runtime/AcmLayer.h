//===- AcmLayer.h - A hand-built ACM layer and its reference ----*- C++ -*-===//
//
// One adaptive computation module as the compiler emits it
// (docs/artifact-format.md, "Adaptive computation"): a gate, acm_route, the
// dense learner 0, one acm_compact per further learner, then each further
// learner's gather_rows, two counts-linears and scatter_add under the guard
// of its counts, and the residual add. The CPU and CUDA tests share it.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TESTS_RUNTIME_ACMLAYER_H
#define TAILOR_TESTS_RUNTIME_ACMLAYER_H

#include "Harness.h"

#include <random>
#include <vector>

namespace tailor::testing {

struct AcmLayer {
  static constexpr std::int64_t hidden = 8, learners = 3, width = 4, seq = 5;

  /// Random weights; the gate's spread so that tokens choose every count of
  /// learners.
  explicit AcmLayer(std::mt19937_64 &random);

  /// The plan of one variant "only": model input "u" f32 [-1, S, H], model
  /// output "y" f32 [-1, S, H].
  SmallPlan plan() const;

  /// The reference, token by token: k = 1 + argmax of the gate's logits,
  /// y = u + learner 0 + ... + learner k-1. `learnerTokens` receives how
  /// many tokens ran each learner.
  Array reference(const Array &u,
                  std::vector<std::int64_t> &learnerTokens) const;

  Array gateWeight, gateBias;
  std::vector<Array> upWeight, upBias, downWeight, downBias;
};

/// A plan whose gate (logits = a bias) sends every token of the "u" input
/// f32 [-1, S, H] to `chosen` learners of 3, then writes the model output
/// "acc" = u W^T and, guarded by the counts of learner 2, scatter_adds u
/// into it by the rows and counts of learner 1: acc = u W^T + u exactly
/// when the guard lets the step run (chosen = 3).
SmallPlan guardedScatterPlan(const Array &weight, std::int64_t chosen);

/// A plan that compacts the tokens of the model input "learners" i32 [-1, S]
/// above learner 1 and gathers that many rows of "u" by the row ids of
/// the model input "ids" i32 [-1, S] into the model output "y".
SmallPlan gatherByIdsPlan();

/// A plan that routes the model input "logits" f32 [-1, S, 3] into the
/// model output "learners" i32 [-1, S] and compacts the tokens above
/// learner 1 into the model outputs "rows" i32 [-1, S] and "counts" i32
/// [-1].
SmallPlan routeAndCompactPlan();

/// Gate logits [2, S, 3] whose tokens tie, hold NaN and infinities, with
/// the learners acm_route must give them.
struct TrickyLogits {
  std::vector<float> logits;
  std::vector<std::int32_t> learners;
};
TrickyLogits trickyLogits();

} // namespace tailor::testing

#endif // TAILOR_TESTS_RUNTIME_ACMLAYER_H
