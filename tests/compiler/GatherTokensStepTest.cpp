//===- GatherTokensStepTest.cpp - The runtime's gather_tokens step --------===//
//
// The step lower-to-kernels emits for the key mask (and any per-token
// tensor a selection applies to), on the CPU runtime: every dtype, checked
// shapes, and out-of-range indices reported as a run error.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include <gtest/gtest.h>

namespace tailor::testing {
namespace {

/// y = x[b, indices[b, j]] for x [2, 4, width] of `dtype`, indices [2, 3].
SmallPlan gatherPlan(const std::string &dtype, std::int64_t width) {
  SmallPlan plan;
  plan.input("x", dtype, {4, width})
      .input("indices", "i32", {3})
      .output("y", dtype, {3, width})
      .step("gather_tokens", {{"x", "x"}, {"indices", "indices"}},
            {{"y", "y"}});
  return plan;
}

template <typename T>
void expectGathered(DType dtype, const std::string &name) {
  TempDir dir;
  gatherPlan(name, 2).artifact().write(dir.path("gather.tailor"));
  Model model = loadModel(dir.path("gather.tailor"));
  std::vector<T> x(2 * 4 * 2);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<T>(i + 1);
  std::vector<std::int32_t> indices = {0, 2, 3, 1, 1, 3};
  HostTensors inputs;
  inputs.add("x", dtype, {2, 4, 2}, x.data());
  inputs.add("indices", DType::I32, {2, 3}, indices.data());
  Tensor y = runModel(model, "only", inputs).at("y");
  ASSERT_EQ(y.shape(), (std::vector<std::int64_t>{2, 3, 2}));
  const T *values = y.dataAs<T>();
  for (std::int64_t b = 0; b < 2; ++b)
    for (std::int64_t j = 0; j < 3; ++j)
      for (std::int64_t c = 0; c < 2; ++c)
        EXPECT_EQ(values[(b * 3 + j) * 2 + c],
                  x[(b * 4 + indices[b * 3 + j]) * 2 + c])
            << name << " [" << b << ", " << j << ", " << c << "]";
}

TEST(GatherTokensStep, GathersRowsOfEveryDtype) {
  expectGathered<float>(DType::F32, "f32");
  expectGathered<std::int32_t>(DType::I32, "i32");
  expectGathered<std::uint8_t>(DType::U8, "u8");
}

TEST(GatherTokensStep, AnIndexOutOfRangeIsARunError) {
  TempDir dir;
  gatherPlan("u8", 1).artifact().write(dir.path("gather.tailor"));
  Model model = loadModel(dir.path("gather.tailor"));
  std::vector<std::uint8_t> x(8, 1);
  std::vector<std::int32_t> indices = {0, 1, 2, 3, 4, 0};
  HostTensors inputs;
  inputs.add("x", DType::U8, {2, 4, 1}, x.data());
  inputs.add("indices", DType::I32, {2, 3}, indices.data());
  Result<Session> session = Session::create(model, {"cpu", 1});
  ASSERT_TRUE(session.ok());
  std::map<std::string, Tensor> outputs;
  Result<RunStats> stats = session->run("only", inputs.views(), outputs);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().message(),
            "variant 'only': steps[0] (gather_tokens): token index 4 at [1, 1] "
            "of 'indices' is "
            "outside the 4 tokens of 'x'");
}

TEST(GatherTokensStep, TheOutputMustHaveTheInputsDtype) {
  TempDir dir;
  SmallPlan plan;
  plan.input("x", "u8", {4})
      .input("indices", "i32", {3})
      .output("y", "f32", {3})
      .step("gather_tokens", {{"x", "x"}, {"indices", "indices"}},
            {{"y", "y"}});
  plan.artifact().write(dir.path("gather.tailor"));
  Result<Model> model = Model::load(dir.path("gather.tailor"));
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find(
                "output 'y' (buffer 'y') is f32 [-1, 3], expected u8 [-1, 3]"),
            std::string::npos)
      << model.status().message();
}

} // namespace
} // namespace tailor::testing
