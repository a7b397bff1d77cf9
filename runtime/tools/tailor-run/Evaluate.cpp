//===- Evaluate.cpp - Running one variant over a dataset ------------------===//

#include "Evaluate.h"

#include <algorithm>

namespace tailor::run {
namespace {

std::int32_t argmax(const float *scores, std::int64_t classes) {
  return static_cast<std::int32_t>(std::max_element(scores, scores + classes) -
                                   scores);
}

/// Runs samples [begin, end), naming them in an error.
Result<RunStats> runSamples(Session &session, const std::string &variant,
                            const Dataset &dataset, std::int64_t begin,
                            std::int64_t end,
                            std::map<std::string, Tensor> &outputs) {
  Result<RunStats> stats =
      session.run(variant, dataset.slice(begin, end), outputs);
  if (!stats.ok())
    return Status::error("samples " + std::to_string(begin) + " to " +
                         std::to_string(end - 1) + ": " +
                         stats.status().message());
  return stats;
}

void addLearnerTokens(std::vector<std::vector<std::int64_t>> &total,
                      const std::vector<std::vector<std::int64_t>> &batch) {
  if (total.empty())
    total.assign(batch.size(), {});
  for (std::size_t layer = 0; layer < batch.size(); ++layer) {
    total[layer].resize(batch[layer].size());
    for (std::size_t j = 0; j < batch[layer].size(); ++j)
      total[layer][j] += batch[layer][j];
  }
}

} // namespace

Result<Evaluation> evaluate(Session &session, const Model &model,
                            const VariantInfo &variant, const Dataset &dataset,
                            std::int64_t batch) {
  Evaluation evaluation;
  const std::string &logitsName = model.outputs()[0].name;
  const bool perToken = model.outputs()[0].shape.size() == 3;
  // One untimed run first: the latency should leave out the arena's
  // allocation and first touch of the weights.
  std::map<std::string, Tensor> outputs;
  Result<RunStats> warmup = runSamples(session, variant.name, dataset, 0,
                                       std::min(batch, dataset.count), outputs);
  if (!warmup.ok())
    return warmup.status();
  for (std::int64_t begin = 0; begin < dataset.count; begin += batch) {
    std::int64_t end = std::min(dataset.count, begin + batch);
    Result<RunStats> stats =
        runSamples(session, variant.name, dataset, begin, end, outputs);
    if (!stats.ok())
      return stats.status();
    evaluation.batchSeconds.push_back(stats->wallSeconds);
    addLearnerTokens(evaluation.learnerTokens, stats->learnerTokens);
    const Tensor &logits = outputs.at(logitsName);
    const std::int64_t classes = logits.shape().back();
    const std::int64_t rows = perToken ? logits.shape()[1] : 1;
    for (std::int64_t i = begin; i < end; ++i) {
      const float *sample =
          logits.dataAs<float>() + (i - begin) * rows * classes;
      std::int64_t tokens =
          perToken && dataset.lengths[i] > 0 ? dataset.lengths[i] : rows;
      std::vector<std::int32_t> classesOfSample;
      for (std::int64_t t = 0; t < tokens; ++t)
        classesOfSample.push_back(argmax(sample + t * classes, classes));
      if (!dataset.labels.empty() && classesOfSample[0] == dataset.labels[i])
        ++evaluation.correct;
      evaluation.predictions.push_back(std::move(classesOfSample));
    }
  }
  return evaluation;
}

} // namespace tailor::run
