//===- SanitizedRun.cpp - One model on cuda:0, for compute-sanitizer ------===//
//
// Runs every variant of the tiny sequence encoder (key mask, token
// selection, pooler) at fp32 and bf16, and an ACM layer (routing, the
// compaction's shared-memory scan, gathers and scatter-adds) at fp32, on
// cuda:0 and checks them against the CPU. With --probe it only says whether
// there is a GPU ("no GPU: ..."), so the sanitizer tests can skip without one.
//
//===----------------------------------------------------------------------===//

#include "AcmLayer.h"
#include "GpuHarness.h"
#include "Models.h"

#include <cstring>
#include <iostream>

int main(int argc, char **argv) {
  using namespace tailor::testing;
  if (!noGpuReason().empty()) {
    std::cout << "no GPU: " << noGpuReason() << "\n";
    return 0;
  }
  if (argc > 1 && std::strcmp(argv[1], "--probe") == 0)
    return 0;
  try {
    const ModelConfig config = tinyModels()[2];
    Weights weights = randomWeights(config);
    TempDir dir;
    buildArtifact(config, weights).write(dir.path("model.tailor"));
    tailor::Model model = loadModel(dir.path("model.tailor"));
    HostTensors inputs = modelInputs(config, randomInputs(config, 3, 1));
    for (const VariantConfig &variant : config.variants)
      for (const char *precision : {"fp32", "bf16"}) {
        auto expected = runOn(model, variant.name, inputs, "cpu");
        auto actual = runOn(model, variant.name, inputs, "cuda:0", precision);
        double error = outputError(actual, expected);
        std::cout << variant.name << " " << precision << ": relative error "
                  << error << "\n";
        if (!(error < toleranceOf(precision) * 10))
          return 1;
      }
    std::mt19937_64 random(3);
    AcmLayer layer(random);
    layer.plan().artifact().write(dir.path("acm.tailor"));
    tailor::Model acm = loadModel(dir.path("acm.tailor"));
    HostTensors tokens; // 300 samples: a bucket of 512, three scan rounds
    tokens.addF32("u",
                  randomArray({300, AcmLayer::seq, AcmLayer::hidden}, random));
    double error = outputError(runOn(acm, "only", tokens, "cuda:0"),
                               runOn(acm, "only", tokens, "cpu"));
    std::cout << "acm fp32: relative error " << error << "\n";
    if (!(error < toleranceOf("fp32") * 10))
      return 1;
  } catch (const std::exception &error) {
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
