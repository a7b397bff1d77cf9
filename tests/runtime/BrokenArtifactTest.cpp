//===- BrokenArtifactTest.cpp - Broken artifacts give clear errors --------===//
//
// Each case of BrokenArtifacts.h breaks one thing in a valid tiny ViT
// artifact (or its file); Model::load must fail with a message naming what
// and where.
//
//===----------------------------------------------------------------------===//

#include "BrokenArtifacts.h"
#include "Harness.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor::testing {

void PrintTo(const BrokenArtifact &broken, std::ostream *out) {
  *out << broken.name;
}

namespace {

using ::testing::HasSubstr;

TEST(BrokenArtifact, TheValidArtifactLoads) {
  ModelConfig config = brokenArtifactModel();
  TempDir dir;
  buildArtifact(config, randomWeights(config)).write(dir.path("model.tailor"));
  EXPECT_TRUE(Model::load(dir.path("model.tailor")).ok());
}

class BrokenArtifactTest : public ::testing::TestWithParam<BrokenArtifact> {};

TEST_P(BrokenArtifactTest, LoadFailsWithAClearMessage) {
  ModelConfig config = brokenArtifactModel();
  TempDir dir;
  std::string path = dir.path("broken.tailor");
  GetParam().write(buildArtifact(config, randomWeights(config)), path);
  Result<Model> model = Model::load(path);
  ASSERT_FALSE(model.ok());
  for (const std::string &part : GetParam().messages)
    EXPECT_THAT(model.status().message(), HasSubstr(part));
}

std::string caseName(const ::testing::TestParamInfo<BrokenArtifact> &info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Cases, BrokenArtifactTest,
                         ::testing::ValuesIn(brokenArtifacts()), caseName);

} // namespace
} // namespace tailor::testing
