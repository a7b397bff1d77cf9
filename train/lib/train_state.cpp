//===- train_state.cpp - Resumable training state -------------------------===//

#include "tailor/train/train_state.h"
#include "tailor/train/error.h"

#include <filesystem>
#include <fstream>

namespace tailor::train {

namespace fs = std::filesystem;

namespace {
/// The first key (a JSON pointer) where `a` and `b` differ.
std::string firstDifference(const nlohmann::json &a, const nlohmann::json &b) {
  nlohmann::json patch = nlohmann::json::diff(a, b);
  return patch.empty() ? std::string() : patch[0].value("path", "/");
}
} // namespace

void saveTrainState(const std::string &dir, AdaptiveTransformer &model,
                    torch::optim::Optimizer &optimizer, std::int64_t step,
                    const nlohmann::json &settings) {
  fs::create_directories(dir);
  torch::save(model, dir + "/model.pt.tmp");
  torch::save(optimizer, dir + "/optimizer.pt.tmp");
  {
    std::ofstream out(dir + "/state.json.tmp");
    out << nlohmann::json{{"step", step}, {"settings", settings}}.dump(2)
        << '\n';
    if (!out)
      throw Error(dir + "/state.json: cannot write");
  }
  // state.json names the step the two .pt files hold: it moves last.
  fs::rename(dir + "/model.pt.tmp", dir + "/model.pt");
  fs::rename(dir + "/optimizer.pt.tmp", dir + "/optimizer.pt");
  fs::rename(dir + "/state.json.tmp", dir + "/state.json");
}

std::optional<std::int64_t> loadTrainState(const std::string &dir,
                                           AdaptiveTransformer &model,
                                           torch::optim::Optimizer &optimizer,
                                           const nlohmann::json &settings) {
  std::string statePath = dir + "/state.json";
  if (!fs::exists(statePath))
    return std::nullopt;
  nlohmann::json state;
  try {
    std::ifstream in(statePath);
    state = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception &e) {
    throw Error(statePath + ": " + e.what());
  }
  if (!state.contains("step") || !state["step"].is_number_integer() ||
      !state.contains("settings"))
    throw Error(statePath + ": needs an integer \"step\" and \"settings\"");
  if (state["settings"] != settings)
    throw Error(statePath +
                ": the saved run used other settings (first "
                "difference at " +
                firstDifference(state["settings"], settings) +
                "); use another output directory or --fresh");
  try {
    torch::Device device = model->parameters().front().device();
    torch::load(model, dir + "/model.pt", device);
    torch::load(optimizer, dir + "/optimizer.pt", device);
  } catch (const c10::Error &e) {
    throw Error(dir + ": cannot load the saved model or optimizer: " +
                e.what_without_backtrace());
  }
  return state["step"].get<std::int64_t>();
}

} // namespace tailor::train
