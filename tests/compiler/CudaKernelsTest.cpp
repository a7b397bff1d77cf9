//===- CudaKernelsTest.cpp - tailorc compile --target and --precision -----===//
//
// Without a GPU: the artifact carries, for every variant, every kernel the
// runtime lists for it (Model::cudaKernels, the CUDA backend's own lowering)
// as source and as a cubin per arch, and nothing else; the manifest records
// the precision; bad targets and precisions are refused before any work.
//
//===----------------------------------------------------------------------===//

#include "ArtifactCopy.h"
#include "Harness.h"

#include "tailor/safetensors/safetensors.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <unistd.h>

namespace tailor::testing {
namespace {

struct CommandResult {
  int status;
  std::string output;
};

/// Runs tailorc with `arguments`; its standard output and error together.
CommandResult tailorc(const std::string &arguments) {
  // One log per test process: ctest runs test cases side by side.
  const std::string log = ::testing::TempDir() + "/tailorc-cuda-" +
                          std::to_string(getpid()) + ".log";
  const int status = std::system(
      (std::string(TAILORC) + " " + arguments + " > " + log + " 2>&1").c_str());
  std::ifstream in(log);
  std::stringstream output;
  output << in.rdbuf();
  return {status, output.str()};
}

/// The checkpoint of `config`, written under `dir`; its path.
std::string writeTestCheckpoint(const ModelConfig &config, const TempDir &dir) {
  const std::string checkpoint = dir.path("checkpoint");
  EXPECT_EQ(std::system(("mkdir -p " + checkpoint).c_str()), 0);
  writeCheckpoint(config, randomWeights(config), checkpoint);
  return checkpoint;
}

bool isElf(const safetensors::File &file,
           const safetensors::TensorInfo &tensor) {
  const std::uint8_t *bytes = file.data(tensor);
  return tensor.numBytes() > 4 && bytes[0] == 0x7f && bytes[1] == 'E' &&
         bytes[2] == 'L' && bytes[3] == 'F';
}

struct Case {
  ModelConfig config;
  std::string precision;
};

class CudaKernelsTest : public ::testing::TestWithParam<Case> {};

TEST_P(CudaKernelsTest, ArtifactCarriesEveryKernelOfEveryVariant) {
  const Case &test = GetParam();
  TempDir dir;
  const std::string checkpoint = writeTestCheckpoint(test.config, dir);
  const std::string artifact = dir.path("model.tailor");
  CommandResult compiled = tailorc("compile " + checkpoint +
                                   " --budgets 1.0,0.5 --target "
                                   "cuda:sm_80,cuda:sm_90a --precision " +
                                   test.precision + " -o " + artifact);
  ASSERT_EQ(compiled.status, 0) << compiled.output;

  Model model = loadModel(artifact);
  safetensors::File file = safetensors::File::open(artifact);
  // Each arch's cubins: the kernels a session on it launches.
  std::set<std::string> expected;
  std::set<std::pair<std::string, std::string>> cubins;
  for (const char *arch : {"sm_80", "sm_90a"})
    for (const VariantInfo &variant : model.variants()) {
      Result<std::vector<CudaKernel>> kernels =
          model.cudaKernels(variant.name, test.precision, arch);
      ASSERT_TRUE(kernels.ok()) << kernels.status().message();
      ASSERT_FALSE(kernels->empty()) << variant.name;
      for (const CudaKernel &kernel : *kernels) {
        expected.insert(kernel.name);
        cubins.insert({kernel.name, arch});
        const std::string prefix = "kernel." + kernel.name;
        const safetensors::TensorInfo *source = file.find(prefix + ".cu");
        ASSERT_NE(source, nullptr) << variant.name << ": " << prefix << ".cu";
        EXPECT_EQ(source->dtype, safetensors::DType::U8);
        EXPECT_EQ(
            std::string(reinterpret_cast<const char *>(file.data(*source)),
                        source->numBytes()),
            kernel.source)
            << prefix;
        const safetensors::TensorInfo *cubin =
            file.find(prefix + ".cubin." + arch);
        ASSERT_NE(cubin, nullptr)
            << variant.name << ": " << prefix << " " << arch;
        EXPECT_EQ(cubin->dtype, safetensors::DType::U8);
        EXPECT_TRUE(isElf(file, *cubin)) << cubin->name << " is not a cubin";
      }
    }
  std::size_t kernelTensors = 0;
  for (const safetensors::TensorInfo &tensor : file.tensors())
    kernelTensors += tensor.name.rfind("kernel.", 0) == 0;
  EXPECT_EQ(kernelTensors, expected.size() + cubins.size())
      << "one source for each of the " << expected.size()
      << " kernels and a cubin for each arch that launches it, nothing else";

  nlohmann::json manifest =
      nlohmann::json::parse(file.metadata().at("tailor.manifest"));
  EXPECT_EQ(manifest.at("precision"), test.precision);
  std::printf("%s at %s: %zu kernels, %zu kernel tensors\n",
              test.config.kind.c_str(), test.precision.c_str(), expected.size(),
              kernelTensors);
}

// The attention kernels follow the precision (tensor cores for bf16); the
// others do not depend on it.
TEST(CudaKernels, AttentionFollowsThePrecision) {
  ModelConfig config = tinyVitModel();
  config.variants = {{"b1.00", 1.0, {}}};
  TempDir dir;
  Weights weights = randomWeights(config);
  buildArtifact(config, weights).write(dir.path("model.tailor"));
  Model model = loadModel(dir.path("model.tailor"));
  auto fp32 = model.cudaKernels("b1.00", "fp32", "sm_80");
  auto bf16 = model.cudaKernels("b1.00", "bf16", "sm_80");
  ASSERT_TRUE(fp32.ok() && bf16.ok());
  ASSERT_EQ(fp32->size(), bf16->size());
  int attention = 0;
  for (std::size_t i = 0; i < fp32->size(); ++i) {
    const std::string &name = (*fp32)[i].name;
    if (name.rfind("attention", 0) == 0) {
      ++attention;
      EXPECT_NE(name, (*bf16)[i].name);
      EXPECT_NE((*bf16)[i].name.find("bf16"), std::string::npos)
          << (*bf16)[i].name;
    } else {
      EXPECT_EQ(name, (*bf16)[i].name);
    }
  }
  // Every layer attends over the same tokens: one kernel, listed once.
  EXPECT_EQ(attention, 1);

  Result<std::vector<CudaKernel>> unknown =
      model.cudaKernels("b1.00", "int8", "sm_80");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown precision 'int8'"),
            std::string::npos)
      << unknown.status().message();
  EXPECT_FALSE(model.cudaKernels("b0.10", "fp32", "sm_80").ok());
}

// cuBLASLt fuses a bias with relu or the tanh GELU into the GEMM, so the
// list (made without memory behind it) has no epilogue kernel for them, as
// a session loads none; the erf GELU runs in one.
TEST(CudaKernels, EpiloguesTheGemmFusesAreNotListed) {
  for (const char *activation : {"relu", "gelu_tanh", "gelu"}) {
    ModelConfig config = tinyVitModel();
    config.activation = activation;
    config.variants = {{"b1.00", 1.0, {}}};
    TempDir dir;
    buildArtifact(config, randomWeights(config)).write(dir.path("m.tailor"));
    Model model = loadModel(dir.path("m.tailor"));
    auto kernels = model.cudaKernels("b1.00", "fp32", "sm_80");
    ASSERT_TRUE(kernels.ok()) << kernels.status().message();
    int epilogues = 0;
    for (const CudaKernel &kernel : *kernels)
      epilogues +=
          kernel.name.rfind(std::string("bias_") + activation + "_r", 0) == 0;
    EXPECT_EQ(epilogues, std::string(activation) == "gelu" ? 1 : 0)
        << activation;
  }
}

// An SSA ensemble compiles for CUDA ahead of time: its block-sparse
// attention in blocks of 4 (which cut the kernels' key tiles) and the mean
// of its members.
TEST(CudaKernels, SsaEnsembleCarriesItsSparseAttentionAndMean) {
  const ModelConfig config =
      withSsa(tinyVitModel(), checkpoint::SsaInference::Ensemble, 3, 4);
  TempDir dir;
  const std::string artifact = dir.path("model.tailor");
  CommandResult compiled =
      tailorc("compile " + writeTestCheckpoint(config, dir) +
              " --target cuda:sm_90a --precision bf16 -o " + artifact);
  ASSERT_EQ(compiled.status, 0) << compiled.output;
  Model model = loadModel(artifact);
  Result<std::vector<CudaKernel>> kernels =
      model.cudaKernels("b1.00", "bf16", "sm_90a");
  ASSERT_TRUE(kernels.ok()) << kernels.status().message();
  safetensors::File file = safetensors::File::open(artifact);
  std::set<std::string> tables;
  int means = 0;
  for (const CudaKernel &kernel : *kernels) {
    EXPECT_NE(file.find("kernel." + kernel.name + ".cubin.sm_90a"), nullptr)
        << kernel.name;
    // bf16 activations (a 16-bit plan), bf16 math; q, k and v packed
    // (`_r48_c16`) where one attention reads them, apart in layer 0, whose
    // projections of the shared embeddings every pattern reads.
    if (kernel.name.rfind("attention_sparse_s17_h2_d8_", 0) == 0 &&
        kernel.name.find("_bf16_bf16_b4_") != std::string::npos)
      tables.insert(kernel.name.substr(kernel.name.rfind("_t")));
    else
      EXPECT_EQ(kernel.name.rfind("attention", 0), std::string::npos)
          << kernel.name << ": every attention is block-sparse";
    means += kernel.name.rfind("ensemble_mean_m3_n5_", 0) == 0;
  }
  // withSsa's tables differ with layer + pattern: 0 to 3.
  EXPECT_EQ(tables.size(), 4u);
  EXPECT_EQ(means, 1);
}

// A table whose bit table would not fit in constant memory (blocks of one
// token over 577) is refused, naming the variant and the table.
TEST(CudaKernels, ABlockTableTooFineIsRefused) {
  ModelConfig config = tinyVitModel();
  config.imageSize = 48; // 24 x 24 patches + CLS
  config = withSsa(config, checkpoint::SsaInference::Sparse, 1, 1);
  TempDir dir;
  buildArtifact(config, randomWeights(config)).write(dir.path("model.tailor"));
  Model model = loadModel(dir.path("model.tailor"));
  Result<std::vector<CudaKernel>> kernels =
      model.cudaKernels("b1.00", "bf16", "sm_80");
  ASSERT_FALSE(kernels.ok());
  EXPECT_NE(kernels.status().message().find(
                "variant 'b1.00': attention: a block table of 577 x 577 "
                "blocks of 1 tokens cuts key tiles"),
            std::string::npos)
      << kernels.status().message();
  // The CPU runs it.
  EXPECT_TRUE(Session::create(model, {"cpu", 1}).ok());
}

// At head dim 64 in bf16 an sm_90a session launches the wgmma attention
// kernel, an sm_80 one the mma.sync kernel: each has a cubin for its arch
// only.
TEST(CudaKernels, Sm90aGetsItsOwnAttentionKernel) {
  ModelConfig config = tinySequenceEncoderModel();
  config.heads = 2;
  config.hidden = 128;
  config.intermediate = 64;
  config.variants = {{"b1.00", 1.0, {}}};
  TempDir dir;
  const std::string artifact = dir.path("model.tailor");
  CommandResult compiled =
      tailorc("compile " + writeTestCheckpoint(config, dir) +
              " --target cuda:sm_80,cuda:sm_90a "
              "--precision bf16 -o " +
              artifact);
  ASSERT_EQ(compiled.status, 0) << compiled.output;
  Model model = loadModel(artifact);
  safetensors::File file = safetensors::File::open(artifact);
  for (const char *arch : {"sm_80", "sm_90a"}) {
    auto kernels = model.cudaKernels("b1.00", "bf16", arch);
    ASSERT_TRUE(kernels.ok()) << kernels.status().message();
    int attention = 0;
    for (const CudaKernel &kernel : *kernels) {
      if (kernel.name.rfind("attention", 0) != 0)
        continue;
      ++attention;
      const bool wgmma = kernel.name.rfind("attention_wgmma", 0) == 0;
      EXPECT_EQ(wgmma, std::string(arch) == "sm_90a") << kernel.name;
      const std::string prefix = "kernel." + kernel.name + ".cubin.";
      EXPECT_NE(file.find(prefix + arch), nullptr) << kernel.name;
      EXPECT_EQ(file.find(prefix + (wgmma ? "sm_80" : "sm_90a")), nullptr)
          << kernel.name;
    }
    EXPECT_GT(attention, 0) << arch;
  }
}

ModelConfig withHalfBudget(ModelConfig config) {
  config.variants = {{"b1.00", 1.0, {}}, {"b0.50", 0.5, {6, 4}}};
  return config;
}

INSTANTIATE_TEST_SUITE_P(
    Models, CudaKernelsTest,
    ::testing::Values(Case{withHalfBudget(tinyVitModel()), "fp32"},
                      Case{withHalfBudget(tinySequenceEncoderModel()), "bf16"}),
    [](const ::testing::TestParamInfo<Case> &info) {
      return info.param.config.kind + "_" + info.param.precision;
    });

/// The load error of `artifact` with every sm_80 cubin passed through
/// `corrupt`.
std::string loadErrorWithCubins(
    const std::string &artifact, const std::string &copy,
    const std::function<void(std::vector<std::uint8_t> &)> &corrupt) {
  copyArtifact(artifact, copy,
               [&](const safetensors::TensorInfo &tensor,
                   std::vector<std::uint8_t> &bytes) {
                 const std::string suffix = ".cubin.sm_80";
                 if (tensor.name.size() > suffix.size() &&
                     tensor.name.compare(tensor.name.size() - suffix.size(),
                                         suffix.size(), suffix) == 0)
                   corrupt(bytes);
                 return true;
               });
  Result<Model> model = Model::load(copy);
  return model.ok() ? "" : model.status().message();
}

// The driver reads a cubin without its size: a bad one is a load error
// naming the tensor, on any machine, before any GPU sees it.
TEST(CudaKernels, ABadCubinIsALoadErrorNamingTheTensor) {
  ModelConfig config = tinyVitModel();
  config.variants = {{"b1.00", 1.0, {}}};
  TempDir dir;
  const std::string artifact = dir.path("model.tailor");
  CommandResult compiled =
      tailorc("compile " + writeTestCheckpoint(config, dir) +
              " --target cuda:sm_80 -o " + artifact);
  ASSERT_EQ(compiled.status, 0) << compiled.output;
  const std::string copy = dir.path("broken.tailor");
  struct Corruption {
    const char *what;
    std::function<void(std::vector<std::uint8_t> &)> corrupt;
    const char *message;
  };
  const Corruption corruptions[] = {
      {"truncated", [](auto &bytes) { bytes.resize(bytes.size() / 2); },
       "is not a cubin: truncated"},
      {"text", [](auto &bytes) { bytes.assign(100, 'x'); },
       "is not a cubin: not an ELF file"},
      {"other machine", [](auto &bytes) { bytes[18] = 62; },
       "is not a cubin: an ELF file for machine 62, not for CUDA (190)"},
      {"empty", [](auto &bytes) { bytes.clear(); },
       "is not a cubin: not an ELF file"}};
  for (const Corruption &corruption : corruptions) {
    const std::string message =
        loadErrorWithCubins(artifact, copy, corruption.corrupt);
    EXPECT_NE(message.find("artifact '" + copy + "': tensor 'kernel."),
              std::string::npos)
        << corruption.what << ": " << message;
    EXPECT_NE(message.find(std::string(".cubin.sm_80' ") + corruption.message),
              std::string::npos)
        << corruption.what << ": " << message;
  }
  EXPECT_EQ(loadErrorWithCubins(artifact, copy, [](auto &) {}), "");
}

struct BadTarget {
  std::string name;
  std::string targets;
  std::string message;
};

class BadTargetTest : public ::testing::TestWithParam<BadTarget> {};

TEST_P(BadTargetTest, IsRefusedWithAClearError) {
  ModelConfig config = tinyVitModel();
  config.variants = {{"b1.00", 1.0, {}}};
  TempDir dir;
  const std::string checkpoint = writeTestCheckpoint(config, dir);
  const std::string artifact = dir.path("model.tailor");
  CommandResult result = tailorc("compile " + checkpoint + " --target " +
                                 GetParam().targets + " -o " + artifact);
  EXPECT_NE(result.status, 0) << result.output;
  EXPECT_NE(result.output.find(GetParam().message), std::string::npos)
      << result.output;
  EXPECT_FALSE(std::ifstream(artifact).good()) << "no artifact is written";
}

INSTANTIATE_TEST_SUITE_P(
    Targets, BadTargetTest,
    ::testing::Values(
        BadTarget{"NoBackend", "sm_80",
                  "--target 'sm_80': expected cuda:<arch>"},
        BadTarget{"Cpu", "cpu", "--target 'cpu': expected cuda:<arch>"},
        BadTarget{"UnknownArch", "cuda:sm_81", "--target 'cuda:sm_81': NVRTC "},
        BadTarget{"UnknownArchListsKnown", "cuda:sm_81,cuda:sm_80",
                  "does not know arch 'sm_81' (it compiles for sm_"},
        BadTarget{"NoArch", "cuda:", "does not know arch ''"},
        BadTarget{"Ptx", "cuda:compute_80", "does not know arch 'compute_80'"},
        BadTarget{"BadSuffix", "cuda:sm_80x", "does not know arch 'sm_80x'"},
        BadTarget{"NoSuchArchSpecific", "cuda:sm_86a",
                  "does not know arch 'sm_86a'"},
        BadTarget{"Twice", "cuda:sm_80,cuda:sm_80",
                  "--target 'cuda:sm_80' is given twice"}),
    [](const ::testing::TestParamInfo<BadTarget> &info) {
      return info.param.name;
    });

TEST(TailorcCompile, RefusesAnUnknownPrecision) {
  CommandResult result =
      tailorc("compile . --precision int8 -o " + ::testing::TempDir() + "/x");
  EXPECT_NE(result.status, 0);
  EXPECT_NE(result.output.find("--precision: int8 not in {"), std::string::npos)
      << result.output;
}

TEST(TailorcCompile, HelpDescribesTargetAndPrecision) {
  CommandResult help = tailorc("compile --help");
  EXPECT_EQ(help.status, 0) << help.output;
  for (const char *text : {"--target", "cuda:sm_80,cuda:sm_90a", "--precision",
                           "fp32", "bf16", "--budgets", "-o,--output"})
    EXPECT_NE(help.output.find(text), std::string::npos)
        << "no '" << text << "' in:\n"
        << help.output;
}

} // namespace
} // namespace tailor::testing
