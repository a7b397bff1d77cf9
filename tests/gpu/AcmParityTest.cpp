//===- AcmParityTest.cpp - ACM layers on CUDA against the CPU -------------===//
//
// The hand-built ACM layer of tests/runtime (AcmLayer.h) on cuda:0 in fp32
// against the CPU backend: outputs, the learners' token counts (the
// caller's batch, not the bucket's padding), guards that skip, and row ids
// out of range. The arena starts filled with NaN, so a row a kernel should
// have written and did not fails the comparison.
//
//===----------------------------------------------------------------------===//

#include "AcmLayer.h"
#include "GpuHarness.h"

#include <gmock/gmock.h>

#include <set>

namespace tailor::testing {
namespace {

using ::testing::HasSubstr;

constexpr std::int64_t S = AcmLayer::seq, H = AcmLayer::hidden;

class AcmParity : public ::testing::Test {
protected:
  void SetUp() override { TAILOR_REQUIRE_GPU(); }

  Model load(const SmallPlan &plan) {
    const std::string path = dir.path("acm.tailor");
    plan.artifact().write(path);
    return loadModel(path);
  }

  static Session session(const Model &model, const std::string &device) {
    Result<Session> made = Session::create(model, {device, 2, "fp32"});
    if (!made.ok())
      throw std::runtime_error(made.status().message());
    return std::move(*made);
  }

  static RunStats run(Session &session, const HostTensors &inputs,
                      std::map<std::string, Tensor> &outputs) {
    Result<RunStats> stats = session.run("only", inputs.views(), outputs);
    if (!stats.ok())
      throw std::runtime_error(stats.status().message());
    return *stats;
  }

  /// Runs `inputs` on both sessions; expects the same outputs (fp32
  /// tolerance) and learner counts. Returns the CUDA run's stats.
  RunStats expectParity(Session &cpu, Session &cuda, const HostTensors &inputs,
                        const std::string &what) {
    std::map<std::string, Tensor> expected, actual;
    RunStats cpuStats = run(cpu, inputs, expected);
    RunStats cudaStats = run(cuda, inputs, actual);
    std::string worst;
    EXPECT_LT(outputError(actual, expected, &worst), toleranceOf("fp32"))
        << what << ": output '" << worst << "'";
    EXPECT_EQ(cudaStats.learnerTokens, cpuStats.learnerTokens) << what;
    EXPECT_FALSE(cudaStats.learnerTokens.empty()) << what;
    return cudaStats;
  }

  TempDir dir;
  std::mt19937_64 generator{29};
};

// Batches 3, 5 and 300 run padded (buckets 4, 8 and 512): the padding
// samples' tokens are routed too, and must not be counted. A second run of
// a bucket reuses its lowering. 512 samples of 5 tokens take the
// compaction's block three rounds of 1024 tokens. The first run of a bucket
// captures the graphs between the host round trips, later ones replay them.
TEST_F(AcmParity, TheLayerMatchesTheCpuAtEveryBatch) {
  AcmLayer layer(generator);
  Model model = load(layer.plan());
  Session cpu = session(model, "cpu"), cuda = session(model, "cuda:0");
  std::set<std::int64_t> buckets;
  for (std::int64_t batch : {3, 1, 8, 5, 3, 64, 300}) {
    HostTensors inputs;
    inputs.addF32("u", randomArray({batch, S, H}, generator));
    const std::string what = "batch " + std::to_string(batch);
    RunStats stats = expectParity(cpu, cuda, inputs, what);
    if (stats.arenaBytesAllocated > 0)
      buckets.clear(); // a grown arena drops the graphs that point into it
    EXPECT_EQ(stats.graphCaptured, buckets.insert(stats.deviceBatch).second)
        << what;
  }
}

// Gate biases that pick one learner everywhere (every guarded step
// skipped) or all three (every token through every learner).
TEST_F(AcmParity, OneLearnerEverywhereAndAllLearnersEverywhere) {
  for (double first : {100.0, -100.0}) {
    AcmLayer layer(generator);
    layer.gateBias.values = {first, -first, first < 0 ? 200.0 : -100.0};
    Model model = load(layer.plan());
    Session cpu = session(model, "cpu"), cuda = session(model, "cuda:0");
    HostTensors inputs;
    inputs.addF32("u", randomArray({3, S, H}, generator));
    expectParity(cpu, cuda, inputs,
                 first > 0 ? "one learner" : "three learners");
  }
}

TEST_F(AcmParity, AGuardWithTotalZeroSkipsItsStep) {
  Array weight = randomArray({H, H}, generator);
  for (std::int64_t chosen : {2, 3}) {
    Model model = load(guardedScatterPlan(weight, chosen));
    Session cpu = session(model, "cpu"), cuda = session(model, "cuda:0");
    HostTensors inputs;
    inputs.addF32("u", randomArray({2, S, H}, generator));
    expectParity(cpu, cuda, inputs, std::to_string(chosen) + " learners");
  }
}

// Batch 2 fills its bucket: the same counts and rows on both backends (the
// rows past the total are unspecified).
TEST_F(AcmParity, RoutingTiesNaNsAndTheCompaction) {
  Model model = load(routeAndCompactPlan());
  Session cpu = session(model, "cpu"), cuda = session(model, "cuda:0");
  TrickyLogits tricky = trickyLogits();
  HostTensors inputs;
  inputs.add("logits", DType::F32, {2, S, 3}, tricky.logits.data());
  std::map<std::string, Tensor> expected, actual;
  run(cpu, inputs, expected);
  run(cuda, inputs, actual);
  auto ints = [](const Tensor &tensor, std::int64_t count) {
    const std::int32_t *values = tensor.dataAs<std::int32_t>();
    return std::vector<std::int32_t>(values, values + count);
  };
  EXPECT_EQ(ints(actual.at("learners"), 2 * S), tricky.learners);
  EXPECT_EQ(ints(actual.at("counts"), 2), ints(expected.at("counts"), 2));
  const std::int64_t total = ints(expected.at("counts"), 2)[1];
  EXPECT_EQ(ints(actual.at("rows"), total), ints(expected.at("rows"), total));
}

// Batch 2 fills its bucket, so both backends count the same rows.
TEST_F(AcmParity, RowIdsOutOfRangeGiveTheCpuMessage) {
  Model model = load(gatherByIdsPlan());
  Session cpu = session(model, "cpu"), cuda = session(model, "cuda:0");
  std::vector<std::int32_t> learners = {1, 1, 1, 1, 1, 1, 1, 1, 2, 2};
  std::vector<std::int32_t> ids = {4, 10, 99, 99, 99, 99, 99, 99, 99, 99};
  HostTensors inputs;
  inputs.addF32("u", randomArray({2, S, H}, generator));
  inputs.add("ids", DType::I32, {2, S}, ids.data());
  inputs.add("learners", DType::I32, {2, S}, learners.data());
  std::map<std::string, Tensor> outputs;
  Result<RunStats> onCpu = cpu.run("only", inputs.views(), outputs);
  Result<RunStats> onCuda = cuda.run("only", inputs.views(), outputs);
  ASSERT_FALSE(onCpu.ok());
  ASSERT_FALSE(onCuda.ok());
  EXPECT_THAT(onCuda.status().message(),
              HasSubstr("row id 10 at position 1 of 'ids'"));
  EXPECT_EQ(onCuda.status().message(), onCpu.status().message());
}

} // namespace
} // namespace tailor::testing
