//===- evaluate.cpp - Accuracy of a model on a split ----------------------===//

#include "tailor/train/evaluate.h"
#include "tailor/train/error.h"

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

AcmEvaluation evaluateAcm(AdaptiveTransformer &model, const Dataset &data,
                          std::int64_t batchSize, const torch::Device &device) {
  const std::optional<checkpoint::AcmSettings> &acm =
      model->config().adaptive.acm;
  if (!acm)
    throw Error("ACM evaluation of a model without adaptive.acm");
  torch::NoGradGuard noGrad;
  model->eval();
  Hits hits;
  std::vector<torch::Tensor> counts;
  for (std::size_t l = 0; l < acm->layers.size(); ++l)
    counts.push_back(torch::zeros({acm->learners}, torch::kLong));
  for (std::int64_t begin = 0; begin < data.size(); begin += batchSize) {
    Dataset batch = data.batch(
        torch::arange(begin, std::min(begin + batchSize, data.size())));
    ForwardTrace trace;
    RunConfig run;
    run.trace = &trace;
    auto logits = model->forward(batch.inputs.to(device), run);
    Hits batchHits = countHits(logits, batch.labels.to(device));
    hits.correct += batchHits.correct;
    hits.total += batchHits.total;
    for (std::size_t l = 0; l < counts.size(); ++l)
      counts[l] += torch::bincount(trace.acm[l].learners.flatten().cpu() - 1,
                                   {}, acm->learners);
  }
  AcmEvaluation evaluation;
  evaluation.accuracy = hits.accuracy();
  double learnerSum = 0.0, tokens = 0.0;
  for (const torch::Tensor &layerCounts : counts) {
    std::vector<std::int64_t> &row = evaluation.histogram.emplace_back();
    for (std::int64_t k = 1; k <= acm->learners; ++k) {
      row.push_back(layerCounts[k - 1].item<std::int64_t>());
      learnerSum += double(k * row.back());
      tokens += double(row.back());
    }
  }
  evaluation.compute =
      tokens > 0 ? learnerSum / tokens / double(acm->learners) : 0.0;
  return evaluation;
}

} // namespace tailor::train
