//===- acm.h - Adaptive Computation Module ----------------------*- C++ -*-===//
//
// ACM (Wojcik et al., "Adaptive Computation Modules";
// docs/checkpoint-format.md, adaptive.acm): a layer's MLP becomes N learners,
// small MLPs of width intermediate / N, and a linear gate. For each token the
// gate picks k in 1..N and the module returns the sum of learners 1..k.
// Training picks k by a straight-through Gumbel-softmax; inference by the
// argmax.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TRAIN_ACM_H
#define TAILOR_TRAIN_ACM_H

#include "tailor/checkpoint/model_config.h"

#include <torch/torch.h>

namespace tailor::train {

class MlpImpl;

/// One ACM's choice in a forward pass, per token ([batch, tokens]).
struct AcmDecision {
  /// Learners run, 1..N (int64).
  torch::Tensor learners;
  /// learners / N, with the straight-through gradient of the gate's soft
  /// choice while training.
  torch::Tensor compute;
};

class AcmMlpImpl : public torch::nn::Module {
public:
  AcmMlpImpl(std::int64_t hidden, std::int64_t learners,
             std::int64_t learnerWidth, checkpoint::Activation activation);

  /// x [batch, tokens, hidden] -> the sum of the first k learners' outputs
  /// per token, k from the gate: sampled by Gumbel-softmax at `temperature`
  /// and `noise` (straight-through) in training mode, the argmax in eval
  /// mode. Writes
  /// the choice to `decision` when given.
  torch::Tensor forward(const torch::Tensor &x,
                        AcmDecision *decision = nullptr);

  /// The gate's logits over k = 1..N: [..., N].
  torch::Tensor gateLogits(const torch::Tensor &x);
  /// The output with every prefix of learners: [N, ...x's shape]; entry
  /// k - 1 is the sum of learners 1..k.
  torch::Tensor prefixOutputs(const torch::Tensor &x);

  /// Learner j takes the j-th slice of the dense MLP's hidden units, ranked
  /// by importance (|up row| * |down column|, largest first), and learner 0
  /// the down bias: all N together compute exactly the dense MLP.
  void initializeFrom(MlpImpl &dense);

  std::int64_t learners() const { return learnerCount; }
  torch::nn::ModuleList learnerModules() const { return learnerList; }
  torch::nn::Linear gateLayer() const { return gate; }

  /// Gumbel-softmax temperature of training mode.
  double temperature = 1.0;
  /// Scale of the Gumbel noise in training mode: 1 samples k from the
  /// gate's softmax, 0 takes its argmax, as inference does (stage 3 anneals
  /// it from 1 to 0, so training ends on the inference rule).
  double noise = 1.0;

private:
  std::int64_t learnerCount;
  torch::nn::ModuleList learnerList{nullptr};
  torch::nn::Linear gate{nullptr};
};
TORCH_MODULE(AcmMlp);

/// The learners each token runs for gate logits [..., N]: argmax + 1, ties
/// to the fewest learners.
torch::Tensor chosenLearners(const torch::Tensor &gateLogits);

/// Stage 3's compute loss: (mean compute - budget)^2, zero at the budget.
torch::Tensor computeBudgetLoss(const torch::Tensor &meanCompute,
                                double budget);

/// Stage 2's gate labels: for prefix errors [N, ...] (error of the sum of
/// learners 1..k against the dense output), the fewest learners k whose
/// error is at most `threshold`, minus 1 (a class index); N - 1 when none.
torch::Tensor gateLabels(const torch::Tensor &prefixErrors, double threshold);

/// The threshold whose gateLabels average (label + 1) / N closest to
/// `budget` over `prefixErrors` [N, tokens] (bisection over the errors).
double thresholdForBudget(const torch::Tensor &prefixErrors, double budget);

} // namespace tailor::train

#endif // TAILOR_TRAIN_ACM_H
