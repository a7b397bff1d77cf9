//===- MemoryTest.cpp - The plan's arena against what the runtime allocates
//===//

#include "Harness.h"

#include <gtest/gtest.h>

namespace tailor::testing {
namespace {

ModelConfig droppingVit() {
  ModelConfig config;
  config.imageSize = 8;
  config.patchSize = 2;
  config.variants = {{"b1.00", 1.0, {}}, {"b0.40", 0.4, {9, 4}}};
  return config;
}

std::uint64_t bytesOf(const nlohmann::json &buffer) {
  std::uint64_t bytes = buffer["dtype"] == "u8" ? 1 : 4;
  for (std::size_t i = 1; i < buffer["shape"].size(); ++i)
    bytes *= buffer["shape"][i].get<std::uint64_t>();
  return bytes;
}

TEST(Memory, ThePlanReusesBytesAndCoversWhatIsLiveAtOnce) {
  ModelConfig config = droppingVit();
  Artifact artifact = buildArtifact(config, randomWeights(config));
  for (const nlohmann::json &variant : artifact.manifest["variants"]) {
    std::uint64_t arena = variant["arena_bytes_per_sample"];
    std::uint64_t all = 0;
    for (const nlohmann::json &buffer : variant["buffers"]) {
      all += bytesOf(buffer);
      EXPECT_LE(buffer["offset_per_sample"].get<std::uint64_t>() +
                    bytesOf(buffer),
                arena);
    }
    EXPECT_LT(arena, all / 2) << variant["name"] << ": buffers share bytes";
  }
}

TEST(Memory, TheRuntimeAllocatesBatchTimesThePlannedArenaAndReusesIt) {
  ModelConfig config = droppingVit();
  TempDir dir;
  Artifact artifact = buildArtifact(config, randomWeights(config));
  artifact.write(dir.path("model.tailor"));
  Model model = loadModel(dir.path("model.tailor"));
  Result<Session> session = Session::create(model, {"cpu", 2});
  ASSERT_TRUE(session.ok()) << session.status().message();
  std::map<std::string, std::uint64_t> perSample;
  for (const nlohmann::json &variant : artifact.manifest["variants"])
    perSample[variant["name"]] = variant["arena_bytes_per_sample"];

  // The first run allocates; a run that fits reuses the arena; a larger one
  // replaces it.
  std::uint64_t capacity = 0;
  for (auto [variant, batch] :
       std::vector<std::pair<std::string, int>>{{"b1.00", 4},
                                                {"b1.00", 2},
                                                {"b0.40", 2},
                                                {"b0.40", 9},
                                                {"b1.00", 3}}) {
    std::uint64_t needed = batch * perSample[variant];
    std::uint64_t allocated = needed > capacity ? needed : 0;
    capacity = std::max(capacity, needed);
    Inputs inputs = randomInputs(config, batch, 5);
    std::map<std::string, Tensor> outputs;
    Result<RunStats> stats =
        session->run(variant, modelInputs(config, inputs).views(), outputs);
    ASSERT_TRUE(stats.ok()) << stats.status().message();
    EXPECT_EQ(stats->arenaBytes, needed) << variant << " batch " << batch;
    EXPECT_EQ(stats->arenaBytesAllocated, allocated)
        << variant << " batch " << batch;
  }
}

TEST(Memory, BuffersLiveTogetherNeverShareBytesAndFitTheArena) {
  ModelConfig config = droppingVit();
  Artifact artifact = buildArtifact(config, randomWeights(config));
  for (const nlohmann::json &variant : artifact.manifest["variants"]) {
    // Lifetimes from the steps: from the writer (or -1 for the input) to
    // the last reader (or past the end for the output).
    std::map<std::string, std::pair<int, int>> life;
    auto touch = [&](const std::string &name, int at) {
      auto [it, fresh] = life.emplace(name, std::make_pair(at, at));
      it->second.second = std::max(it->second.second, at);
    };
    touch("images", -1);
    const nlohmann::json &steps = variant["steps"];
    for (int i = 0; i < static_cast<int>(steps.size()); ++i)
      for (const char *side : {"inputs", "outputs"})
        for (const auto &item : steps[i][side].items())
          touch(item.value(), i);
    touch("logits", static_cast<int>(steps.size()));

    std::uint64_t arena = variant["arena_bytes_per_sample"], peak = 0;
    const nlohmann::json &buffers = variant["buffers"];
    for (int at = -1; at <= static_cast<int>(steps.size()); ++at) {
      std::uint64_t live = 0;
      for (const nlohmann::json &buffer : buffers) {
        auto [first, last] = life.at(buffer["name"]);
        live += first <= at && at <= last ? bytesOf(buffer) : 0;
      }
      peak = std::max(peak, live);
    }
    EXPECT_GE(arena, peak) << variant["name"];
    for (const nlohmann::json &a : buffers)
      for (const nlohmann::json &b : buffers) {
        if (a["name"] == b["name"])
          continue;
        auto [aFirst, aLast] = life.at(a["name"]);
        auto [bFirst, bLast] = life.at(b["name"]);
        std::uint64_t aBegin = a["offset_per_sample"],
                      bBegin = b["offset_per_sample"];
        bool together = aFirst <= bLast && bFirst <= aLast;
        bool shared =
            aBegin < bBegin + bytesOf(b) && bBegin < aBegin + bytesOf(a);
        EXPECT_FALSE(together && shared)
            << variant["name"] << ": " << a["name"] << " and " << b["name"];
      }
  }
}

} // namespace
} // namespace tailor::testing
