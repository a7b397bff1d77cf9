//===- bench_checkpoint.cpp - Checkpoints of the benchmark models ---------===//
//
// Writes the checkpoint of a benchmark model (BERT-base at a sequence length,
// or ViT-B/16 at 224x224) with one length configuration per budget, for
// `tailorc compile`. The weights are all zero so that the artifact compresses
// to almost nothing for the trip to the GPU machine, where
// bench-fill-weights draws real random weights into it before anything runs.
//
// Each budget's configuration keeps a fixed fraction r of the previous
// layer's tokens after every layer (what the search would pick for random
// weights); r is the largest whose FLOPs fit the budget.
//
// With --acm-learners N every layer's MLP is an ACM (adaptive.acm) of N
// learners, each intermediate / N wide, in place of the dense MLP (on the GPU
// machine bench/calibrate_acm_gates.py sets the gates' biases).
//
//===----------------------------------------------------------------------===//

#include "tailor/checkpoint/checkpoint.h"
#include "tailor/safetensors/safetensors.h"

#include <CLI/CLI.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace {

using tailor::checkpoint::ModelConfig;

ModelConfig benchModel(const std::string &name, std::int64_t sequence) {
  ModelConfig config;
  config.layers = 12;
  config.hidden = 768;
  config.heads = 12;
  config.intermediate = 3072;
  config.activation = tailor::checkpoint::Activation::Gelu;
  if (name == "bert-base") {
    config.kind = tailor::checkpoint::ModelKind::Encoder;
    config.norm = tailor::checkpoint::NormPlacement::Post;
    config.layerNormEps = 1e-12;
    config.classes = 2;
    config.vocabSize = 30522;
    config.maxPositions = sequence;
    config.typeVocabSize = 2;
    config.pooler = true;
  } else {
    config.kind = tailor::checkpoint::ModelKind::Vit;
    config.norm = tailor::checkpoint::NormPlacement::Pre;
    config.layerNormEps = 1e-6;
    config.classes = 1000;
    config.imageSize = 224;
    config.patchSize = 16;
    config.channels = 3;
  }
  return config;
}

/// Layer i keeps ceil(r^(i+1) * T) tokens, at least 1.
std::vector<std::int64_t> geometricLengths(const ModelConfig &config,
                                           double ratio) {
  const std::int64_t tokens = tailor::checkpoint::inputTokens(config);
  std::vector<std::int64_t> lengths;
  double kept = static_cast<double>(tokens);
  for (std::int64_t layer = 0; layer < config.layers; ++layer) {
    kept *= ratio;
    lengths.push_back(std::max<std::int64_t>(
        1, std::min<std::int64_t>(tokens, std::ceil(kept - 1e-9))));
  }
  return lengths;
}

/// The configuration of the largest ratio whose FLOPs fit `budget`.
tailor::checkpoint::LengthConfig configForBudget(const ModelConfig &config,
                                                 double budget) {
  const std::int64_t full = tailor::checkpoint::modelFlops(
      config, tailor::checkpoint::fullLengths(config));
  const auto limit = static_cast<std::int64_t>(budget * full);
  double low = 0.0, high = 1.0;
  for (int step = 0; step < 60; ++step) {
    double middle = (low + high) / 2;
    if (tailor::checkpoint::modelFlops(
            config, geometricLengths(config, middle)) <= limit)
      low = middle;
    else
      high = middle;
  }
  tailor::checkpoint::LengthConfig result;
  result.budget = budget;
  result.lengths = geometricLengths(config, budget >= 1.0 ? 1.0 : low);
  result.flops = tailor::checkpoint::modelFlops(config, result.lengths);
  if (result.flops > limit)
    throw std::runtime_error("no length configuration fits budget " +
                             std::to_string(budget));
  return result;
}

/// Every layer's MLP an ACM of `learners` learners, `budget` the mean
/// fraction of them per token it stands for.
tailor::checkpoint::AcmSettings
acmEverywhere(const ModelConfig &config, std::int64_t learners, double budget) {
  if (config.intermediate % learners != 0)
    throw std::runtime_error("--acm-learners " + std::to_string(learners) +
                             " does not divide the intermediate width " +
                             std::to_string(config.intermediate));
  tailor::checkpoint::AcmSettings acm;
  for (std::int64_t layer = 0; layer < config.layers; ++layer)
    acm.layers.push_back(layer);
  acm.learners = learners;
  acm.learnerWidth = config.intermediate / learners;
  acm.budget = budget;
  return acm;
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"Writes the checkpoint of a benchmark model (zero weights, "
               "one length configuration per budget)"};
  std::string directory, model = "bert-base";
  std::int64_t sequence = 128;
  std::vector<double> budgets{1.0, 0.75, 0.5, 0.25};
  std::int64_t acmLearners = 0;
  double acmBudget = 0.5;
  app.add_option("DIR", directory, "Directory to create")->required();
  app.add_option("--model", model, "bert-base or vit-b16")
      ->check(CLI::IsMember({"bert-base", "vit-b16"}))
      ->capture_default_str();
  app.add_option("--sequence", sequence, "bert-base: tokens per input")
      ->check(CLI::Range(2, 4096))
      ->capture_default_str();
  app.add_option("--budgets", budgets, "Fractions of the dense FLOPs")
      ->delimiter(',')
      ->check(CLI::Range(0.01, 1.0));
  app.add_option("--acm-learners", acmLearners,
                 "Every layer's MLP an ACM of this many learners (0: dense)")
      ->check(CLI::Range(2, 64) | CLI::IsMember({0}))
      ->capture_default_str();
  app.add_option("--acm-budget", acmBudget,
                 "The ACMs' adaptive.acm.budget (mean fraction of learners)")
      ->check(CLI::Range(0.01, 1.0))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    ModelConfig config = benchModel(model, sequence);
    if (acmLearners > 0)
      config.adaptive.acm = acmEverywhere(config, acmLearners, acmBudget);
    for (double budget : budgets)
      config.adaptive.lengthConfigs.push_back(configForBudget(config, budget));
    tailor::checkpoint::validate(config, "bench-checkpoint");

    std::filesystem::create_directories(directory);
    tailor::safetensors::Writer writer;
    for (const auto &tensor : tailor::checkpoint::expectedTensors(config)) {
      std::int64_t elements = 1;
      for (std::int64_t size : tensor.shape)
        elements *= size;
      writer.addFloat32(tensor.name, tensor.shape,
                        std::vector<float>(elements, 0.0f));
    }
    writer.write(directory + "/model.safetensors");
    std::ofstream(directory + "/model.json")
        << tailor::checkpoint::toJson(config).dump(2) << "\n";
    for (const auto &entry : config.adaptive.lengthConfigs) {
      std::cout << model << " budget " << entry.budget << ": "
                << static_cast<double>(entry.flops) /
                       tailor::checkpoint::modelFlops(
                           config, tailor::checkpoint::fullLengths(config))
                << " of the dense FLOPs, lengths";
      for (std::int64_t length : entry.lengths)
        std::cout << " " << length;
      std::cout << "\n";
    }
  } catch (const std::exception &error) {
    std::cerr << "bench-checkpoint: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
