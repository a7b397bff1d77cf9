//===- GpuHarness.cpp - What the GPU tests share --------------------------===//

#include "GpuHarness.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace tailor::testing {

const std::string &noGpuReason() {
  static const std::string reason = [] {
    TempDir dir;
    SmallPlan plan;
    plan.input("a", "f32", {4}).input("b", "f32", {4}).output("y", "f32", {4});
    plan.step("add", {{"a", "a"}, {"b", "b"}}, {{"y", "y"}});
    plan.artifact().write(dir.path("probe.tailor"));
    Model model = loadModel(dir.path("probe.tailor"));
    Result<Session> session = Session::create(model, {"cuda:0", 1});
    return session.ok() ? std::string() : session.status().message();
  }();
  return reason;
}

const std::vector<std::string> &cudaPrecisions() {
  static const std::vector<std::string> precisions = {"fp32", "tf32", "bf16",
                                                      "fp16"};
  return precisions;
}

double toleranceOf(const std::string &precision) {
  if (precision == "fp32")
    return 1e-5;
  if (precision == "tf32")
    return 1e-3;
  return 1e-2;
}

std::map<std::string, Tensor>
runOn(const Model &model, const std::string &variant, const HostTensors &inputs,
      const std::string &device, const std::string &precision) {
  return runModel(model, variant, inputs,
                  SessionOptions{device, /*threads=*/2, precision});
}

double largestGap(const float *actual, const float *expected,
                  std::int64_t begin, std::int64_t end) {
  double largest = 0;
  for (std::int64_t i = begin; i < end; ++i) {
    const double gap = std::fabs(double(actual[i]) - double(expected[i]));
    if (std::isnan(gap))
      return std::numeric_limits<double>::infinity();
    largest = std::max(largest, gap);
  }
  return largest;
}

double largestMagnitude(const float *values, std::int64_t begin,
                        std::int64_t end) {
  double largest = 1e-30;
  for (std::int64_t i = begin; i < end; ++i)
    largest = std::max(largest, std::fabs(double(values[i])));
  return largest;
}

double outputError(const std::map<std::string, Tensor> &actual,
                   const std::map<std::string, Tensor> &expected,
                   std::string *worstOutput) {
  const double infinite = std::numeric_limits<double>::infinity();
  double worst = 0;
  for (const auto &[name, want] : expected) {
    auto found = actual.find(name);
    double error = 0;
    if (found == actual.end() || found->second.shape() != want.shape() ||
        found->second.dtype() != want.dtype()) {
      error = infinite;
    } else if (want.dtype() != DType::F32) {
      error =
          std::memcmp(found->second.data(), want.data(), want.numBytes()) == 0
              ? 0
              : infinite;
    } else {
      const float *a = found->second.dataAs<float>();
      const float *e = want.dataAs<float>();
      error = largestGap(a, e, 0, want.numElements()) /
              largestMagnitude(e, 0, want.numElements());
    }
    if (error >= worst && worstOutput)
      *worstOutput = name;
    worst = std::max(worst, error);
  }
  return worst;
}

} // namespace tailor::testing
