//===- tailor_train.cpp - Train, search and export an adaptive model ------===//
//
// tailor-train: loads a task's data, trains a length-adaptive model with
// LengthDrop (resuming from OUT/state when it can), searches the length
// configuration for each FLOPs budget, reports test accuracy, and writes the
// checkpoint, the search's CSVs and plot, and results.json.
//
//===----------------------------------------------------------------------===//

#include "acmize_command.h"
#include "options.h"
#include "tool_support.h"

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
namespace {

namespace fs = std::filesystem;
using checkpoint::ModelConfig;

template <typename Enum>
Enum parseName(const std::string &text, std::initializer_list<Enum> values,
               const std::string &option) {
  std::string names;
  for (Enum value : values) {
    if (checkpoint::toString(value) == text)
      return value;
    names +=
        (names.empty() ? "" : ", ") + std::string(checkpoint::toString(value));
  }
  throw Error(option + " '" + text + "': expected one of " + names);
}

ModelConfig modelConfig(const ToolOptions &options, Task task,
                        const TaskData &data) {
  ModelConfig config;
  config.kind = isTextTask(task) ? checkpoint::ModelKind::Encoder
                                 : checkpoint::ModelKind::Vit;
  config.layers = options.model.layers;
  config.hidden = options.model.hidden;
  config.heads = options.model.heads;
  config.intermediate = options.model.intermediate;
  config.norm = parseName(
      options.model.norm,
      {checkpoint::NormPlacement::Pre, checkpoint::NormPlacement::Post},
      "--norm");
  config.activation =
      parseName(options.model.activation,
                {checkpoint::Activation::Gelu, checkpoint::Activation::GeluTanh,
                 checkpoint::Activation::Relu},
                "--activation");
  config.layerNormEps = checkpoint::defaultLayerNormEps(config.norm);
  config.classes = taskClasses(task);
  config.task = isTokenTask(task) ? checkpoint::TaskKind::Token
                                  : checkpoint::TaskKind::Sequence;
  if (config.kind == checkpoint::ModelKind::Encoder) {
    config.vocabSize = data.vocabulary->size();
    config.maxPositions = options.data.maxLength;
  } else {
    config.imageSize = data.train.inputs.size(-1);
    config.channels = data.train.inputs.size(1);
    config.patchSize = options.data.patchSize;
  }
  checkpoint::validate(config, "model options");
  return config;
}

/// The text tasks' vocabulary is saved beside the model: a resumed run and
/// anyone feeding the model text need the same ids.
std::optional<Vocabulary> savedVocabulary(const std::string &path) {
  if (!fs::exists(path))
    return std::nullopt;
  return Vocabulary::load(path);
}

struct SearchOutcome {
  SearchResult result;
  std::vector<ResultRow> rows;
};

SearchOutcome searchAndEvaluate(const ToolOptions &options,
                                AdaptiveTransformer &model,
                                const ModelConfig &config, const TaskData &data,
                                const torch::Device &device) {
  auto testAccuracy = [&](const Lengths &lengths) {
    return evaluateAccuracy(model, data.test, RunConfig{lengths, {}},
                            options.evalBatch, device);
  };
  auto flops = [&](const Lengths &lengths) {
    return checkpoint::modelFlops(config, lengths);
  };
  const Lengths full = checkpoint::fullLengths(config);
  SearchOutcome outcome;
  outcome.result.fullFlops = flops(full);

  if (!options.noSearch) {
    Dataset searchSet = options.searchExamples > 0
                            ? data.validation.head(options.searchExamples)
                            : data.validation;
    SearchOptions search = options.search;
    search.seed = options.train.seed;
    search.lengthDrop =
        options.searchLengthDrop >= 0.0  ? options.searchLengthDrop
        : options.train.lengthDrop > 0.0 ? options.train.lengthDrop
                                         : 0.3;
    std::optional<ProgressBar> bar;
    auto progress = [&](std::int64_t done, std::int64_t total,
                        const Candidate &latest) {
      if (!bar)
        bar.emplace("search", total);
      char status[128];
      std::snprintf(
          status, sizeof status, "%s: %.2f%% at %.0f%% FLOPs",
          formatLengths(latest.lengths).c_str(), 100.0 * latest.accuracy,
          100.0 * double(latest.flops) / double(outcome.result.fullFlops));
      bar->update(done, status);
    };
    auto fitness = [&](const Lengths &lengths) {
      return evaluateAccuracy(model, searchSet, RunConfig{lengths, {}},
                              options.evalBatch, device);
    };
    outcome.result = searchLengths(LengthSpace::of(config), fitness, flops,
                                   search, progress);
    if (bar)
      bar->finish("done: " + std::to_string(outcome.result.evaluated.size()) +
                  " configurations on " + std::to_string(searchSet.size()) +
                  " validation examples");
  }

  std::optional<double> fullValidation;
  for (const Candidate &candidate : outcome.result.evaluated)
    if (candidate.lengths == full)
      fullValidation = candidate.accuracy;
  outcome.rows.push_back({"full", full, outcome.result.fullFlops,
                          fullValidation, testAccuracy(full)});
  for (const BudgetChoice &choice : outcome.result.choices) {
    char name[32];
    std::snprintf(name, sizeof name, "budget %.2f", choice.budget);
    outcome.rows.push_back({name, choice.best.lengths, choice.best.flops,
                            choice.best.accuracy,
                            testAccuracy(choice.best.lengths)});
  }
  for (const std::string &text : options.evalLengths) {
    Lengths lengths = parseLengths(text);
    outcome.rows.push_back({"given", lengths, flops(lengths), std::nullopt,
                            testAccuracy(lengths)});
  }
  return outcome;
}

/// The training options with --ssa-* folded in.
TrainOptions trainOptions(const ToolOptions &options) {
  TrainOptions train = options.train;
  if (options.ssaKeep > 0.0) {
    checkpoint::SsaSettings ssa;
    ssa.block = options.ssaBlock;
    ssa.keep = options.ssaKeep;
    ssa.locality = options.ssaLocality;
    train.ssa = ssa;
  }
  return train;
}

checkpoint::SsaInference ssaInference(const ToolOptions &options) {
  return parseName(options.ssaInference,
                   {checkpoint::SsaInference::Dense,
                    checkpoint::SsaInference::Sparse,
                    checkpoint::SsaInference::Ensemble},
                   "--ssa-inference");
}

/// The inference patterns of an SSA model: the ensemble's, the first of
/// them being the sparse model's; drawn from the seed, so a rerun exports
/// the same.
std::vector<std::vector<SsaPattern>>
ssaInferencePatterns(const ToolOptions &options, const ModelConfig &config) {
  const TrainOptions train = trainOptions(options);
  if (!train.ssa)
    return {};
  ssaInference(options);
  if (options.ssaEnsemble < 2 || options.ssaEnsemble > 8)
    throw Error("--ssa-ensemble must be in [2, 8], got " +
                std::to_string(options.ssaEnsemble));
  std::mt19937_64 rng(options.train.seed ^ 0x55aULL);
  std::vector<std::vector<SsaPattern>> patterns;
  for (std::int64_t i = 0; i < options.ssaEnsemble; ++i)
    patterns.push_back(sampleSsaLayers(*train.ssa, config.layers,
                                       checkpoint::inputTokens(config), rng));
  return patterns;
}

/// Test accuracy of the SSA model run sparse (the first pattern) and as
/// the ensemble of every pattern.
void evaluateSsa(const ToolOptions &options, AdaptiveTransformer &model,
                 const TaskData &data, const torch::Device &device,
                 const std::vector<std::vector<SsaPattern>> &patterns,
                 SearchOutcome &outcome) {
  if (patterns.empty())
    return;
  std::vector<RunConfig> members;
  for (const std::vector<SsaPattern> &layers : patterns)
    members.push_back(RunConfig{{}, {}, layers});
  const ResultRow &full = outcome.rows.front();
  outcome.rows.push_back({"ssa sparse", full.lengths, full.flops, std::nullopt,
                          evaluateAccuracy(model, data.test, members.front(),
                                           options.evalBatch, device)});
  outcome.rows.push_back({"ssa ensemble " + std::to_string(members.size()),
                          full.lengths, full.flops, std::nullopt,
                          evaluateEnsembleAccuracy(model, data.test, members,
                                                   options.evalBatch, device)});
}

/// model.json's adaptive.ssa: the training settings, the inference mode
/// and its patterns.
checkpoint::SsaSettings
ssaSection(const ToolOptions &options,
           const std::vector<std::vector<SsaPattern>> &patterns) {
  checkpoint::SsaSettings ssa = *trainOptions(options).ssa;
  ssa.inference = ssaInference(options);
  const std::size_t count = ssa.inference == checkpoint::SsaInference::Dense ? 0
                            : ssa.inference == checkpoint::SsaInference::Sparse
                                ? 1
                                : patterns.size();
  for (std::size_t i = 0; i < count; ++i) {
    checkpoint::SsaPattern &exported = ssa.patterns.emplace_back();
    for (const SsaPattern &layer : patterns[i])
      exported.masks.push_back(layer.mask());
  }
  return ssa;
}

/// model.json's adaptive section: how the model was trained and what the
/// search chose (test accuracy per budget, validation accuracy on the
/// front).
checkpoint::AdaptiveConfig adaptiveSection(const ToolOptions &options,
                                           const ModelConfig &config,
                                           const SearchOutcome &outcome) {
  checkpoint::AdaptiveConfig adaptive;
  const TrainOptions &train = options.train;
  if (train.lengthDrop > 0.0 || train.layerDrop > 0.0)
    adaptive.lengthDrop = checkpoint::LengthDropSettings{
        train.lengthDrop, train.layerDrop,
        train.lengthDrop > 0.0 ? train.sandwichRandom : 0};
  adaptive.dropAndRestore = checkpoint::restoresBeforeLastLayer(config);
  const ResultRow &full = outcome.rows.front();
  adaptive.lengthConfigs.push_back(
      {1.0, full.lengths, full.flops, full.testAccuracy});
  for (std::size_t i = 0; i < outcome.result.choices.size(); ++i) {
    const ResultRow &row = outcome.rows[i + 1];
    if (outcome.result.choices[i].budget < 1.0)
      adaptive.lengthConfigs.push_back({outcome.result.choices[i].budget,
                                        row.lengths, row.flops,
                                        row.testAccuracy});
  }
  for (const Candidate &point : outcome.result.pareto)
    adaptive.pareto.push_back({point.lengths, point.flops, point.accuracy});
  return adaptive;
}

nlohmann::json resultsJson(const ToolOptions &options,
                           const TrainSummary &summary,
                           const SearchOutcome &outcome) {
  nlohmann::json rows = nlohmann::json::array();
  for (const ResultRow &row : outcome.rows) {
    nlohmann::json entry = {
        {"config", row.name},
        {"lengths", row.lengths},
        {"flops", row.flops},
        {"flops_fraction",
         double(row.flops) / double(outcome.result.fullFlops)},
        {"test_accuracy", row.testAccuracy}};
    if (row.validationAccuracy)
      entry["validation_accuracy"] = *row.validationAccuracy;
    rows.push_back(entry);
  }
  return {{"task", options.task},
          {"threads", torch::get_num_threads()},
          {"device", options.device},
          {"training_this_run",
           {{"steps", summary.steps},
            {"examples", summary.examples},
            {"seconds", summary.seconds},
            {"cpu_seconds", summary.cpuSeconds},
            {"examples_per_second",
             summary.seconds > 0 ? double(summary.examples) / summary.seconds
                                 : 0.0}}},
          {"results", rows}};
}

int run(const ToolOptions &options) {
  torch::manual_seed(options.train.seed);
  if (options.threads > 0)
    torch::set_num_threads(options.threads);
  const torch::Device device = parseDevice(options.device);
  const Task task = parseTask(options.task);
  const std::string stateDir = options.out + "/state";
  const std::string vocabularyPath = options.out + "/vocab.txt";
  if (options.fresh) {
    fs::remove_all(stateDir);
    fs::remove(vocabularyPath);
  }
  fs::create_directories(options.out);

  TaskData data = loadTask(task, options.data, savedVocabulary(vocabularyPath));
  if (data.vocabulary)
    data.vocabulary->save(vocabularyPath);
  const ModelConfig config = modelConfig(options, task, data);
  // Checked before training, so that a bad --ssa-* fails at once.
  const std::vector<std::vector<SsaPattern>> ssaPatterns =
      ssaInferencePatterns(options, config);
  AdaptiveTransformer model(config);
  model->to(device);
  const Dataset train = options.trainExamples > 0
                            ? data.train.head(options.trainExamples)
                            : data.train;
  std::fprintf(stderr,
               "%s: %lld training, %lld validation, %lld test examples; "
               "%lld tokens per input; %lld parameters; %d threads\n",
               options.task.c_str(), static_cast<long long>(train.size()),
               static_cast<long long>(data.validation.size()),
               static_cast<long long>(data.test.size()),
               static_cast<long long>(checkpoint::inputTokens(config)),
               static_cast<long long>([&] {
                 std::int64_t count = 0;
                 for (const auto &parameter : model->parameters())
                   count += parameter.numel();
                 return count;
               }()),
               torch::get_num_threads());

  // A saved state is resumed only when everything that shapes the training
  // is the same.
  nlohmann::json settings = {
      {"task", options.task},
      {"model", checkpoint::toJson(config)},
      {"train", trainOptions(options).toJson()},
      {"train_examples", train.size()},
      {"foreground_threshold", options.data.foregroundThreshold}};
  TrainSummary summary = trainModel(model, train, trainOptions(options), device,
                                    stateDir, settings);
  if (summary.steps > 0)
    std::fprintf(stderr,
                 "trained %lld steps in %s (%.0f examples/s; %s of CPU "
                 "time, %.0f examples per CPU second)\n",
                 static_cast<long long>(summary.steps),
                 ProgressBar::formatDuration(summary.seconds).c_str(),
                 double(summary.examples) / summary.seconds,
                 ProgressBar::formatDuration(summary.cpuSeconds).c_str(),
                 double(summary.examples) / summary.cpuSeconds);

  if (summary.step < summary.totalSteps) {
    std::fprintf(stderr,
                 "stopped at step %lld of %lld; run the same command again "
                 "to resume\n",
                 static_cast<long long>(summary.step),
                 static_cast<long long>(summary.totalSteps));
    return 0;
  }

  SearchOutcome outcome =
      searchAndEvaluate(options, model, config, data, device);
  evaluateSsa(options, model, data, device, ssaPatterns, outcome);

  ModelConfig exported = config;
  exported.adaptive = adaptiveSection(options, config, outcome);
  if (!ssaPatterns.empty())
    exported.adaptive.ssa = ssaSection(options, ssaPatterns);
  exportCheckpoint(model, exported, options.out);
  writeJson(options.out + "/results.json",
            resultsJson(options, summary, outcome));
  if (!options.noSearch) {
    const std::string searchCsv = options.out + "/search.csv";
    const std::string paretoCsv = options.out + "/pareto.csv";
    writeCandidatesCsv(searchCsv, outcome.result.evaluated,
                       outcome.result.fullFlops);
    writeCandidatesCsv(paretoCsv, outcome.result.pareto,
                       outcome.result.fullFlops);
    plotPareto(searchCsv, paretoCsv, options.out + "/pareto.png",
               options.task + ": accuracy against FLOPs");
  }
  const std::string table =
      formatResultTable(outcome.rows, outcome.result.fullFlops);
  {
    std::ofstream out(options.out + "/results.txt");
    out << table;
    if (!out)
      throw Error(options.out + "/results.txt: cannot write");
  }
  std::cout << table;
  std::cout << "checkpoint: " << options.out << "/model.json, " << options.out
            << "/model.safetensors\n";
  return 0;
}

} // namespace
} // namespace tailor::train

int main(int argc, char **argv) {
  tailor::train::ToolOptions options;
  CLI::App app{"tailor-train: trains a length-adaptive transformer "
               "(LengthDrop, LayerDrop, Drop-and-Restore), searches the "
               "length configuration for each FLOPs budget and exports the "
               "checkpoint (docs/checkpoint-format.md); with --acmize, turns "
               "a trained model's MLPs into Adaptive Computation Modules."};
  tailor::train::addOptions(app, options);
  tailor::train::AcmCommandOptions acm;
  tailor::train::addAcmOptions(app, acm);
  CLI11_PARSE(app, argc, argv);
  try {
    if (!acm.source.empty())
      return tailor::train::runAcmize(options, acm);
    return tailor::train::run(options);
  } catch (const std::exception &error) {
    std::cerr << "tailor-train: error: " << error.what() << '\n';
    return 1;
  }
}
