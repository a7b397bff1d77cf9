//===- PrecisionTest.cpp - The artifact's precision and the session's -----===//
//
// tailorc --precision records how an artifact multiplies; its CUDA sessions
// default to it (GPU side: gpu-aot-test), a CPU session computes in fp32
// whatever the artifact says, and a manifest naming another precision does
// not load.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include <gtest/gtest.h>

#include <cstring>

namespace tailor::testing {
namespace {

class Precision : public ::testing::Test {
protected:
  Precision() {
    config = tinyVitModel();
    config.variants = {{"b1.00", 1.0, {}}};
    weights = randomWeights(config);
  }

  /// The artifact with manifest.precision set to `precision` (left out
  /// when empty); its path.
  std::string write(const std::string &precision) {
    Artifact artifact = buildArtifact(config, weights);
    if (!precision.empty())
      artifact.manifest["precision"] = precision;
    const std::string path = dir.path("model-" + precision + ".tailor");
    artifact.write(path);
    return path;
  }

  ModelConfig config;
  Weights weights;
  TempDir dir;
};

TEST_F(Precision, TheManifestsPrecisionIsTheModels) {
  EXPECT_EQ(loadModel(write("")).info().precision, "fp32");
  for (const char *precision : {"fp32", "tf32", "bf16", "fp16"})
    EXPECT_EQ(loadModel(write(precision)).info().precision, precision);
}

TEST_F(Precision, AnUnknownPrecisionDoesNotLoad) {
  const std::string path = write("int8");
  Result<Model> model = Model::load(path);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().message(),
            "artifact '" + path +
                "': manifest.precision: unknown precision \"int8\" (expected "
                "fp32, tf32, bf16 or fp16)");
}

TEST_F(Precision, ACpuSessionComputesInFp32WhateverTheArtifactSays) {
  Model fp32 = loadModel(write("fp32"));
  Model bf16 = loadModel(write("bf16"));
  HostTensors inputs = modelInputs(config, randomInputs(config, 3, 5));
  Tensor expected = runModel(fp32, "b1.00", inputs).at("logits");
  Tensor actual = runModel(bf16, "b1.00", inputs).at("logits");
  ASSERT_EQ(actual.numBytes(), expected.numBytes());
  EXPECT_EQ(std::memcmp(actual.data(), expected.data(), actual.numBytes()), 0);

  Result<Session> refused = Session::create(bf16, {"cpu", 1, "bf16"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "precision 'bf16': the CPU backend computes in fp32 only");
}

} // namespace
} // namespace tailor::testing
