//===- evaluate.cpp - Accuracy of a model on a split ----------------------===//

#include "tailor/train/evaluate.h"

namespace tailor::train {

Hits countHits(const torch::Tensor &logits, const torch::Tensor &labels) {
  auto predicted = logits.argmax(-1);
  auto labelled = labels.ne(kIgnoreLabel);
  return {predicted.eq(labels).logical_and(labelled).sum().item<std::int64_t>(),
          labelled.sum().item<std::int64_t>()};
}

double evaluateAccuracy(AdaptiveTransformer &model, const Dataset &data,
                        const RunConfig &run, std::int64_t batchSize,
                        const torch::Device &device) {
  return evaluateEnsembleAccuracy(model, data, {run}, batchSize, device);
}

double evaluateEnsembleAccuracy(AdaptiveTransformer &model, const Dataset &data,
                                const std::vector<RunConfig> &members,
                                std::int64_t batchSize,
                                const torch::Device &device) {
  torch::NoGradGuard noGrad;
  model->eval();
  Hits hits;
  for (std::int64_t begin = 0; begin < data.size(); begin += batchSize) {
    auto indices =
        torch::arange(begin, std::min(begin + batchSize, data.size()));
    Dataset batch = data.batch(indices);
    auto inputs = batch.inputs.to(device);
    torch::Tensor logits;
    for (const RunConfig &run : members) {
      auto memberLogits = model->forward(inputs, run);
      logits = logits.defined() ? logits + memberLogits : memberLogits;
    }
    logits = logits / static_cast<double>(members.size());
    Hits batchHits = countHits(logits, batch.labels.to(device));
    hits.correct += batchHits.correct;
    hits.total += batchHits.total;
  }
  return hits.accuracy();
}

} // namespace tailor::train
