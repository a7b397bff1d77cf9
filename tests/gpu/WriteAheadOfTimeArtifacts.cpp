//===- WriteAheadOfTimeArtifacts.cpp - The artifacts gpu-aot-test runs ----===//
//
//   gpu-write-aot-artifacts [DIR]     (default: aheadOfTimeDirectory())
//
// Writes each model's checkpoint and compiles it with tailorc compile
// --target cuda:sm_80,cuda:sm_90a --precision P into DIR/<name>.tailor.
//
//===----------------------------------------------------------------------===//

#include "AheadOfTimeModels.h"
#include "Harness.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

int main(int argc, char **argv) {
  using namespace tailor::testing;
  const std::string directory = argc > 1 ? argv[1] : aheadOfTimeDirectory();
  std::filesystem::create_directories(directory);
  std::string targets;
  for (const std::string &arch : aheadOfTimeArchs())
    targets += (targets.empty() ? "cuda:" : ",cuda:") + arch;
  for (const AheadOfTimeModel &model : aheadOfTimeModels()) {
    TempDir dir;
    const std::string checkpoint = dir.path("checkpoint");
    std::filesystem::create_directories(checkpoint);
    writeCheckpoint(model.config, randomWeights(model.config), checkpoint);
    std::string budgets;
    for (const VariantConfig &variant : model.config.variants)
      budgets += (budgets.empty() ? "" : ",") + std::to_string(variant.budget);
    const std::string command =
        std::string(TAILORC) + " compile " + checkpoint + " --budgets " +
        budgets + " --target " + targets + " --precision " + model.precision +
        " -o " + directory + "/" + model.name + ".tailor";
    std::cout << command << "\n" << std::flush;
    if (std::system(command.c_str()) != 0) {
      std::cerr << "gpu-write-aot-artifacts: error: tailorc failed on "
                << model.name << "\n";
      return 1;
    }
  }
  return 0;
}
