//===- GpuHarness.h - What the GPU tests share ------------------*- C++ -*-===//
#ifndef TAILOR_TESTS_GPU_GPUHARNESS_H
#define TAILOR_TESTS_GPU_GPUHARNESS_H

#include "Harness.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tailor::testing {

/// Why no CUDA session can be made here (no driver, no device), or empty
/// when one can. Found once, with a one-step artifact.
const std::string &noGpuReason();

/// Skips the test, saying why, when there is no usable GPU.
#define TAILOR_REQUIRE_GPU()                                                   \
  do {                                                                         \
    if (!::tailor::testing::noGpuReason().empty())                             \
      GTEST_SKIP() << "no GPU: " << ::tailor::testing::noGpuReason();          \
  } while (false)

/// The precisions of the CUDA backend and the relative error each may
/// have against the CPU (fp32 1e-5, tf32 1e-3, bf16 and fp16 1e-2).
const std::vector<std::string> &cudaPrecisions();
double toleranceOf(const std::string &precision);

/// Runs `variant` once on a new session of `device`; throws
/// std::runtime_error with the runtime's message on an error.
std::map<std::string, Tensor>
runOn(const Model &model, const std::string &variant, const HostTensors &inputs,
      const std::string &device, const std::string &precision = "fp32");

/// max |actual[i] - expected[i]| over [begin, end); a NaN makes it infinite.
double largestGap(const float *actual, const float *expected,
                  std::int64_t begin, std::int64_t end);
/// max |values[i]| over [begin, end), at least 1e-30 (a divisor).
double largestMagnitude(const float *values, std::int64_t begin,
                        std::int64_t end);

/// The largest relative error of an f32 output of `actual` against
/// `expected` (max |a - e| / max |e|); integer outputs must be equal
/// (infinite error otherwise). NaN counts as infinite.
double outputError(const std::map<std::string, Tensor> &actual,
                   const std::map<std::string, Tensor> &expected,
                   std::string *worstOutput = nullptr);

} // namespace tailor::testing

#endif // TAILOR_TESTS_GPU_GPUHARNESS_H
