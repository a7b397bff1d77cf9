//===- model_config_test.cpp - model.json: parse, serialize, reject -------===//

#include "tailor/checkpoint/error.h"
#include "tailor/checkpoint/model_config.h"

#include "tailor/testing/checkpoint_files.h"

#include <gmock/gmock.h>

#include <functional>

namespace tailor::checkpoint {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

/// docs/checkpoint-format.md's example, verbatim.
json documentExample() {
  return json::parse(R"({
  "format": "tailor-checkpoint",
  "version": 1,
  "architecture": {
    "kind": "vit",
    "layers": 4, "hidden": 128, "heads": 4, "intermediate": 512,
    "norm": "pre",
    "activation": "gelu",
    "layer_norm_eps": 1e-6,
    "classes": 10,
    "task": "sequence",
    "image_size": 28, "patch_size": 4, "channels": 1
  },
  "adaptive": {
    "length_drop": {"p": 0.2, "layer_drop": 0.0, "sandwich_random": 2},
    "drop_and_restore": false,
    "length_configs": [
      {"budget": 1.0, "lengths": [50, 50, 50, 50], "flops": 123456789, "accuracy": 0.89},
      {"budget": 0.5, "lengths": [40, 27, 18, 12], "flops": 61000000, "accuracy": 0.885}
    ],
    "pareto": [{"lengths": [40, 27, 18, 12], "flops": 61000000, "accuracy": 0.885}],
    "ssa": {
      "block": 16, "keep": 0.5, "locality": 1.0, "global_first_block": true,
      "inference": "sparse",
      "patterns": [{"layers": [
        {"mask": [1,1,1,1, 1,1,0,0, 1,0,1,1, 1,0,1,1]},
        {"mask": [1,1,1,1, 1,1,1,0, 1,1,1,0, 1,0,0,1]},
        {"mask": [1,1,1,1, 1,1,0,1, 1,0,1,0, 1,1,0,1]},
        {"mask": [1,1,1,1, 1,1,0,0, 1,1,1,0, 1,0,1,1]}
      ]}]
    },
    "acm": {
      "layers": [1, 2, 3], "learners": 4, "learner_width": 128,
      "budget": 0.5, "compute": 0.497
    }
  }
})");
}

json minimalEncoder() {
  return json::parse(R"({
  "format": "tailor-checkpoint", "version": 1,
  "architecture": {"kind": "encoder", "layers": 2, "hidden": 8, "heads": 2,
                   "intermediate": 16, "norm": "post", "activation": "relu",
                   "classes": 3, "vocab_size": 30, "max_positions": 12}
})");
}

TEST(ModelConfigTest, ParsesTheDocumentExample) {
  const ModelConfig config = parseModelJson(documentExample(), "model.json");
  EXPECT_EQ(config.kind, ModelKind::Vit);
  EXPECT_EQ(config.layers, 4);
  EXPECT_EQ(config.hidden, 128);
  EXPECT_EQ(config.heads, 4);
  EXPECT_EQ(config.intermediate, 512);
  EXPECT_EQ(config.norm, NormPlacement::Pre);
  EXPECT_EQ(config.activation, Activation::Gelu);
  EXPECT_EQ(config.layerNormEps, 1e-6);
  EXPECT_EQ(config.classes, 10);
  EXPECT_EQ(config.task, TaskKind::Sequence);
  EXPECT_EQ(config.imageSize, 28);
  EXPECT_EQ(config.patchSize, 4);
  EXPECT_EQ(config.channels, 1);
  EXPECT_EQ(inputTokens(config), 50);
  ASSERT_TRUE(config.adaptive.lengthDrop.has_value());
  EXPECT_EQ(config.adaptive.lengthDrop->p, 0.2);
  EXPECT_EQ(config.adaptive.lengthDrop->layerDrop, 0.0);
  EXPECT_EQ(config.adaptive.lengthDrop->sandwichRandom, 2);
  EXPECT_FALSE(config.adaptive.dropAndRestore);
  ASSERT_EQ(config.adaptive.lengthConfigs.size(), 2u);
  const LengthConfig &half = config.adaptive.lengthConfigs[1];
  EXPECT_EQ(half.budget, 0.5);
  EXPECT_THAT(half.lengths, ElementsAre(40, 27, 18, 12));
  EXPECT_EQ(half.flops, 61000000);
  EXPECT_EQ(half.accuracy, 0.885);
  ASSERT_EQ(config.adaptive.pareto.size(), 1u);
  EXPECT_THAT(config.adaptive.pareto[0].lengths, ElementsAre(40, 27, 18, 12));
  ASSERT_TRUE(config.adaptive.ssa.has_value());
  const SsaSettings &ssa = *config.adaptive.ssa;
  EXPECT_EQ(ssa.block, 16);
  EXPECT_EQ(ssa.keep, 0.5);
  EXPECT_EQ(ssa.locality, 1.0);
  EXPECT_TRUE(ssa.globalFirstBlock);
  EXPECT_EQ(ssa.inference, SsaInference::Sparse);
  EXPECT_EQ(ssaBlockRows(config, ssa.block), 4);
  ASSERT_EQ(ssa.patterns.size(), 1u);
  ASSERT_EQ(ssa.patterns[0].masks.size(), 4u);
  EXPECT_THAT(ssa.patterns[0].masks[3],
              ElementsAre(1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1));
  ASSERT_TRUE(config.adaptive.acm.has_value());
  const AcmSettings &acm = *config.adaptive.acm;
  EXPECT_THAT(acm.layers, ElementsAre(1, 2, 3));
  EXPECT_EQ(acm.learners, 4);
  EXPECT_EQ(acm.learnerWidth, 128);
  EXPECT_EQ(acm.budget, 0.5);
  EXPECT_EQ(acm.compute, 0.497);
  EXPECT_FALSE(isAcmLayer(config, 0));
  EXPECT_TRUE(isAcmLayer(config, 3));
}

TEST(ModelConfigTest, OptionalKeysTakeTheirDefaults) {
  const ModelConfig encoder = parseModelJson(minimalEncoder(), "model.json");
  EXPECT_EQ(encoder.layerNormEps, 1e-12);
  EXPECT_EQ(encoder.task, TaskKind::Sequence);
  EXPECT_EQ(encoder.typeVocabSize, 0);
  EXPECT_FALSE(encoder.pooler);
  EXPECT_EQ(encoder.adaptive, AdaptiveConfig());
  EXPECT_EQ(inputTokens(encoder), 12);

  json vit = documentExample();
  vit["architecture"].erase("layer_norm_eps");
  vit.erase("adaptive");
  EXPECT_EQ(parseModelJson(vit, "model.json").layerNormEps, 1e-6);
}

TEST(ModelConfigTest, SerializeThenParseGivesTheSameConfig) {
  ModelConfig encoder = testing::oddEncoderConfig();
  encoder.task = TaskKind::Token;
  encoder.activation = Activation::GeluTanh;
  encoder.adaptive.lengthDrop = LengthDropSettings{0.3, 0.1, 2};
  encoder.adaptive.dropAndRestore = true;
  encoder.adaptive.lengthConfigs = {{1.0, {17, 17, 17}, 1000, 0.91},
                                    {0.4, {9, 5, 17}, 400, 0.875}};
  encoder.adaptive.pareto = {{{9, 5, 17}, 400, 0.875}};
  ModelConfig vit = testing::oddVitConfig();
  vit.adaptive.lengthConfigs = {{0.75, {8, 6, 6}, 123, 0.5}};
  SsaSettings ssa;
  ssa.block = inputTokens(vit);
  ssa.keep = 0.25;
  ssa.locality = 1.5;
  ssa.inference = SsaInference::Ensemble;
  ssa.patterns.assign(2, SsaPattern{std::vector<std::vector<std::int64_t>>(
                             static_cast<std::size_t>(vit.layers), {1})});
  vit.adaptive.ssa = ssa;
  ModelConfig acm = testing::oddVitConfig();
  acm.adaptive.acm = AcmSettings{{0, 2}, 5, 40, 0.25, std::nullopt};

  for (const ModelConfig &config : {encoder, vit, acm}) {
    const json written = toJson(config);
    const ModelConfig parsed = parseModelJson(written, "model.json");
    EXPECT_EQ(parsed, config) << written.dump();
    EXPECT_EQ(toJson(parsed), written);
    // Through text, as the file is written.
    EXPECT_EQ(parseModelJson(json::parse(written.dump(2)), "model.json"),
              config);
  }
  EXPECT_EQ(toJson(vit)["architecture"].count("vocab_size"), 0u);
  EXPECT_EQ(toJson(encoder)["architecture"].count("image_size"), 0u);
}

struct BrokenConfig {
  std::string name;
  std::function<void(json &)> breakIt;
  std::string expected;
};

std::vector<BrokenConfig> brokenConfigs() {
  return {
      {"RootNotObject", [](json &j) { j = json::array(); },
       "expected a JSON object, got array"},
      {"WrongFormat", [](json &j) { j["format"] = "safetensors"; },
       "format: expected \"tailor-checkpoint\", got \"safetensors\""},
      {"FutureVersion", [](json &j) { j["version"] = 2; },
       "version: version 2 is not supported (this build reads version 1)"},
      {"UnknownTopLevelKey", [](json &j) { j["adaptve"] = json::object(); },
       "adaptve: unknown key (expected one of: format, version, "
       "architecture, adaptive)"},
      {"MissingArchitecture", [](json &j) { j.erase("architecture"); },
       "missing key 'architecture'"},
      {"ArchitectureNotObject", [](json &j) { j["architecture"] = 3; },
       "architecture: expected a JSON object, got number 3"},
      {"MissingKey", [](json &j) { j["architecture"].erase("hidden"); },
       "architecture: missing key 'hidden'"},
      {"WrongTypeString", [](json &j) { j["architecture"]["hidden"] = "128"; },
       "architecture.hidden: expected an integer, got string \"128\""},
      {"WrongTypeFloat", [](json &j) { j["architecture"]["layers"] = 4.5; },
       "architecture.layers: expected an integer, got number 4.5"},
      {"IntegerTooLarge",
       [](json &j) {
         j["architecture"]["layers"] =
             std::numeric_limits<std::uint64_t>::max();
       },
       "architecture.layers: 18446744073709551615 is too large"},
      {"ZeroLayers", [](json &j) { j["architecture"]["layers"] = 0; },
       "architecture.layers: must be at least 1, got 0"},
      {"NegativeIntermediate",
       [](json &j) { j["architecture"]["intermediate"] = -512; },
       "architecture.intermediate: must be at least 1, got -512"},
      {"ZeroClasses", [](json &j) { j["architecture"]["classes"] = 0; },
       "architecture.classes: must be at least 1, got 0"},
      {"HiddenNotDivisibleByHeads",
       [](json &j) { j["architecture"]["heads"] = 6; },
       "architecture.hidden: 128 is not divisible by architecture.heads 6"},
      {"ImageNotDivisibleByPatch",
       [](json &j) { j["architecture"]["patch_size"] = 5; },
       "architecture.image_size: 28 is not divisible by "
       "architecture.patch_size 5"},
      {"UnknownActivation",
       [](json &j) { j["architecture"]["activation"] = "swish"; },
       "architecture.activation: unknown value \"swish\" (expected \"gelu\", "
       "\"gelu_tanh\", \"relu\")"},
      {"UnknownKind", [](json &j) { j["architecture"]["kind"] = "decoder"; },
       "architecture.kind: unknown value \"decoder\" (expected \"encoder\", "
       "\"vit\")"},
      {"UnknownNorm", [](json &j) { j["architecture"]["norm"] = "sandwich"; },
       "architecture.norm: unknown value \"sandwich\""},
      {"UnknownTask", [](json &j) { j["architecture"]["task"] = "span"; },
       "architecture.task: unknown value \"span\""},
      {"NonPositiveEps",
       [](json &j) { j["architecture"]["layer_norm_eps"] = 0; },
       "architecture.layer_norm_eps: must be a positive number, got 0"},
      {"MisspeltKey", [](json &j) { j["architecture"]["chanels"] = 1; },
       "architecture.chanels: unknown key"},
      {"EncoderKeyInVit", [](json &j) { j["architecture"]["vocab_size"] = 9; },
       "architecture.vocab_size: unknown key"},
      {"LengthConfigTooShort",
       [](json &j) {
         j["adaptive"]["length_configs"][1]["lengths"] = {40, 27, 18};
       },
       "adaptive.length_configs[1].lengths: [40, 27, 18]: 3 entries for a "
       "model of 4 layers (one entry per layer)"},
      {"LengthConfigIncreasing",
       [](json &j) {
         j["adaptive"]["length_configs"][1]["lengths"] = {40, 27, 30, 12};
       },
       "adaptive.length_configs[1].lengths: [40, 27, 30, 12]: layer 2 keeps "
       "30 tokens, more than layer 1's 27 (entries never increase)"},
      {"LengthConfigBeyondInput",
       [](json &j) {
         j["adaptive"]["length_configs"][0]["lengths"] = {51, 50, 50, 50};
       },
       "adaptive.length_configs[0].lengths: [51, 50, 50, 50]: layer 0 keeps "
       "51 tokens, more than the 50 input tokens"},
      {"LengthConfigZero",
       [](json &j) {
         j["adaptive"]["length_configs"][1]["lengths"] = {40, 27, 0, 0};
       },
       "layer 2 keeps 0 tokens, every layer keeps at least 1 (the CLS "
       "token)"},
      {"LengthsNotIntegers",
       [](json &j) {
         j["adaptive"]["length_configs"][1]["lengths"] = {40, "27", 18, 12};
       },
       "adaptive.length_configs[1].lengths: element 1 is not a 64-bit "
       "integer: string \"27\""},
      {"LengthConfigMissingFlops",
       [](json &j) { j["adaptive"]["length_configs"][0].erase("flops"); },
       "adaptive.length_configs[0]: missing key 'flops'"},
      {"BudgetZero",
       [](json &j) { j["adaptive"]["length_configs"][1]["budget"] = 0; },
       "adaptive.length_configs[1].budget: must be in (0, 1], got 0"},
      {"AccuracyAboveOne",
       [](json &j) { j["adaptive"]["length_configs"][0]["accuracy"] = 89; },
       "adaptive.length_configs[0].accuracy: must be in [0, 1], got 89"},
      {"NegativeFlops",
       [](json &j) { j["adaptive"]["pareto"][0]["flops"] = -1; },
       "adaptive.pareto[0].flops: must be at least 0, got -1"},
      {"ParetoLengthsWrong",
       [](json &j) {
         j["adaptive"]["pareto"][0]["lengths"] = {40, 41, 1, 1};
       },
       "adaptive.pareto[0].lengths: [40, 41, 1, 1]: layer 1 keeps 41 tokens"},
      {"LengthConfigsNotArray",
       [](json &j) { j["adaptive"]["length_configs"] = json::object(); },
       "adaptive.length_configs: expected an array of objects, got object"},
      {"LengthDropPOne",
       [](json &j) { j["adaptive"]["length_drop"]["p"] = 1.0; },
       "adaptive.length_drop.p: must be in [0, 1), got 1"},
      {"NegativeSandwich",
       [](json &j) { j["adaptive"]["length_drop"]["sandwich_random"] = -2; },
       "adaptive.length_drop.sandwich_random: must be at least 0, got -2"},
      {"DropAndRestoreNeedsTokenTask",
       [](json &j) { j["adaptive"]["drop_and_restore"] = true; },
       "adaptive.drop_and_restore: Drop-and-Restore needs token-level "
       "outputs, but architecture.task is \"sequence\""},
      {"DropAndRestoreKeepsTheLastLayerFull",
       [](json &j) {
         j["architecture"]["task"] = "token";
         j["adaptive"]["drop_and_restore"] = true;
       },
       "adaptive.length_configs[1].lengths: [40, 27, 18, 12]: with "
       "Drop-and-Restore (task \"token\") the last layer runs on all 50 "
       "tokens, got 12"},
      {"SsaBlockNotPositive",
       [](json &j) { j["adaptive"]["ssa"]["block"] = 0; },
       "adaptive.ssa.block: must be at least 1, got 0"},
      {"SsaKeepZero", [](json &j) { j["adaptive"]["ssa"]["keep"] = 0; },
       "adaptive.ssa.keep: must be in (0, 1], got 0"},
      {"SsaKeepAboveOne", [](json &j) { j["adaptive"]["ssa"]["keep"] = 1.5; },
       "adaptive.ssa.keep: must be in (0, 1], got 1.5"},
      {"SsaLocalityNegative",
       [](json &j) { j["adaptive"]["ssa"]["locality"] = -1; },
       "adaptive.ssa.locality: must be a finite number >= 0, got -1"},
      {"SsaUnknownInference",
       [](json &j) { j["adaptive"]["ssa"]["inference"] = "mixed"; },
       "adaptive.ssa.inference: unknown value \"mixed\" (expected "
       "\"dense\", \"sparse\", \"ensemble\")"},
      {"SsaSparseWithTwoPatterns",
       [](json &j) {
         j["adaptive"]["ssa"]["patterns"].push_back(
             j["adaptive"]["ssa"]["patterns"][0]);
       },
       "adaptive.ssa.patterns: inference \"sparse\" needs exactly 1 "
       "pattern, got 2"},
      {"SsaEnsembleWithOnePattern",
       [](json &j) { j["adaptive"]["ssa"]["inference"] = "ensemble"; },
       "adaptive.ssa.patterns: inference \"ensemble\" needs at least 2 "
       "patterns, got 1"},
      {"SsaMaskPerLayer",
       [](json &j) { j["adaptive"]["ssa"]["patterns"][0]["layers"].erase(0); },
       "adaptive.ssa.patterns[0].layers: 3 masks for a model of 4 layers"},
      {"SsaMaskSize",
       [](json &j) {
         j["adaptive"]["ssa"]["patterns"][0]["layers"][1]["mask"] = {1, 1, 1};
       },
       "adaptive.ssa.patterns[0].layers[1].mask: 3 entries, expected 4 x 4"},
      {"SsaMaskNotABit",
       [](json &j) {
         j["adaptive"]["ssa"]["patterns"][0]["layers"][2]["mask"][5] = 2;
       },
       "adaptive.ssa.patterns[0].layers[2].mask: entry (1, 1) is 2, not 0 "
       "or 1"},
      {"SsaMaskGlobalBlockDropped",
       [](json &j) {
         j["adaptive"]["ssa"]["patterns"][0]["layers"][0]["mask"][8] = 0;
       },
       "adaptive.ssa.patterns[0].layers[0].mask: entry (2, 0) is 0, but "
       "global_first_block"},
      {"SsaMaskRowEmpty",
       [](json &j) {
         json &ssa = j["adaptive"]["ssa"];
         ssa["global_first_block"] = false;
         ssa["patterns"][0]["layers"][3]["mask"] = {1, 1, 1, 1, 0, 0, 0, 0,
                                                    1, 1, 1, 1, 1, 1, 1, 1};
       },
       "adaptive.ssa.patterns[0].layers[3].mask: query block 1 attends to "
       "no key block"},
      {"SsaUnknownKey", [](json &j) { j["adaptive"]["ssa"]["seed"] = 3; },
       "adaptive.ssa.seed: unknown key"},
      {"UnknownAdaptiveKey",
       [](json &j) { j["adaptive"]["lenght_configs"] = json::array(); },
       "adaptive.lenght_configs: unknown key"},
      {"AcmMissingLearners",
       [](json &j) { j["adaptive"]["acm"].erase("learners"); },
       "adaptive.acm: missing key 'learners'"},
      {"AcmNoLayers",
       [](json &j) { j["adaptive"]["acm"]["layers"] = json::array(); },
       "adaptive.acm.layers: lists no layer"},
      {"AcmLayerOutOfRange",
       [](json &j) {
         j["adaptive"]["acm"]["layers"] = {1, 4};
       },
       "adaptive.acm.layers[1]: layer 4 is not in [0, 4)"},
      {"AcmLayersRepeated",
       [](json &j) {
         j["adaptive"]["acm"]["layers"] = {2, 2};
       },
       "adaptive.acm.layers[1]: layer 2 after 2 (layers are listed once, "
       "ascending)"},
      {"AcmOneLearner",
       [](json &j) {
         j["adaptive"]["acm"]["learners"] = 1;
         j["adaptive"]["acm"]["learner_width"] = 512;
       },
       "adaptive.acm.learners: must be at least 2, got 1"},
      {"AcmLearnersDoNotMakeUpTheMlp",
       [](json &j) { j["adaptive"]["acm"]["learner_width"] = 100; },
       "adaptive.acm.learner_width: 4 learners of width 100 do not make up "
       "architecture.intermediate 512"},
      {"AcmBudgetZero", [](json &j) { j["adaptive"]["acm"]["budget"] = 0; },
       "adaptive.acm.budget: must be in (0, 1], got 0"},
      {"AcmComputeBelowOneLearner",
       [](json &j) { j["adaptive"]["acm"]["compute"] = 0.2; },
       "adaptive.acm.compute: must be in [1/learners, 1] = [0.25, 1], got "
       "0.2"},
      {"AcmUnknownKey", [](json &j) { j["adaptive"]["acm"]["gate"] = "mlp"; },
       "adaptive.acm.gate: unknown key"},
  };
}

class BrokenModelJsonTest : public ::testing::TestWithParam<BrokenConfig> {};

TEST_P(BrokenModelJsonTest, NamesTheFileAndTheKey) {
  json modelJson = documentExample();
  GetParam().breakIt(modelJson);
  try {
    parseModelJson(modelJson, "run/model.json");
    FAIL() << "parsing must throw";
  } catch (const CheckpointError &error) {
    EXPECT_THAT(error.what(), StartsWith("run/model.json: "));
    EXPECT_THAT(error.what(), HasSubstr(GetParam().expected));
  }
}

INSTANTIATE_TEST_SUITE_P(
    ModelJson, BrokenModelJsonTest, ::testing::ValuesIn(brokenConfigs()),
    [](const ::testing::TestParamInfo<BrokenConfig> &param) {
      return param.param.name;
    });

TEST(ModelConfigTest, DropAndRestoreLengthsEndOnTheFullLength) {
  json modelJson = documentExample();
  modelJson["architecture"]["task"] = "token";
  modelJson["adaptive"]["drop_and_restore"] = true;
  modelJson["adaptive"]["length_configs"][1]["lengths"] = {40, 27, 18, 50};
  modelJson["adaptive"]["pareto"][0]["lengths"] = {40, 27, 18, 50};
  const ModelConfig config = parseModelJson(modelJson, "model.json");
  EXPECT_TRUE(restoresBeforeLastLayer(config));
  EXPECT_THAT(config.adaptive.lengthConfigs[1].lengths,
              ElementsAre(40, 27, 18, 50));
}

TEST(ModelConfigTest, ValidateChecksConfigsBuiltInCode) {
  ModelConfig config = testing::oddVitConfig();
  EXPECT_NO_THROW(validate(config, "trainer"));
  config.pooler = true;
  try {
    validate(config, "trainer");
    FAIL() << "a vit with a pooler must throw";
  } catch (const CheckpointError &error) {
    EXPECT_STREQ(error.what(), "trainer: architecture.pooler: only an encoder "
                               "has a pooler, this is a vit");
  }
}

TEST(ModelConfigTest, EnumNames) {
  EXPECT_EQ(toString(ModelKind::Encoder), "encoder");
  EXPECT_EQ(toString(ModelKind::Vit), "vit");
  EXPECT_EQ(toString(NormPlacement::Post), "post");
  EXPECT_EQ(toString(NormPlacement::Pre), "pre");
  EXPECT_EQ(toString(Activation::Gelu), "gelu");
  EXPECT_EQ(toString(Activation::GeluTanh), "gelu_tanh");
  EXPECT_EQ(toString(Activation::Relu), "relu");
  EXPECT_EQ(toString(TaskKind::Sequence), "sequence");
  EXPECT_EQ(toString(TaskKind::Token), "token");
  EXPECT_EQ(toString(SsaInference::Dense), "dense");
  EXPECT_EQ(toString(SsaInference::Sparse), "sparse");
  EXPECT_EQ(toString(SsaInference::Ensemble), "ensemble");
}

} // namespace
} // namespace tailor::checkpoint
