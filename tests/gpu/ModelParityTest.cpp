//===- ModelParityTest.cpp - Whole models: CUDA against the CPU -----------===//
//
// Every variant of every model (SSA sparse and ensemble models too), on
// cuda:0 at each precision, against the CPU backend in fp32 on the same random
// inputs; the errors are printed so the log holds the figures. Whole models may
// err more than one op: fp32 1e-4, tf32 2e-3 (12 layers of tf32 GEMMs
// measured 1.25e-3 on the BERT-base shape), bf16 and fp16 1e-2
// (docs/kernels.md).
//
//===----------------------------------------------------------------------===//

#include "GpuHarness.h"
#include "Models.h"

#include <iostream>

namespace tailor::testing {
namespace {

double modelTolerance(const std::string &precision) {
  if (precision == "fp32")
    return 1e-4;
  return precision == "tf32" ? 2e-3 : toleranceOf(precision);
}

class ModelParity : public ::testing::Test {
protected:
  void SetUp() override { TAILOR_REQUIRE_GPU(); }

  void expectParity(const ModelConfig &config, const std::string &label,
                    const std::vector<std::int64_t> &batches) {
    Weights weights = randomWeights(config);
    buildArtifact(config, weights).write(dir.path("model.tailor"));
    Model model = loadModel(dir.path("model.tailor"));
    for (std::int64_t batch : batches) {
      HostTensors inputs = modelInputs(config, randomInputs(config, batch, 7));
      for (const VariantConfig &variant : config.variants) {
        auto expected = runOn(model, variant.name, inputs, "cpu");
        for (const std::string &precision : cudaPrecisions()) {
          auto actual = runOn(model, variant.name, inputs, "cuda:0", precision);
          double error = outputError(actual, expected);
          std::cout << "parity " << label << " " << variant.name << " batch "
                    << batch << " " << precision << ": relative error " << error
                    << "\n";
          EXPECT_LT(error, modelTolerance(precision))
              << label << " " << variant.name << " batch " << batch << " "
              << precision;
        }
      }
    }
  }

  TempDir dir;
};

TEST_F(ModelParity, TinyModelsEveryVariant) {
  int index = 0;
  for (const ModelConfig &config : tinyModels())
    expectParity(
        config, config.kind + "-" + config.task + "-" + std::to_string(index++),
        {1, 5});
}

// Block-sparse attention (blocks that cut the kernels' key tiles and
// blocks of whole tiles) and ensembles averaged by ensemble_mean.
TEST_F(ModelParity, SsaSparseAndEnsembleModels) {
  for (const ModelConfig &config : ssaModels())
    expectParity(config,
                 "ssa-" +
                     std::string(checkpoint::toString(config.ssa->inference)) +
                     "-" + std::to_string(config.tokens()) + "-block" +
                     std::to_string(config.ssa->block),
                 {1, 5});
}

TEST_F(ModelParity, BertBaseShapedEveryVariant) {
  expectParity(bertBaseShaped(), "bert-base", {8});
}

// A session replays its captured graphs: runs alternating batch sizes and
// variants, each compared with the CPU, catch a graph or arena reused
// wrongly.
TEST_F(ModelParity, GraphReplayAcrossBatchesAndVariants) {
  const ModelConfig config = tinyModels()[2];
  Weights weights = randomWeights(config);
  buildArtifact(config, weights).write(dir.path("model.tailor"));
  Model model = loadModel(dir.path("model.tailor"));
  Result<Session> session = Session::create(model, {"cuda:0", 1});
  ASSERT_TRUE(session.ok()) << session.status().message();
  std::uint64_t seed = 1;
  for (std::int64_t batch : {3, 1, 3, 6, 1})
    for (const VariantConfig &variant : config.variants) {
      HostTensors inputs =
          modelInputs(config, randomInputs(config, batch, seed++));
      auto expected = runOn(model, variant.name, inputs, "cpu");
      std::map<std::string, Tensor> actual;
      Result<RunStats> stats =
          session->run(variant.name, inputs.views(), actual);
      ASSERT_TRUE(stats.ok()) << stats.status().message();
      EXPECT_EQ(stats->batch, batch);
      EXPECT_LT(outputError(actual, expected), 1e-4)
          << variant.name << " batch " << batch;
    }
}

} // namespace
} // namespace tailor::testing
