//===- DeviceChoiceTest.cpp - Devices and precisions a session refuses ----===//
//
// No GPU needed: these are refused before any device is touched, or by
// the missing device itself.
//
//===----------------------------------------------------------------------===//

#include "GpuHarness.h"

#include <gmock/gmock.h>

namespace tailor::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class DeviceChoice : public ::testing::Test {
protected:
  void SetUp() override {
    SmallPlan plan;
    plan.input("a", "f32", {4}).input("b", "f32", {4}).output("y", "f32", {4});
    plan.step("add", {{"a", "a"}, {"b", "b"}}, {{"y", "y"}});
    plan.artifact().write(dir.path("add.tailor"));
  }

  Status create(const std::string &device, const std::string &precision) {
    Model model = loadModel(dir.path("add.tailor"));
    SessionOptions options;
    options.device = device;
    options.precision = precision;
    Result<Session> session = Session::create(model, options);
    return session.status();
  }

  TempDir dir;
};

TEST_F(DeviceChoice, MalformedDevicesAndUnknownPrecisions) {
  for (const char *device : {"cuda:", "cuda:x", "cuda:-1", "cuda0", "gpu"})
    EXPECT_THAT(create(device, "fp32").message(),
                HasSubstr("unknown device '" + std::string(device) + "'"));
  EXPECT_THAT(create("cuda:0", "int8").message(),
              HasSubstr("unknown precision 'int8' (expected fp32, tf32, "
                        "bf16, fp16)"));
  EXPECT_THAT(create("cpu", "bf16").message(),
              HasSubstr("the CPU backend computes in fp32 only"));
}

// Without a GPU the error names the device and says why; with one, a
// device beyond the last is refused.
TEST_F(DeviceChoice, AMissingDeviceIsAnError) {
  Status status = create("cuda:999", "fp32");
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), StartsWith("device 'cuda:999': "));
  if (noGpuReason().empty())
    EXPECT_THAT(status.message(), HasSubstr("CUDA device"));
}

} // namespace
} // namespace tailor::testing
