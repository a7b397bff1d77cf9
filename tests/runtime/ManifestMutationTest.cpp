//===- ManifestMutationTest.cpp - No manifest edit crashes the runtime ----===//
//
// Every value of a valid manifest, one at a time, is removed or replaced by
// a value of another type or size. Each artifact must either fail to load
// with a message, or load and then run (or refuse to run) without crashing;
// under AddressSanitizer this also checks that nothing is read or written
// out of bounds.
//
//===----------------------------------------------------------------------===//

#include "AcmLayer.h"
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

struct Outcomes {
  int loaded = 0, refused = 0;
};

/// Removes each value of `artifact`'s manifest, and replaces it by values
/// of other types and sizes, one at a time; runs `inputs` on every variant
/// of each mutant that loads.
Outcomes mutateEveryValue(const Artifact &artifact, const HostTensors &inputs) {
  TempDir dir;
  const std::string path = dir.path("mutant.tailor");
  // Null, zero, a wrong size, an absurd size, a wrong type.
  const std::vector<nlohmann::json> replacements = {nullptr, 0, 3,
                                                    std::int64_t(1) << 40, "x"};
  Outcomes outcomes;
  auto tryArtifact = [&](const nlohmann::json &manifest) {
    Artifact mutant = artifact;
    mutant.manifest = manifest;
    mutant.write(path);
    Result<Model> model = Model::load(path);
    if (!model.ok()) {
      EXPECT_FALSE(model.status().message().empty());
      ++outcomes.refused;
      return;
    }
    ++outcomes.loaded;
    Result<Session> session = Session::create(*model, {"cpu", 2});
    ASSERT_TRUE(session.ok());
    for (const VariantInfo &variant : model->variants()) {
      std::map<std::string, Tensor> outputs;
      // Any outcome but a crash will do: the edit may have made the inputs
      // wrong for the model.
      (void)session->run(variant.name, inputs.views(), outputs);
    }
  };

  forEachValue(artifact.manifest, nlohmann::json::json_pointer(),
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
  return outcomes;
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
  Outcomes outcomes = mutateEveryValue(artifact, modelInputs(config, inputs));
  // Most edits break the artifact; some (an unused name, a larger arena)
  // leave it valid.
  EXPECT_GT(outcomes.refused, 1000);
  EXPECT_GT(outcomes.loaded, 0);
}

// Guards, counts and row ids (a mutant may gather by the learners' values).
TEST(ManifestMutation, EveryEditOfAnAcmLayerLoadsOrFailsCleanly) {
  std::mt19937_64 random(5);
  Artifact artifact = AcmLayer(random).plan().artifact();
  HostTensors inputs;
  inputs.addF32("u", randomArray({3, AcmLayer::seq, AcmLayer::hidden}, random));
  Outcomes outcomes = mutateEveryValue(artifact, inputs);
  EXPECT_GT(outcomes.refused, 1000);
  EXPECT_GT(outcomes.loaded, 0);
}

} // namespace
} // namespace tailor::testing
