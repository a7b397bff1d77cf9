//===- TailoredModelTest.cpp - Skipped layers and pruned heads, run -------===//
//
// What fold-layer-config and prune-heads compute, checked numerically: a
// model with a layer skipped computes the model without that layer, and one
// whose heads are pruned computes the full model with the pruned heads'
// output columns zeroed (nothing else reads them when no token is dropped).
//
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include "tailor/codegen/artifact/ArtifactWriter.h"
#include "tailor/importer/importer.h"
#include "tailor/ir/TailorOps.h"
#include "tailor/passes/Pipeline.h"
#include "tailor/safetensors/safetensors.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace tailor::testing {
namespace {

constexpr double tolerance = 1e-4;

ModelConfig twoLayerVit() {
  ModelConfig config;
  config.imageSize = 8;
  config.patchSize = 2;
  config.heads = 4;
  return config;
}

/// Compiles `checkpoint` in-process with the variant pipeline, after
/// `prepare` has edited the imported module.
std::string compile(const std::string &directory,
                    const mlir::tailor::VariantOptions &options,
                    const std::function<void(mlir::ModuleOp)> &prepare) {
  checkpoint::Checkpoint checkpoint = checkpoint::Checkpoint::load(directory);
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      importer::importCheckpoint(context, checkpoint);
  prepare(*module);
  mlir::PassManager pm(&context);
  mlir::tailor::buildVariantPipeline(pm, options);
  EXPECT_TRUE(mlir::succeeded(pm.run(*module)));
  std::string path = directory + "/model.tailor";
  artifact::writeArtifact(path, checkpoint, {{"b1.00", 1.0, *module}});
  return path;
}

std::string writeTestCheckpoint(const ModelConfig &config,
                                const Weights &weights, const TempDir &dir) {
  std::string directory = dir.path("checkpoint");
  std::filesystem::create_directories(directory);
  writeCheckpoint(config, weights, directory);
  return directory;
}

TEST(TailoredModel, PrunedHeadsComputeTheModelWithoutThem) {
  ModelConfig config = twoLayerVit();
  Weights weights = randomWeights(config);
  TempDir dir;
  std::string directory = writeTestCheckpoint(config, weights, dir);
  // Layer 0 keeps heads 1 and 3 of 4.
  std::string path = compile(directory, {1.0, {}}, [](mlir::ModuleOp module) {
    module.walk([](mlir::tailor::AttentionOp attention) {
      attention.setHeadMaskAttr(
          mlir::tailor::HeadMaskAttr::get(attention.getContext(), 4, {1, 3}));
      return mlir::WalkResult::interrupt();
    });
  });

  // The same model with heads 0 and 2 of layer 0 writing nothing.
  Weights zeroed = weights;
  Array &output = zeroed.at("layers.0.attention.output.weight");
  const std::int64_t hidden = config.hidden, headSize = hidden / config.heads;
  for (std::int64_t row = 0; row < hidden; ++row)
    for (std::int64_t head : {0, 2})
      for (std::int64_t column = head * headSize;
           column < (head + 1) * headSize; ++column)
        output.values[row * hidden + column] = 0;

  Model model = loadModel(path);
  for (std::int64_t batch : {1, 3}) {
    Inputs inputs = randomInputs(config, batch, 11);
    Array expected =
        referenceForward(config, zeroed, config.variants[0], inputs);
    Array actual = toArray(
        runModel(model, "b1.00", modelInputs(config, inputs)).at("logits"));
    EXPECT_LT(relativeError(actual.values, expected.values), tolerance);
    // Guards against a pruning that changes nothing.
    Array unpruned =
        referenceForward(config, weights, config.variants[0], inputs);
    EXPECT_GT(relativeError(actual.values, unpruned.values), 1e-3);
  }

  // Layer 0's packed projection (pack-qkv) stacks the pruned query, key
  // and value weights: its first rows are the query's rows [4, 8) and
  // [12, 16) of the original. Layer 1 packs the whole weights.
  safetensors::File file = safetensors::File::open(path);
  const std::string pruned = "layers.0.attention.qkv.weight@concat="
                             "layers.0.attention.query.weight@heads=1,3|"
                             "layers.0.attention.key.weight@heads=1,3|"
                             "layers.0.attention.value.weight@heads=1,3";
  const safetensors::TensorInfo &packed = file.get(pruned);
  EXPECT_EQ(packed.shape, (std::vector<std::int64_t>{3 * 8, hidden}));
  std::vector<float> values = file.toFloat32(packed);
  const Array &original = weights.at("layers.0.attention.query.weight");
  EXPECT_EQ(values[0], static_cast<float>(original.values[4 * hidden]));
  EXPECT_EQ(values[4 * hidden],
            static_cast<float>(original.values[12 * hidden]));
  EXPECT_NE(file.find("layers.1.attention.qkv.weight@concat="
                      "layers.1.attention.query.weight|"
                      "layers.1.attention.key.weight|"
                      "layers.1.attention.value.weight"),
            nullptr);
}

TEST(TailoredModel, ASkippedLayerIsTheIdentity) {
  ModelConfig config = twoLayerVit();
  config.layers = 3;
  Weights weights = randomWeights(config);
  TempDir dir;
  std::string directory = writeTestCheckpoint(config, weights, dir);
  std::string path = compile(directory, {1.0, {1}}, [](mlir::ModuleOp) {});

  // The two-layer model of layers 0 and 2.
  ModelConfig twoLayers = config;
  twoLayers.layers = 2;
  Weights kept;
  for (const auto &[name, array] : weights) {
    if (name.rfind("layers.1.", 0) == 0)
      continue;
    std::string renamed = name;
    if (name.rfind("layers.2.", 0) == 0)
      renamed.replace(0, 9, "layers.1.");
    kept[renamed] = array;
  }
  Model model = loadModel(path);
  EXPECT_EQ(model.variants()[0].lengths,
            (std::vector<std::int64_t>{17, 17, 17}));
  EXPECT_LT(model.variants()[0].flops, countFlops(config, config.variants[0]));
  Inputs inputs = randomInputs(config, 2, 5);
  Array expected =
      referenceForward(twoLayers, kept, twoLayers.variants[0], inputs);
  Array actual = toArray(
      runModel(model, "b1.00", modelInputs(config, inputs)).at("logits"));
  EXPECT_LT(relativeError(actual.values, expected.values), tolerance);
  safetensors::File file = safetensors::File::open(path);
  EXPECT_EQ(file.find("layers.1.mlp.up.weight"), nullptr);
}

} // namespace
} // namespace tailor::testing
