//===- ModelTest.cpp - Whole tiny models against the reference ------------===//

#include "Harness.h"

#include <gtest/gtest.h>

namespace tailor::testing {

/// Names a model in test output instead of dumping its bytes (found by
/// argument-dependent lookup, so outside the anonymous namespace).
void PrintTo(const ModelConfig &config, std::ostream *out) {
  *out << config.kind << " (" << config.task << ", " << config.norm << "-norm, "
       << config.variants.size() << " variants)";
}

namespace {

constexpr double tolerance = 1e-5;

ModelConfig tinyVit() {
  ModelConfig config = tinyVitModel();
  config.inputNormalization = {{0.2860, 0.3530}};
  config.variants = {
      {"b1.00", 1.0, {}}, {"b0.50", 0.5, {12, 6}}, {"b0.25", 0.25, {8, 3}}};
  return config;
}

/// Post-norm, token labels: dropped tokens are restored before the
/// classifier.
ModelConfig tinyTokenEncoder() {
  ModelConfig config = tinyTokenEncoderModel();
  config.variants = {{"b1.00", 1.0, {}}, {"b0.60", 0.6, {7, 10}}};
  return config;
}

/// Three layers: two selections, restored innermost first before the last.
ModelConfig tinyTokenEncoderOfThreeLayers() {
  ModelConfig config = tinyTokenEncoder();
  config.layers = 3;
  config.variants = {{"b1.00", 1.0, {}}, {"b0.60", 0.6, {7, 4, 10}}};
  return config;
}

/// BERT-like: pooler, token types, padding masked in the first layer.
ModelConfig tinySequenceEncoder() {
  ModelConfig config = tinySequenceEncoderModel();
  config.variants = {{"b1.00", 1.0, {}}, {"b0.50", 0.5, {9, 5}}};
  return config;
}

class TinyModelTest : public ::testing::TestWithParam<ModelConfig> {};

TEST_P(TinyModelTest, EveryVariantMatchesTheReference) {
  const ModelConfig config = GetParam();
  Weights weights = randomWeights(config);
  TempDir dir;
  buildArtifact(config, weights).write(dir.path("model.tailor"));
  Model model = loadModel(dir.path("model.tailor"));
  ASSERT_EQ(model.variants().size(), config.variants.size());
  for (std::int64_t batch : {1, 5}) {
    Inputs inputs = randomInputs(config, batch, 100 + batch);
    for (const VariantConfig &variant : config.variants) {
      Array expected = referenceForward(config, weights, variant, inputs);
      for (int threads : {1, 3}) {
        Array actual = toArray(
            runModel(model, variant.name, modelInputs(config, inputs), threads)
                .at("logits"));
        EXPECT_EQ(actual.shape, expected.shape);
        EXPECT_LT(relativeError(actual.values, expected.values), tolerance)
            << variant.name << ", batch " << batch << ", " << threads
            << " threads";
      }
    }
  }
}

std::string modelName(const ::testing::TestParamInfo<ModelConfig> &info) {
  const char *names[] = {"Vit",
                         "TokenEncoder",
                         "TokenEncoderOfThreeLayers",
                         "SequenceEncoder",
                         "SsaSparseVit",
                         "SsaEnsembleVit",
                         "SsaEnsembleSequenceEncoder"};
  return names[info.index];
}

using checkpoint::SsaInference;

INSTANTIATE_TEST_SUITE_P(
    Models, TinyModelTest,
    ::testing::Values(tinyVit(), tinyTokenEncoder(),
                      tinyTokenEncoderOfThreeLayers(), tinySequenceEncoder(),
                      withSsa(tinyVit(), SsaInference::Sparse, 1, 4),
                      withSsa(tinyVit(), SsaInference::Ensemble, 3, 4),
                      withSsa(tinySequenceEncoder(), SsaInference::Ensemble, 2,
                              4)),
    modelName);

TEST(TinyModel, SsaPatternsChangeTheLogits) {
  // Guards the SSA models above against plans that ignore the patterns.
  for (auto [inference, patterns] :
       {std::pair{SsaInference::Sparse, 1}, {SsaInference::Ensemble, 3}}) {
    ModelConfig config = withSsa(tinyVit(), inference, patterns, 4);
    Weights weights = randomWeights(config);
    TempDir dir;
    buildArtifact(config, weights).write(dir.path("model.tailor"));
    Model model = loadModel(dir.path("model.tailor"));
    Inputs inputs = randomInputs(config, 2, 3);
    Array ssa = toArray(
        runModel(model, "b1.00", modelInputs(config, inputs)).at("logits"));
    ModelConfig dense = config;
    dense.ssa.reset();
    Array expected =
        referenceForward(dense, weights, dense.variants.front(), inputs);
    EXPECT_EQ(ssa.shape, expected.shape);
    EXPECT_GT(relativeError(ssa.values, expected.values), 1e-3);
  }
}

TEST(TinyModel, DroppingTokensChangesTheLogitsButKeepsTheirShape) {
  // Guards the test above against variants that silently run the same plan.
  ModelConfig config = tinyTokenEncoder();
  Weights weights = randomWeights(config);
  TempDir dir;
  buildArtifact(config, weights).write(dir.path("model.tailor"));
  Model model = loadModel(dir.path("model.tailor"));
  Inputs inputs = randomInputs(config, 2, 3);
  Array full = toArray(
      runModel(model, "b1.00", modelInputs(config, inputs)).at("logits"));
  Array dropped = toArray(
      runModel(model, "b0.60", modelInputs(config, inputs)).at("logits"));
  EXPECT_EQ(full.shape, (std::vector<std::int64_t>{2, 10, config.classes}));
  EXPECT_EQ(full.shape, dropped.shape);
  EXPECT_GT(relativeError(dropped.values, full.values), 1e-3);
}

TEST(TinyModel, ModelDescribesItsVariants) {
  ModelConfig config = tinyVit();
  TempDir dir;
  Artifact artifact = buildArtifact(config, randomWeights(config));
  artifact.write(dir.path("model.tailor"));
  Model model = loadModel(dir.path("model.tailor"));
  EXPECT_EQ(model.info().kind, "vit");
  EXPECT_EQ(model.info().classes, config.classes);
  ASSERT_TRUE(model.info().inputNormalization.has_value());
  EXPECT_DOUBLE_EQ(model.info().inputNormalization->std, 0.3530);
  ASSERT_EQ(model.inputs().size(), 1u);
  EXPECT_EQ(model.inputs()[0].shape, (std::vector<std::int64_t>{-1, 1, 8, 8}));
  for (std::size_t i = 0; i < config.variants.size(); ++i) {
    const VariantInfo &info = model.variants()[i];
    EXPECT_EQ(info.name, config.variants[i].name);
    EXPECT_EQ(info.budget, config.variants[i].budget);
    EXPECT_EQ(info.flops, countFlops(config, config.variants[i]));
    EXPECT_EQ(info.lengths, config.lengthsOf(config.variants[i]));
    EXPECT_EQ(info.arenaBytesPerSample,
              artifact.manifest["variants"][i]["arena_bytes_per_sample"]);
  }
  EXPECT_GT(model.variants()[0].flops, model.variants()[1].flops);
  EXPECT_GT(model.variants()[1].flops, model.variants()[2].flops);
}

TEST(TinyModel, VariantChoiceByNameBudgetAndFlops) {
  ModelConfig config = tinyVit();
  TempDir dir;
  buildArtifact(config, randomWeights(config)).write(dir.path("model.tailor"));
  Model model = loadModel(dir.path("model.tailor"));
  EXPECT_EQ(model.variant("b0.50")->budget, 0.5);
  EXPECT_EQ(model.variantForBudget(1.0)->name, "b1.00");
  EXPECT_EQ(model.variantForBudget(2.0)->name, "b1.00");
  EXPECT_EQ(model.variantForBudget(0.75)->name, "b0.50");
  EXPECT_EQ(model.variantForBudget(0.5)->name, "b0.50");
  EXPECT_EQ(model.variantForBudget(0.25)->name, "b0.25");
  std::int64_t half = model.variant("b0.50")->flops;
  EXPECT_EQ(model.variantForFlops(half)->name, "b0.50");
  EXPECT_EQ(model.variantForFlops(half - 1)->name, "b0.25");
  EXPECT_EQ(model.variantForFlops(INT64_MAX)->name, "b1.00");
}

TEST(TinyModel, SessionReportsItsRun) {
  ModelConfig config = tinyVit();
  TempDir dir;
  buildArtifact(config, randomWeights(config)).write(dir.path("model.tailor"));
  Model model = loadModel(dir.path("model.tailor"));
  Result<Session> session = Session::create(model, {"cpu", 2});
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_EQ(session->device(), "cpu");
  EXPECT_EQ(session->threads(), 2);
  Inputs inputs = randomInputs(config, 3, 1);
  std::map<std::string, Tensor> outputs;
  Result<RunStats> stats =
      session->run("b0.25", modelInputs(config, inputs).views(), outputs);
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_EQ(stats->variant, "b0.25");
  EXPECT_EQ(stats->batch, 3);
  EXPECT_EQ(stats->flops, 3 * model.variant("b0.25")->flops);
  EXPECT_GT(stats->wallSeconds, 0.0);
  EXPECT_EQ(outputs.at("logits").shape(),
            (std::vector<std::int64_t>{3, config.classes}));
}

TEST(TinyModel, BlasThreadsCanBeSetForTheProcess) {
  // The tests build against OpenBLAS, which has the setting.
  EXPECT_TRUE(setBlasThreads(1).ok());
  Status zero = setBlasThreads(0);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.message(), "BLAS threads = 0: expected 1 or more");
}

} // namespace
} // namespace tailor::testing
