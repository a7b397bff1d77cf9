//===- ManifestMutationTest.cpp - No manifest edit crashes the runtime ----===//
//
// Every value of a valid manifest, one at a time, is removed or replaced by
// a value of another type or size. Each artifact must either fail to load
// with a message, or load and then run (or refuse to run) without crashing;
// under AddressSanitizer this also checks that nothing is read or written
// out of bounds.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include <gtest/gtest.h>

#include <functional>

namespace tailor::testing {
namespace {

/// Calls `visit` with every value of `json` (objects' members and arrays'
/// elements, recursively) as a JSON pointer.
void forEachValue(
    const nlohmann::json &json, const nlohmann::json::json_pointer &where,
    const std::function<void(const nlohmann::json::json_pointer &)> &visit) {
  if (json.is_object())
    for (auto it = json.begin(); it != json.end(); ++it)
      forEachValue(it.value(), where / it.key(), visit);
  else if (json.is_array())
    for (std::size_t i = 0; i < json.size(); ++i)
      forEachValue(json[i], where / i, visit);
  visit(where);
}

TEST(ManifestMutation, EveryEditLoadsOrFailsCleanly) {
  ModelConfig config;
  config.kind = "encoder";
  config.keyMask = true;
  config.maxPositions = 6;
  config.layers = 2;
  config.hidden = 8;
  config.intermediate = 8;
  config.variants = {{"b0.50", 0.5, {4, 2}}};
  Artifact artifact = buildArtifact(config, randomWeights(config));
  Inputs inputs = randomInputs(config, 2, 1);
  TempDir dir;
  const std::string path = dir.path("mutant.tailor");

  // Null, zero, a wrong size, an absurd size, a wrong type.
  const std::vector<nlohmann::json> replacements = {nullptr, 0, 3,
                                                    std::int64_t(1) << 40, "x"};
  int loaded = 0, refused = 0;
  auto tryArtifact = [&](const nlohmann::json &manifest) {
    Artifact mutant = artifact;
    mutant.manifest = manifest;
    mutant.write(path);
    Result<Model> model = Model::load(path);
    if (!model.ok()) {
      EXPECT_FALSE(model.status().message().empty());
      ++refused;
      return;
    }
    ++loaded;
    Result<Session> session = Session::create(*model, {"cpu", 2});
    ASSERT_TRUE(session.ok());
    for (const VariantInfo &variant : model->variants()) {
      std::map<std::string, Tensor> outputs;
      // Any outcome but a crash will do: the edit may have made the inputs
      // wrong for the model.
      (void)session->run(variant.name, modelInputs(config, inputs).views(),
                         outputs);
    }
  };

  forEachValue(artifact.manifest, {},
               [&](const nlohmann::json::json_pointer &where) {
                 if (where.empty())
                   return;
                 nlohmann::json removed = artifact.manifest;
                 nlohmann::json &parent = removed[where.parent_pointer()];
                 if (parent.is_object())
                   parent.erase(where.back());
                 else
                   parent.erase(std::stoul(where.back()));
                 tryArtifact(removed);
                 for (const nlohmann::json &value : replacements) {
                   nlohmann::json replaced = artifact.manifest;
                   replaced[where] = value;
                   tryArtifact(replaced);
                 }
               });
  // Most edits break the artifact; some (an unused name, a larger arena)
  // leave it valid.
  EXPECT_GT(refused, 1000);
  EXPECT_GT(loaded, 0);
}

} // namespace
} // namespace tailor::testing
