//===- BrokenArtifactTest.cpp - Broken artifacts give clear errors --------===//
//
// Each case breaks one thing in a valid tiny ViT artifact (or its file) and
// checks that Model::load fails with a message naming what and where.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include "tailor/safetensors/safetensors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

namespace tailor::testing {
namespace {

using ::testing::HasSubstr;

ModelConfig smallVit() {
  ModelConfig config;
  config.variants = {{"full", 1.0, {}}, {"half", 0.5, {4, 3}}};
  return config;
}

class BrokenArtifactTest : public ::testing::Test {
protected:
  BrokenArtifactTest()
      : config(smallVit()),
        artifact(buildArtifact(config, randomWeights(config))) {}

  /// The message of loading `artifact` after `edit`; fails when it loads.
  std::string loadError(const std::function<void(Artifact &)> &edit) {
    Artifact broken = artifact;
    edit(broken);
    broken.write(dir.path("broken.tailor"));
    return loadErrorOf(dir.path("broken.tailor"));
  }

  std::string loadErrorOf(const std::string &path) {
    Result<Model> model = Model::load(path);
    EXPECT_FALSE(model.ok()) << "loaded " << path;
    return model.ok() ? "" : model.status().message();
  }

  nlohmann::json &step(Artifact &a, const std::string &op, int nth = 0) {
    for (nlohmann::json &s : a.manifest["variants"][0]["steps"])
      if (s["op"] == op && nth-- == 0)
        return s;
    throw std::runtime_error("no step " + op);
  }

  nlohmann::json &buffer(Artifact &a, const std::string &name) {
    for (nlohmann::json &b : a.manifest["variants"][0]["buffers"])
      if (b["name"] == name)
        return b;
    throw std::runtime_error("no buffer " + name);
  }

  ModelConfig config;
  Artifact artifact;
  TempDir dir;
};

TEST_F(BrokenArtifactTest, TheValidArtifactLoads) {
  artifact.write(dir.path("model.tailor"));
  EXPECT_TRUE(Model::load(dir.path("model.tailor")).ok());
}

TEST_F(BrokenArtifactTest, MissingFile) {
  std::string message = loadErrorOf(dir.path("absent.tailor"));
  EXPECT_THAT(message, HasSubstr("cannot load artifact"));
  EXPECT_THAT(message, HasSubstr("absent.tailor"));
}

TEST_F(BrokenArtifactTest, TruncatedFile) {
  std::string path = dir.path("truncated.tailor");
  artifact.write(path);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  std::string message = loadErrorOf(path);
  EXPECT_THAT(message, HasSubstr("cannot load artifact"));
  EXPECT_THAT(message, HasSubstr("truncated.tailor"));
}

TEST_F(BrokenArtifactTest, NotSafetensors) {
  std::string path = dir.path("text.tailor");
  std::ofstream(path) << "this is not a safetensors file at all\n";
  EXPECT_THAT(loadErrorOf(path), HasSubstr("text.tailor"));
}

TEST_F(BrokenArtifactTest, NoManifest) {
  safetensors::Writer writer;
  writer.addFloat32("w", {2}, {1.0f, 2.0f});
  writer.write(dir.path("plain.safetensors"));
  std::string message = loadErrorOf(dir.path("plain.safetensors"));
  EXPECT_THAT(message, HasSubstr("no \"tailor.manifest\""));
  EXPECT_THAT(message, HasSubstr("not a Tailor artifact"));
}

TEST_F(BrokenArtifactTest, ManifestIsNotJson) {
  safetensors::Writer writer;
  writer.addFloat32("w", {2}, {1.0f, 2.0f});
  writer.setMetadata("tailor.manifest", "{\"format\": ");
  writer.write(dir.path("bad-json.tailor"));
  EXPECT_THAT(loadErrorOf(dir.path("bad-json.tailor")),
              HasSubstr("the manifest is not valid JSON"));
}

TEST_F(BrokenArtifactTest, WrongFormat) {
  std::string message = loadError(
      [](Artifact &a) { a.manifest["format"] = "tailor-checkpoint"; });
  EXPECT_THAT(message, HasSubstr("manifest.format"));
  EXPECT_THAT(message, HasSubstr("\"tailor-checkpoint\""));
}

TEST_F(BrokenArtifactTest, WrongVersion) {
  std::string message =
      loadError([](Artifact &a) { a.manifest["version"] = 2; });
  EXPECT_THAT(message, HasSubstr("manifest.version: version 2 is not "
                                 "supported (this runtime reads version 1)"));
}

TEST_F(BrokenArtifactTest, MissingField) {
  std::string message = loadError([](Artifact &a) {
    a.manifest["variants"][1].erase("arena_bytes_per_sample");
  });
  EXPECT_THAT(message, HasSubstr("manifest.variants[1] ('half'): missing "
                                 "required field 'arena_bytes_per_sample'"));
}

TEST_F(BrokenArtifactTest, MissingModelField) {
  std::string message =
      loadError([](Artifact &a) { a.manifest["model"].erase("classes"); });
  EXPECT_THAT(message,
              HasSubstr("manifest.model: missing required field 'classes'"));
}

TEST_F(BrokenArtifactTest, FieldOfTheWrongType) {
  std::string message = loadError(
      [](Artifact &a) { a.manifest["variants"][0]["budget"] = "all"; });
  EXPECT_THAT(message, HasSubstr("manifest.variants[0] ('full').budget: "
                                 "expected a number, got string \"all\""));
}

TEST_F(BrokenArtifactTest, AttributeOfTheWrongType) {
  std::string message = loadError(
      [this](Artifact &a) { step(a, "attention")["attrs"]["heads"] = 2.5; });
  EXPECT_THAT(message, HasSubstr("(attention).attrs.heads: expected an "
                                 "integer, got number 2.5"));
}

TEST_F(BrokenArtifactTest, UnknownOp) {
  std::string message =
      loadError([this](Artifact &a) { step(a, "add")["op"] = "convolution"; });
  EXPECT_THAT(message, HasSubstr("unknown op 'convolution'"));
  EXPECT_THAT(message, HasSubstr("manifest.variants[0] ('full').steps["));
}

TEST_F(BrokenArtifactTest, StepNamesAnUnknownBuffer) {
  std::string message = loadError(
      [this](Artifact &a) { step(a, "linear", 1)["inputs"]["x"] = "h9"; });
  EXPECT_THAT(message, HasSubstr("(linear).inputs.x: names buffer 'h9', "
                                 "which the variant does not declare"));
}

TEST_F(BrokenArtifactTest, StepNamesAnUnknownWeight) {
  std::string message = loadError([this](Artifact &a) {
    step(a, "classifier")["weights"]["weight"] = "head.weight";
  });
  EXPECT_THAT(message, HasSubstr("(classifier).weights.weight: names tensor "
                                 "'head.weight', which is not in the file"));
}

TEST_F(BrokenArtifactTest, StepLacksARequiredRole) {
  std::string message = loadError(
      [this](Artifact &a) { step(a, "attention")["inputs"].erase("k"); });
  EXPECT_THAT(message, HasSubstr("(attention).inputs: missing input 'k'"));
}

TEST_F(BrokenArtifactTest, WeightOfTheWrongShape) {
  std::string message = loadError([this](Artifact &a) {
    a.weights["classifier.weight"] = Array({config.classes, config.hidden + 1});
  });
  EXPECT_THAT(message,
              HasSubstr("weight 'weight' (tensor 'classifier.weight') has "
                        "shape [5, 17], expected [5, 16]"));
}

TEST_F(BrokenArtifactTest, WeightOfTheWrongDtype) {
  safetensors::Writer writer;
  for (const auto &[name, array] : artifact.weights)
    if (name != "classifier.bias")
      writer.addFloat32(name, array.shape, array.toFloat32());
  std::vector<std::int32_t> ints(config.classes, 1);
  writer.add("classifier.bias", safetensors::DType::I32, {config.classes},
             ints.data(), ints.size() * sizeof(std::int32_t));
  writer.setMetadata("tailor.manifest", artifact.manifest.dump());
  writer.write(dir.path("int-bias.tailor"));
  EXPECT_THAT(loadErrorOf(dir.path("int-bias.tailor")),
              HasSubstr("tensor 'classifier.bias' has dtype I32; the runtime "
                        "reads weights as F32"));
}

TEST_F(BrokenArtifactTest, BufferShapeDisagreesWithTheOp) {
  std::string message = loadError([this](Artifact &a) {
    buffer(a, "l0.q")["shape"] = {-1, 5, 8};
  });
  EXPECT_THAT(message, HasSubstr("(linear): output 'y' (buffer 'l0.q') is f32 "
                                 "[-1, 5, 8], expected f32 [-1, 5, 16]"));
}

TEST_F(BrokenArtifactTest, BufferOutsideTheArena) {
  std::string message = loadError([](Artifact &a) {
    a.manifest["variants"][0]["arena_bytes_per_sample"] = 1024;
  });
  EXPECT_THAT(message, HasSubstr("lie outside the arena of 1024 bytes per "
                                 "sample"));
  EXPECT_THAT(message, HasSubstr("manifest.variants[0] ('full').buffers["));
}

TEST_F(BrokenArtifactTest, MisalignedBuffer) {
  std::string message = loadError(
      [this](Artifact &a) { buffer(a, "logits")["offset_per_sample"] = 2; });
  EXPECT_THAT(message, HasSubstr("offset_per_sample: 2 is not a multiple of "
                                 "the f32 element size"));
}

TEST_F(BrokenArtifactTest, PlanOverlapsBuffersThatAreLiveTogether) {
  std::string message = loadError([this](Artifact &a) {
    buffer(a, "l0.k")["offset_per_sample"] =
        buffer(a, "l0.q")["offset_per_sample"];
  });
  EXPECT_THAT(message, HasSubstr("(attention) reads input 'q': buffer 'l0.q' "
                                 "was overwritten by"));
  EXPECT_THAT(message, HasSubstr("which wrote buffer 'l0.k' over its bytes"));
}

TEST_F(BrokenArtifactTest, StepReadsABufferBeforeItIsWritten) {
  std::string message = loadError([](Artifact &a) {
    nlohmann::json &steps = a.manifest["variants"][0]["steps"];
    std::swap(steps[0], steps[1]);
  });
  EXPECT_THAT(message, HasSubstr("steps[0] (layer_norm) reads input 'x': "
                                 "buffer 'embeddings' is read before any "
                                 "step writes it"));
}

TEST_F(BrokenArtifactTest, ModelInputWithoutABuffer) {
  std::string message = loadError(
      [](Artifact &a) { a.manifest["inputs"][0]["name"] = "pixels"; });
  EXPECT_THAT(message, HasSubstr("no buffer for the model input 'pixels'"));
}

TEST_F(BrokenArtifactTest, LengthsDisagreeWithTheLayers) {
  std::string message = loadError(
      [](Artifact &a) { a.manifest["variants"][1]["lengths"] = {4}; });
  EXPECT_THAT(message, HasSubstr("manifest.variants[1] ('half').lengths: has "
                                 "1 entries but the model has 2 layers"));
}

} // namespace
} // namespace tailor::testing
