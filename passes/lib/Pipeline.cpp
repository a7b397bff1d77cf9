//===- Pipeline.cpp - From an imported module to one variant's plan -------===//

#include "tailor/passes/Pipeline.h"
#include "tailor/passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::tailor;

void mlir::tailor::buildVariantPipeline(OpPassManager &pm,
                                        const VariantOptions &options) {
  if (!options.skippedLayers.empty()) {
    FoldLayerConfigOptions layerOptions;
    layerOptions.skip.assign(options.skippedLayers.begin(),
                             options.skippedLayers.end());
    pm.addPass(createFoldLayerConfig(layerOptions));
  }
  FoldLengthConfigOptions lengthOptions;
  lengthOptions.budget = options.budget;
  pm.addPass(createFoldLengthConfig(lengthOptions));
  pm.addPass(createPruneHeads());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createLowerToKernels());
  // Fusions on the plan, each a step op of the artifact the runtime runs
  // as it is.
  pm.addPass(createPackQkv());
  pm.addPass(createFuseResidualAdd());
  pm.addPass(createFuseAddLayerNorm());
  if (options.activations != "f32") {
    NarrowActivationsOptions narrowOptions;
    narrowOptions.type = options.activations;
    pm.addPass(createNarrowActivations(narrowOptions));
  }
  pm.addPass(createPlanMemory());
}

namespace {

struct VariantPipelineOptions
    : public PassPipelineOptions<VariantPipelineOptions> {
  Option<double> budget{*this, "budget",
                        llvm::cl::desc("budget of the length configuration"),
                        llvm::cl::init(1.0)};
  ListOption<int64_t> skip{*this, "skip",
                           llvm::cl::desc("layers the variant skips")};
  Option<std::string> activations{
      *this, "activations",
      llvm::cl::desc("the activations' type: f32, bf16 or f16"),
      llvm::cl::init("f32")};
};

} // namespace

void mlir::tailor::registerTailorPassesAndPipeline() {
  registerTailorPasses();
  PassPipelineRegistration<VariantPipelineOptions>(
      "tailor-variant",
      "Folds one variant and lowers it to a planned sequence of kernel steps",
      [](OpPassManager &pm, const VariantPipelineOptions &options) {
        buildVariantPipeline(
            pm, {options.budget,
                 std::vector<int64_t>(options.skip.begin(), options.skip.end()),
                 options.activations});
      });
}
