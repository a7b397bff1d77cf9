//===- SsaStepsTest.cpp - The runtime's SSA steps -------------------------===//
//
// What lower-to-kernels emits for SSA, on the CPU runtime: the attention
// step's block_sparse table (bad tables are load errors naming the row) and
// the ensemble_mean step.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include <gtest/gtest.h>

namespace tailor::testing {
namespace {

/// Attention of q = k = v [B, 5, 4] with 2 heads and `blockSparse`.
SmallPlan sparseAttentionPlan(const nlohmann::json &blockSparse) {
  SmallPlan plan;
  plan.input("q", "f32", {5, 4})
      .output("context", "f32", {5, 4})
      .step("attention", {{"q", "q"}, {"k", "q"}, {"v", "q"}},
            {{"context", "context"}}, nlohmann::json(),
            {{"heads", 2}, {"block_sparse", blockSparse}});
  return plan;
}

std::string loadError(const SmallPlan &plan) {
  TempDir dir;
  plan.artifact().write(dir.path("ssa.tailor"));
  Result<Model> model = Model::load(dir.path("ssa.tailor"));
  return model.ok() ? "" : model.status().message();
}

TEST(SsaSteps, BadBlockTablesAreLoadErrors) {
  using nlohmann::json;
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"block", 2}, {"table", {{0}, {1}}}},
       "block_sparse.table has 2 rows, but 5 tokens in blocks of 2 make 3"},
      {{{"block", 2}, {"table", {json{0}, json::array(), json{2}}}},
       "block_sparse.table[1] is empty"},
      {{{"block", 2}, {"table", {{0}, {1, 0}, {2}}}},
       "block_sparse.table[1]: key block 0 is not ascending in [0, 3)"},
      {{{"block", 2}, {"table", {{0}, {1}, {3}}}},
       "block_sparse.table[2]: key block 3 is not ascending in [0, 3)"},
      {{{"block", 0}, {"table", {{0}}}}, "block"},
      {{{"block", 2}, {"table", {{0}, {1}, {2}}}, {"rows", 3}},
       "unknown field of block_sparse"}};
  for (const auto &[table, expected] : cases) {
    const std::string error = loadError(sparseAttentionPlan(table));
    EXPECT_NE(error.find(expected), std::string::npos)
        << table.dump() << ": " << error;
  }
}

TEST(SsaSteps, AKeyBlockOutsideTheTableGetsNoAttention) {
  // Blocks of 2 over 5 tokens: query block 1 sees key block 1 only, so its
  // context is the softmax over keys 2 and 3 alone.
  TempDir dir;
  sparseAttentionPlan({{"block", 2}, {"table", {{0, 1, 2}, {1}, {0, 2}}}})
      .artifact()
      .write(dir.path("ssa.tailor"));
  Model model = loadModel(dir.path("ssa.tailor"));
  std::vector<float> q(5 * 4);
  for (std::size_t i = 0; i < q.size(); ++i)
    q[i] = 0.1f * static_cast<float>(i % 7) - 0.3f;
  HostTensors inputs;
  inputs.add("q", DType::F32, {1, 5, 4}, q.data());
  Tensor context = runModel(model, "only", inputs).at("context");
  const float *values = context.dataAs<float>();
  for (std::int64_t query : {2, 3})
    for (std::int64_t head = 0; head < 2; ++head) {
      auto at = [&](std::int64_t token, std::int64_t d) {
        return q[token * 4 + head * 2 + d];
      };
      double scores[2], sum = 0;
      for (std::int64_t key : {2, 3}) {
        double dot = at(query, 0) * at(key, 0) + at(query, 1) * at(key, 1);
        scores[key - 2] = std::exp(dot / std::sqrt(2.0));
        sum += scores[key - 2];
      }
      for (std::int64_t d = 0; d < 2; ++d) {
        double expected = (scores[0] * at(2, d) + scores[1] * at(3, d)) / sum;
        EXPECT_NEAR(values[query * 4 + head * 2 + d], expected, 1e-6)
            << "query " << query << " head " << head << " dim " << d;
      }
    }
}

TEST(SsaSteps, EnsembleMeanAveragesItsInputs) {
  SmallPlan plan;
  plan.input("a", "f32", {3})
      .input("b", "f32", {3})
      .input("c", "f32", {3})
      .output("y", "f32", {3})
      .step("ensemble_mean", {{"x0", "a"}, {"x1", "b"}, {"x2", "c"}},
            {{"y", "y"}});
  TempDir dir;
  plan.artifact().write(dir.path("mean.tailor"));
  Model model = loadModel(dir.path("mean.tailor"));
  std::vector<float> a = {1, 2, 3, 4, 5, 6}, b = {0, 0, 0, 1, 1, 1},
                     c = {2, 4, 6, 1, 0, -1};
  HostTensors inputs;
  inputs.add("a", DType::F32, {2, 3}, a.data());
  inputs.add("b", DType::F32, {2, 3}, b.data());
  inputs.add("c", DType::F32, {2, 3}, c.data());
  Tensor y = runModel(model, "only", inputs).at("y");
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_FLOAT_EQ(y.dataAs<float>()[i], (a[i] + b[i] + c[i]) / 3.0f) << i;
}

TEST(SsaSteps, EnsembleMeanMembersShareOneShape) {
  SmallPlan plan;
  plan.input("a", "f32", {3})
      .input("b", "f32", {4})
      .output("y", "f32", {3})
      .step("ensemble_mean", {{"x0", "a"}, {"x1", "b"}}, {{"y", "y"}});
  const std::string error = loadError(plan);
  EXPECT_NE(error.find("ensemble_mean"), std::string::npos) << error;
  EXPECT_NE(error.find("[-1, 4]"), std::string::npos) << error;
}

} // namespace
} // namespace tailor::testing
