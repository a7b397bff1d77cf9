//===- write_test_checkpoint.cpp - Checkpoints for the lit tests ----------===//
//
// Writes a checkpoint directory of one of the odd-sized test models of
// tailor/testing/checkpoint_files.h (3 layers, 6 heads, hidden 96,
// intermediate 200), with random weights, as the trainer or Hugging Face
// would, so that lit tests can import it with tailorc.
//
//===----------------------------------------------------------------------===//

#include "tailor/testing/checkpoint_files.h"

#include "tailor/checkpoint/checkpoint.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <sstream>

namespace {

using tailor::checkpoint::LengthConfig;
using tailor::checkpoint::ModelConfig;

/// "0.5:10,6,4" -> budget 0.5, lengths [10, 6, 4].
LengthConfig parseLengthConfig(const std::string &text) {
  LengthConfig config;
  std::size_t colon = text.find(':');
  if (colon == std::string::npos)
    throw std::invalid_argument("--length-config '" + text +
                                "': expected BUDGET:L0,L1,...");
  config.budget = std::stod(text.substr(0, colon));
  std::stringstream lengths(text.substr(colon + 1));
  for (std::string length; std::getline(lengths, length, ',');)
    config.lengths.push_back(std::stoll(length));
  config.accuracy = 0.5;
  return config;
}

/// "0,2:4" -> the MLPs of layers 0 and 2 are ACMs of 4 learners.
tailor::checkpoint::AcmSettings parseAcm(const std::string &text,
                                         std::int64_t intermediate) {
  std::size_t colon = text.find(':');
  if (colon == std::string::npos)
    throw std::invalid_argument("--acm '" + text +
                                "': expected LAYER,LAYER,...:LEARNERS");
  tailor::checkpoint::AcmSettings acm;
  std::stringstream layers(text.substr(0, colon));
  for (std::string layer; std::getline(layers, layer, ',');)
    acm.layers.push_back(std::stoll(layer));
  acm.learners = std::stoll(text.substr(colon + 1));
  acm.learnerWidth = intermediate / acm.learners;
  acm.budget = 0.5;
  return acm;
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"Writes a small checkpoint with random weights for tests"};
  std::string directory, model = "odd-vit", format = "tailor", task;
  std::vector<std::string> lengthConfigs;
  std::string acm;
  app.add_option("DIR", directory, "Directory to create")->required();
  app.add_option("--model", model, "odd-vit or odd-encoder")
      ->check(CLI::IsMember({"odd-vit", "odd-encoder"}));
  app.add_option("--format", format, "tailor or huggingface")
      ->check(CLI::IsMember({"tailor", "huggingface"}));
  app.add_option("--task", task,
                 "sequence or token (Tailor format only; a token-task encoder "
                 "has no pooler)")
      ->check(CLI::IsMember({"sequence", "token"}));
  app.add_option("--length-config", lengthConfigs,
                 "BUDGET:L0,L1,... searched configuration (Tailor format)");
  app.add_option("--acm", acm,
                 "LAYER,LAYER,...:LEARNERS: those layers' MLPs are ACMs "
                 "(learners of intermediate / LEARNERS units; Tailor format)");
  CLI11_PARSE(app, argc, argv);

  try {
    ModelConfig config = model == "odd-vit"
                             ? tailor::testing::oddVitConfig()
                             : tailor::testing::oddEncoderConfig();
    if (task == "token") {
      config.task = tailor::checkpoint::TaskKind::Token;
      config.pooler = false; // a pooler pools CLS; token tasks pool nothing
    }
    for (const std::string &text : lengthConfigs)
      config.adaptive.lengthConfigs.push_back(parseLengthConfig(text));
    if (!acm.empty()) {
      config.intermediate = 192; // divisible by the learner counts tests use
      config.adaptive.acm = parseAcm(acm, config.intermediate);
    }
    tailor::checkpoint::validate(config, "write-test-checkpoint");
    std::filesystem::create_directories(directory);
    auto weights = tailor::testing::randomWeights(config, 7);
    if (format == "tailor")
      tailor::testing::writeTailorCheckpoint(directory, config, weights);
    else
      tailor::testing::writeHuggingFaceCheckpoint(directory, config, weights);
  } catch (const std::exception &error) {
    std::cerr << "write-test-checkpoint: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
