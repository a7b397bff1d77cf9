//===- broken_checkpoint_test.cpp - Bad checkpoints fail with clear errors ===//
//
// Each test writes a checkpoint with one thing wrong and checks that loading
// throws CheckpointError naming the file and the key or tensor at fault.
//
//===----------------------------------------------------------------------===//

#include "tailor/checkpoint/checkpoint.h"

#include "tailor/testing/checkpoint_files.h"

#include <gmock/gmock.h>

#include <filesystem>

namespace tailor::checkpoint {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::TemporaryDirectory;
using testing::Weights;

/// The message Checkpoint::load throws, or "" when it loads.
std::string loadError(const std::string &directory) {
  try {
    Checkpoint::load(directory);
  } catch (const CheckpointError &error) {
    return error.what();
  }
  return "";
}

class BrokenCheckpointTest : public ::testing::Test {
protected:
  /// A valid Tailor encoder checkpoint whose model.json is then `modelJson`.
  std::string withModelJson(const json &modelJson) {
    testing::writeTailorCheckpoint(directory.path(), encoder, encoderWeights);
    testing::writeText(modelJsonPath(), modelJson.dump());
    return loadError(directory.path());
  }
  /// A Tailor encoder checkpoint holding `weights`.
  std::string withWeights(const Weights &weights) {
    testing::writeTailorCheckpoint(directory.path(), encoder, weights);
    return loadError(directory.path());
  }
  /// A Hugging Face checkpoint of `config` whose config.json is then edited.
  std::string withHuggingFaceConfig(const ModelConfig &config,
                                    const std::function<void(json &)> &edit) {
    json configJson = testing::huggingFaceConfigJson(config);
    edit(configJson);
    testing::writeHuggingFaceCheckpoint(directory.path(), config,
                                        testing::randomWeights(config, 5));
    testing::writeText(configJsonPath(), configJson.dump());
    return loadError(directory.path());
  }

  std::string modelJsonPath() const { return directory.file("model.json"); }
  std::string configJsonPath() const { return directory.file("config.json"); }
  std::string weightsPath() const {
    return directory.file("model.safetensors");
  }

  TemporaryDirectory directory;
  const ModelConfig encoder = testing::oddEncoderConfig();
  const Weights encoderWeights = testing::randomWeights(encoder, 7);
};

TEST_F(BrokenCheckpointTest, DirectoryMissing) {
  const std::string path = directory.file("absent");
  EXPECT_EQ(loadError(path),
            path + ": not a checkpoint directory (no such file or directory)");
}

TEST_F(BrokenCheckpointTest, PathIsAFile) {
  testing::writeText(directory.file("file"), "x");
  EXPECT_EQ(loadError(directory.file("file")),
            directory.file("file") +
                ": not a checkpoint directory (not a directory)");
}

TEST_F(BrokenCheckpointTest, NoConfig) {
  testing::writeSafetensors(weightsPath(), encoderWeights);
  EXPECT_EQ(loadError(directory.path()),
            directory.path() + ": no model.json (Tailor checkpoint) or "
                               "config.json (Hugging Face checkpoint)");
}

TEST_F(BrokenCheckpointTest, NoWeights) {
  testing::writeTailorCheckpoint(directory.path(), encoder, encoderWeights);
  std::filesystem::remove(weightsPath());
  EXPECT_EQ(loadError(directory.path()),
            weightsPath() + ": cannot open: No such file or directory");
}

TEST_F(BrokenCheckpointTest, TruncatedWeights) {
  testing::writeTailorCheckpoint(directory.path(), encoder, encoderWeights);
  // The header survives, the last tensor's bytes do not.
  std::filesystem::resize_file(weightsPath(),
                               std::filesystem::file_size(weightsPath()) - 4);
  const std::string message = loadError(directory.path());
  EXPECT_THAT(message, HasSubstr(weightsPath() + ": tensor '"));
  EXPECT_THAT(message, HasSubstr("run past the end of the file"));
}

TEST_F(BrokenCheckpointTest, ModelJsonNotJson) {
  testing::writeTailorCheckpoint(directory.path(), encoder, encoderWeights);
  testing::writeText(modelJsonPath(), "{\"format\": \"tailor-checkpoint\",");
  EXPECT_THAT(loadError(directory.path()),
              HasSubstr(modelJsonPath() + ": not valid JSON: "));
}

TEST_F(BrokenCheckpointTest, MissingKey) {
  json modelJson = toJson(encoder);
  modelJson["architecture"].erase("heads");
  EXPECT_EQ(withModelJson(modelJson),
            modelJsonPath() + ": architecture: missing key 'heads'");
}

TEST_F(BrokenCheckpointTest, WrongType) {
  json modelJson = toJson(encoder);
  modelJson["architecture"]["pooler"] = "yes";
  EXPECT_EQ(withModelJson(modelJson),
            modelJsonPath() +
                ": architecture.pooler: expected true or false, got string "
                "\"yes\"");
}

TEST_F(BrokenCheckpointTest, HiddenNotDivisibleByHeads) {
  json modelJson = toJson(encoder);
  modelJson["architecture"]["heads"] = 7;
  EXPECT_EQ(withModelJson(modelJson),
            modelJsonPath() + ": architecture.hidden: 96 is not divisible by "
                              "architecture.heads 7");
}

TEST_F(BrokenCheckpointTest, ZeroLayers) {
  json modelJson = toJson(encoder);
  modelJson["architecture"]["layers"] = 0;
  EXPECT_EQ(withModelJson(modelJson),
            modelJsonPath() + ": architecture.layers: must be at least 1, "
                              "got 0");
}

TEST_F(BrokenCheckpointTest, UnknownActivation) {
  json modelJson = toJson(encoder);
  modelJson["architecture"]["activation"] = "silu";
  EXPECT_THAT(withModelJson(modelJson),
              HasSubstr(modelJsonPath() + ": architecture.activation: "
                                          "unknown value \"silu\""));
}

TEST_F(BrokenCheckpointTest, LengthConfigOfWrongLength) {
  json modelJson = toJson(encoder);
  modelJson["adaptive"]["length_configs"] = {
      {{"budget", 0.5}, {"lengths", {9, 5}}, {"flops", 10}, {"accuracy", 0.5}}};
  EXPECT_EQ(withModelJson(modelJson),
            modelJsonPath() + ": adaptive.length_configs[0].lengths: [9, 5]: "
                              "2 entries for a model of 3 layers (one entry "
                              "per layer)");
}

TEST_F(BrokenCheckpointTest, MissingTensor) {
  Weights weights = encoderWeights;
  weights.erase("layers.1.mlp.down.bias");
  EXPECT_EQ(withWeights(weights),
            weightsPath() +
                ": missing tensor 'layers.1.mlp.down.bias' of "
                "shape [96], which " +
                modelJsonPath() + " needs");
}

TEST_F(BrokenCheckpointTest, ExtraUnknownTensor) {
  Weights weights = encoderWeights;
  weights["layers.3.mlp.up.weight"] = weights.at("layers.2.mlp.up.weight");
  EXPECT_EQ(withWeights(weights),
            weightsPath() +
                ": unknown tensor 'layers.3.mlp.up.weight' of "
                "shape [200, 96]: no part of the encoder model " +
                modelJsonPath() + " describes");
}

TEST_F(BrokenCheckpointTest, WrongShape) {
  Weights weights = encoderWeights;
  weights["classifier.weight"] = {{4, 96}, std::vector<float>(4 * 96, 0.5f)};
  EXPECT_EQ(withWeights(weights),
            weightsPath() +
                ": tensor 'classifier.weight' has shape [4, 96], "
                "but " +
                modelJsonPath() + " needs [5, 96]");
}

TEST_F(BrokenCheckpointTest, WeightsOfAnotherConfig) {
  ModelConfig wider = encoder;
  wider.intermediate = 192;
  testing::writeTailorCheckpoint(directory.path(), encoder, encoderWeights);
  testing::writeText(modelJsonPath(), toJson(wider).dump());
  EXPECT_EQ(loadError(directory.path()),
            weightsPath() +
                ": tensor 'layers.0.mlp.up.weight' has shape "
                "[200, 96], but " +
                modelJsonPath() + " needs [192, 96]");
}

/// The encoder with ACMs in layers 0 and 2 (4 learners of 50 units).
ModelConfig acmEncoder(const ModelConfig &encoder) {
  ModelConfig config = encoder;
  config.adaptive.acm = AcmSettings{{0, 2}, 4, 50, 0.5, 0.5};
  return config;
}

TEST_F(BrokenCheckpointTest, AcmCheckpointLoads) {
  const ModelConfig config = acmEncoder(encoder);
  testing::writeTailorCheckpoint(directory.path(), config,
                                 testing::randomWeights(config, 3));
  const Checkpoint loaded = Checkpoint::load(directory.path());
  EXPECT_EQ(loaded.config(), config);
  EXPECT_EQ(loaded.shape("layers.2.mlp.learners.3.down.weight"),
            (std::vector<std::int64_t>{96, 50}));
}

TEST_F(BrokenCheckpointTest, AcmMissingLearner) {
  const ModelConfig config = acmEncoder(encoder);
  Weights weights = testing::randomWeights(config, 3);
  weights.erase("layers.2.mlp.learners.3.up.bias");
  testing::writeTailorCheckpoint(directory.path(), config, weights);
  EXPECT_EQ(loadError(directory.path()),
            weightsPath() +
                ": missing tensor 'layers.2.mlp.learners.3.up.bias' of shape "
                "[50], which " +
                modelJsonPath() + " needs");
}

TEST_F(BrokenCheckpointTest, AcmGateOfTheWrongShape) {
  const ModelConfig config = acmEncoder(encoder);
  Weights weights = testing::randomWeights(config, 3);
  weights["layers.0.mlp.gate.weight"] = {{3, 96},
                                         std::vector<float>(3 * 96, 0.25f)};
  testing::writeTailorCheckpoint(directory.path(), config, weights);
  EXPECT_EQ(loadError(directory.path()),
            weightsPath() +
                ": tensor 'layers.0.mlp.gate.weight' has shape [3, 96], but " +
                modelJsonPath() + " needs [4, 96]");
}

TEST_F(BrokenCheckpointTest, AcmLayerWithItsDenseMlpLeftIn) {
  const ModelConfig config = acmEncoder(encoder);
  Weights weights = testing::randomWeights(config, 3);
  weights["layers.0.mlp.up.weight"] =
      encoderWeights.at("layers.0.mlp.up.weight");
  testing::writeTailorCheckpoint(directory.path(), config, weights);
  EXPECT_EQ(loadError(directory.path()),
            weightsPath() +
                ": unknown tensor 'layers.0.mlp.up.weight' of shape [200, 96]: "
                "no part of the encoder model " +
                modelJsonPath() + " describes");
}

TEST_F(BrokenCheckpointTest, DenseWeightsUnderAnAcmModelJson) {
  testing::writeTailorCheckpoint(directory.path(), encoder, encoderWeights);
  testing::writeText(modelJsonPath(), toJson(acmEncoder(encoder)).dump());
  EXPECT_EQ(loadError(directory.path()),
            weightsPath() +
                ": missing tensor 'layers.0.mlp.learners.0.up.weight' of shape "
                "[50, 96], which " +
                modelJsonPath() + " needs");
}

TEST_F(BrokenCheckpointTest, IntegerWeights) {
  testing::writeTailorCheckpoint(directory.path(), encoder, encoderWeights);
  safetensors::Writer writer;
  for (const auto &[name, tensor] : encoderWeights) {
    if (name != "embeddings.word.weight") {
      writer.addFloat32(name, tensor.shape, tensor.values);
      continue;
    }
    std::vector<std::int32_t> ids(tensor.values.size(), 1);
    writer.add(name, safetensors::DType::I32, tensor.shape, ids.data(),
               ids.size() * sizeof(std::int32_t));
  }
  writer.write(weightsPath());
  EXPECT_EQ(loadError(directory.path()),
            weightsPath() + ": tensor 'embeddings.word.weight' is I32; "
                            "weights must be F32, F16, BF16 or F64");
}

TEST_F(BrokenCheckpointTest, HuggingFaceUnsupportedModelType) {
  EXPECT_EQ(
      withHuggingFaceConfig(encoder, [](json &c) { c["model_type"] = "gpt2"; }),
      configJsonPath() + ": model_type: unsupported model type "
                         "\"gpt2\" (Tailor imports \"bert\" and "
                         "\"vit\")");
}

TEST_F(BrokenCheckpointTest, HuggingFaceMissingModelType) {
  EXPECT_EQ(
      withHuggingFaceConfig(encoder, [](json &c) { c.erase("model_type"); }),
      configJsonPath() + ": missing key 'model_type'");
}

TEST_F(BrokenCheckpointTest, HuggingFaceConfigNotJson) {
  testing::writeHuggingFaceCheckpoint(directory.path(), encoder,
                                      encoderWeights);
  testing::writeText(configJsonPath(), "not json");
  EXPECT_THAT(loadError(directory.path()),
              HasSubstr(configJsonPath() + ": not valid JSON: "));
}

TEST_F(BrokenCheckpointTest, HuggingFaceMissingKey) {
  EXPECT_EQ(withHuggingFaceConfig(
                encoder, [](json &c) { c.erase("intermediate_size"); }),
            configJsonPath() + ": missing key 'intermediate_size'");
}

TEST_F(BrokenCheckpointTest, HuggingFaceWrongType) {
  EXPECT_EQ(withHuggingFaceConfig(
                encoder, [](json &c) { c["num_hidden_layers"] = "3"; }),
            configJsonPath() + ": num_hidden_layers: expected an integer, "
                               "got string \"3\"");
}

TEST_F(BrokenCheckpointTest, HuggingFaceHeadsNamedAsTheFileNamesThem) {
  EXPECT_EQ(withHuggingFaceConfig(
                encoder, [](json &c) { c["num_attention_heads"] = 7; }),
            configJsonPath() + ": hidden_size: 96 is not divisible by "
                               "num_attention_heads 7");
}

TEST_F(BrokenCheckpointTest, HuggingFaceUnknownActivation) {
  EXPECT_EQ(
      withHuggingFaceConfig(encoder, [](json &c) { c["hidden_act"] = "silu"; }),
      configJsonPath() + ": hidden_act: unsupported activation "
                         "\"silu\" (Tailor runs \"gelu\", \"gelu_new\", "
                         "\"gelu_pytorch_tanh\" and \"relu\")");
}

TEST_F(BrokenCheckpointTest, HuggingFaceNoClassCount) {
  EXPECT_EQ(
      withHuggingFaceConfig(encoder, [](json &c) { c.erase("id2label"); }),
      configJsonPath() + ": missing key 'id2label' (or 'num_labels'): "
                         "the class count");
}

TEST_F(BrokenCheckpointTest, HuggingFaceRelativePositions) {
  EXPECT_EQ(withHuggingFaceConfig(
                encoder,
                [](json &c) { c["position_embedding_type"] = "relative_key"; }),
            configJsonPath() + ": position_embedding_type: \"relative_key\" "
                               "is not supported (Tailor runs \"absolute\")");
}

TEST_F(BrokenCheckpointTest, HuggingFaceImageNotDivisibleByPatch) {
  const ModelConfig vit = testing::oddVitConfig();
  EXPECT_EQ(withHuggingFaceConfig(vit, [](json &c) { c["patch_size"] = 5; }),
            configJsonPath() +
                ": image_size: 12 is not divisible by patch_size 5");
}

TEST_F(BrokenCheckpointTest, HuggingFaceMissingTensorNamesBothNames) {
  Weights weights = encoderWeights;
  weights.erase("layers.2.mlp.down.weight");
  testing::writeHuggingFaceCheckpoint(directory.path(), encoder, weights);
  EXPECT_EQ(loadError(directory.path()),
            weightsPath() +
                ": missing tensor 'bert.encoder.layer.2.output.dense.weight' "
                "(Tailor's 'layers.2.mlp.down.weight') of shape [96, 200], "
                "which " +
                configJsonPath() + " needs");
}

TEST_F(BrokenCheckpointTest, HuggingFaceExtraTensor) {
  Weights weights = encoderWeights;
  weights["bert.encoder.layer.3.output.dense.bias"] = {
      {96}, std::vector<float>(96, 0.0f)};
  testing::writeHuggingFaceCheckpoint(directory.path(), encoder, weights);
  EXPECT_EQ(loadError(directory.path()),
            weightsPath() +
                ": unknown tensor "
                "'bert.encoder.layer.3.output.dense.bias' of "
                "shape [96]: no part of the encoder model " +
                configJsonPath() + " describes");
}

TEST_F(BrokenCheckpointTest, HuggingFaceVitPatchKernelMustBeFourDimensional) {
  const ModelConfig vit = testing::oddVitConfig();
  Weights weights = testing::randomWeights(vit, 8);
  testing::writeHuggingFaceCheckpoint(directory.path(), vit, weights);
  // Rewrite the file with the patch kernel already flattened, as Tailor
  // stores it: a Hugging Face file never has that shape.
  Weights renamed;
  for (const auto &[name, tensor] : weights) {
    auto [source, shape] = testing::huggingFaceTensor(vit, name, tensor.shape);
    renamed[source] = {name == "embeddings.patch.weight" ? tensor.shape : shape,
                       tensor.values};
  }
  testing::writeSafetensors(weightsPath(), renamed);
  EXPECT_EQ(
      loadError(directory.path()),
      weightsPath() +
          ": tensor 'vit.embeddings.patch_embeddings.projection.weight' "
          "(Tailor's 'embeddings.patch.weight') has shape [96, 48], but " +
          configJsonPath() + " needs [96, 3, 4, 4]");
}

} // namespace
} // namespace tailor::checkpoint
