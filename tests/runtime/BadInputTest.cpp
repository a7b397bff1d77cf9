//===- BadInputTest.cpp - Bad inputs and requests give clear errors -------===//

#include "Harness.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor::testing {
namespace {

using ::testing::HasSubstr;

ModelConfig encoder() {
  ModelConfig config;
  config.kind = "encoder";
  config.keyMask = true;
  config.vocabSize = 30;
  config.maxPositions = 6;
  config.variants = {{"b1.00", 1.0, {}}, {"b0.50", 0.5, {4, 2}}};
  return config;
}

class BadInputTest : public ::testing::Test {
protected:
  BadInputTest() : config(encoder()) {
    buildArtifact(config, randomWeights(config)).write(dir.path("m.tailor"));
    model = loadModel(dir.path("m.tailor"));
    inputs = randomInputs(config, 2, 9);
  }

  /// The message of running `views`; fails when the run succeeds.
  std::string runError(const std::map<std::string, TensorView> &views,
                       const std::string &variant = "b1.00") {
    Result<Session> session = Session::create(*model, {"cpu", 2});
    EXPECT_TRUE(session.ok());
    std::map<std::string, Tensor> outputs;
    Result<RunStats> stats = session->run(variant, views, outputs);
    EXPECT_FALSE(stats.ok());
    return stats.ok() ? "" : stats.status().message();
  }

  std::map<std::string, TensorView> views() {
    tensors = modelInputs(config, inputs);
    return tensors.views();
  }

  ModelConfig config;
  TempDir dir;
  std::optional<Model> model;
  Inputs inputs;
  HostTensors tensors;
};

TEST_F(BadInputTest, TheValidInputsRun) {
  runModel(*model, "b0.50", modelInputs(config, inputs));
}

TEST_F(BadInputTest, WrongInputShape) {
  auto bad = views();
  bad["ids"].shape = {3, 4};
  EXPECT_THAT(runError(bad),
              HasSubstr("variant 'b1.00': input 'ids' has shape [3, 4], "
                        "expected [-1, 6] (-1: any batch size)"));
}

TEST_F(BadInputTest, WrongInputRank) {
  auto bad = views();
  bad["ids"].shape = {12};
  EXPECT_THAT(runError(bad), HasSubstr("input 'ids' has shape [12], expected "
                                       "[-1, 6]"));
}

TEST_F(BadInputTest, WrongInputDtype) {
  auto bad = views();
  bad["ids"].dtype = DType::F32;
  EXPECT_THAT(runError(bad),
              HasSubstr("input 'ids' has dtype f32, expected i32"));
}

TEST_F(BadInputTest, TokenIdOutOfRange) {
  inputs.ids[6 + 3] = 30; // sample 1, token 3
  EXPECT_THAT(runError(views()),
              HasSubstr("steps[0] (token_embeddings): token id 30 at [1, 3] "
                        "of 'ids' is out of range of the embedding table "
                        "'embeddings.word.weight' (ids 0 to 29)"));
  inputs.ids[6 + 3] = -1;
  EXPECT_THAT(runError(views()), HasSubstr("token id -1 at [1, 3]"));
}

TEST_F(BadInputTest, MissingInput) {
  auto bad = views();
  bad.erase("key_mask");
  EXPECT_THAT(runError(bad),
              HasSubstr("missing input 'key_mask' (u8 [-1, 6])"));
}

TEST_F(BadInputTest, UnknownInput) {
  auto bad = views();
  bad["images"] = bad["ids"];
  EXPECT_THAT(runError(bad), HasSubstr("unknown input 'images' (the model "
                                       "takes 'ids', 'key_mask')"));
}

TEST_F(BadInputTest, InputsOfDifferentBatchSizes) {
  auto bad = views();
  bad["key_mask"].shape = {1, 6};
  EXPECT_THAT(runError(bad), HasSubstr("input 'key_mask' has batch size 1 but "
                                       "input 'ids' has 2"));
}

TEST_F(BadInputTest, EmptyBatch) {
  auto bad = views();
  bad["ids"].shape = {0, 6};
  bad["key_mask"].shape = {0, 6};
  EXPECT_THAT(runError(bad), HasSubstr("input 'ids' has batch size 0; it must "
                                       "be at least 1"));
}

TEST_F(BadInputTest, NullData) {
  auto bad = views();
  bad["ids"].data = nullptr;
  EXPECT_THAT(runError(bad), HasSubstr("input 'ids' has no data"));
}

TEST_F(BadInputTest, UnknownVariant) {
  EXPECT_THAT(runError(views(), "b0.10"),
              HasSubstr("unknown variant 'b0.10' (the artifact has 'b1.00', "
                        "'b0.50')"));
  Result<VariantInfo> variant = model->variant("large");
  ASSERT_FALSE(variant.ok());
  EXPECT_THAT(variant.status().message(), HasSubstr("unknown variant 'large'"));
}

TEST_F(BadInputTest, BudgetBelowEveryVariant) {
  Result<VariantInfo> variant = model->variantForBudget(0.2);
  ASSERT_FALSE(variant.ok());
  EXPECT_EQ(variant.status().message(),
            "no variant fits budget 0.2: the smallest is 'b0.50' with budget "
            "0.5");
  EXPECT_FALSE(model->variantForBudget(0).ok());
  EXPECT_FALSE(model->variantForBudget(-1).ok());
  EXPECT_FALSE(model->variantForBudget(NAN).ok());
}

TEST_F(BadInputTest, FlopsBelowEveryVariant) {
  Result<VariantInfo> variant = model->variantForFlops(10);
  ASSERT_FALSE(variant.ok());
  EXPECT_THAT(variant.status().message(),
              HasSubstr("no variant fits 10 FLOPs per sample: the smallest "
                        "is 'b0.50'"));
}

TEST_F(BadInputTest, CudaDeviceInACpuBuild) {
#ifdef TAILOR_WITH_CUDA
  GTEST_SKIP() << "a CUDA build: tests/gpu checks cuda devices";
#endif
  Result<Session> session = Session::create(*model, {"cuda:0", 1});
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().message(),
            "device 'cuda:0': this runtime was built without CUDA support "
            "(available: cpu)");
}

TEST_F(BadInputTest, UnknownDeviceAndNegativeThreads) {
  Result<Session> tpu = Session::create(*model, {"tpu", 1});
  ASSERT_FALSE(tpu.ok());
  EXPECT_THAT(tpu.status().message(), HasSubstr("unknown device 'tpu'"));
  Result<Session> threads = Session::create(*model, {"cpu", -2});
  ASSERT_FALSE(threads.ok());
  EXPECT_THAT(threads.status().message(), HasSubstr("threads = -2"));
}

TEST_F(BadInputTest, TokenIndicesOutOfRangeForRestore) {
  SmallPlan plan;
  plan.input("full", "f32", {4, 2})
      .input("selected", "f32", {2, 2})
      .input("indices", "i32", {2})
      .output("y", "f32", {4, 2})
      .step(
          "restore_tokens",
          {{"full", "full"}, {"selected", "selected"}, {"indices", "indices"}},
          {{"y", "y"}});
  plan.artifact().write(dir.path("restore.tailor"));
  Model restore = loadModel(dir.path("restore.tailor"));
  HostTensors bad;
  bad.addF32("full", Array({1, 4, 2}));
  bad.addF32("selected", Array({1, 2, 2}));
  std::vector<std::int32_t> indices = {1, 4};
  bad.add("indices", DType::I32, {1, 2}, indices.data());
  Result<Session> session = Session::create(restore, {"cpu", 1});
  ASSERT_TRUE(session.ok());
  std::map<std::string, Tensor> outputs;
  Result<RunStats> stats = session->run("only", bad.views(), outputs);
  ASSERT_FALSE(stats.ok());
  EXPECT_THAT(stats.status().message(),
              HasSubstr("(restore_tokens): token index 4 at [0, 1] of "
                        "'indices' is outside the 4 tokens of 'full'"));
}

TEST_F(BadInputTest, ArenaLargerThanTheMachine) {
  // A valid plan whose arena no machine here has: refused before any
  // allocation.
  Artifact artifact = buildArtifact(config, randomWeights(config));
  artifact.manifest["variants"][0]["arena_bytes_per_sample"] = std::int64_t(1)
                                                               << 50;
  artifact.write(dir.path("huge.tailor"));
  Model huge = loadModel(dir.path("huge.tailor"));
  Result<Session> session = Session::create(huge, {"cpu", 1});
  ASSERT_TRUE(session.ok());
  std::map<std::string, Tensor> outputs;
  Result<RunStats> stats = session->run("b1.00", views(), outputs);
  ASSERT_FALSE(stats.ok());
  EXPECT_THAT(stats.status().message(),
              HasSubstr("variant 'b1.00' at batch 2 needs 2251799813685248 "
                        "bytes, more than the machine's"));
}

TEST_F(BadInputTest, ASessionRunsAgainAfterAnError) {
  Result<Session> session = Session::create(*model, {"cpu", 2});
  ASSERT_TRUE(session.ok());
  std::map<std::string, Tensor> outputs;
  auto bad = views();
  bad["ids"].dtype = DType::U8;
  EXPECT_FALSE(session->run("b1.00", bad, outputs).ok());
  EXPECT_TRUE(session->run("b1.00", views(), outputs).ok());
  EXPECT_EQ(outputs.at("logits").shape(),
            (std::vector<std::int64_t>{2, config.classes}));
}

} // namespace
} // namespace tailor::testing
