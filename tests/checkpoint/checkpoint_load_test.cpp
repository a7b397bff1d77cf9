//===- checkpoint_load_test.cpp - Tailor checkpoints load and read back ---===//

#include "tailor/checkpoint/checkpoint.h"

#include "tailor/testing/checkpoint_files.h"

#include <gmock/gmock.h>

namespace tailor::checkpoint {
namespace {

using safetensors::DType;
using ::testing::HasSubstr;
using testing::TemporaryDirectory;
using testing::Weights;

std::vector<std::string> namesOf(const ModelConfig &config) {
  std::vector<std::string> names;
  for (const TensorSpec &spec : expectedTensors(config))
    names.push_back(spec.name);
  return names;
}

/// Every canonical tensor reads back with the written shape and values.
void expectWeights(const Checkpoint &checkpoint, const Weights &weights) {
  ASSERT_EQ(checkpoint.tensorNames().size(), weights.size());
  for (const std::string &name : checkpoint.tensorNames()) {
    ASSERT_EQ(weights.count(name), 1u) << name;
    EXPECT_EQ(checkpoint.shape(name), weights.at(name).shape) << name;
    EXPECT_EQ(checkpoint.tensorF32(name), weights.at(name).values) << name;
  }
}

TEST(CheckpointLoadTest, TailorEncoderWithLengthConfigs) {
  TemporaryDirectory directory;
  ModelConfig config = testing::oddEncoderConfig();
  config.adaptive.lengthDrop = LengthDropSettings{0.25, 0.0, 2};
  config.adaptive.lengthConfigs = {
      {1.0, fullLengths(config), modelFlops(config, fullLengths(config)), 0.9},
      {0.5, {11, 7, 4}, modelFlops(config, {11, 7, 4}), 0.85}};
  const Weights weights = testing::randomWeights(config, 1);
  testing::writeTailorCheckpoint(directory.path(), config, weights);

  const Checkpoint checkpoint = Checkpoint::load(directory.path());
  EXPECT_EQ(checkpoint.format(), CheckpointFormat::Tailor);
  EXPECT_EQ(checkpoint.directory(), directory.path());
  EXPECT_EQ(checkpoint.configPath(), directory.file("model.json"));
  EXPECT_EQ(checkpoint.config(), config);
  EXPECT_EQ(checkpoint.tensorNames(), namesOf(config));
  expectWeights(checkpoint, weights);

  const TensorSource &source = checkpoint.source("layers.2.mlp.up.weight");
  EXPECT_EQ(source.file, directory.file("model.safetensors"));
  EXPECT_EQ(source.tensor, "layers.2.mlp.up.weight");
  EXPECT_EQ(source.dtype, DType::F32);
  EXPECT_EQ(source.shape, (std::vector<std::int64_t>{200, 96}));
}

TEST(CheckpointLoadTest, TailorVitWithDropAndRestore) {
  TemporaryDirectory directory;
  ModelConfig config = testing::oddVitConfig();
  config.task = TaskKind::Token;
  config.adaptive.dropAndRestore = true;
  config.adaptive.lengthConfigs = {{0.6, {7, 4, 10}, 1, 0.5}};
  const Weights weights = testing::randomWeights(config, 2);
  testing::writeTailorCheckpoint(directory.path(), config, weights);

  const Checkpoint checkpoint = Checkpoint::load(directory.path());
  EXPECT_EQ(checkpoint.config(), config);
  EXPECT_EQ(checkpoint.shape("embeddings.patch.weight"),
            (std::vector<std::int64_t>{96, 48}));
  EXPECT_EQ(checkpoint.shape("embeddings.position"),
            (std::vector<std::int64_t>{10, 96}));
  expectWeights(checkpoint, weights);
}

class CheckpointDtypeTest : public ::testing::TestWithParam<DType> {};

TEST_P(CheckpointDtypeTest, TailorWeightsInAnyFloatDtypeReadAsF32) {
  TemporaryDirectory directory;
  const ModelConfig config = testing::oddVitConfig();
  const Weights weights = testing::randomWeights(config, 3);
  testing::writeTailorCheckpoint(directory.path(), config, weights, GetParam());
  const Checkpoint checkpoint = Checkpoint::load(directory.path());
  EXPECT_EQ(checkpoint.source("classifier.weight").dtype, GetParam());
  expectWeights(checkpoint, weights);
}

INSTANTIATE_TEST_SUITE_P(Checkpoint, CheckpointDtypeTest,
                         ::testing::Values(DType::F32, DType::F16, DType::BF16,
                                           DType::F64),
                         [](const ::testing::TestParamInfo<DType> &param) {
                           return std::string(
                               safetensors::dtypeName(param.param));
                         });

TEST(CheckpointLoadTest, UnknownCanonicalNameIsAnError) {
  TemporaryDirectory directory;
  const ModelConfig config = testing::oddVitConfig();
  testing::writeTailorCheckpoint(directory.path(), config,
                                 testing::randomWeights(config, 4));
  const Checkpoint checkpoint = Checkpoint::load(directory.path());
  try {
    checkpoint.tensorF32("layers.3.mlp.up.weight");
    FAIL() << "a tensor the model lacks must throw";
  } catch (const CheckpointError &error) {
    EXPECT_THAT(
        error.what(),
        HasSubstr(directory.path() + ": no tensor 'layers.3.mlp.up.weight'"));
  }
  EXPECT_THROW(checkpoint.shape("embeddings.word.weight"), CheckpointError);
  EXPECT_THROW(checkpoint.source(""), CheckpointError);
}

TEST(CheckpointLoadTest, FormatNames) {
  EXPECT_EQ(toString(CheckpointFormat::Tailor), "tailor");
  EXPECT_EQ(toString(CheckpointFormat::HuggingFaceBert), "huggingface-bert");
  EXPECT_EQ(toString(CheckpointFormat::HuggingFaceVit), "huggingface-vit");
}

} // namespace
} // namespace tailor::checkpoint
