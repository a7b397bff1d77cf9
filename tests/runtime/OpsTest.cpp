//===- OpsTest.cpp - Each op of the runtime against the naive reference ---===//
//
// Every test writes an artifact of one step (or two), runs it on random data
// with several threads and compares with tailor::testing::reference.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include "tailor/testing/Reference.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tailor::testing {
namespace {

constexpr double tolerance = 1e-5;

class OpsTest : public ::testing::Test {
protected:
  std::map<std::string, Tensor> run(const SmallPlan &plan,
                                    const HostTensors &inputs) {
    std::string path = dir.path("op.tailor");
    plan.artifact().write(path);
    return runModel(loadModel(path), "only", inputs, /*threads=*/3);
  }

  Array random(std::vector<std::int64_t> shape, double stddev = 1.0) {
    return randomArray(std::move(shape), generator, stddev);
  }

  TempDir dir;
  std::mt19937_64 generator{7};
};

TEST_F(OpsTest, TokenEmbeddingsWithAndWithoutTokenType) {
  const std::int64_t batch = 3, seq = 5, hidden = 8, vocab = 11;
  Array word = random({vocab, hidden}), position = random({7, hidden});
  Array types = random({2, hidden});
  std::vector<std::int32_t> ids = {0, 10, 3, 3, 7, 1,  2, 9,
                                   4, 0,  5, 6, 8, 10, 2};
  for (bool withTypes : {false, true}) {
    SmallPlan plan;
    nlohmann::json weights = {{"word", "word"}, {"position", "position"}};
    if (withTypes)
      weights["token_type"] = "types";
    plan.input("ids", "i32", {seq})
        .output("y", "f32", {seq, hidden})
        .weight("word", word)
        .weight("position", position)
        .weight("types", types)
        .step("token_embeddings", {{"ids", "ids"}}, {{"y", "y"}}, weights);
    HostTensors inputs;
    inputs.add("ids", DType::I32, {batch, seq}, ids.data());
    Array expected = reference::tokenEmbeddings(ids, batch, seq, word, position,
                                                withTypes ? &types : nullptr);
    Array actual = toArray(run(plan, inputs).at("y"));
    EXPECT_EQ(actual.shape, expected.shape);
    EXPECT_LT(relativeError(actual.values, expected.values), tolerance)
        << "token_type: " << withTypes;
  }
}

TEST_F(OpsTest, PatchEmbeddingsOfTwoChannelImages) {
  const std::int64_t batch = 3, channels = 2, size = 6, patch = 3, hidden = 8;
  const std::int64_t tokens = (size / patch) * (size / patch) + 1;
  Array weight = random({hidden, channels * patch * patch}),
        bias = random({hidden});
  Array cls = random({hidden}), position = random({tokens, hidden});
  Array images = random({batch, channels, size, size});
  SmallPlan plan;
  plan.input("images", "f32", {channels, size, size})
      .output("y", "f32", {tokens, hidden})
      .weight("w", weight)
      .weight("b", bias)
      .weight("cls", cls)
      .weight("pos", position)
      .step(
          "patch_embeddings", {{"images", "images"}}, {{"y", "y"}},
          {{"weight", "w"}, {"bias", "b"}, {"cls", "cls"}, {"position", "pos"}},
          {{"patch_size", patch}});
  HostTensors inputs;
  inputs.addF32("images", images);
  Array expected =
      reference::patchEmbeddings(images, weight, bias, cls, position, patch);
  Array actual = toArray(run(plan, inputs).at("y"));
  EXPECT_EQ(actual.shape, expected.shape);
  EXPECT_LT(relativeError(actual.values, expected.values), tolerance);
}

TEST_F(OpsTest, LayerNormOverTheLastDimensionOfRank4) {
  const std::int64_t batch = 2, hidden = 12;
  Array gamma = random({hidden}), beta = random({hidden});
  // An offset mean checks that the variance is taken around the mean.
  Array x = randomArray({batch, 3, 5, hidden}, generator, 2.0, 5.0);
  SmallPlan plan;
  plan.input("x", "f32", {3, 5, hidden})
      .output("y", "f32", {3, 5, hidden})
      .weight("g", gamma)
      .weight("b", beta)
      .step("layer_norm", {{"x", "x"}}, {{"y", "y"}},
            {{"gamma", "g"}, {"beta", "b"}}, {{"epsilon", 1e-5}});
  HostTensors inputs;
  inputs.addF32("x", x);
  Array expected = reference::layerNorm(x, gamma, beta, 1e-5);
  Array actual = toArray(run(plan, inputs).at("y"));
  EXPECT_LT(relativeError(actual.values, expected.values), tolerance);
}

TEST_F(OpsTest, Add) {
  Array a = random({4, 3, 7}), b = random({4, 3, 7});
  SmallPlan plan;
  plan.input("a", "f32", {3, 7})
      .input("b", "f32", {3, 7})
      .output("y", "f32", {3, 7})
      .step("add", {{"a", "a"}, {"b", "b"}}, {{"y", "y"}});
  HostTensors inputs;
  inputs.addF32("a", a);
  inputs.addF32("b", b);
  Array actual = toArray(run(plan, inputs).at("y"));
  EXPECT_LT(relativeError(actual.values, reference::add(a, b).values),
            tolerance);
}

// With or without its sum output, bit for bit an add then a layer norm.
TEST_F(OpsTest, AddLayerNormWithAndWithoutSumIsAddThenLayerNorm) {
  const std::int64_t batch = 3, seq = 5, hidden = 12;
  Array gamma = random({hidden}), beta = random({hidden});
  Array a = randomArray({batch, seq, hidden}, generator, 2.0, 5.0);
  Array b = random({batch, seq, hidden});
  HostTensors inputs;
  inputs.addF32("a", a);
  inputs.addF32("b", b);
  SmallPlan apart;
  apart.input("a", "f32", {seq, hidden})
      .input("b", "f32", {seq, hidden})
      .output("sum", "f32", {seq, hidden})
      .output("y", "f32", {seq, hidden})
      .weight("g", gamma)
      .weight("beta", beta)
      .step("add", {{"a", "a"}, {"b", "b"}}, {{"y", "sum"}})
      .step("layer_norm", {{"x", "sum"}}, {{"y", "y"}},
            {{"gamma", "g"}, {"beta", "beta"}}, {{"epsilon", 1e-5}});
  auto separate = run(apart, inputs);
  Array expected =
      reference::layerNorm(reference::add(a, b), gamma, beta, 1e-5);
  EXPECT_LT(relativeError(toArray(separate.at("y")).values, expected.values),
            tolerance);
  for (bool withSum : {false, true}) {
    SmallPlan fused;
    fused.input("a", "f32", {seq, hidden})
        .input("b", "f32", {seq, hidden})
        .output("y", "f32", {seq, hidden})
        .weight("g", gamma)
        .weight("beta", beta);
    nlohmann::json outputs = {{"y", "y"}};
    if (withSum) {
      fused.output("sum", "f32", {seq, hidden});
      outputs["sum"] = "sum";
    }
    fused.step("add_layer_norm", {{"a", "a"}, {"b", "b"}}, outputs,
               {{"gamma", "g"}, {"beta", "beta"}}, {{"epsilon", 1e-5}});
    auto actual = run(fused, inputs);
    EXPECT_EQ(toArray(actual.at("y")).values, toArray(separate.at("y")).values)
        << (withSum ? "with sum" : "without sum");
    if (withSum)
      EXPECT_EQ(toArray(actual.at("sum")).values,
                toArray(separate.at("sum")).values);
  }
}

TEST_F(OpsTest, LinearWithEveryActivationWithAndWithoutBias) {
  // 5 x 13 = 65 rows: several row blocks for the threads.
  const std::int64_t batch = 5, seq = 13, in = 24, out = 10;
  Array weight = random({out, in}, 0.3), bias = random({out});
  Array x = random({batch, seq, in});
  for (const char *activation : {"none", "relu", "gelu", "gelu_tanh", "tanh"})
    for (bool withBias : {false, true}) {
      SmallPlan plan;
      nlohmann::json weights = {{"weight", "w"}};
      if (withBias)
        weights["bias"] = "b";
      plan.input("x", "f32", {seq, in})
          .output("y", "f32", {seq, out})
          .weight("w", weight)
          .weight("b", bias)
          .step("linear", {{"x", "x"}}, {{"y", "y"}}, weights,
                {{"activation", activation}});
      HostTensors inputs;
      inputs.addF32("x", x);
      Array expected =
          reference::linear(x, weight, withBias ? &bias : nullptr, activation);
      Array actual = toArray(run(plan, inputs).at("y"));
      EXPECT_EQ(actual.shape, expected.shape);
      EXPECT_LT(relativeError(actual.values, expected.values), tolerance)
          << activation << (withBias ? " with bias" : " without bias");
    }
}

// The residual comes after the activation, as a separate add step would
// add it: bit for bit the same as linear then add.
TEST_F(OpsTest, LinearWithResidualIsLinearThenAdd) {
  const std::int64_t batch = 5, seq = 13, in = 24, out = 10;
  Array weight = random({out, in}, 0.3), bias = random({out});
  Array x = random({batch, seq, in}), residual = random({batch, seq, out});
  for (const char *activation : {"none", "gelu"})
    for (bool withBias : {false, true}) {
      nlohmann::json weights = {{"weight", "w"}};
      if (withBias)
        weights["bias"] = "b";
      SmallPlan fused, apart;
      for (SmallPlan *plan : {&fused, &apart})
        plan->input("x", "f32", {seq, in})
            .input("r", "f32", {seq, out})
            .output("y", "f32", {seq, out})
            .weight("w", weight)
            .weight("b", bias);
      fused.step("linear", {{"x", "x"}, {"residual", "r"}}, {{"y", "y"}},
                 weights, {{"activation", activation}});
      apart.buffer("p", "f32", {seq, out})
          .step("linear", {{"x", "x"}}, {{"y", "p"}}, weights,
                {{"activation", activation}})
          .step("add", {{"a", "p"}, {"b", "r"}}, {{"y", "y"}});
      HostTensors inputs;
      inputs.addF32("x", x);
      inputs.addF32("r", residual);
      Array actual = toArray(run(fused, inputs).at("y"));
      Array expected = reference::add(
          reference::linear(x, weight, withBias ? &bias : nullptr, activation),
          residual);
      EXPECT_LT(relativeError(actual.values, expected.values), tolerance)
          << activation << (withBias ? " with bias" : " without bias");
      EXPECT_EQ(actual.values, toArray(run(apart, inputs).at("y")).values)
          << activation << (withBias ? " with bias" : " without bias");
    }
}

TEST_F(OpsTest, AttentionForSeveralHeadCounts) {
  const std::int64_t batch = 3, seq = 7, hidden = 16;
  Array q = random({batch, seq, hidden}), k = random({batch, seq, hidden});
  Array v = random({batch, seq, hidden});
  for (std::int64_t heads : {1, 2, 4, 16}) {
    SmallPlan plan;
    plan.input("q", "f32", {seq, hidden})
        .input("k", "f32", {seq, hidden})
        .input("v", "f32", {seq, hidden})
        .output("context", "f32", {seq, hidden})
        .output("significance", "f32", {seq})
        .step("attention", {{"q", "q"}, {"k", "k"}, {"v", "v"}},
              {{"context", "context"}, {"significance", "significance"}}, {},
              {{"heads", heads}});
    HostTensors inputs;
    inputs.addF32("q", q);
    inputs.addF32("k", k);
    inputs.addF32("v", v);
    reference::Attention expected = reference::attention(q, k, v, {}, heads);
    auto outputs = run(plan, inputs);
    EXPECT_LT(relativeError(toArray(outputs.at("context")).values,
                            expected.context.values),
              tolerance)
        << heads << " heads";
    EXPECT_LT(relativeError(toArray(outputs.at("significance")).values,
                            expected.significance.values),
              tolerance)
        << heads << " heads";
  }
}

// q | k | v packed along the last dimension (what pack-qkv makes): the
// same context and significance as the three apart, bit for bit.
TEST_F(OpsTest, AttentionReadsPackedQkv) {
  const std::int64_t batch = 3, seq = 7, hidden = 8, heads = 2;
  Array qkv = random({batch, seq, 3 * hidden});
  std::vector<Array> parts(3, Array({batch, seq, hidden}));
  for (std::int64_t row = 0; row < batch * seq; ++row)
    for (std::int64_t part = 0; part < 3; ++part)
      for (std::int64_t i = 0; i < hidden; ++i)
        parts[part].values[row * hidden + i] =
            qkv.values[(row * 3 + part) * hidden + i];
  HostTensors packedInputs, inputs;
  packedInputs.addF32("qkv", qkv);
  inputs.addF32("q", parts[0]);
  inputs.addF32("k", parts[1]);
  inputs.addF32("v", parts[2]);
  SmallPlan packed, apart;
  packed.input("qkv", "f32", {seq, 3 * hidden})
      .step("attention", {{"qkv", "qkv"}},
            {{"context", "context"}, {"significance", "significance"}}, {},
            {{"heads", heads}});
  apart.input("q", "f32", {seq, hidden})
      .input("k", "f32", {seq, hidden})
      .input("v", "f32", {seq, hidden})
      .step("attention", {{"q", "q"}, {"k", "k"}, {"v", "v"}},
            {{"context", "context"}, {"significance", "significance"}}, {},
            {{"heads", heads}});
  for (SmallPlan *plan : {&packed, &apart})
    plan->output("context", "f32", {seq, hidden})
        .output("significance", "f32", {seq});
  auto actual = run(packed, packedInputs);
  auto expected = run(apart, inputs);
  reference::Attention reference =
      reference::attention(parts[0], parts[1], parts[2], {}, heads);
  EXPECT_LT(relativeError(toArray(actual.at("context")).values,
                          reference.context.values),
            tolerance);
  for (const char *output : {"context", "significance"})
    EXPECT_EQ(toArray(actual.at(output)).values,
              toArray(expected.at(output)).values)
        << output;
}

TEST_F(OpsTest, AttentionWithKeyMaskAndWithoutSignificance) {
  const std::int64_t batch = 3, seq = 6, hidden = 8, heads = 2;
  Array q = random({batch, seq, hidden}), k = random({batch, seq, hidden});
  Array v = random({batch, seq, hidden});
  // Sample 1 masks every key: its context is zeros and it attends nowhere.
  std::vector<std::uint8_t> mask = {1, 1, 1, 1, 0, 0, //
                                    0, 0, 0, 0, 0, 0, //
                                    1, 0, 1, 0, 1, 1};
  reference::Attention expected = reference::attention(q, k, v, mask, heads);
  for (bool withSignificance : {true, false}) {
    SmallPlan plan;
    plan.input("q", "f32", {seq, hidden})
        .input("k", "f32", {seq, hidden})
        .input("v", "f32", {seq, hidden})
        .input("mask", "u8", {seq})
        .output("context", "f32", {seq, hidden});
    nlohmann::json outputs = {{"context", "context"}};
    if (withSignificance) {
      plan.output("significance", "f32", {seq});
      outputs["significance"] = "significance";
    }
    plan.step("attention",
              {{"q", "q"}, {"k", "k"}, {"v", "v"}, {"key_mask", "mask"}},
              outputs, {}, {{"heads", heads}});
    HostTensors inputs;
    inputs.addF32("q", q);
    inputs.addF32("k", k);
    inputs.addF32("v", v);
    inputs.add("mask", DType::U8, {batch, seq}, mask.data());
    auto result = run(plan, inputs);
    Array context = toArray(result.at("context"));
    EXPECT_LT(relativeError(context.values, expected.context.values),
              tolerance);
    for (std::int64_t i = seq * hidden; i < 2 * seq * hidden; ++i)
      ASSERT_EQ(context.values[i], 0.0) << "fully masked sample, element " << i;
    if (!withSignificance)
      continue;
    Array significance = toArray(result.at("significance"));
    EXPECT_LT(relativeError(significance.values, expected.significance.values),
              tolerance);
    // Masked keys receive nothing; each unmasked query spreads 1 per head.
    EXPECT_EQ(significance.values[4], 0.0);
    double sum = 0;
    for (std::int64_t j = 0; j < seq; ++j)
      sum += significance.values[j];
    EXPECT_NEAR(sum, 4.0 * heads, 1e-5);
  }
}

TEST_F(OpsTest, SelectTokensKeepsFirstBreaksTiesLowAndRanksNaNLast) {
  const std::int64_t seq = 6, hidden = 3, kept = 4;
  Array x = random({2, seq, hidden});
  Array significance({2, seq});
  significance.values = {0.5, 0.2, 0.9, 0.2, 0.9, 0.1, //
                         3.0, NAN, 1.0, 2.0, 1.0, 0.5};
  struct Case {
    bool keepFirst;
    std::vector<std::int32_t> indices;
  };
  for (const Case &c : {Case{true, {0, 1, 2, 4, 0, 2, 3, 4}},
                        Case{false, {0, 1, 2, 4, 0, 2, 3, 4}}}) {
    SmallPlan plan;
    plan.input("x", "f32", {seq, hidden})
        .input("significance", "f32", {seq})
        .output("y", "f32", {kept, hidden})
        .output("indices", "i32", {kept})
        .step("select_tokens", {{"x", "x"}, {"significance", "significance"}},
              {{"y", "y"}, {"indices", "indices"}}, {},
              {{"keep_first", c.keepFirst}});
    HostTensors inputs;
    inputs.addF32("x", x);
    inputs.addF32("significance", significance);
    auto result = run(plan, inputs);
    const Tensor &indices = result.at("indices");
    std::vector<std::int32_t> actual(indices.dataAs<std::int32_t>(),
                                     indices.dataAs<std::int32_t>() + 2 * kept);
    EXPECT_EQ(actual, c.indices) << "keep_first " << c.keepFirst;
    // The reference has no NaN rule: compare on the first sample only.
    Array firstX({1, seq, hidden}), firstS({1, seq});
    std::copy_n(x.values.begin(), seq * hidden, firstX.values.begin());
    std::copy_n(significance.values.begin(), seq, firstS.values.begin());
    reference::Selection expected =
        reference::selectTokens(firstX, firstS, kept, c.keepFirst);
    Array y = toArray(result.at("y"));
    y.values.resize(kept * hidden);
    EXPECT_EQ(std::vector<std::int32_t>(actual.begin(), actual.begin() + kept),
              expected.indices);
    EXPECT_EQ(y.values, expected.selected.values);
  }
}

TEST_F(OpsTest, SelectTokensWithoutKeepFirstCanDropTheFirstToken) {
  Array x = random({1, 4, 2});
  Array significance({1, 4});
  significance.values = {0.1, 0.4, 0.3, 0.2};
  SmallPlan plan;
  plan.input("x", "f32", {4, 2})
      .input("s", "f32", {4})
      .output("y", "f32", {2, 2})
      .output("i", "i32", {2})
      .step("select_tokens", {{"x", "x"}, {"significance", "s"}},
            {{"y", "y"}, {"indices", "i"}}, {}, {{"keep_first", false}});
  HostTensors inputs;
  inputs.addF32("x", x);
  inputs.addF32("s", significance);
  auto result = run(plan, inputs);
  const std::int32_t *indices = result.at("i").dataAs<std::int32_t>();
  EXPECT_EQ(indices[0], 1);
  EXPECT_EQ(indices[1], 2);
}

TEST_F(OpsTest, RestoreTokensAfterSelectTokens) {
  const std::int64_t batch = 3, seq = 7, kept = 3, hidden = 4;
  Array x = random({batch, seq, hidden}), significance = random({batch, seq});
  Array update = random({batch, kept, hidden});
  SmallPlan plan;
  plan.input("x", "f32", {seq, hidden})
      .input("significance", "f32", {seq})
      .input("update", "f32", {kept, hidden})
      .buffer("kept", "f32", {kept, hidden})
      .output("indices", "i32", {kept})
      .output("y", "f32", {seq, hidden})
      .step("select_tokens", {{"x", "x"}, {"significance", "significance"}},
            {{"y", "kept"}, {"indices", "indices"}})
      .step("restore_tokens",
            {{"full", "x"}, {"selected", "update"}, {"indices", "indices"}},
            {{"y", "y"}});
  HostTensors inputs;
  inputs.addF32("x", x);
  inputs.addF32("significance", significance);
  inputs.addF32("update", update);
  auto result = run(plan, inputs);
  reference::Selection selection =
      reference::selectTokens(x, significance, kept);
  Array expected = reference::restoreTokens(x, update, selection.indices);
  EXPECT_EQ(toArray(result.at("y")).values, expected.values);
}

TEST_F(OpsTest, ClassifierForEveryPoolingWithAndWithoutPooler) {
  const std::int64_t batch = 4, seq = 5, hidden = 8, classes = 3;
  Array x = random({batch, seq, hidden});
  Array weight = random({classes, hidden}), bias = random({classes});
  Array poolerWeight = random({hidden, hidden}), poolerBias = random({hidden});
  for (const char *pooling : {"cls", "mean", "token"})
    for (bool pooler : {false, true}) {
      bool token = std::string(pooling) == "token";
      if (token && pooler)
        continue;
      SmallPlan plan;
      nlohmann::json weights = {{"weight", "w"}, {"bias", "b"}};
      if (pooler) {
        weights["pooler_weight"] = "pw";
        weights["pooler_bias"] = "pb";
      }
      plan.input("x", "f32", {seq, hidden})
          .output("logits", "f32",
                  token ? std::vector<std::int64_t>{seq, classes}
                        : std::vector<std::int64_t>{classes})
          .weight("w", weight)
          .weight("b", bias)
          .weight("pw", poolerWeight)
          .weight("pb", poolerBias)
          .step("classifier", {{"x", "x"}}, {{"logits", "logits"}}, weights,
                {{"pooling", pooling}});
      HostTensors inputs;
      inputs.addF32("x", x);
      Array expected = reference::classifier(
          x, weight, bias, pooler ? &poolerWeight : nullptr,
          pooler ? &poolerBias : nullptr, pooling);
      Array actual = toArray(run(plan, inputs).at("logits"));
      EXPECT_EQ(actual.shape, expected.shape);
      EXPECT_LT(relativeError(actual.values, expected.values), tolerance)
          << pooling << (pooler ? " with pooler" : "");
    }
}

// A plan whose activations are 16-bit runs on the CPU widened to f32: the
// same numbers as the f32 plan of the same steps, bit for bit.
TEST_F(OpsTest, SixteenBitPlanRunsOnTheCpuAsItsF32Plan) {
  const std::int64_t batch = 2;
  std::vector<std::int32_t> ids(batch * 7);
  for (std::size_t i = 0; i < ids.size(); ++i)
    ids[i] = static_cast<std::int32_t>((i * 13) % 50);
  HostTensors inputs;
  inputs.add("ids", DType::I32, {batch, 7}, ids.data());
  std::map<std::string, std::map<std::string, Tensor>> outputs;
  std::map<std::string, std::uint64_t> arena;
  for (const std::string activations : {"f32", "bf16"}) {
    std::mt19937_64 weights(5);
    const std::string path = dir.path(activations + ".tailor");
    fusedStepsPlan(activations, 64, weights).artifact().write(path);
    Model model = loadModel(path);
    arena[activations] = model.variants()[0].arenaBytesPerSample;
    outputs[activations] = runModel(model, "only", inputs, 1);
  }
  EXPECT_LT(arena["bf16"], arena["f32"]);
  for (const char *name : {"sum_logits", "normed_logits"}) {
    Array wide = toArray(outputs["f32"].at(name));
    Array narrow = toArray(outputs["bf16"].at(name));
    EXPECT_EQ(narrow.shape, wide.shape) << name;
    EXPECT_EQ(narrow.values, wide.values) << name;
  }
}

} // namespace
} // namespace tailor::testing
