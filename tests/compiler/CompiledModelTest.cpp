//===- CompiledModelTest.cpp - tailorc compile, run by the runtime --------===//
//
// The compiler's must-show tests: every variant tailorc compiles from a
// TinyModel checkpoint computes what the reference forward pass computes,
// and the plan's peak activation memory is what the runtime allocates.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include "tailor/safetensors/safetensors.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace tailor::testing {

void PrintTo(const ModelConfig &config, std::ostream *out) {
  *out << config.kind << " (" << config.task << ", " << config.norm << "-norm, "
       << config.variants.size() << " variants)";
}

namespace {

constexpr double tolerance = 1e-4;

ModelConfig tinyVit() {
  ModelConfig config = tinyVitModel();
  config.variants = {{"b1.00", 1.0, {}},
                     {"b0.75", 0.75, {14, 10}},
                     {"b0.50", 0.5, {12, 6}},
                     {"b0.25", 0.25, {8, 3}}};
  return config;
}

/// Post-norm, token labels: Drop-and-Restore before the last layer.
ModelConfig tinyTokenEncoder() {
  ModelConfig config = tinyTokenEncoderModel();
  config.layers = 3;
  config.variants = {{"b1.00", 1.0, {}}, {"b0.60", 0.6, {7, 4, 10}}};
  return config;
}

/// BERT-like: pooler, token types, padding masked. The first selection
/// keeps 9 of 12 tokens, so it keeps padding of the inputs with fewer real
/// tokens: their key mask goes with them (gather_tokens), as the trainer's.
ModelConfig tinySequenceEncoder() {
  ModelConfig config = tinySequenceEncoderModel();
  config.variants = {{"b1.00", 1.0, {}}, {"b0.50", 0.5, {9, 5}}};
  return config;
}

/// Runs `command`, failing the test with its output when it fails.
void run(const std::string &command) {
  // One log per test process: ctest runs test cases side by side.
  std::string log =
      ::testing::TempDir() + "/tailorc-" + std::to_string(getpid()) + ".log";
  int status = std::system((command + " > " + log + " 2>&1").c_str());
  std::ifstream in(log);
  std::stringstream output;
  output << in.rdbuf();
  ASSERT_EQ(status, 0) << command << "\n" << output.str();
}

/// Writes `config`'s checkpoint and compiles every variant's budget, with
/// tailorc's `flags`.
std::string compile(const ModelConfig &config, const Weights &weights,
                    const TempDir &dir, const std::string &flags = "") {
  std::string checkpoint = dir.path("checkpoint");
  std::string artifact = dir.path("model.tailor");
  EXPECT_EQ(std::system(("mkdir -p " + checkpoint).c_str()), 0);
  writeCheckpoint(config, weights, checkpoint);
  std::string budgets;
  for (const VariantConfig &variant : config.variants)
    budgets += (budgets.empty() ? "" : ",") + std::to_string(variant.budget);
  run(std::string(TAILORC) + " compile " + checkpoint + " --budgets " +
      budgets + " " + flags + " -o " + artifact);
  return artifact;
}

/// The model inputs; the compiled encoder always takes a key mask (all ones
/// when the test model has none).
HostTensors compiledInputs(const ModelConfig &config, const Inputs &inputs) {
  HostTensors tensors = modelInputs(config, inputs);
  if (config.kind == "encoder" && !config.keyMask) {
    static std::vector<std::uint8_t> ones;
    ones.assign(inputs.ids.size(), 1);
    tensors.add("key_mask", DType::U8, {inputs.batch, config.tokens()},
                ones.data());
  }
  return tensors;
}

class CompiledModelTest : public ::testing::TestWithParam<ModelConfig> {};

TEST_P(CompiledModelTest, EveryVariantMatchesTheReference) {
  const ModelConfig config = GetParam();
  Weights weights = randomWeights(config);
  TempDir dir;
  Model model = loadModel(compile(config, weights, dir));
  ASSERT_EQ(model.variants().size(), config.variants.size());
  for (std::int64_t batch : {1, 5}) {
    Inputs inputs = randomInputs(config, batch, 100 + batch);
    for (const VariantConfig &variant : config.variants) {
      Array expected = referenceForward(config, weights, variant, inputs);
      Array actual = toArray(
          runModel(model, variant.name, compiledInputs(config, inputs), 3)
              .at("logits"));
      double error = relativeError(actual.values, expected.values);
      EXPECT_EQ(actual.shape, expected.shape);
      EXPECT_LT(error, tolerance) << variant.name << ", batch " << batch;
      std::printf("parity %s %s batch %lld: relative error %.3g\n",
                  config.kind.c_str(), variant.name.c_str(),
                  static_cast<long long>(batch), error);
    }
  }
}

TEST_P(CompiledModelTest, VariantsDescribeTheirConfiguration) {
  const ModelConfig config = GetParam();
  TempDir dir;
  Model model = loadModel(compile(config, randomWeights(config), dir));
  for (std::size_t i = 0; i < config.variants.size(); ++i) {
    const VariantInfo &info = model.variants()[i];
    EXPECT_EQ(info.name, config.variants[i].name);
    EXPECT_EQ(info.budget, config.variants[i].budget);
    EXPECT_EQ(info.lengths, config.lengthsOf(config.variants[i]));
    // Counted from the plan's steps, as the checkpoint library counts.
    EXPECT_EQ(info.flops, countFlops(config, config.variants[i]));
  }
}

TEST_P(CompiledModelTest, RuntimeAllocatesThePlannedArena) {
  const ModelConfig config = GetParam();
  TempDir dir;
  Model model = loadModel(compile(config, randomWeights(config), dir));
  Artifact handWritten = buildArtifact(config, randomWeights(config));
  const std::int64_t batch = 4;
  Inputs inputs = randomInputs(config, batch, 7);
  for (std::size_t i = 0; i < model.variants().size(); ++i) {
    const VariantInfo &info = model.variants()[i];
    // A new session allocates the arena of its first run.
    Result<Session> session = Session::create(model, {"cpu", 1});
    ASSERT_TRUE(session.ok()) << session.status().message();
    std::map<std::string, Tensor> outputs;
    Result<RunStats> stats = session->run(
        info.name, compiledInputs(config, inputs).views(), outputs);
    ASSERT_TRUE(stats.ok()) << stats.status().message();
    EXPECT_EQ(stats->arenaBytes, batch * info.arenaBytesPerSample);
    EXPECT_EQ(stats->arenaBytesAllocated, batch * info.arenaBytesPerSample);
    std::printf("arena %s %s: plan %llu bytes per sample, runtime allocated "
                "%llu for batch %lld; hand-written plan %llu\n",
                config.kind.c_str(), info.name.c_str(),
                static_cast<unsigned long long>(info.arenaBytesPerSample),
                static_cast<unsigned long long>(stats->arenaBytesAllocated),
                static_cast<long long>(batch),
                handWritten.manifest["variants"][i]["arena_bytes_per_sample"]
                    .get<unsigned long long>());
  }
}

TEST_P(CompiledModelTest, WeightsAreStoredOnce) {
  const ModelConfig config = GetParam();
  Weights weights = randomWeights(config);
  TempDir dir;
  safetensors::File file =
      safetensors::File::open(compile(config, weights, dir));
  std::set<std::string> stored;
  for (const safetensors::TensorInfo &tensor : file.tensors())
    stored.insert(tensor.name);
  // Every variant reads the same checkpoint tensors: each is in the file
  // once, under its checkpoint name, with its values; a layer's query, key
  // and value once, stacked (pack-qkv).
  std::set<std::string> expected;
  for (const auto &[name, array] : weights) {
    const std::size_t at = name.find(".attention.query.");
    if (at == std::string::npos) {
      if (name.find(".attention.key.") == std::string::npos &&
          name.find(".attention.value.") == std::string::npos)
        expected.insert(name);
      continue;
    }
    const std::string layer = name.substr(0, at) + ".attention.";
    const std::string kind = name.substr(at + 17); // "weight" or "bias"
    expected.insert(layer + "qkv." + kind + "@concat=" + layer + "query." +
                    kind + "|" + layer + "key." + kind + "|" + layer +
                    "value." + kind);
  }
  EXPECT_EQ(stored, expected);
  const safetensors::TensorInfo &position = file.get(
      config.kind == "vit" ? "embeddings.position" : "embeddings.word.weight");
  EXPECT_EQ(file.toFloat32(position), weights.at(position.name).toFloat32());
}

/// `weights` with every matrix (rank 2 and more) rounded to bfloat16, as a
/// bf16 artifact stores them.
Weights roundedMatrices(Weights weights) {
  for (auto &[name, array] : weights)
    if (array.shape.size() >= 2)
      for (double &value : array.values) {
        const std::uint32_t bits = std::uint32_t{safetensors::floatToBfloat16(
                                       static_cast<float>(value))}
                                   << 16;
        float rounded;
        std::memcpy(&rounded, &bits, sizeof rounded);
        value = rounded;
      }
  return weights;
}

// tailorc --precision bf16 stores the weight matrices as BF16 (half their
// bytes) and plans the activations at 16 bits (about half the arena). The
// CPU widens both: it computes the model whose matrices are rounded to
// bf16 as exactly as it computes the f32 artifact.
TEST_P(CompiledModelTest, Bf16CompileHalvesWeightsAndArena) {
  const ModelConfig config = GetParam();
  Weights weights = randomWeights(config);
  TempDir f32Dir, bf16Dir;
  Model f32 = loadModel(compile(config, weights, f32Dir));
  const std::string path =
      compile(config, weights, bf16Dir, "--precision bf16");
  Model bf16 = loadModel(path);
  safetensors::File file = safetensors::File::open(path);
  for (const safetensors::TensorInfo &tensor : file.tensors())
    if (weights.count(tensor.name))
      EXPECT_EQ(tensor.dtype, tensor.shape.size() >= 2
                                  ? safetensors::DType::BF16
                                  : safetensors::DType::F32)
          << tensor.name;
  ASSERT_EQ(bf16.variants().size(), f32.variants().size());
  for (std::size_t i = 0; i < f32.variants().size(); ++i) {
    const std::uint64_t narrow = bf16.variants()[i].arenaBytesPerSample;
    const std::uint64_t wide = f32.variants()[i].arenaBytesPerSample;
    std::printf("arena %s %s: f32 plan %llu, bf16 plan %llu bytes per sample\n",
                config.kind.c_str(), f32.variants()[i].name.c_str(),
                static_cast<unsigned long long>(wide),
                static_cast<unsigned long long>(narrow));
    EXPECT_LE(narrow, wide * 0.6) << f32.variants()[i].name;
  }
  const Weights rounded = roundedMatrices(weights);
  Inputs inputs = randomInputs(config, 3, 11);
  for (const VariantConfig &variant : config.variants) {
    Array expected = referenceForward(config, rounded, variant, inputs);
    Array actual =
        toArray(runModel(bf16, variant.name, compiledInputs(config, inputs), 2)
                    .at("logits"));
    EXPECT_LT(relativeError(actual.values, expected.values), tolerance)
        << variant.name;
  }
}

std::string modelName(const ::testing::TestParamInfo<ModelConfig> &info) {
  const char *names[] = {"Vit", "TokenEncoder", "SequenceEncoder"};
  return names[info.index];
}

INSTANTIATE_TEST_SUITE_P(Models, CompiledModelTest,
                         ::testing::Values(tinyVit(), tinyTokenEncoder(),
                                           tinySequenceEncoder()),
                         modelName);

TEST(CompiledSequenceEncoder, PaddingKeptBySelectionStaysMasked) {
  // Sample 0 has 3 real tokens of 12: the first selection keeps 9 tokens,
  // 6 of them padding, which the second layer must still not attend to.
  const ModelConfig config = tinySequenceEncoder();
  Weights weights = randomWeights(config);
  TempDir dir;
  Model model = loadModel(compile(config, weights, dir));
  Inputs inputs = randomInputs(config, 2, 31);
  for (std::int64_t s = 0; s < 12; ++s) {
    inputs.keyMask[s] = s < 3;
    inputs.ids[s] = s < 3 ? inputs.ids[s] : 0;
    inputs.keyMask[12 + s] = 1;
    inputs.ids[12 + s] = s == 0 ? 0 : 1 + s;
  }
  for (const VariantConfig &variant : config.variants) {
    Array expected = referenceForward(config, weights, variant, inputs);
    Array actual =
        toArray(runModel(model, variant.name, compiledInputs(config, inputs), 2)
                    .at("logits"));
    EXPECT_LT(relativeError(actual.values, expected.values), tolerance)
        << variant.name;
  }
}

TEST(CompiledText, TheArtifactCarriesTheVocabularyAndRunsText) {
  const std::vector<std::string> texts = {
      "a young domestic dog; usually a pet",
      "move fast by using one's feet, with one foot off the ground at any "
      "given time",
      "the quality of being well-known",
      "in a careful manner; \"he walked carefully\""};
  ModelConfig config = tinyTextEncoderModel(texts);
  config.variants = {{"b1.00", 1.0, {}}, {"b0.50", 0.5, {9, 5}}};
  Weights weights = randomWeights(config);
  TempDir dir;
  const std::string artifact = compile(config, weights, dir);
  // vocab.txt's words, in id order, one per line.
  safetensors::File file = safetensors::File::open(artifact);
  const safetensors::TensorInfo &tensor = file.get("text.vocabulary");
  EXPECT_EQ(tensor.dtype, safetensors::DType::U8);
  std::string words;
  for (const std::string &word : config.vocabulary)
    words += word + "\n";
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(file.data(tensor)),
                        tensor.shape[0]),
            words);

  Model model = loadModel(artifact);
  EXPECT_EQ(model.info().vocabularySize, config.vocabSize);
  Result<TokenInputs> encoded = model.encodeTexts(texts);
  ASSERT_TRUE(encoded.ok()) << encoded.status().message();
  HostTensors tensors;
  for (const auto &[name, input] : encoded->tensors)
    tensors.add(name, input.dtype(), input.shape(), input.data());
  const Inputs trainer = trainerTextInputs(config, texts);
  for (const VariantConfig &variant : config.variants) {
    Array expected = referenceForward(config, weights, variant, trainer);
    Array actual =
        toArray(runModel(model, variant.name, tensors, 2).at("logits"));
    EXPECT_LT(relativeError(actual.values, expected.values), tolerance)
        << variant.name;
  }
}

/// tinyVit's 17 tokens in blocks of 4: 5 x 5 block masks, block 0 (CLS)
/// global, each layer's pattern different; `patterns` of them.
ModelConfig tinySsaVit(checkpoint::SsaInference inference, int patterns) {
  ModelConfig config = tinyVit();
  config.variants = {{"b1.00", 1.0, {}}};
  checkpoint::SsaSettings ssa;
  ssa.block = 4;
  ssa.keep = 0.5;
  ssa.locality = 1.0;
  ssa.inference = inference;
  const std::vector<std::vector<std::int64_t>> masks = {
      {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 1,
       1, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1},
      {1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1,
       0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1},
      {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0,
       0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1}};
  for (int p = 0; p < patterns; ++p)
    ssa.patterns.push_back(
        {{masks[p % masks.size()], masks[(p + 1) % masks.size()]}});
  config.ssa = ssa;
  return config;
}

/// The compiled model's logits match the reference's, and differ from the
/// dense model's (the patterns are not ignored).
void expectSsaParity(const ModelConfig &config) {
  Weights weights = randomWeights(config);
  TempDir dir;
  Model model = loadModel(compile(config, weights, dir));
  ModelConfig dense = config;
  dense.ssa.reset();
  const VariantConfig &variant = config.variants.front();
  for (std::int64_t batch : {1, 4}) {
    Inputs inputs = randomInputs(config, batch, 200 + batch);
    Array expected = referenceForward(config, weights, variant, inputs);
    Array actual =
        toArray(runModel(model, variant.name, compiledInputs(config, inputs), 2)
                    .at("logits"));
    double error = relativeError(actual.values, expected.values);
    double fromDense =
        relativeError(actual.values,
                      referenceForward(dense, weights, variant, inputs).values);
    EXPECT_EQ(actual.shape, expected.shape);
    EXPECT_LT(error, tolerance) << "batch " << batch;
    EXPECT_GT(fromDense, 100 * tolerance) << "batch " << batch;
    std::printf(
        "ssa %s batch %lld: relative error %.3g (%.3g from dense)\n",
        std::string(checkpoint::toString(config.ssa->inference)).c_str(),
        static_cast<long long>(batch), error, fromDense);
  }
}

TEST(CompiledSsa, SparseMatchesTheBlockSparseReference) {
  const ModelConfig config = tinySsaVit(checkpoint::SsaInference::Sparse, 1);
  expectSsaParity(config);
}

/// The plan's FLOPs (counted from its steps) are the checkpoint library's
/// count: the kept blocks only, every pattern's layers and head, what two
/// patterns compute alike once.
void expectSsaFlops(const ModelConfig &config) {
  TempDir dir;
  Model model = loadModel(compile(config, randomWeights(config), dir));
  const VariantConfig &variant = config.variants.front();
  EXPECT_EQ(model.variants().front().flops, countFlops(config, variant));
  ModelConfig dense = config;
  dense.ssa.reset();
  const double patterns = static_cast<double>(config.ssa->patterns.size());
  EXPECT_LT(countFlops(config, variant),
            patterns * static_cast<double>(countFlops(dense, variant)));
}

TEST(CompiledSsa, FlopsCountTheKeptBlocksOfEveryPattern) {
  expectSsaFlops(tinySsaVit(checkpoint::SsaInference::Sparse, 1));
  expectSsaFlops(tinySsaVit(checkpoint::SsaInference::Ensemble, 3));
  // Pattern 3 is pattern 0 again: computed once.
  expectSsaFlops(tinySsaVit(checkpoint::SsaInference::Ensemble, 4));
}

TEST(CompiledSsa, EnsembleAveragesEveryPatternsLogits) {
  expectSsaParity(tinySsaVit(checkpoint::SsaInference::Ensemble, 3));
}

TEST(CompiledSsa, DenseInferenceIgnoresThePatterns) {
  ModelConfig config = tinySsaVit(checkpoint::SsaInference::Dense, 2);
  Weights weights = randomWeights(config);
  TempDir dir;
  Model model = loadModel(compile(config, weights, dir));
  config.ssa.reset();
  Inputs inputs = randomInputs(config, 3, 9);
  Array expected =
      referenceForward(config, weights, config.variants.front(), inputs);
  Array actual = toArray(runModel(model, config.variants.front().name,
                                  compiledInputs(config, inputs), 1)
                             .at("logits"));
  EXPECT_LT(relativeError(actual.values, expected.values), tolerance);
}

TEST(Compile, ABudgetBelowEveryConfigurationIsAnError) {
  ModelConfig config = tinyVit();
  config.variants = {{"b1.00", 1.0, {}}, {"b0.50", 0.5, {12, 6}}};
  TempDir dir;
  std::string checkpoint = dir.path("checkpoint");
  ASSERT_EQ(std::system(("mkdir -p " + checkpoint).c_str()), 0);
  writeCheckpoint(config, randomWeights(config), checkpoint);
  std::string log = dir.path("log");
  int status = std::system((std::string(TAILORC) + " compile " + checkpoint +
                            " --budgets 0.25 -o " + dir.path("m.tailor") +
                            " > " + log + " 2>&1")
                               .c_str());
  std::ifstream in(log);
  std::stringstream output;
  output << in.rdbuf();
  EXPECT_NE(status, 0);
  EXPECT_EQ(output.str(),
            "tailorc: error: no searched length configuration fits budget "
            "0.25 (the checkpoint has budgets 1.00, 0.50)\n");
}

} // namespace
} // namespace tailor::testing
