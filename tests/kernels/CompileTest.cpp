//===- CompileTest.cpp - Every generated kernel compiles through NVRTC ----===//
//
// No GPU needed: NVRTC compiles for sm_80 and sm_90a on any machine. The
// kernels are compiled on every core at once (NVRTC takes about a second
// for an attention kernel).
//
//===----------------------------------------------------------------------===//

#include "KernelGrid.h"
#include "tailor/codegen/cuda/Nvrtc.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

namespace tailor::testing {
namespace {

using namespace codegen::cuda;
using ::testing::AllOf;
using ::testing::HasSubstr;

/// Under the sanitizers NVRTC runs four times slower (their allocator
/// serves its many allocations), and it is our code they check, not NVRTC:
/// there, one arch; the default build compiles for both.
std::vector<std::string> compileTargets() {
#ifdef TAILOR_SANITIZED_BUILD
  return {"sm_90a"};
#else
  return defaultTargets();
#endif
}

bool isElf(const std::vector<std::uint8_t> &binary) {
  return binary.size() > 4 && binary[0] == 0x7f && binary[1] == 'E' &&
         binary[2] == 'L' && binary[3] == 'F';
}

TEST(KernelCompile, EveryKernelCompilesForSm80AndSm90a) {
  const std::vector<GridKernel> grid = kernelGrid();
  struct Job {
    const GridKernel *kernel;
    std::string target;
  };
  std::vector<Job> jobs;
  std::set<std::string> kindsWithPtx;
  for (const GridKernel &entry : grid) {
    for (const std::string &target : compileTargets())
      if (entry.arch.empty() || entry.arch == target)
        jobs.push_back({&entry, target});
    // PTX (the fallback for other archs) once per kind.
    if (entry.arch.empty() && kindsWithPtx.insert(entry.kind).second)
      jobs.push_back({&entry, "compute_80"});
  }
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::vector<std::string> failures;
  auto work = [&] {
    for (std::size_t i = next++; i < jobs.size(); i = next++) {
      const Job &job = jobs[i];
      std::string failure;
      try {
        std::vector<std::uint8_t> binary =
            compile(job.kernel->kernel, job.target);
        std::string text(binary.begin(), binary.end());
        bool ptx = job.target.rfind("compute_", 0) == 0;
        if (ptx ? text.find(".entry " + job.kernel->kernel.name) ==
                      std::string::npos
                : !isElf(binary))
          failure = "kernel '" + job.kernel->kernel.name + "' for " +
                    job.target + ": the output is no " +
                    (ptx ? "PTX with its entry" : "ELF cubin");
      } catch (const CodegenError &error) {
        failure = error.what();
      }
      if (!failure.empty()) {
        std::lock_guard<std::mutex> lock(mutex);
        failures.push_back("[" + job.kernel->kind + "] " + failure);
      }
    }
  };
  std::vector<std::thread> threads;
  unsigned count = std::max(2u, std::thread::hardware_concurrency());
  for (unsigned t = 0; t < count; ++t)
    threads.emplace_back(work);
  for (std::thread &thread : threads)
    thread.join();
  for (const std::string &failure : failures)
    ADD_FAILURE() << failure;
  EXPECT_GT(grid.size(), 200u);
}

TEST(KernelCompile, EveryKindIsCoveredAtEveryOddShape) {
  std::map<std::string, std::set<std::string>> namesByKind;
  for (const GridKernel &entry : kernelGrid())
    namesByKind[entry.kind].insert(entry.kernel.name);
  for (const char *kind :
       {"attention f32", "attention bf16 math", "attention sparse bf16",
        "attention sparse cut f32", "attention sparse cut bf16",
        "attention sparse bf16 storage", "attention bf16 storage"})
    EXPECT_EQ(namesByKind[kind].size(),
              gridSeqs().size() * gridHeadDims().size())
        << kind;
  for (std::int64_t seq : gridSeqs())
    EXPECT_EQ(namesByKind["select_tokens"].count(
                  "select_tokens_s" + std::to_string(seq) + "_k" +
                  std::to_string(seq) + "_g" +
                  std::to_string(kGeneratorVersion)),
              1u);
}

TEST(KernelCompile, NamesAreUniquePerSource) {
  std::map<std::string, std::string> sourceByName;
  for (const GridKernel &entry : kernelGrid()) {
    auto [at, inserted] =
        sourceByName.emplace(entry.kernel.name, entry.kernel.source);
    EXPECT_TRUE(inserted || at->second == entry.kernel.source)
        << "two sources named " << entry.kernel.name;
  }
  // Two block tables of the same shape must not share a name.
  AttentionConfig config;
  config.seq = 197;
  config.heads = 2;
  config.headDim = 64;
  config.blockTable = localBlockTable(197);
  std::string local = attentionKernel(config).name;
  config.blockTable[3] = {3};
  EXPECT_NE(attentionKernel(config).name, local);
  // Nor two block sizes with the same rows.
  config.seq = 128;
  config.blockTable = localBlockTable(128);
  std::string blocksOf64 = attentionKernel(config).name;
  config.seq = 64;
  config.sparseBlock = 32;
  config.blockTable = localBlockTable(64, 32);
  EXPECT_NE(attentionKernel(config).name, blocksOf64);
}

TEST(KernelCompile, TheWgmmaKernelIsForSm90aWhereItServes) {
  AttentionConfig config;
  config.seq = 513;
  config.heads = 2;
  config.headDim = 64;
  config.math = Math::BF16;
  config.keyMask = true;
  config.significance = true;
  auto kernelName = [&] { return attentionKernel(config).name; };
  const std::string ampere = kernelName();
  config.arch = "sm_80";
  EXPECT_EQ(kernelName(), ampere);
  config.arch = "sm_90a";
  const std::string hopper = kernelName();
  EXPECT_THAT(hopper, ::testing::StartsWith("attention_wgmma_s513_h2_d64_"));
  EXPECT_NE(hopper, ampere);
  config.storage = Storage::BF16;
  EXPECT_THAT(kernelName(), ::testing::StartsWith("attention_wgmma_"));
  // What it does not serve falls back to the mma.sync kernel.
  for (auto change : std::vector<void (*)(AttentionConfig &)>{
           [](AttentionConfig &c) { c.headDim = 80; },
           [](AttentionConfig &c) { c.math = Math::F32; },
           [](AttentionConfig &c) { c.blockTable = localBlockTable(c.seq); },
           [](AttentionConfig &c) { c.arch = "sm_100"; }}) {
    AttentionConfig other = config;
    change(other);
    EXPECT_THAT(attentionKernel(other).name,
                ::testing::Not(::testing::StartsWith("attention_wgmma")));
  }
}

/// Whether the kernel's tile tables mask some tile key by key.
bool cutsTiles(const Kernel &kernel) {
  EXPECT_THAT(kernel.source, HasSubstr("constexpr bool HAS_CUT_TILES"));
  return kernel.source.find("constexpr bool HAS_CUT_TILES = true") !=
         std::string::npos;
}

TEST(KernelCompile, OnlyBlocksThatCutKeyTilesAreMaskedKeyByKey) {
  AttentionConfig config;
  config.seq = 513;
  config.heads = 2;
  config.headDim = 64;
  config.math = Math::BF16;
  EXPECT_FALSE(cutsTiles(attentionKernel(config))); // dense
  for (std::int64_t block : {64, 128, 192}) {
    config.sparseBlock = block;
    config.blockTable = localBlockTable(config.seq, block);
    EXPECT_FALSE(cutsTiles(attentionKernel(config))) << block;
  }
  for (std::int64_t block : {2, 16, 48, 100}) {
    config.sparseBlock = block;
    config.blockTable = localBlockTable(config.seq, block);
    EXPECT_TRUE(cutsTiles(attentionKernel(config))) << block;
  }
  // Every key block kept: whatever the block, no tile is cut.
  config.sparseBlock = 16;
  config.blockTable.assign(33, {});
  for (auto &row : config.blockTable)
    for (int key = 0; key < 33; ++key)
      row.push_back(key);
  EXPECT_FALSE(cutsTiles(attentionKernel(config)));
}

TEST(KernelCompile, NvrtcErrorsNameTheKernelAndCarryTheLog) {
  Kernel broken;
  broken.name = "broken_kernel";
  broken.source =
      "extern \"C\" __global__ void broken_kernel() { undeclared_thing = 1; }";
  try {
    compile(broken, "sm_80");
    FAIL() << "a broken kernel compiled";
  } catch (const CodegenError &error) {
    EXPECT_THAT(error.what(),
                AllOf(HasSubstr("'broken_kernel'"), HasSubstr("sm_80"),
                      HasSubstr("undeclared_thing")));
  }
  try {
    compile(poolKernel(4, 8, Pool::Cls), "gfx90a");
    FAIL() << "an unknown target was accepted";
  } catch (const CodegenError &error) {
    EXPECT_THAT(error.what(),
                AllOf(HasSubstr("pool_cls_s4_h8"), HasSubstr("gfx90a")));
  }
}

TEST(KernelCompile, GeneratorsRejectShapesTheyCannotServe) {
  AttentionConfig odd;
  odd.seq = 7;
  odd.heads = 2;
  odd.headDim = 33;
  odd.math = Math::BF16;
  EXPECT_THROW(
      {
        try {
          attentionKernel(odd);
        } catch (const CodegenError &error) {
          EXPECT_THAT(error.what(), AllOf(HasSubstr("attention"),
                                          HasSubstr("even head dim")));
          throw;
        }
      },
      CodegenError);
  odd.math = Math::F32;
  EXPECT_NO_THROW(attentionKernel(odd));
  odd.blockTable = {{0}, {0}};
  EXPECT_THROW(attentionKernel(odd), CodegenError); // 2 rows for 1 block
  odd.blockTable = {{1}};
  EXPECT_THROW(attentionKernel(odd), CodegenError); // key block out of range
  odd.blockTable = {{}};
  EXPECT_THROW(attentionKernel(odd), CodegenError); // an empty row
  odd.sparseBlock = 0;
  odd.blockTable = {{0}};
  EXPECT_THROW(attentionKernel(odd), CodegenError);
  // Blocks of one token over 4096 cut tiles: 2 MiB of bits is too many.
  AttentionConfig fine;
  fine.seq = 4096;
  fine.heads = 1;
  fine.headDim = 64;
  fine.sparseBlock = 1;
  fine.blockTable = localBlockTable(4096, 1);
  try {
    attentionKernel(fine);
    FAIL() << "a 4096 x 4096 bit table was accepted";
  } catch (const CodegenError &error) {
    EXPECT_THAT(error.what(), AllOf(HasSubstr("4096 x 4096 blocks of 1"),
                                    HasSubstr("constant memory")));
  }
  EXPECT_THROW(ensembleMeanKernel(1, 10), CodegenError);
  EXPECT_THROW(ensembleMeanKernel(kMaxEnsembleMembers + 1, 10), CodegenError);
  EXPECT_THROW(selectTokensKernel(7, 8, true), CodegenError);
  EXPECT_THROW(patchUnfoldKernel(1, 28, 5), CodegenError);
  EXPECT_THROW(layerNormKernel(4, 16, 0.0f, false), CodegenError);
  EXPECT_THROW(acmRouteKernel(5, 0), CodegenError);
  EXPECT_THROW(acmCompactKernel(5, 0, 1), CodegenError);
  EXPECT_THROW(acmCompactKernel(5, 1, 0), CodegenError);
  EXPECT_THROW(acmCompactKernel(5, 1, kMaxCompactions + 1), CodegenError);
  EXPECT_THROW(compactRowsKernel(CompactRows::Gather, 0, 8), CodegenError);
}

} // namespace
} // namespace tailor::testing
