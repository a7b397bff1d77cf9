//===- trainer.cpp - LengthDrop training with the sandwich rule -----------===//

#include "tailor/train/trainer.h"
#include "tailor/train/error.h"
#include "tailor/train/evaluate.h"
#include "tailor/train/progress.h"
#include "tailor/train/train_state.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <numeric>
#include <random>

namespace tailor::train {

nlohmann::json TrainOptions::toJson() const {
  nlohmann::json settings = {{"epochs", epochs},
                             {"batch_size", batchSize},
                             {"learning_rate", learningRate},
                             {"weight_decay", weightDecay},
                             {"warmup", warmup},
                             {"clip_norm", clipNorm},
                             {"length_drop", lengthDrop},
                             {"layer_drop", layerDrop},
                             {"sandwich_random", sandwichRandom},
                             {"seed", seed}};
  // Only when set: states written before SSA existed still resume.
  if (ssa)
    settings["ssa"] = {{"block", ssa->block},
                       {"keep", ssa->keep},
                       {"locality", ssa->locality},
                       {"global_first_block", ssa->globalFirstBlock},
                       {"dense_finetune", ssaDenseFinetune}};
  return settings;
}

torch::Tensor labelLoss(const torch::Tensor &logits,
                        const torch::Tensor &labels) {
  return torch::nn::functional::cross_entropy(
      logits.reshape({-1, logits.size(-1)}), labels.reshape({-1}),
      torch::nn::functional::CrossEntropyFuncOptions().ignore_index(
          kIgnoreLabel));
}

torch::Tensor distillationLoss(const torch::Tensor &student,
                               const torch::Tensor &teacher,
                               const torch::Tensor &labels) {
  auto perItem =
      -(torch::softmax(teacher, -1) * torch::log_softmax(student, -1)).sum(-1);
  auto labelled = labels.ne(kIgnoreLabel).to(perItem.dtype());
  return (perItem * labelled).sum() / labelled.sum().clamp_min(1.0);
}

double learningRateScale(std::int64_t step, std::int64_t totalSteps,
                         double warmup) {
  auto warmupSteps = static_cast<std::int64_t>(warmup * totalSteps);
  if (step < warmupSteps)
    return double(step + 1) / double(warmupSteps);
  double progress = double(step - warmupSteps) /
                    double(std::max<std::int64_t>(1, totalSteps - warmupSteps));
  return 0.5 * (1.0 + std::cos(M_PI * progress));
}

void setLearningRate(torch::optim::AdamW &optimizer, double rate) {
  for (auto &group : optimizer.param_groups())
    static_cast<torch::optim::AdamWOptions &>(group.options()).lr(rate);
}

namespace {

/// A generator that depends on the seed, a counter and a stream number only
/// (seed_seq takes 32-bit words).
std::mt19937_64 seededRng(std::uint64_t seed, std::int64_t counter,
                          std::uint32_t stream) {
  auto count = static_cast<std::uint64_t>(counter);
  std::seed_seq words{std::uint32_t(seed), std::uint32_t(seed >> 32),
                      std::uint32_t(count), std::uint32_t(count >> 32), stream};
  return std::mt19937_64(words);
}

class Trainer {
public:
  Trainer(AdaptiveTransformer &model, const Dataset &train,
          const TrainOptions &options, const torch::Device &device)
      : model(model), train(train), options(options), device(device),
        space(model->lengthSpace()),
        optimizer(model->parameters(),
                  torch::optim::AdamWOptions(options.learningRate)
                      .weight_decay(options.weightDecay)),
        stepsPerEpoch((train.size() + options.batchSize - 1) /
                      options.batchSize),
        totalSteps(stepsPerEpoch * options.epochs) {}

  TrainSummary run(const std::string &stateDir, const nlohmann::json &settings);

private:
  /// One optimizer step; returns the full model's loss and hits.
  std::pair<double, Hits> step(std::int64_t index);
  torch::Tensor batchIndices(std::int64_t step);
  void setLearningRate(std::int64_t step);
  std::vector<bool> sampleLayerDrop(std::mt19937_64 &rng) const;

  AdaptiveTransformer &model;
  const Dataset &train;
  const TrainOptions &options;
  torch::Device device;
  LengthSpace space;
  torch::optim::AdamW optimizer;
  std::int64_t stepsPerEpoch;
  std::int64_t totalSteps;
  std::int64_t permutationEpoch = -1;
  std::vector<std::int64_t> permutation;
};

torch::Tensor Trainer::batchIndices(std::int64_t step) {
  // Each epoch's order depends on the seed and the epoch alone, so a resumed
  // run sees the batches the uninterrupted one would have.
  std::int64_t epoch = step / stepsPerEpoch;
  if (epoch != permutationEpoch) {
    permutation.resize(train.size());
    std::iota(permutation.begin(), permutation.end(), 0);
    std::mt19937_64 rng = seededRng(options.seed, epoch, 1);
    std::shuffle(permutation.begin(), permutation.end(), rng);
    permutationEpoch = epoch;
  }
  std::int64_t begin = (step % stepsPerEpoch) * options.batchSize;
  std::int64_t end = std::min(begin + options.batchSize, train.size());
  return torch::tensor(std::vector<std::int64_t>(permutation.begin() + begin,
                                                 permutation.begin() + end),
                       torch::kLong);
}

void Trainer::setLearningRate(std::int64_t step) {
  train::setLearningRate(
      optimizer, options.learningRate *
                     learningRateScale(step, totalSteps, options.warmup));
}

std::vector<bool> Trainer::sampleLayerDrop(std::mt19937_64 &rng) const {
  if (options.layerDrop <= 0.0)
    return {};
  std::bernoulli_distribution skip(options.layerDrop);
  std::vector<bool> skipped(space.layers);
  for (std::int64_t i = 0; i < space.layers; ++i)
    skipped[i] = skip(rng);
  return skipped;
}

std::pair<double, Hits> Trainer::step(std::int64_t index) {
  std::mt19937_64 rng = seededRng(options.seed, index, 2);
  Dataset batch = train.batch(batchIndices(index));
  auto inputs = batch.inputs.to(device);
  auto labels = batch.labels.to(device);
  setLearningRate(index);
  optimizer.zero_grad();

  bool sandwich = options.lengthDrop > 0.0;
  RunConfig full;
  if (!sandwich)
    full.skipLayers = sampleLayerDrop(rng);
  const std::int64_t ssaSteps = static_cast<std::int64_t>(std::llround(
      static_cast<double>(totalSteps) * (1.0 - options.ssaDenseFinetune)));
  if (options.ssa && index < ssaSteps) {
    std::mt19937_64 patternRng = seededRng(options.seed, index, 3);
    full.ssaPatterns =
        sampleSsaLayers(*options.ssa, model->config().layers,
                        checkpoint::inputTokens(model->config()), patternRng);
  }
  auto logits = model->forward(inputs, full);
  auto loss = labelLoss(logits, labels);
  loss.backward();
  Hits hits = countHits(logits.detach(), labels);

  if (sandwich) {
    // Sandwich rule: the smallest model and n random ones learn from the
    // full model's predictions (in-place distillation).
    auto teacher = logits.detach();
    for (std::int64_t i = 0; i <= options.sandwichRandom; ++i) {
      RunConfig sub;
      sub.lengths = i == 0 ? smallestLengths(space, options.lengthDrop)
                           : sampleLengths(space, options.lengthDrop, rng);
      sub.skipLayers = sampleLayerDrop(rng);
      distillationLoss(model->forward(inputs, sub), teacher, labels).backward();
    }
  }
  if (options.clipNorm > 0)
    torch::nn::utils::clip_grad_norm_(model->parameters(), options.clipNorm);
  optimizer.step();
  return {loss.item<double>(), hits};
}

TrainSummary Trainer::run(const std::string &stateDir,
                          const nlohmann::json &settings) {
  std::int64_t start =
      loadTrainState(stateDir, model, optimizer, settings).value_or(0);
  TrainSummary summary;
  summary.step = start;
  summary.totalSteps = totalSteps;
  if (start >= totalSteps)
    return summary;
  auto began = std::chrono::steady_clock::now();
  std::clock_t cpuBegan = std::clock();
  if (start > 0)
    std::fprintf(stderr, "resuming from step %lld of %lld\n",
                 static_cast<long long>(start),
                 static_cast<long long>(totalSteps));
  model->train();
  ProgressBar bar("train", totalSteps, start);
  double lossSum = 0.0;
  std::int64_t lossCount = 0;
  Hits epochHits;
  std::string status;
  for (std::int64_t index = start; index < totalSteps; ++index) {
    auto [loss, hits] = step(index);
    ++summary.steps;
    summary.step = index + 1;
    summary.examples +=
        std::min(options.batchSize,
                 train.size() - (index % stepsPerEpoch) * options.batchSize);
    lossSum += loss;
    ++lossCount;
    epochHits.correct += hits.correct;
    epochHits.total += hits.total;
    std::int64_t epoch = index / stepsPerEpoch;
    bool epochEnds = (index + 1) % stepsPerEpoch == 0;
    char text[96];
    std::snprintf(text, sizeof text, "epoch %lld/%lld loss %.4f acc %.2f%%",
                  static_cast<long long>(epoch + 1),
                  static_cast<long long>(options.epochs), lossSum / lossCount,
                  100.0 * epochHits.accuracy());
    status = text;
    bar.update(index + 1, status);
    bool stops = summary.steps == options.stopAfter;
    if (epochEnds || stops || (index + 1) % options.checkpointEvery == 0)
      saveTrainState(stateDir, model, optimizer, index + 1, settings);
    if (stops)
      break;
    if (epochEnds) {
      lossSum = 0.0;
      lossCount = 0;
      epochHits = Hits();
    }
  }
  bar.finish(status);
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began)
          .count();
  summary.cpuSeconds = double(std::clock() - cpuBegan) / CLOCKS_PER_SEC;
  return summary;
}

} // namespace

TrainSummary trainModel(AdaptiveTransformer &model, const Dataset &train,
                        const TrainOptions &options,
                        const torch::Device &device,
                        const std::string &stateDir,
                        const nlohmann::json &settings) {
  if (options.epochs < 1 || options.batchSize < 1 || train.size() == 0)
    throw Error("training needs at least one epoch, a positive batch size and "
                "a non-empty training split");
  if (options.lengthDrop < 0.0 || options.lengthDrop >= 1.0 ||
      options.layerDrop < 0.0 || options.layerDrop >= 1.0)
    throw Error("--length-drop and --layer-drop must be in [0, 1)");
  if (options.ssa && options.lengthDrop > 0.0)
    throw Error("--ssa-keep trains block-sparse attention, which has no token "
                "significance: it does not combine with --length-drop > 0");
  if (options.ssa && !(options.ssa->keep > 0.0 && options.ssa->keep <= 1.0 &&
                       options.ssa->block >= 1 && options.ssa->locality >= 0.0))
    throw Error("--ssa-keep must be in (0, 1], --ssa-block >= 1 and "
                "--ssa-locality >= 0");
  if (!(options.ssaDenseFinetune >= 0.0 && options.ssaDenseFinetune < 1.0))
    throw Error("--ssa-dense-finetune must be in [0, 1)");
  if (options.sandwichRandom < 0 || options.checkpointEvery < 1 ||
      options.stopAfter < 0)
    throw Error("--sandwich and --stop-after must be >= 0 and "
                "--checkpoint-every >= 1");
  return Trainer(model, train, options, device).run(stateDir, settings);
}

} // namespace tailor::train
