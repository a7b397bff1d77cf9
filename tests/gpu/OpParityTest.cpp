//===- OpParityTest.cpp - Each op's CUDA kernels against the CPU ----------===//
//
// Every test writes an artifact of one step (or a few), runs it on the CPU
// backend and on cuda:0 at each precision, on random inputs, and compares.
// The CUDA arena starts filled with NaN, so an output a kernel leaves
// unwritten fails the comparison.
//
//===----------------------------------------------------------------------===//

#include "GpuHarness.h"

#include <gmock/gmock.h>

#include <cmath>

namespace tailor::testing {
namespace {

using ::testing::HasSubstr;

class OpParity : public ::testing::Test {
protected:
  void SetUp() override { TAILOR_REQUIRE_GPU(); }

  void expectParity(const SmallPlan &plan, const HostTensors &inputs,
                    const std::vector<std::string> &precisions,
                    const std::string &what) {
    const std::string path = dir.path("op.tailor");
    plan.artifact().write(path);
    Model model = loadModel(path);
    std::map<std::string, Tensor> expected =
        runOn(model, "only", inputs, "cpu");
    for (const std::string &precision : precisions) {
      std::map<std::string, Tensor> actual =
          runOn(model, "only", inputs, "cuda:0", precision);
      std::string worst;
      double error = outputError(actual, expected, &worst);
      EXPECT_LT(error, toleranceOf(precision))
          << what << " at " << precision << ": output '" << worst << "'";
    }
  }

  Array random(std::vector<std::int64_t> shape, double stddev = 1.0) {
    return randomArray(std::move(shape), generator, stddev);
  }

  TempDir dir;
  std::mt19937_64 generator{11};
};

// Sample 0 masks about a fifth of its keys (never the first), sample 1
// none, sample 2 every key: its context and significance are zeros.
TEST_F(OpParity, AttentionOverOddShapesWithKeyMaskAndSignificance) {
  const std::int64_t batch = 3, heads = 2;
  for (std::int64_t seq : {1, 7, 197, 513})
    for (std::int64_t headDim : {32, 64, 80, 128}) {
      const std::int64_t hidden = heads * headDim;
      Array q = random({batch, seq, hidden}), k = random({batch, seq, hidden}),
            v = random({batch, seq, hidden});
      std::vector<std::uint8_t> mask(batch * seq, 1);
      std::uniform_real_distribution<double> coin(0, 1);
      for (std::int64_t j = 1; j < seq; ++j)
        mask[j] = coin(generator) > 0.2;
      for (std::int64_t j = 0; j < seq; ++j)
        mask[2 * seq + j] = 0;
      SmallPlan plan;
      plan.input("q", "f32", {seq, hidden})
          .input("k", "f32", {seq, hidden})
          .input("v", "f32", {seq, hidden})
          .input("mask", "u8", {seq})
          .output("context", "f32", {seq, hidden})
          .output("significance", "f32", {seq})
          .step("attention",
                {{"q", "q"}, {"k", "k"}, {"v", "v"}, {"key_mask", "mask"}},
                {{"context", "context"}, {"significance", "significance"}},
                nullptr, {{"heads", heads}});
      HostTensors inputs;
      inputs.addF32("q", q);
      inputs.addF32("k", k);
      inputs.addF32("v", v);
      inputs.add("mask", DType::U8, {batch, seq}, mask.data());
      expectParity(plan, inputs, {"fp32", "bf16", "fp16"},
                   "seq " + std::to_string(seq) + ", head dim " +
                       std::to_string(headDim));
    }
}

TEST_F(OpParity, AttentionWithoutMaskOrSignificanceAndAnOddHeadDim) {
  const std::int64_t batch = 2, seq = 33;
  for (std::int64_t heads : {1, 3}) {
    const std::int64_t hidden = heads * 15; // odd head dim: the fp32 kernel
    SmallPlan plan;
    plan.input("q", "f32", {seq, hidden})
        .input("k", "f32", {seq, hidden})
        .input("v", "f32", {seq, hidden})
        .output("context", "f32", {seq, hidden})
        .step("attention", {{"q", "q"}, {"k", "k"}, {"v", "v"}},
              {{"context", "context"}}, nullptr, {{"heads", heads}});
    HostTensors inputs;
    inputs.addF32("q", random({batch, seq, hidden}, 3.0));
    inputs.addF32("k", random({batch, seq, hidden}));
    inputs.addF32("v", random({batch, seq, hidden}));
    expectParity(plan, inputs, {"fp32", "bf16"},
                 "heads " + std::to_string(heads));
  }
}

// Significances drawn from four values (many ties) with NaNs among them.
TEST_F(OpParity, SelectTokensWithTiesAndNaNThenRestore) {
  const std::int64_t batch = 3, hidden = 80;
  for (auto [seq, kept, keepFirst] :
       {std::tuple<std::int64_t, std::int64_t, bool>{7, 3, false},
        {197, 99, true},
        {513, 1, true},
        {513, 513, false}}) {
    Array x = random({batch, seq, hidden}), scores({batch, seq});
    std::uniform_int_distribution<int> level(0, 4);
    for (double &score : scores.values) {
      int drawn = level(generator);
      score = drawn == 4 ? NAN : drawn * 0.25;
    }
    SmallPlan plan;
    plan.input("x", "f32", {seq, hidden})
        .input("s", "f32", {seq})
        .output("y", "f32", {kept, hidden})
        .output("indices", "i32", {kept})
        .output("restored", "f32", {seq, hidden})
        .buffer("doubled", "f32", {kept, hidden})
        .step("select_tokens", {{"x", "x"}, {"significance", "s"}},
              {{"y", "y"}, {"indices", "indices"}}, nullptr,
              {{"keep_first", keepFirst}})
        .step("add", {{"a", "y"}, {"b", "y"}}, {{"y", "doubled"}})
        .step("restore_tokens",
              {{"full", "x"}, {"selected", "doubled"}, {"indices", "indices"}},
              {{"y", "restored"}});
    HostTensors inputs;
    inputs.addF32("x", x);
    std::vector<float> raw = scores.toFloat32();
    inputs.add("s", DType::F32, {batch, seq}, raw.data());
    expectParity(plan, inputs, {"fp32"},
                 "seq " + std::to_string(seq) + ", kept " +
                     std::to_string(kept));
  }
}

TEST_F(OpParity, GatherTokensOfEveryDtype) {
  const std::int64_t batch = 3, seq = 197, kept = 50, hidden = 80;
  std::vector<std::uint8_t> mask(batch * seq);
  std::vector<std::int32_t> numbers(batch * seq), indices(batch * kept);
  std::uniform_int_distribution<int> token(0, seq - 1);
  for (std::size_t i = 0; i < mask.size(); ++i) {
    mask[i] = static_cast<std::uint8_t>(i % 3 != 0);
    numbers[i] = static_cast<std::int32_t>(i * 7);
  }
  for (std::int32_t &index : indices)
    index = token(generator); // any order, repeats allowed
  SmallPlan plan;
  plan.input("x", "f32", {seq, hidden})
      .input("mask", "u8", {seq})
      .input("numbers", "i32", {seq})
      .input("indices", "i32", {kept})
      .output("xs", "f32", {kept, hidden})
      .output("masks", "u8", {kept})
      .output("ns", "i32", {kept});
  for (auto [from, to] : {std::pair<const char *, const char *>{"x", "xs"},
                          {"mask", "masks"},
                          {"numbers", "ns"}})
    plan.step("gather_tokens", {{"x", from}, {"indices", "indices"}},
              {{"y", to}});
  HostTensors inputs;
  inputs.addF32("x", random({batch, seq, hidden}));
  inputs.add("mask", DType::U8, {batch, seq}, mask.data());
  inputs.add("numbers", DType::I32, {batch, seq}, numbers.data());
  inputs.add("indices", DType::I32, {batch, kept}, indices.data());
  expectParity(plan, inputs, {"fp32"}, "gather_tokens");
}

// An add whose sum feeds a layer norm runs as one fused kernel that writes
// both; a layer norm of its own runs alone.
TEST_F(OpParity, LayerNormAloneAndFusedWithTheResidualAdd) {
  const std::int64_t batch = 3;
  for (std::int64_t hidden : {32, 80, 768, 1000}) {
    SmallPlan plan;
    plan.input("a", "f32", {7, hidden})
        .input("b", "f32", {7, hidden})
        .output("sum", "f32", {7, hidden})
        .output("normed", "f32", {7, hidden})
        .output("direct", "f32", {7, hidden})
        .weight("gamma", random({hidden}))
        .weight("beta", random({hidden}))
        .step("add", {{"a", "a"}, {"b", "b"}}, {{"y", "sum"}})
        .step("layer_norm", {{"x", "sum"}}, {{"y", "normed"}},
              {{"gamma", "gamma"}, {"beta", "beta"}}, {{"epsilon", 1e-12}})
        .step("layer_norm", {{"x", "a"}}, {{"y", "direct"}},
              {{"gamma", "gamma"}, {"beta", "beta"}}, {{"epsilon", 1e-6}});
    HostTensors inputs;
    inputs.addF32("a", randomArray({batch, 7, hidden}, generator, 2.0, 1.0));
    inputs.addF32("b", random({batch, 7, hidden}));
    expectParity(plan, inputs, {"fp32"}, "hidden " + std::to_string(hidden));
  }
}

// The compiler's fusions (fusedStepsPlan), each as the step the runtime
// runs as it is, between f32 and between 16-bit activations.
TEST_F(OpParity, FusedStepsWithF32And16BitActivations) {
  const std::int64_t batch = 3, seq = 7, vocab = 50;
  std::vector<std::int32_t> ids(batch * seq);
  for (std::size_t i = 0; i < ids.size(); ++i)
    ids[i] = static_cast<std::int32_t>((i * 13) % vocab);
  HostTensors inputs;
  inputs.add("ids", DType::I32, {batch, seq}, ids.data());
  for (const std::string activations : {"f32", "bf16"})
    for (std::int64_t hidden : {64, 768})
      expectParity(fusedStepsPlan(activations, hidden, generator), inputs,
                   cudaPrecisions(),
                   activations + " activations, hidden " +
                       std::to_string(hidden));
}

// Pre-activations of about unit size: tf32's rounding error is relative to
// them, and a saturating activation (tanh) would shrink the outputs it is
// compared with, not the error.
TEST_F(OpParity, LinearWithEveryActivationWithAndWithoutBias) {
  const std::int64_t batch = 3, rows = 7, in = 80, out = 96;
  Array weight = random({out, in}, 0.1), bias = random({out}, 0.5);
  Array x = random({batch, rows, in});
  for (const char *activation : {"none", "relu", "gelu", "gelu_tanh", "tanh"})
    for (bool withBias : {false, true}) {
      SmallPlan plan;
      nlohmann::json weights = {{"weight", "w"}};
      if (withBias)
        weights["bias"] = "b";
      plan.input("x", "f32", {rows, in})
          .output("y", "f32", {rows, out})
          .weight("w", weight)
          .weight("b", bias)
          .step("linear", {{"x", "x"}}, {{"y", "y"}}, weights,
                {{"activation", activation}});
      HostTensors inputs;
      inputs.addF32("x", x);
      expectParity(plan, inputs, cudaPrecisions(),
                   std::string(activation) + (withBias ? " with" : " without") +
                       " bias");
    }
}

TEST_F(OpParity, TokenAndPatchEmbeddings) {
  const std::int64_t batch = 3, seq = 9, hidden = 80, vocab = 50;
  std::vector<std::int32_t> ids(batch * seq);
  std::uniform_int_distribution<int> id(0, vocab - 1);
  for (std::int32_t &value : ids)
    value = id(generator);
  SmallPlan tokens;
  tokens.input("ids", "i32", {seq})
      .output("y", "f32", {seq, hidden})
      .weight("word", random({vocab, hidden}))
      .weight("position", random({seq, hidden}))
      .weight("types", random({2, hidden}))
      .step("token_embeddings", {{"ids", "ids"}}, {{"y", "y"}},
            {{"word", "word"},
             {"position", "position"},
             {"token_type", "types"}});
  HostTensors tokenInputs;
  tokenInputs.add("ids", DType::I32, {batch, seq}, ids.data());
  expectParity(tokens, tokenInputs, {"fp32"}, "token embeddings");

  const std::int64_t channels = 3, size = 28, patch = 7;
  const std::int64_t count = (size / patch) * (size / patch) + 1;
  SmallPlan patches;
  patches.input("images", "f32", {channels, size, size})
      .output("y", "f32", {count, hidden})
      .weight("w", random({hidden, channels * patch * patch}, 0.1))
      .weight("b", random({hidden}))
      .weight("cls", random({hidden}))
      .weight("pos", random({count, hidden}))
      .step(
          "patch_embeddings", {{"images", "images"}}, {{"y", "y"}},
          {{"weight", "w"}, {"bias", "b"}, {"cls", "cls"}, {"position", "pos"}},
          {{"patch_size", patch}});
  HostTensors imageInputs;
  imageInputs.addF32("images", random({batch, channels, size, size}));
  expectParity(patches, imageInputs, {"fp32", "tf32", "bf16"},
               "patch embeddings");
}

TEST_F(OpParity, ClassifierForEveryPoolingWithAndWithoutPooler) {
  const std::int64_t batch = 3, seq = 7, hidden = 80, classes = 5;
  Array x = random({batch, seq, hidden});
  for (const char *pooling : {"cls", "mean", "token"})
    for (bool pooler : {false, true}) {
      if (pooler && std::string(pooling) == "token")
        continue;
      nlohmann::json weights = {{"weight", "w"}, {"bias", "b"}};
      if (pooler) {
        weights["pooler_weight"] = "pw";
        weights["pooler_bias"] = "pb";
      }
      bool perToken = std::string(pooling) == "token";
      SmallPlan plan;
      plan.input("x", "f32", {seq, hidden})
          .output("logits", "f32",
                  perToken ? std::vector<std::int64_t>{seq, classes}
                           : std::vector<std::int64_t>{classes})
          .weight("w", random({classes, hidden}, 0.2))
          .weight("b", random({classes}))
          .weight("pw", random({hidden, hidden}, 0.2))
          .weight("pb", random({hidden}))
          .step("classifier", {{"x", "x"}}, {{"logits", "logits"}}, weights,
                {{"pooling", pooling}});
      HostTensors inputs;
      inputs.addF32("x", x);
      expectParity(plan, inputs, {"fp32", "bf16"},
                   std::string(pooling) + (pooler ? " with pooler" : ""));
    }
}

// Bad indices are found on the GPU and reported as the CPU reports them.
TEST_F(OpParity, BadTokenIdsAndIndicesGiveTheCpuMessages) {
  const std::int64_t batch = 2, seq = 4, hidden = 8;
  SmallPlan tokens;
  tokens.input("ids", "i32", {seq})
      .output("y", "f32", {seq, hidden})
      .weight("word", random({10, hidden}))
      .weight("position", random({seq, hidden}))
      .step("token_embeddings", {{"ids", "ids"}}, {{"y", "y"}},
            {{"word", "word"}, {"position", "position"}});
  std::vector<std::int32_t> ids = {1, 2, 3, 4, 5, 6, 10, 7};
  HostTensors tokenInputs;
  tokenInputs.add("ids", DType::I32, {batch, seq}, ids.data());

  SmallPlan restore;
  restore.input("full", "f32", {seq, hidden})
      .input("selected", "f32", {2, hidden})
      .input("indices", "i32", {2})
      .output("y", "f32", {seq, hidden})
      .step(
          "restore_tokens",
          {{"full", "full"}, {"selected", "selected"}, {"indices", "indices"}},
          {{"y", "y"}});
  std::vector<std::int32_t> indices = {0, 3, 1, -1};
  HostTensors restoreInputs;
  restoreInputs.addF32("full", random({batch, seq, hidden}));
  restoreInputs.addF32("selected", random({batch, 2, hidden}));
  restoreInputs.add("indices", DType::I32, {batch, 2}, indices.data());

  SmallPlan gather;
  gather.input("x", "u8", {seq})
      .input("indices", "i32", {2})
      .output("y", "u8", {2})
      .step("gather_tokens", {{"x", "x"}, {"indices", "indices"}},
            {{"y", "y"}});
  std::vector<std::uint8_t> bytes(batch * seq, 1);
  std::vector<std::int32_t> far = {0, 1, 4, 2};
  HostTensors gatherInputs;
  gatherInputs.add("x", DType::U8, {batch, seq}, bytes.data());
  gatherInputs.add("indices", DType::I32, {batch, 2}, far.data());

  for (auto [plan, inputs, message] :
       {std::tuple<const SmallPlan *, const HostTensors *, const char *>{
            &tokens, &tokenInputs, "token id 10 at [1, 2] of 'ids'"},
        {&restore, &restoreInputs, "token index -1 at [1, 1] of 'indices'"},
        {&gather, &gatherInputs, "token index 4 at [1, 0] of 'indices'"}}) {
    plan->artifact().write(dir.path("bad.tailor"));
    Model model = loadModel(dir.path("bad.tailor"));
    std::string cpu, gpu;
    try {
      runOn(model, "only", *inputs, "cpu");
    } catch (const std::runtime_error &error) {
      cpu = error.what();
    }
    try {
      runOn(model, "only", *inputs, "cuda:0");
    } catch (const std::runtime_error &error) {
      gpu = error.what();
    }
    EXPECT_THAT(cpu, HasSubstr(message));
    EXPECT_EQ(gpu, cpu);
  }
}

} // namespace
} // namespace tailor::testing
