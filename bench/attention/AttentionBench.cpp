//===- AttentionBench.cpp - Throughput of the generated attention kernels -===//
//
// attention-bench [--batch N] [--heads N] [--head-dim N] [--iterations N]
//                 SEQ...
// For each sequence length, times the generated flash attention kernel (bf16
// storage and tensor-core math; then with the key mask and the
// significance output select_tokens needs; then that on f32 activations, as
// a bf16 session runs it) with CUDA events and prints one line per kernel:
// "tailor <variant> seq S batch B: T ms, F TFLOP/s".
// FLOPs count the two products, 4 * B * heads * S^2 * head_dim (the
// significance pass's recomputed Q K^T is work, not counted).
//
//===----------------------------------------------------------------------===//

#include "tailor/codegen/cuda/Generators.h"
#include "tailor/codegen/cuda/Nvrtc.h"

#include <cuda.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace tailor::codegen::cuda;

void check(CUresult result, const char *what) {
  if (result == CUDA_SUCCESS)
    return;
  const char *name = nullptr;
  cuGetErrorName(result, &name);
  std::fprintf(stderr, "attention-bench: %s: %s\n", what, name ? name : "?");
  std::exit(1);
}

struct Options {
  std::int64_t batch = 64, heads = 12, headDim = 64;
  int iterations = 50;
  std::vector<std::int64_t> seqs;
};

Options parse(int argc, char **argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::int64_t {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "attention-bench: %s needs a value\n",
                     arg.c_str());
        std::exit(2);
      }
      return std::atoll(argv[++i]);
    };
    if (arg == "--batch")
      options.batch = next();
    else if (arg == "--heads")
      options.heads = next();
    else if (arg == "--head-dim")
      options.headDim = next();
    else if (arg == "--iterations")
      options.iterations = static_cast<int>(next());
    else
      options.seqs.push_back(std::atoll(arg.c_str()));
  }
  if (options.seqs.empty())
    options.seqs = {128, 512};
  return options;
}

std::string archOf(CUdevice device) {
  int major = 0, minor = 0;
  cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                       device);
  cuDeviceGetAttribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                       device);
  std::string arch = "sm_" + std::to_string(major) + std::to_string(minor);
  return major == 9 && minor == 0 ? arch + "a" : arch;
}

/// Milliseconds per launch of `kernel`, the median of five timed rounds.
double time(const Kernel &kernel, const std::string &arch, std::int64_t batch,
            std::vector<CUdeviceptr> params, int iterations) {
  std::vector<std::uint8_t> cubin = compile(kernel, arch);
  CUmodule module;
  CUfunction function;
  check(cuModuleLoadData(&module, cubin.data()), "cuModuleLoadData");
  check(cuModuleGetFunction(&function, module, kernel.name.c_str()),
        "cuModuleGetFunction");
  if (kernel.sharedBytes > 48 * 1024)
    check(cuFuncSetAttribute(function,
                             CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                             kernel.sharedBytes),
          "cuFuncSetAttribute");
  std::vector<void *> args;
  for (CUdeviceptr &param : params)
    args.push_back(&param);
  auto launch = [&] {
    check(cuLaunchKernel(function, kernel.grid.x, kernel.grid.y,
                         static_cast<unsigned>(batch), kernel.block, 1, 1,
                         kernel.sharedBytes, nullptr, args.data(), nullptr),
          "cuLaunchKernel");
  };
  for (int i = 0; i < 5; ++i)
    launch();
  CUevent start, stop;
  cuEventCreate(&start, 0);
  cuEventCreate(&stop, 0);
  std::vector<float> rounds;
  for (int round = 0; round < 5; ++round) {
    cuEventRecord(start, nullptr);
    for (int i = 0; i < iterations; ++i)
      launch();
    cuEventRecord(stop, nullptr);
    check(cuEventSynchronize(stop), "running the kernel");
    float ms = 0;
    cuEventElapsedTime(&ms, start, stop);
    rounds.push_back(ms / iterations);
  }
  std::sort(rounds.begin(), rounds.end());
  cuEventDestroy(start);
  cuEventDestroy(stop);
  cuModuleUnload(module);
  return rounds[2];
}

} // namespace

int main(int argc, char **argv) {
  Options options = parse(argc, argv);
  check(cuInit(0), "cuInit");
  CUdevice device;
  CUcontext context;
  check(cuDeviceGet(&device, 0), "cuDeviceGet");
  check(cuDevicePrimaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain");
  check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
  const std::string arch = archOf(device);
  std::mt19937 random(1);
  std::normal_distribution<float> normal;
  for (std::int64_t seq : options.seqs) {
    const std::int64_t hidden = options.heads * options.headDim;
    const std::int64_t elements = options.batch * seq * hidden;
    // bf16 values as their upper 16 bits.
    std::vector<std::uint16_t> host(elements);
    for (std::uint16_t &value : host) {
      float drawn = normal(random);
      std::uint32_t bits;
      std::memcpy(&bits, &drawn, 4);
      value = static_cast<std::uint16_t>(bits >> 16);
    }
    // The same values as f32, for the kernel the runtime runs on its f32
    // buffers at precision bf16.
    std::vector<std::uint32_t> wide(elements);
    for (std::int64_t i = 0; i < elements; ++i)
      wide[i] = static_cast<std::uint32_t>(host[i]) << 16;
    CUdeviceptr q, k, v, context, mask, significance, q32, k32, v32, context32;
    for (CUdeviceptr *buffer : {&q, &k, &v, &context})
      check(cuMemAlloc(buffer, elements * 2), "cuMemAlloc");
    for (CUdeviceptr *buffer : {&q32, &k32, &v32, &context32})
      check(cuMemAlloc(buffer, elements * 4), "cuMemAlloc");
    for (CUdeviceptr buffer : {q, k, v})
      check(cuMemcpyHtoD(buffer, host.data(), elements * 2), "cuMemcpyHtoD");
    for (CUdeviceptr buffer : {q32, k32, v32})
      check(cuMemcpyHtoD(buffer, wide.data(), elements * 4), "cuMemcpyHtoD");
    check(cuMemAlloc(&mask, options.batch * seq), "cuMemAlloc");
    check(cuMemsetD8(mask, 1, options.batch * seq), "cuMemsetD8");
    check(cuMemAlloc(&significance, options.batch * seq * 4), "cuMemAlloc");
    check(cuMemsetD32(significance, 0, options.batch * seq), "cuMemsetD32");

    const double flops =
        4.0 * options.batch * options.heads * seq * seq * options.headDim;
    for (int kind = 0; kind < 3; ++kind) {
      // bf16 in memory; the same with mask and significance; f32 in memory
      // with mask and significance (what a bf16 session runs).
      const bool withSignificance = kind > 0, wideStorage = kind == 2;
      AttentionConfig config;
      config.seq = seq;
      config.heads = options.heads;
      config.headDim = options.headDim;
      config.storage = wideStorage ? Storage::F32 : Storage::BF16;
      config.math = Math::BF16;
      config.keyMask = withSignificance;
      config.significance = withSignificance;
      Kernel kernel = attentionKernel(config);
      std::vector<CUdeviceptr> params =
          wideStorage
              ? std::vector<CUdeviceptr>{q32,  k32,       v32,
                                         mask, context32, significance}
              : std::vector<CUdeviceptr>{q, k, v, mask, context, significance};
      double ms = time(kernel, arch, options.batch, params, options.iterations);
      std::printf("tailor %-26s seq %4lld batch %3lld heads %lld dim %lld: "
                  "%8.4f ms %7.1f TFLOP/s\n",
                  wideStorage        ? "f32 in, bf16 mma+mask+sig"
                  : withSignificance ? "bf16+mask+significance"
                                     : "bf16",
                  static_cast<long long>(seq),
                  static_cast<long long>(options.batch),
                  static_cast<long long>(options.heads),
                  static_cast<long long>(options.headDim), ms,
                  flops / (ms * 1e-3) / 1e12);
    }
    for (CUdeviceptr buffer :
         {q, k, v, context, mask, significance, q32, k32, v32, context32})
      cuMemFree(buffer);
  }
  return 0;
}
