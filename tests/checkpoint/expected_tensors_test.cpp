//===- expected_tensors_test.cpp - The canonical tensor table -------------===//
//
// Full lists written out by hand from docs/checkpoint-format.md: the oracle
// for expectedTensors, which the checkpoint-writing test helpers then reuse.
//
//===----------------------------------------------------------------------===//

#include "tailor/checkpoint/expected_tensors.h"

#include "tailor/testing/checkpoint_files.h"

#include <gtest/gtest.h>

namespace tailor::checkpoint {
namespace {

using Table = std::vector<std::pair<std::string, std::vector<std::int64_t>>>;

Table tableOf(const ModelConfig &config) {
  Table table;
  for (const TensorSpec &spec : expectedTensors(config))
    table.emplace_back(spec.name, spec.shape);
  return table;
}

Table layerZero(std::int64_t hidden, std::int64_t intermediate) {
  return {{"layers.0.attention.query.weight", {hidden, hidden}},
          {"layers.0.attention.query.bias", {hidden}},
          {"layers.0.attention.key.weight", {hidden, hidden}},
          {"layers.0.attention.key.bias", {hidden}},
          {"layers.0.attention.value.weight", {hidden, hidden}},
          {"layers.0.attention.value.bias", {hidden}},
          {"layers.0.attention.output.weight", {hidden, hidden}},
          {"layers.0.attention.output.bias", {hidden}},
          {"layers.0.attention_norm.weight", {hidden}},
          {"layers.0.attention_norm.bias", {hidden}},
          {"layers.0.mlp.up.weight", {intermediate, hidden}},
          {"layers.0.mlp.up.bias", {intermediate}},
          {"layers.0.mlp.down.weight", {hidden, intermediate}},
          {"layers.0.mlp.down.bias", {hidden}},
          {"layers.0.mlp_norm.weight", {hidden}},
          {"layers.0.mlp_norm.bias", {hidden}}};
}

Table concat(Table a, const Table &b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(ExpectedTensorsTest, BertShapedEncoder) {
  ModelConfig config = testing::oddEncoderConfig();
  config.layers = 1;
  Table expected = concat(concat({{"embeddings.word.weight", {50, 96}},
                                  {"embeddings.position.weight", {17, 96}},
                                  {"embeddings.token_type.weight", {2, 96}},
                                  {"embeddings.norm.weight", {96}},
                                  {"embeddings.norm.bias", {96}}},
                                 layerZero(96, 200)),
                          {{"pooler.weight", {96, 96}},
                           {"pooler.bias", {96}},
                           {"classifier.weight", {5, 96}},
                           {"classifier.bias", {5}}});
  EXPECT_EQ(tableOf(config), expected);
}

TEST(ExpectedTensorsTest, PreNormEncoderWithoutTokenTypesOrPooler) {
  ModelConfig config = testing::oddEncoderConfig();
  config.layers = 1;
  config.norm = NormPlacement::Pre;
  config.typeVocabSize = 0;
  config.pooler = false;
  Table expected = concat(concat({{"embeddings.word.weight", {50, 96}},
                                  {"embeddings.position.weight", {17, 96}}},
                                 layerZero(96, 200)),
                          {{"final_norm.weight", {96}},
                           {"final_norm.bias", {96}},
                           {"classifier.weight", {5, 96}},
                           {"classifier.bias", {5}}});
  EXPECT_EQ(tableOf(config), expected);
}

TEST(ExpectedTensorsTest, Vit) {
  ModelConfig config = testing::oddVitConfig();
  config.layers = 1;
  // 12x12 images in 4x4 patches: 9 patches and CLS; 3 channels x 4 x 4.
  Table expected = concat(concat({{"embeddings.patch.weight", {96, 48}},
                                  {"embeddings.patch.bias", {96}},
                                  {"embeddings.cls", {96}},
                                  {"embeddings.position", {10, 96}}},
                                 layerZero(96, 200)),
                          {{"final_norm.weight", {96}},
                           {"final_norm.bias", {96}},
                           {"classifier.weight", {7, 96}},
                           {"classifier.bias", {7}}});
  EXPECT_EQ(tableOf(config), expected);
}

TEST(ExpectedTensorsTest, EveryLayerInOrder) {
  ModelConfig config = testing::oddVitConfig();
  std::vector<std::string> layerPrefixes;
  for (const TensorSpec &spec : expectedTensors(config))
    if (spec.name.rfind("layers.", 0) == 0 &&
        spec.name.find(".attention.query.weight") != std::string::npos)
      layerPrefixes.push_back(spec.name);
  EXPECT_EQ(layerPrefixes,
            (std::vector<std::string>{"layers.0.attention.query.weight",
                                      "layers.1.attention.query.weight",
                                      "layers.2.attention.query.weight"}));
  // 4 embeddings, 16 per layer, final norm and classifier.
  EXPECT_EQ(expectedTensors(config).size(), 4u + 3 * 16 + 2 + 2);
}

TEST(ExpectedTensorsTest, AcmLayerHasLearnersAndAGateForItsMlp) {
  ModelConfig config = testing::oddVitConfig();
  config.layers = 2;
  config.adaptive.acm = AcmSettings{{1}, 2, 100, 0.5, std::nullopt};
  Table expected;
  for (const TensorSpec &spec : expectedTensors(config))
    if (spec.name.rfind("layers.1.mlp", 0) == 0)
      expected.emplace_back(spec.name, spec.shape);
  EXPECT_EQ(expected, (Table{{"layers.1.mlp.learners.0.up.weight", {100, 96}},
                             {"layers.1.mlp.learners.0.up.bias", {100}},
                             {"layers.1.mlp.learners.0.down.weight", {96, 100}},
                             {"layers.1.mlp.learners.0.down.bias", {96}},
                             {"layers.1.mlp.learners.1.up.weight", {100, 96}},
                             {"layers.1.mlp.learners.1.up.bias", {100}},
                             {"layers.1.mlp.learners.1.down.weight", {96, 100}},
                             {"layers.1.mlp.learners.1.down.bias", {96}},
                             {"layers.1.mlp.gate.weight", {2, 96}},
                             {"layers.1.mlp.gate.bias", {2}},
                             {"layers.1.mlp_norm.weight", {96}},
                             {"layers.1.mlp_norm.bias", {96}}}));
  // Layer 0 keeps its dense MLP: 16 tensors; layer 1 has 8 learner tensors
  // and 2 gate tensors instead of 4.
  EXPECT_EQ(expectedTensors(config).size(), 4u + 16 + 16 - 4 + 10 + 2 + 2);
}

} // namespace
} // namespace tailor::checkpoint
