//===- AheadOfTimeTest.cpp - Artifacts compiled with tailorc --target -----===//
//
// The artifacts gpu-write-aot-artifacts compiled (carried to the GPU
// machine): a session takes every kernel from the artifact's cubin for
// this GPU's arch, the kernels are those Model::cudaKernels lists (made at
// batch 1, launched at batch 3: kernels do not depend on the batch), from
// its sources when its cubins are taken out, from the generator when all
// its kernels are; all three compute the same, and what the CPU does. An
// fp32 session of the bf16 artifact compiles only its attention. A cubin
// of another arch stored under this GPU's is an error naming the tensor.
//
//===----------------------------------------------------------------------===//

#include "AheadOfTimeModels.h"
#include "ArtifactCopy.h"
#include "Driver.h"
#include "GpuHarness.h"

#include "tailor/safetensors/safetensors.h"

#include <filesystem>
#include <iostream>
#include <set>

namespace tailor::testing {
namespace {

namespace cu = detail::cuda;

/// The arch name the runtime looks cubins up by ("sm_90a" on an H100).
std::string deviceArch() {
  cu::loadDriver();
  cu::check(cu::cuInit(0), "cuInit");
  CUdevice device = 0;
  cu::check(cu::cuDeviceGet(&device, 0), "cuDeviceGet");
  return cu::archOf(device);
}

bool isKernel(const safetensors::TensorInfo &tensor) {
  return tensor.name.rfind("kernel.", 0) == 0;
}

class AheadOfTime : public ::testing::Test {
protected:
  void SetUp() override {
    TAILOR_REQUIRE_GPU();
    arch = deviceArch();
    const auto &archs = aheadOfTimeArchs();
    if (std::find(archs.begin(), archs.end(), arch) == archs.end())
      GTEST_SKIP() << "the artifacts carry no cubins for this GPU's " << arch;
  }

  /// The carried artifact of `model`; fails the test when it is missing.
  std::string artifactOf(const AheadOfTimeModel &model) {
    const std::string path =
        aheadOfTimeDirectory() + "/" + model.name + ".tailor";
    EXPECT_TRUE(std::filesystem::exists(path))
        << path << " is missing: run gpu-write-aot-artifacts in a build "
        << "with the compiler, and carry build/gpu-artifacts";
    return path;
  }

  /// A session of another precision than the artifact's takes the
  /// kernels that do not depend on it from the cubins and compiles its own
  /// attention.
  void expectFp32OverrideCompilesAttention(const AheadOfTimeModel &aot,
                                           const Model &model) {
    Result<Session> session = Session::create(model, {"cuda:0", 1, "fp32"});
    ASSERT_TRUE(session.ok()) << session.status().message();
    HostTensors inputs =
        modelInputs(aot.config, randomInputs(aot.config, 2, 1));
    std::map<std::string, Tensor> outputs;
    auto ran =
        session->run(model.variants().front().name, inputs.views(), outputs);
    ASSERT_TRUE(ran.ok()) << ran.status().message();
    for (const auto &[name, origin] : session->kernelOrigins())
      EXPECT_EQ(origin, name.rfind("attention", 0) == 0
                            ? KernelOrigin::Generated
                            : KernelOrigin::ArtifactCubin)
          << name;
  }

  std::string arch;
  TempDir dir;
};

// The same artifact three ways: as compiled (cubins), with its sources
// only (an arch it was not compiled for), without kernels (the runtime's
// own generator). Each session's kernels come from where they should, and
// all compute the same.
TEST_F(AheadOfTime, EveryKernelFromTheArtifactsCubinSameOutputsAsJit) {
  for (const AheadOfTimeModel &aot : aheadOfTimeModels()) {
    const std::string path = artifactOf(aot);
    if (::testing::Test::HasFailure())
      return;
    const std::string sourcesPath = dir.path(aot.name + "-sources.tailor");
    const std::string jitPath = dir.path(aot.name + "-jit.tailor");
    copyArtifact(
        path, sourcesPath,
        [](const safetensors::TensorInfo &tensor, std::vector<std::uint8_t> &) {
          return tensor.name.find(".cubin.") == std::string::npos;
        });
    copyArtifact(path, jitPath,
                 [](const safetensors::TensorInfo &tensor,
                    std::vector<std::uint8_t> &) { return !isKernel(tensor); });
    Model compiled = loadModel(path);
    // No precision: the artifact's (tailorc --precision).
    ASSERT_EQ(compiled.info().precision, aot.precision);
    struct Way {
      Model model;
      KernelOrigin origin;
      const char *name;
    };
    const std::vector<Way> ways = {
        {compiled, KernelOrigin::ArtifactCubin, "cubins"},
        {loadModel(sourcesPath), KernelOrigin::ArtifactSource, "sources"},
        {loadModel(jitPath), KernelOrigin::Generated, "generated"}};
    std::vector<Session> sessions;
    for (const Way &way : ways) {
      Result<Session> session = Session::create(way.model, {"cuda:0", 1});
      ASSERT_TRUE(session.ok()) << session.status().message();
      sessions.push_back(std::move(*session));
    }

    std::set<std::string> listed;
    for (const VariantInfo &variant : compiled.variants()) {
      auto kernels = compiled.cudaKernels(variant.name, aot.precision, arch);
      ASSERT_TRUE(kernels.ok()) << kernels.status().message();
      for (const CudaKernel &kernel : *kernels)
        listed.insert(kernel.name);
    }
    std::uint64_t seed = 11;
    for (std::int64_t batch : {3, 1}) {
      HostTensors inputs =
          modelInputs(aot.config, randomInputs(aot.config, batch, seed++));
      for (const VariantInfo &variant : compiled.variants()) {
        std::vector<std::map<std::string, Tensor>> outputs(ways.size());
        for (std::size_t i = 0; i < ways.size(); ++i) {
          auto ran = sessions[i].run(variant.name, inputs.views(), outputs[i]);
          ASSERT_TRUE(ran.ok())
              << ways[i].name << ": " << ran.status().message();
        }
        auto cpu = runOn(compiled, variant.name, inputs, "cpu");
        const double againstSources = outputError(outputs[0], outputs[1]);
        const double againstJit = outputError(outputs[0], outputs[2]);
        const double againstCpu = outputError(outputs[0], cpu);
        std::cout << "parity aot " << aot.name << " " << variant.name
                  << " batch " << batch << ": against sources "
                  << againstSources << ", against jit " << againstJit
                  << ", against cpu " << againstCpu << "\n";
        // The same sources through NVRTC: equal unless the GPU machine's
        // NVRTC differs from the compiling machine's.
        EXPECT_LT(againstSources, toleranceOf(aot.precision) / 10)
            << aot.name << " " << variant.name;
        EXPECT_LT(againstJit, toleranceOf(aot.precision) / 10)
            << aot.name << " " << variant.name;
        EXPECT_LT(againstCpu, 2 * toleranceOf(aot.precision))
            << aot.name << " " << variant.name;
      }
    }
    for (std::size_t i = 0; i < ways.size(); ++i) {
      std::map<std::string, KernelOrigin> origins = sessions[i].kernelOrigins();
      EXPECT_EQ(origins.size(), listed.size())
          << aot.name << " " << ways[i].name;
      for (const auto &[name, origin] : origins) {
        EXPECT_EQ(origin, ways[i].origin)
            << aot.name << " " << ways[i].name << ": " << name;
        EXPECT_EQ(listed.count(name), 1u) << name << " is not listed";
      }
    }
    std::cout << aot.name << ": " << listed.size()
              << " kernels, all from the artifact's " << arch
              << " cubins (or sources, or the generator, as stored)\n";
    if (aot.precision != "fp32")
      expectFp32OverrideCompilesAttention(aot, compiled);
  }
}

TEST_F(AheadOfTime, ACubinOfAnotherArchIsAnErrorNamingItsTensor) {
  const AheadOfTimeModel aot = aheadOfTimeModels().front();
  const std::string path = artifactOf(aot);
  if (::testing::Test::HasFailure())
    return;
  const std::string other = arch == "sm_80" ? "sm_90a" : "sm_80";
  const std::string ownSuffix = ".cubin." + arch;
  safetensors::File original = safetensors::File::open(path);
  // Every cubin of this arch replaced by the other arch's: a valid cubin
  // the driver cannot load here.
  copyArtifact(
      path, dir.path("foreign.tailor"),
      [&](const safetensors::TensorInfo &tensor,
          std::vector<std::uint8_t> &bytes) {
        const std::string &name = tensor.name;
        if (name.size() > ownSuffix.size() &&
            name.compare(name.size() - ownSuffix.size(), ownSuffix.size(),
                         ownSuffix) == 0) {
          const auto &replacement =
              original.get(name.substr(0, name.size() - arch.size()) + other);
          bytes.assign(original.data(replacement),
                       original.data(replacement) + replacement.numBytes());
        }
        return true;
      });
  Model model = loadModel(dir.path("foreign.tailor"));
  Result<Session> session = Session::create(model, {"cuda:0", 1});
  ASSERT_TRUE(session.ok()) << session.status().message();
  HostTensors inputs = modelInputs(aot.config, randomInputs(aot.config, 2, 3));
  std::map<std::string, Tensor> outputs;
  auto ran =
      session->run(model.variants().front().name, inputs.views(), outputs);
  ASSERT_FALSE(ran.ok());
  const std::string message = ran.status().message();
  EXPECT_NE(message.find("the artifact's tensor 'kernel."), std::string::npos)
      << message;
  EXPECT_NE(message.find(ownSuffix + "'"), std::string::npos) << message;
  std::cout << "foreign cubin: " << message << "\n";
}

} // namespace
} // namespace tailor::testing
