//===- acmize.cpp - A dense model distilled into ACMs ---------------------===//

#include "tailor/train/acmize.h"
#include "tailor/train/error.h"
#include "tailor/train/evaluate.h"
#include "tailor/train/progress.h"
#include "tailor/train/trainer.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>

namespace tailor::train {

nlohmann::json AcmOptions::toJson() const {
  return {{"learners", learners},
          {"budget", budget},
          {"layers", layers},
          {"module_epochs", moduleEpochs},
          {"gate_epochs", gateEpochs},
          {"finetune_epochs", finetuneEpochs},
          {"batch_size", batchSize},
          {"learning_rate", learningRate},
          {"finetune_learning_rate", finetuneLearningRate},
          {"weight_decay", weightDecay},
          {"distill_weight", distillWeight},
          {"budget_weight", budgetWeight},
          {"temperature", temperature},
          {"calibration_examples", calibrationExamples},
          {"seed", seed}};
}

checkpoint::ModelConfig acmConfig(const checkpoint::ModelConfig &dense,
                                  const AcmOptions &options) {
  if (options.learners < 2 || dense.intermediate % options.learners != 0)
    throw Error("--learners " + std::to_string(options.learners) +
                ": needs at least 2 learners that split the MLP width " +
                std::to_string(dense.intermediate) + " evenly");
  checkpoint::ModelConfig config = dense;
  config.adaptive = {};
  checkpoint::AcmSettings acm;
  acm.layers = options.layers;
  if (acm.layers.empty())
    for (std::int64_t i = 0; i < dense.layers; ++i)
      acm.layers.push_back(i);
  acm.learners = options.learners;
  acm.learnerWidth = dense.intermediate / options.learners;
  acm.budget = options.budget;
  config.adaptive.acm = acm;
  checkpoint::validate(config, "ACM options");
  return config;
}

AdaptiveTransformer initialAcmModel(AdaptiveTransformer &dense,
                                    const AcmOptions &options) {
  const checkpoint::ModelConfig config = acmConfig(dense->config(), options);
  AdaptiveTransformer model(config);
  {
    torch::NoGradGuard noGrad;
    auto denseParameters = dense->named_parameters();
    for (auto &parameter : model->named_parameters())
      if (const torch::Tensor *source = denseParameters.find(parameter.key()))
        parameter.value().copy_(*source);
  }
  for (std::int64_t layer : config.adaptive.acm->layers)
    model->layer(layer).acmMlp()->initializeFrom(
        *dense->layer(layer).denseMlp());
  model->to(dense->parameters().front().device());
  return model;
}

namespace {

/// The gradient steps of one stage: shuffled batches of `train` for
/// `epochs`, the learning rate warmed up then decayed, a progress bar.
/// `step` computes one batch's loss (with its gradient) and returns it and a
/// status for the bar.
class Stage {
public:
  using Step = std::function<std::pair<torch::Tensor, std::string>(
      const torch::Tensor &inputs, const torch::Tensor &labels)>;

  Stage(std::string name, std::int64_t epochs, const Dataset &train,
        std::int64_t batchSize, const torch::Device &device)
      : name(std::move(name)), epochs(epochs), train(train),
        batchSize(batchSize), device(device) {}

  AcmStageSummary run(std::vector<torch::Tensor> parameters,
                      double learningRate, double weightDecay,
                      const Step &step) {
    AcmStageSummary summary;
    summary.name = name;
    if (epochs < 1)
      return summary;
    torch::optim::AdamW optimizer(
        parameters,
        torch::optim::AdamWOptions(learningRate).weight_decay(weightDecay));
    const std::int64_t perEpoch = (train.size() + batchSize - 1) / batchSize;
    const std::int64_t total = perEpoch * epochs;
    auto began = std::chrono::steady_clock::now();
    std::clock_t cpuBegan = std::clock();
    ProgressBar bar(name, total);
    std::string status;
    double lossSum = 0.0;
    for (std::int64_t epoch = 0; epoch < epochs; ++epoch) {
      auto order = torch::randperm(train.size(), torch::kLong);
      lossSum = 0.0;
      for (std::int64_t i = 0; i < perEpoch; ++i) {
        const std::int64_t index = epoch * perEpoch + i;
        Dataset batch =
            train.batch(order.slice(0, i * batchSize, (i + 1) * batchSize));
        setLearningRate(optimizer,
                        learningRate * learningRateScale(index, total, 0.05));
        optimizer.zero_grad();
        auto [loss, text] =
            step(batch.inputs.to(device), batch.labels.to(device));
        loss.backward();
        torch::nn::utils::clip_grad_norm_(parameters, 1.0);
        optimizer.step();
        lossSum += loss.item<double>();
        char line[160];
        std::snprintf(line, sizeof line, "epoch %lld/%lld loss %.4f %s",
                      static_cast<long long>(epoch + 1),
                      static_cast<long long>(epochs), lossSum / double(i + 1),
                      text.c_str());
        status = line;
        bar.update(index + 1, status);
      }
    }
    bar.finish(status);
    summary.steps = total;
    summary.loss = lossSum / double(perEpoch);
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began)
            .count();
    summary.cpuSeconds = double(std::clock() - cpuBegan) / CLOCKS_PER_SEC;
    return summary;
  }

private:
  std::string name;
  std::int64_t epochs;
  const Dataset &train;
  std::int64_t batchSize;
  torch::Device device;
};

/// Each token's squared error with every prefix of learners: [N, batch,
/// tokens], without gradients.
torch::Tensor prefixErrors(AcmMlpImpl &acm, const torch::Tensor &input,
                           const torch::Tensor &target) {
  torch::NoGradGuard noGrad;
  return (acm.prefixOutputs(input) - target).pow(2).sum(-1);
}

/// Stage 2's scale of each layer's errors (the mean squared norm of its
/// dense MLP output) and the threshold that makes the labels average the
/// budget, both over the first `calibrationExamples` training examples.
std::pair<std::vector<double>, double>
calibrateGateLabels(AdaptiveTransformer &model, AdaptiveTransformer &dense,
                    const Dataset &train, const AcmOptions &options,
                    const torch::Device &device) {
  const std::vector<std::int64_t> &layers =
      model->config().adaptive.acm->layers;
  const Dataset calibration = train.head(options.calibrationExamples);
  std::vector<std::vector<torch::Tensor>> errors(layers.size());
  std::vector<double> scales(layers.size(), 0.0);
  std::vector<std::int64_t> tokens(layers.size(), 0);
  for (std::int64_t begin = 0; begin < calibration.size();
       begin += options.batchSize) {
    Dataset batch = calibration.batch(torch::arange(
        begin, std::min(begin + options.batchSize, calibration.size())));
    DenseActivations activations =
        denseActivations(dense, layers, batch.inputs.to(device));
    for (std::size_t l = 0; l < layers.size(); ++l) {
      const torch::Tensor &target = activations.outputs[l];
      scales[l] += target.pow(2).sum().item<double>();
      tokens[l] += target.numel() / target.size(-1);
      errors[l].push_back(prefixErrors(*model->layer(layers[l]).acmMlp(),
                                       activations.inputs[l], target)
                              .flatten(1)
                              .cpu());
    }
  }
  std::vector<torch::Tensor> relative;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    scales[l] /= double(std::max<std::int64_t>(tokens[l], 1));
    relative.push_back(torch::cat(errors[l], 1) / scales[l]);
  }
  return {scales, thresholdForBudget(torch::cat(relative, 1), options.budget)};
}

std::vector<torch::Tensor> parametersOf(AdaptiveTransformer &model,
                                        bool learners) {
  std::vector<torch::Tensor> parameters;
  for (std::int64_t layer : model->config().adaptive.acm->layers) {
    AcmMlp acm = model->layer(layer).acmMlp();
    auto own = learners ? acm->learnerModules()->parameters()
                        : acm->gateLayer()->parameters();
    parameters.insert(parameters.end(), own.begin(), own.end());
  }
  return parameters;
}

} // namespace

DenseActivations denseActivations(AdaptiveTransformer &dense,
                                  const std::vector<std::int64_t> &layers,
                                  const torch::Tensor &batchInputs) {
  torch::NoGradGuard noGrad;
  ForwardTrace trace;
  trace.recordMlpInputs = true;
  RunConfig run;
  run.trace = &trace;
  dense->forward(batchInputs, run);
  DenseActivations activations;
  for (std::int64_t layer : layers) {
    activations.inputs.push_back(trace.mlpInputs[layer]);
    activations.outputs.push_back(
        dense->layer(layer).denseMlp()->forward(trace.mlpInputs[layer]));
  }
  return activations;
}

AdaptiveTransformer acmize(AdaptiveTransformer &dense, const Dataset &train,
                           const AcmOptions &options,
                           const torch::Device &device,
                           AcmizeSummary &summary) {
  if (options.moduleEpochs < 0 || options.gateEpochs < 0 ||
      options.finetuneEpochs < 0 || options.batchSize < 1 ||
      options.calibrationExamples < 1 || train.size() == 0)
    throw Error("ACM: stage epochs must be >= 0, the batch size and the "
                "calibration examples positive, the training split not empty");
  if (!(options.temperature > 0.0 && options.budgetWeight >= 0.0 &&
        options.distillWeight >= 0.0))
    throw Error("ACM: the temperature must be positive and the loss weights "
                ">= 0");
  torch::manual_seed(options.seed);
  dense->eval();
  for (auto &parameter : dense->parameters())
    parameter.requires_grad_(false);
  AdaptiveTransformer model = initialAcmModel(dense, options);
  const std::vector<std::int64_t> layers = model->config().adaptive.acm->layers;
  const std::int64_t learners = options.learners;
  auto acmAt = [&](std::size_t l) { return model->layer(layers[l]).acmMlp(); };

  // Stage 1: every prefix of learners reproduces the dense MLP.
  model->train();
  summary.stages.push_back(
      Stage("acm 1/3 modules", options.moduleEpochs, train, options.batchSize,
            device)
          .run(parametersOf(model, true), options.learningRate, 0.0,
               [&](const torch::Tensor &inputs, const torch::Tensor &) {
                 DenseActivations activations =
                     denseActivations(dense, layers, inputs);
                 torch::Tensor loss =
                     torch::zeros({}, inputs.options().dtype(torch::kFloat));
                 for (std::size_t l = 0; l < layers.size(); ++l)
                   loss =
                       loss + (acmAt(l)->prefixOutputs(activations.inputs[l]) -
                               activations.outputs[l])
                                  .pow(2)
                                  .mean();
                 return std::make_pair(loss, std::string());
               }));

  // Stage 2: gates learn the fewest learners within the threshold.
  // Named variables: a lambda cannot capture structured bindings in C++17.
  const std::pair<std::vector<double>, double> calibration =
      calibrateGateLabels(model, dense, train, options, device);
  const std::vector<double> &scales = calibration.first;
  const double threshold = calibration.second;
  summary.threshold = threshold;
  summary.stages.push_back(
      Stage("acm 2/3 gates", options.gateEpochs, train, options.batchSize,
            device)
          .run(parametersOf(model, false), options.learningRate, 0.0,
               [&](const torch::Tensor &inputs, const torch::Tensor &) {
                 DenseActivations activations =
                     denseActivations(dense, layers, inputs);
                 torch::Tensor loss =
                     torch::zeros({}, inputs.options().dtype(torch::kFloat));
                 double labelSum = 0.0, labelCount = 0.0;
                 for (std::size_t l = 0; l < layers.size(); ++l) {
                   AcmMlp acm = acmAt(l);
                   auto labels =
                       gateLabels(prefixErrors(*acm, activations.inputs[l],
                                               activations.outputs[l]) /
                                      scales[l],
                                  threshold);
                   loss = loss + torch::nn::functional::cross_entropy(
                                     acm->gateLogits(activations.inputs[l])
                                         .reshape({-1, learners}),
                                     labels.reshape({-1}));
                   labelSum += (labels + 1).sum().item<double>();
                   labelCount += double(labels.numel());
                 }
                 char text[64];
                 std::snprintf(text, sizeof text, "label compute %.1f%%",
                               100.0 * labelSum / labelCount /
                                   double(learners));
                 return std::make_pair(loss / double(layers.size()),
                                       std::string(text));
               }));

  // Stage 3: end to end, the task and the dense model's predictions at the
  // compute budget; the gates' noise falls linearly to 0.
  const std::int64_t finetuneSteps = (train.size() + options.batchSize - 1) /
                                     options.batchSize * options.finetuneEpochs;
  std::int64_t finetuneStep = 0;
  for (std::size_t l = 0; l < layers.size(); ++l)
    acmAt(l)->temperature = options.temperature;
  summary.stages.push_back(
      Stage("acm 3/3 finetune", options.finetuneEpochs, train,
            options.batchSize, device)
          .run(model->parameters(), options.finetuneLearningRate,
               options.weightDecay,
               [&](const torch::Tensor &inputs, const torch::Tensor &labels) {
                 const double noise =
                     1.0 - double(finetuneStep++) / double(finetuneSteps);
                 for (std::size_t l = 0; l < layers.size(); ++l)
                   acmAt(l)->noise = noise;
                 torch::Tensor teacher;
                 {
                   torch::NoGradGuard noGrad;
                   teacher = dense->forward(inputs);
                 }
                 ForwardTrace trace;
                 RunConfig run;
                 run.trace = &trace;
                 auto logits = model->forward(inputs, run);
                 std::vector<torch::Tensor> computes;
                 for (const AcmDecision &decision : trace.acm)
                   computes.push_back(decision.compute.flatten());
                 auto compute = torch::cat(computes).mean();
                 auto loss = labelLoss(logits, labels) +
                             options.distillWeight *
                                 distillationLoss(logits, teacher, labels) +
                             options.budgetWeight *
                                 computeBudgetLoss(compute, options.budget);
                 Hits hits = countHits(logits.detach(), labels);
                 char text[64];
                 std::snprintf(text, sizeof text, "acc %.2f%% compute %.1f%%",
                               100.0 * hits.accuracy(),
                               100.0 * compute.item<double>());
                 return std::make_pair(loss, std::string(text));
               }));
  model->eval();
  return model;
}

} // namespace tailor::train
