//===- acmize_command.cpp - tailor-train --acmize -------------------------===//

#include "acmize_command.h"
#include "tool_support.h"

#include "tailor/checkpoint/flops.h"
#include "tailor/train/error.h"
#include "tailor/train/evaluate.h"
#include "tailor/train/export.h"
#include "tailor/train/progress.h"
#include "tailor/train/report.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace tailor::train {

namespace fs = std::filesystem;
using checkpoint::ModelConfig;

void addAcmOptions(CLI::App &app, AcmCommandOptions &options) {
  auto *group = "ACM (Adaptive Computation Modules)";
  AcmOptions &acm = options.acm;
  app.add_option("--acmize", options.source,
                 "turn the MLPs of this trained checkpoint into ACMs "
                 "(learners and a gate per layer), distilled from it in three "
                 "stages, and write the ACM model to --out; --task names its "
                 "task, --batch-size, --weight-decay and --seed apply")
      ->group(group);
  auto setting = [&](const std::string &name, auto &value,
                     const std::string &help) {
    app.add_option(name, value, help)->group(group)->capture_default_str();
  };
  setting("--budget", acm.budget,
          "mean fraction of each ACM's learners a token runs");
  setting("--learners", acm.learners,
          "learners per ACM; each is intermediate/learners wide");
  app.add_option("--acm-layers", acm.layers,
                 "layers that get an ACM (default: all)")
      ->delimiter(',')
      ->group(group);
  setting("--acm-module-epochs", acm.moduleEpochs,
          "stage 1: learners distilled from the dense MLPs");
  setting("--acm-gate-epochs", acm.gateEpochs,
          "stage 2: gates pretrained on the fewest learners within the "
          "error threshold");
  setting("--acm-finetune-epochs", acm.finetuneEpochs,
          "stage 3: end-to-end fine-tuning at the budget");
  setting("--acm-lr", acm.learningRate, "peak learning rate of stages 1 and 2");
  setting("--acm-finetune-lr", acm.finetuneLearningRate,
          "peak learning rate of stage 3");
  setting("--acm-distill-weight", acm.distillWeight,
          "stage 3: weight of the distillation from the dense model");
  setting("--acm-budget-weight", acm.budgetWeight,
          "stage 3: weight of (mean compute - budget)^2");
  setting("--acm-temperature", acm.temperature,
          "stage 3: Gumbel-softmax temperature of the gates");
}

namespace {

/// The task's data shaped for `config`: the ViT's patch size, the encoder's
/// length and the vocabulary saved beside the checkpoint.
TaskData loadTaskFor(const ToolOptions &tool, Task task,
                     const ModelConfig &config, const std::string &source) {
  const bool text = config.kind == checkpoint::ModelKind::Encoder;
  const bool token = config.task == checkpoint::TaskKind::Token;
  if (isTextTask(task) != text || isTokenTask(task) != token ||
      taskClasses(task) != config.classes)
    throw Error("--task " + tool.task + " does not fit the " +
                std::string(checkpoint::toString(config.kind)) + " of " +
                source + " (" + std::to_string(config.classes) +
                " classes, task \"" +
                std::string(checkpoint::toString(config.task)) + "\")");
  DataOptions data = tool.data;
  std::optional<Vocabulary> vocabulary;
  if (text) {
    data.maxLength = config.maxPositions;
    const std::string path = source + "/vocab.txt";
    if (!fs::exists(path))
      throw Error(path + ": missing; a text model's vocabulary is saved "
                         "beside its checkpoint");
    vocabulary = Vocabulary::load(path);
  } else {
    data.patchSize = config.patchSize;
  }
  return loadTask(task, data, vocabulary);
}

/// FLOPs of one input at inference, every token run.
struct AcmFlops {
  /// The same architecture with dense MLPs.
  double dense = 0.0;
  /// Each ACM layer's MLP at its measured compute (histogram) plus its gate.
  double expected = 0.0;
  /// What the ACM layers' MLPs and gates cost against their dense MLPs.
  double mlpFraction = 0.0;
};

AcmFlops acmFlops(const ModelConfig &config, const AcmEvaluation &evaluation) {
  const checkpoint::AcmSettings &acm = *config.adaptive.acm;
  ModelConfig dense = config;
  dense.adaptive = {};
  const std::int64_t tokens = checkpoint::inputTokens(config);
  const double mlp = double(checkpoint::mlpFlops(config, tokens));
  const double gate = double(checkpoint::acmGateFlops(config, tokens));
  AcmFlops flops;
  flops.dense =
      double(checkpoint::modelFlops(dense, checkpoint::fullLengths(config)));
  flops.expected = flops.dense;
  for (const std::vector<std::int64_t> &row : evaluation.histogram) {
    double learners = 0.0, count = 0.0;
    for (std::size_t k = 0; k < row.size(); ++k) {
      learners += double(k + 1) * double(row[k]);
      count += double(row[k]);
    }
    const double compute = learners / std::max(count, 1.0) / acm.learners;
    flops.expected += gate - mlp * (1.0 - compute);
  }
  const double acmMlps = mlp * double(acm.layers.size());
  flops.mlpFraction = (acmMlps - (flops.dense - flops.expected)) / acmMlps;
  return flops;
}

std::string resultTable(double denseAccuracy, const AcmEvaluation &evaluation,
                        double mlpFlopsFraction, double modelFlopsFraction,
                        const ModelConfig &config) {
  const checkpoint::AcmSettings &acm = *config.adaptive.acm;
  std::string table;
  char line[256];
  std::snprintf(line, sizeof line, "%-10s %11s %10s %12s %9s\n", "model",
                "MLP compute", "MLP FLOPs", "model FLOPs", "test acc");
  table += line;
  std::snprintf(line, sizeof line, "%-10s %10.1f%% %9.1f%% %11.1f%% %8.2f%%\n",
                "dense", 100.0, 100.0, 100.0, 100.0 * denseAccuracy);
  table += line;
  std::snprintf(line, sizeof line,
                "acm %-6.2f %10.1f%% %9.1f%% %11.1f%% %8.2f%%\n", acm.budget,
                100.0 * evaluation.compute, 100.0 * mlpFlopsFraction,
                100.0 * modelFlopsFraction, 100.0 * evaluation.accuracy);
  table += line;
  table += "tokens running k learners:\n";
  std::snprintf(line, sizeof line, "%-10s", "layer");
  table += line;
  for (std::int64_t k = 1; k <= acm.learners; ++k) {
    std::snprintf(line, sizeof line, " %6s%lld",
                  "k=", static_cast<long long>(k));
    table += line;
  }
  table += "\n";
  for (std::size_t l = 0; l < evaluation.histogram.size(); ++l) {
    const std::vector<std::int64_t> &row = evaluation.histogram[l];
    double count = 0.0;
    for (std::int64_t tokens : row)
      count += double(tokens);
    std::snprintf(line, sizeof line, "%-10lld",
                  static_cast<long long>(acm.layers[l]));
    table += line;
    for (std::int64_t tokens : row) {
      std::snprintf(line, sizeof line, " %6.1f%%",
                    100.0 * double(tokens) / std::max(count, 1.0));
      table += line;
    }
    table += "\n";
  }
  return table;
}

} // namespace

int runAcmize(const ToolOptions &tool, const AcmCommandOptions &options) {
  if (tool.threads > 0)
    torch::set_num_threads(tool.threads);
  const torch::Device device = parseDevice(tool.device);
  AdaptiveTransformer dense = loadCheckpoint(options.source);
  dense->to(device);
  const ModelConfig &denseConfig = dense->config();
  const Task task = parseTask(tool.task);
  const TaskData data = loadTaskFor(tool, task, denseConfig, options.source);
  const Dataset train =
      tool.trainExamples > 0 ? data.train.head(tool.trainExamples) : data.train;
  AcmOptions acm = options.acm;
  acm.batchSize = tool.train.batchSize;
  acm.weightDecay = tool.train.weightDecay;
  acm.seed = tool.train.seed;
  // Checked before any training, so that bad options fail at once.
  acmConfig(denseConfig, acm);
  fs::create_directories(tool.out);
  std::fprintf(stderr,
               "%s: ACM of %s, %lld learners per MLP, budget %.2f; %lld "
               "training, %lld test examples; %d threads\n",
               tool.task.c_str(), options.source.c_str(),
               static_cast<long long>(acm.learners), acm.budget,
               static_cast<long long>(train.size()),
               static_cast<long long>(data.test.size()),
               torch::get_num_threads());

  const double denseAccuracy =
      evaluateAccuracy(dense, data.test, {}, tool.evalBatch, device);
  AcmizeSummary summary;
  AdaptiveTransformer model = acmize(dense, train, acm, device, summary);
  const AcmEvaluation evaluation =
      evaluateAcm(model, data.test, tool.evalBatch, device);

  ModelConfig config = model->config();
  const checkpoint::AcmSettings &settings = *config.adaptive.acm;
  const std::vector<std::int64_t> full = checkpoint::fullLengths(config);
  const AcmFlops flops = acmFlops(config, evaluation);
  config.adaptive.acm->compute = evaluation.compute;
  config.adaptive.lengthConfigs.push_back(
      {1.0, full, checkpoint::modelFlops(config, full), evaluation.accuracy});
  exportCheckpoint(model, config, tool.out);
  if (isTextTask(task))
    fs::copy_file(options.source + "/vocab.txt", tool.out + "/vocab.txt",
                  fs::copy_options::overwrite_existing);

  const std::string csv = tool.out + "/acm_histogram.csv";
  writeAcmHistogramCsv(csv, settings.layers, evaluation.histogram);
  char title[160];
  std::snprintf(title, sizeof title,
                "%s: learners per token, budget %.2f, compute %.1f%%, test "
                "accuracy %.2f%%",
                tool.task.c_str(), settings.budget, 100.0 * evaluation.compute,
                100.0 * evaluation.accuracy);
  plotAcmHistogram(csv, tool.out + "/acm_histogram.png", settings.layers.size(),
                   title);

  nlohmann::json stages = nlohmann::json::array();
  double seconds = 0.0, cpuSeconds = 0.0;
  for (const AcmStageSummary &stage : summary.stages) {
    stages.push_back({{"stage", stage.name},
                      {"steps", stage.steps},
                      {"seconds", stage.seconds},
                      {"cpu_seconds", stage.cpuSeconds},
                      {"last_epoch_loss", stage.loss}});
    seconds += stage.seconds;
    cpuSeconds += stage.cpuSeconds;
  }
  writeJson(tool.out + "/results.json",
            {{"task", tool.task},
             {"source", options.source},
             {"threads", torch::get_num_threads()},
             {"device", tool.device},
             {"acm", acm.toJson()},
             {"train_examples", train.size()},
             {"gate_threshold", summary.threshold},
             {"training", {{"seconds", seconds}, {"cpu_seconds", cpuSeconds}}},
             {"stages", stages},
             {"dense_test_accuracy", denseAccuracy},
             {"test_accuracy", evaluation.accuracy},
             {"compute", evaluation.compute},
             {"mlp_flops_fraction", flops.mlpFraction},
             {"model_flops_fraction", flops.expected / flops.dense},
             {"histogram", evaluation.histogram}});
  const std::string table =
      resultTable(denseAccuracy, evaluation, flops.mlpFraction,
                  flops.expected / flops.dense, config);
  {
    std::ofstream out(tool.out + "/results.txt");
    out << table;
    if (!out)
      throw Error(tool.out + "/results.txt: cannot write");
  }
  std::fprintf(stderr, "ACM training took %s (%s of CPU time)\n",
               ProgressBar::formatDuration(seconds).c_str(),
               ProgressBar::formatDuration(cpuSeconds).c_str());
  std::cout << table;
  std::cout << "checkpoint: " << tool.out << "/model.json, " << tool.out
            << "/model.safetensors\n";
  return 0;
}

} // namespace tailor::train
