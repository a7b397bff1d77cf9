//===- AcmTest.cpp - ACM layers on the CPU: routing, compaction, guards ---===//
//
// A hand-built ACM layer (AcmLayer.h) against its token-by-token reference,
// the learners' token counts, guards that skip, row ids out of range, and
// manifests broken one way each.
//
//===----------------------------------------------------------------------===//

#include "AcmLayer.h"

#include "tailor/testing/Reference.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

namespace tailor::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr double kTolerance = 1e-6;
constexpr std::int64_t S = AcmLayer::seq, H = AcmLayer::hidden;

class AcmTest : public ::testing::Test {
protected:
  Model load(const Artifact &artifact) {
    const std::string path = dir.path("acm.tailor");
    artifact.write(path);
    return loadModel(path);
  }

  /// Runs "only" on `u`; the outputs' "y" and the run's learner counts.
  Array run(const Model &model, const Array &u,
            std::vector<std::vector<std::int64_t>> &learnerTokens) {
    Result<Session> session = Session::create(model, {"cpu", 3});
    EXPECT_TRUE(session.ok()) << session.status().message();
    HostTensors inputs;
    inputs.addF32("u", u);
    std::map<std::string, Tensor> outputs;
    Result<RunStats> stats = session->run("only", inputs.views(), outputs);
    if (!stats.ok())
      throw std::runtime_error(stats.status().message());
    learnerTokens = stats->learnerTokens;
    return toArray(outputs.at("y"));
  }

  TempDir dir;
  std::mt19937_64 generator{23};
};

TEST_F(AcmTest, EachTokenRunsTheLearnersItsGateChose) {
  AcmLayer layer(generator);
  Model model = load(layer.plan().artifact());
  for (std::int64_t batch : {3, 1}) {
    Array u = randomArray({batch, S, H}, generator);
    std::vector<std::int64_t> expectedTokens;
    Array expected = layer.reference(u, expectedTokens);
    std::vector<std::vector<std::int64_t>> learnerTokens;
    Array actual = run(model, u, learnerTokens);
    EXPECT_LT(relativeError(actual.values, expected.values), kTolerance)
        << "batch " << batch;
    ASSERT_EQ(learnerTokens.size(), 1u);
    EXPECT_EQ(learnerTokens[0], expectedTokens) << "batch " << batch;
    if (batch == 3) { // the gate's draw has tokens choose 1, 2 and 3
      EXPECT_LT(expectedTokens[1], expectedTokens[0]);
      EXPECT_LT(expectedTokens[2], expectedTokens[1]);
      EXPECT_GT(expectedTokens[2], 0);
    }
  }
}

// Biases that make the gate choose one learner everywhere: both compactions
// count nothing and every guarded step is skipped.
TEST_F(AcmTest, EveryTokenOnLearnerZeroSkipsTheGuardedSteps) {
  AcmLayer layer(generator);
  layer.gateBias.values = {100, -100, -100};
  Model model = load(layer.plan().artifact());
  Array u = randomArray({3, S, H}, generator);
  std::vector<std::int64_t> expectedTokens;
  Array expected = layer.reference(u, expectedTokens);
  EXPECT_EQ(expectedTokens, (std::vector<std::int64_t>{15, 0, 0}));
  std::vector<std::vector<std::int64_t>> learnerTokens;
  Array actual = run(model, u, learnerTokens);
  EXPECT_LT(relativeError(actual.values, expected.values), kTolerance);
  EXPECT_EQ(learnerTokens,
            (std::vector<std::vector<std::int64_t>>{{15, 0, 0}}));
}

// A scatter_add whose own counts are not empty, guarded by counts that are:
// it changes the output exactly when its guard lets it run.
TEST_F(AcmTest, AGuardWithTotalZeroSkipsItsStep) {
  const std::int64_t batch = 2;
  Array weight = randomArray({H, H}, generator);
  Array u = randomArray({batch, S, H}, generator);
  Array projected = reference::linear(u, weight, nullptr);
  for (std::int64_t chosen : {2, 3}) {
    SmallPlan plan = guardedScatterPlan(weight, chosen);
    Model model = load(plan.artifact());
    HostTensors inputs;
    inputs.addF32("u", u);
    Result<Session> session = Session::create(model, {"cpu", 2});
    ASSERT_TRUE(session.ok());
    std::map<std::string, Tensor> outputs;
    Result<RunStats> stats = session->run("only", inputs.views(), outputs);
    ASSERT_TRUE(stats.ok()) << stats.status().message();
    Array expected = chosen == 3 ? reference::add(projected, u) : projected;
    EXPECT_LT(relativeError(toArray(outputs.at("acc")).values, expected.values),
              kTolerance)
        << chosen << " learners";
    std::int64_t third = chosen == 3 ? batch * S : 0;
    EXPECT_EQ(stats->learnerTokens, (std::vector<std::vector<std::int64_t>>{
                                        {batch * S, batch * S, third}}));
  }
}

// Tokens with learners > 1 in samples 0 and 1: flat ids 0, 1, 6, 7, 8.
TEST_F(AcmTest, RoutingTiesNaNsAndTheCompactionsPrefixSums) {
  Model model = load(routeAndCompactPlan().artifact());
  TrickyLogits tricky = trickyLogits();
  HostTensors inputs;
  inputs.add("logits", DType::F32, {2, S, 3}, tricky.logits.data());
  std::map<std::string, Tensor> outputs = runModel(model, "only", inputs);
  const std::int32_t *learners = outputs.at("learners").dataAs<std::int32_t>();
  EXPECT_EQ(std::vector<std::int32_t>(learners, learners + 2 * S),
            tricky.learners);
  const std::int32_t *counts = outputs.at("counts").dataAs<std::int32_t>();
  EXPECT_EQ(std::vector<std::int32_t>(counts, counts + 2),
            (std::vector<std::int32_t>{2, 5}));
  const std::int32_t *rows = outputs.at("rows").dataAs<std::int32_t>();
  EXPECT_EQ(std::vector<std::int32_t>(rows, rows + 5),
            (std::vector<std::int32_t>{0, 1, 6, 7, 8}));
}

TEST_F(AcmTest, RowIdsOutsideTheBatchAreRunTimeErrors) {
  SmallPlan plan = gatherByIdsPlan();
  Model model = load(plan.artifact());
  Array u = randomArray({2, S, H}, generator);
  // Sample 1's tokens 3 and 4 run learner 1: the first two ids are used.
  std::vector<std::int32_t> learners = {1, 1, 1, 1, 1, 1, 1, 1, 2, 2};
  for (auto [id, valid] : {std::pair{9, true}, {10, false}, {-1, false}}) {
    std::vector<std::int32_t> ids = {4, id, 99, 99, 99, 99, 99, 99, 99, 99};
    HostTensors inputs;
    inputs.addF32("u", u);
    inputs.add("ids", DType::I32, {2, S}, ids.data());
    inputs.add("learners", DType::I32, {2, S}, learners.data());
    Result<Session> session = Session::create(model, {"cpu", 2});
    ASSERT_TRUE(session.ok());
    std::map<std::string, Tensor> outputs;
    Result<RunStats> stats = session->run("only", inputs.views(), outputs);
    if (valid) {
      ASSERT_TRUE(stats.ok()) << stats.status().message();
      const float *y = outputs.at("y").dataAs<float>();
      EXPECT_EQ(y[H], static_cast<float>(u.values[9 * H])); // row 1 = u[9]
      continue;
    }
    ASSERT_FALSE(stats.ok()) << "row id " << id;
    EXPECT_THAT(
        stats.status().message(),
        AllOf(HasSubstr("steps[1] (gather_rows)"),
              HasSubstr("row id " + std::to_string(id) +
                        " at position 1 of 'ids'"),
              HasSubstr("outside the 10 rows of 'u' (2 samples of 5)")));
  }
}

nlohmann::json &stepOf(Artifact &artifact, int index) {
  return artifact.manifest["variants"][0]["steps"][index];
}

nlohmann::json &bufferOf(Artifact &artifact, const std::string &name) {
  for (nlohmann::json &buffer : artifact.manifest["variants"][0]["buffers"])
    if (buffer["name"] == name)
      return buffer;
  throw std::runtime_error("no buffer " + name);
}

/// Declares a model input "n" i32 [-1] past the end of the arena.
void addCountsInput(Artifact &artifact) {
  nlohmann::json &variant = artifact.manifest["variants"][0];
  const std::uint64_t end = variant["arena_bytes_per_sample"];
  variant["arena_bytes_per_sample"] = end + 4;
  variant["buffers"].push_back({{"name", "n"},
                                {"dtype", "i32"},
                                {"shape", {-1}},
                                {"offset_per_sample", end}});
  artifact.manifest["inputs"].push_back(
      {{"name", "n"}, {"dtype", "i32"}, {"shape", {-1}}});
}

struct BrokenAcm {
  std::string name;
  std::function<void(Artifact &)> edit;
  std::vector<std::string> messages;
};

// Steps of AcmLayer::plan: 0 gate, 1 acm_route, 2-3 learner 0, 4-5
// acm_compact, 6-9 learner 1 (gather_rows, linear, linear, scatter_add),
// 10-13 learner 2, 14 add.
std::vector<BrokenAcm> brokenAcmManifests() {
  return {
      {"unknown role",
       [](Artifact &a) {
         stepOf(a, 4)["inputs"] = {{"logits", "learners"}};
       },
       {"steps[4] (acm_compact)",
        "unknown input role 'logits' for acm_compact (roles: learners)"}},
      {"unknown linear role",
       [](Artifact &a) { stepOf(a, 7)["inputs"]["count"] = "counts1"; },
       {"steps[7] (linear)",
        "unknown input role 'count' for linear (roles: x, counts, residual)"}},
      {"learner missing",
       [](Artifact &a) { stepOf(a, 4).erase("attrs"); },
       {"steps[4] (acm_compact)", "'attrs'", "'learner'"}},
      {"learner zero",
       [](Artifact &a) { stepOf(a, 5)["attrs"]["learner"] = 0; },
       {"steps[5] (acm_compact).attrs.learner",
        "expected a positive integer, got 0"}},
      {"guard undeclared",
       [](Artifact &a) { stepOf(a, 7)["guard"] = "nothing"; },
       {"steps[7] (linear).guard",
        "names buffer 'nothing', which the variant does not declare"}},
      {"guard not a counts buffer",
       [](Artifact &a) { stepOf(a, 7)["guard"] = "learners"; },
       {"steps[7] (linear).guard",
        "buffer 'learners' is i32 [-1, 5]; a guard is an i32 [-1] counts "
        "buffer"}},
      {"guard written later",
       [](Artifact &a) { stepOf(a, 4)["guard"] = "counts2"; },
       {"steps[4] (acm_compact) is guarded by buffer 'counts2'",
        "buffer 'counts2' is read before any step writes it"}},
      {"guard not from acm_compact",
       [](Artifact &a) {
         addCountsInput(a);
         stepOf(a, 6)["guard"] = "n";
       },
       {"steps[6] (gather_rows) is guarded by buffer 'n'",
        "must hold the counts of an acm_compact step, but the copy of the "
        "model inputs wrote it"}},
      {"counts not from acm_compact",
       [](Artifact &a) {
         addCountsInput(a);
         stepOf(a, 7)["inputs"]["counts"] = "n";
       },
       {"steps[7] (linear) reads input 'counts'",
        "buffer 'n' must hold the counts of an acm_compact step"}},
      {"route writes f32",
       [](Artifact &a) { bufferOf(a, "learners")["dtype"] = "f32"; },
       {"steps[1] (acm_route)",
        "output 'learners' (buffer 'learners') is f32 [-1, 5], expected i32 "
        "[-1, 5]"}},
      {"rows of another length",
       [](Artifact &a) {
         bufferOf(a, "rows1")["shape"] = {-1, 4};
       },
       {"steps[4] (acm_compact)",
        "output 'rows' (buffer 'rows1') is i32 [-1, 4], expected i32 [-1, "
        "5]"}},
      {"counts of rank 2",
       [](Artifact &a) { stepOf(a, 6)["inputs"]["counts"] = "learners"; },
       {"steps[6] (gather_rows)",
        "input 'counts' (buffer 'learners') is i32 [-1, 5], expected i32 "
        "[-1]"}},
      {"gather into another width",
       [](Artifact &a) { stepOf(a, 6)["outputs"]["y"] = "h1"; },
       {"steps[6] (gather_rows)",
        "output 'y' (buffer 'h1') is f32 [-1, 5, 4], expected f32 [-1, 5, "
        "8]"}},
      {"scatter_add into an unwritten buffer",
       [](Artifact &a) {
         auto &steps = a.manifest["variants"][0]["steps"];
         steps.erase(steps.begin() + 3); // learner 0's down writes acc
       },
       {"steps[8] (scatter_add) accumulates into output 'y'",
        "buffer 'acc' is read before any step writes it"}},
      {"guarded output read unguarded",
       [](Artifact &a) { stepOf(a, 7).erase("guard"); },
       {"steps[7] (linear) reads input 'x'",
        "buffer 'x1' was written by steps[6] (gather_rows) under guard "
        "'counts1'",
        "this read is unguarded"}},
      {"guarded output read under another guard",
       [](Artifact &a) { stepOf(a, 8)["guard"] = "counts2"; },
       {"steps[8] (linear) reads input 'x'",
        "buffer 'h1' was written by steps[7] (linear) under guard 'counts1'",
        "this read is under guard 'counts2'"}},
  };
}

TEST_F(AcmTest, BrokenManifestsFailToLoadSayingWhatAndWhere) {
  const Artifact valid = AcmLayer(generator).plan().artifact();
  for (const BrokenAcm &broken : brokenAcmManifests()) {
    Artifact artifact = valid;
    broken.edit(artifact);
    const std::string path = dir.path("broken.tailor");
    artifact.write(path);
    Result<Model> model = Model::load(path);
    ASSERT_FALSE(model.ok()) << broken.name << " loaded";
    for (const std::string &message : broken.messages)
      EXPECT_THAT(model.status().message(), HasSubstr(message)) << broken.name;
  }
}

#ifdef TAILOR_WITH_CUDA
// What tailorc compiles ahead of time: the route, the compactions, the row
// gathers and scatters, and the epilogues of the learners' GELU.
TEST_F(AcmTest, TheCudaKernelListingHasTheAcmKernels) {
  Model model = load(AcmLayer(generator).plan().artifact());
  Result<std::vector<CudaKernel>> kernels =
      model.cudaKernels("only", "fp32", "sm_80");
  ASSERT_TRUE(kernels.ok()) << kernels.status().message();
  std::vector<std::string> names;
  for (const CudaKernel &kernel : *kernels)
    names.push_back(kernel.name);
  // Both compactions (learners 1 and 2) run as one kernel.
  for (const char *prefix :
       {"acm_route_s5_n3_f32_g", "acm_compact_s5_l1_n2_g",
        "acm_gather_s5_h8_f32_g", "acm_scatter_add_s5_h8_f32_g",
        "bias_gelu_r5_o4_f32_g"})
    EXPECT_THAT(names, ::testing::Contains(::testing::StartsWith(prefix)));
}
#endif

} // namespace
} // namespace tailor::testing
