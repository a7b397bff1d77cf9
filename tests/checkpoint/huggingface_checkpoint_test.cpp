//===- huggingface_checkpoint_test.cpp - BERT and ViT checkpoints import --===//

#include "tailor/checkpoint/checkpoint.h"

#include "tailor/testing/checkpoint_files.h"

#include <gmock/gmock.h>

namespace tailor::checkpoint {
namespace {

using safetensors::DType;
using testing::TemporaryDirectory;
using testing::Weights;

void expectWeights(const Checkpoint &checkpoint, const Weights &weights) {
  ASSERT_EQ(checkpoint.tensorNames().size(), weights.size());
  for (const std::string &name : checkpoint.tensorNames()) {
    ASSERT_EQ(weights.count(name), 1u) << name;
    EXPECT_EQ(checkpoint.shape(name), weights.at(name).shape) << name;
    EXPECT_EQ(checkpoint.tensorF32(name), weights.at(name).values) << name;
  }
}

class HuggingFaceBertTest : public ::testing::TestWithParam<DType> {};

TEST_P(HuggingFaceBertTest, LoadsUnderCanonicalNames) {
  TemporaryDirectory directory;
  const ModelConfig config = testing::oddEncoderConfig();
  const Weights weights = testing::randomWeights(config, 11);
  testing::writeHuggingFaceCheckpoint(directory.path(), config, weights,
                                      GetParam());

  const Checkpoint checkpoint = Checkpoint::load(directory.path());
  EXPECT_EQ(checkpoint.format(), CheckpointFormat::HuggingFaceBert);
  EXPECT_EQ(checkpoint.configPath(), directory.file("config.json"));
  // BERT is post-norm with a pooler; the class count comes from id2label.
  EXPECT_EQ(checkpoint.config(), config);
  expectWeights(checkpoint, weights);

  const TensorSource &up = checkpoint.source("layers.1.mlp.up.weight");
  EXPECT_EQ(up.tensor, "bert.encoder.layer.1.intermediate.dense.weight");
  EXPECT_EQ(up.dtype, GetParam());
  EXPECT_EQ(checkpoint.source("layers.0.attention_norm.bias").tensor,
            "bert.encoder.layer.0.attention.output.LayerNorm.bias");
  EXPECT_EQ(checkpoint.source("embeddings.token_type.weight").tensor,
            "bert.embeddings.token_type_embeddings.weight");
  EXPECT_EQ(checkpoint.source("pooler.weight").tensor,
            "bert.pooler.dense.weight");
  EXPECT_EQ(checkpoint.source("classifier.bias").tensor, "classifier.bias");
}

INSTANTIATE_TEST_SUITE_P(Checkpoint, HuggingFaceBertTest,
                         ::testing::Values(DType::F32, DType::F16, DType::BF16,
                                           DType::F64),
                         [](const ::testing::TestParamInfo<DType> &param) {
                           return std::string(
                               safetensors::dtypeName(param.param));
                         });

TEST(HuggingFaceTest, VitFlattensThePatchKernelAndDropsUnitDims) {
  TemporaryDirectory directory;
  const ModelConfig config = testing::oddVitConfig();
  const Weights weights = testing::randomWeights(config, 12);
  testing::writeHuggingFaceCheckpoint(directory.path(), config, weights,
                                      DType::BF16);

  const Checkpoint checkpoint = Checkpoint::load(directory.path());
  EXPECT_EQ(checkpoint.format(), CheckpointFormat::HuggingFaceVit);
  EXPECT_EQ(checkpoint.config(), config);
  expectWeights(checkpoint, weights);

  const TensorSource &patch = checkpoint.source("embeddings.patch.weight");
  EXPECT_EQ(patch.tensor, "vit.embeddings.patch_embeddings.projection.weight");
  EXPECT_EQ(patch.shape, (std::vector<std::int64_t>{96, 3, 4, 4}));
  EXPECT_EQ(checkpoint.shape("embeddings.patch.weight"),
            (std::vector<std::int64_t>{96, 48}));
  EXPECT_EQ(checkpoint.source("embeddings.cls").shape,
            (std::vector<std::int64_t>{1, 1, 96}));
  EXPECT_EQ(checkpoint.shape("embeddings.cls"),
            (std::vector<std::int64_t>{96}));
  EXPECT_EQ(checkpoint.source("embeddings.position").shape,
            (std::vector<std::int64_t>{1, 10, 96}));
  EXPECT_EQ(checkpoint.shape("embeddings.position"),
            (std::vector<std::int64_t>{10, 96}));
  EXPECT_EQ(checkpoint.source("layers.2.mlp_norm.weight").tensor,
            "vit.encoder.layer.2.layernorm_after.weight");
  EXPECT_EQ(checkpoint.source("final_norm.bias").tensor, "vit.layernorm.bias");
}

TEST(HuggingFaceTest, ReadsOptionalAndAlternativeKeys) {
  TemporaryDirectory directory;
  const ModelConfig config = testing::oddEncoderConfig();
  nlohmann::json configJson = testing::huggingFaceConfigJson(config);
  // Older files: num_labels instead of id2label, no layer_norm_eps or
  // type_vocab_size (Hugging Face's defaults: 1e-12 and 2), the tanh GELU.
  configJson.erase("id2label");
  configJson["num_labels"] = 5;
  configJson.erase("layer_norm_eps");
  configJson.erase("type_vocab_size");
  configJson["hidden_act"] = "gelu_new";
  Weights weights = testing::randomWeights(config, 13);
  testing::writeHuggingFaceCheckpoint(directory.path(), config, weights);
  testing::writeText(directory.file("config.json"), configJson.dump());

  const Checkpoint checkpoint = Checkpoint::load(directory.path());
  ModelConfig expected = config;
  expected.activation = Activation::GeluTanh;
  EXPECT_EQ(checkpoint.config(), expected);
}

TEST(HuggingFaceTest, IgnoresBertPositionIdsBuffer) {
  TemporaryDirectory directory;
  const ModelConfig config = testing::oddEncoderConfig();
  Weights weights = testing::randomWeights(config, 14);
  // Older BERT checkpoints save position_ids; randomWeights' values stand in
  // for the ids (the loader never reads them).
  weights["bert.embeddings.position_ids"] = {{1, 17},
                                             std::vector<float>(17, 0.0f)};
  testing::writeHuggingFaceCheckpoint(directory.path(), config, weights);
  weights.erase("bert.embeddings.position_ids");
  expectWeights(Checkpoint::load(directory.path()), weights);
}

} // namespace
} // namespace tailor::checkpoint
