//===- AttentionKernelTest.cpp - Attention kernels no artifact reaches ----===//
//
// The runtime's plans reach the dense kernels on f32 buffers (OpParityTest);
// this launches the others directly: block-sparse tables (blocks of 64 and
// 128, and blocks that cut the key tiles: 4, 16, 48), bf16 and fp16
// activations in memory, a row stride wider than the heads (q, k and v
// interleaved in one buffer), and the sm_90a (wgmma) kernel, on an sm_90a
// GPU only. Each is compared with a double-precision
// reference of the same semantics, its output poisoned with NaN first.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"
#include "tailor/codegen/cuda/Generators.h"
#include "tailor/codegen/cuda/Nvrtc.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

namespace tailor::testing {
namespace {

namespace cg = codegen::cuda;
namespace cu = detail::cuda;

/// The values in memory: f32, or the upper half of f32 (bf16), or fp16.
std::uint16_t toHalf(float value, cg::Storage storage) {
  if (storage == cg::Storage::BF16) {
    std::uint32_t bits;
    std::memcpy(&bits, &value, 4);
    return static_cast<std::uint16_t>(bits >> 16); // exact: values are bf16
  }
  // fp16 of a value with few mantissa bits and a small exponent: exact.
  std::uint32_t bits;
  std::memcpy(&bits, &value, 4);
  std::uint32_t sign = (bits >> 16) & 0x8000u;
  int exponent = static_cast<int>((bits >> 23) & 0xff) - 127 + 15;
  std::uint32_t mantissa = (bits >> 13) & 0x3ffu;
  if ((bits & 0x7fffffffu) == 0)
    return static_cast<std::uint16_t>(sign);
  return static_cast<std::uint16_t>(sign | (exponent << 10) | mantissa);
}

float fromHalf(std::uint16_t half, cg::Storage storage) {
  if (storage == cg::Storage::BF16) {
    std::uint32_t bits = static_cast<std::uint32_t>(half) << 16;
    float value;
    std::memcpy(&value, &bits, 4);
    return value;
  }
  std::uint32_t sign = (half & 0x8000u) << 16;
  int exponent = (half >> 10) & 0x1f;
  std::uint32_t mantissa = half & 0x3ffu;
  if (exponent == 0x1f)
    return mantissa ? NAN : (sign ? -INFINITY : INFINITY);
  if (exponent == 0)
    return (sign ? -1.0f : 1.0f) *
           std::ldexp(static_cast<float>(mantissa), -24);
  std::uint32_t bits = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  float value;
  std::memcpy(&value, &bits, 4);
  return value;
}

struct Case {
  const char *what;
  cg::AttentionConfig config;
  double tolerance;
};

class AttentionKernel : public ::testing::TestWithParam<Case> {
protected:
  void SetUp() override {
    try {
      cu::loadDriver();
      cu::check(cu::cuInit(0), "cuInit");
      int count = 0;
      cu::check(cu::cuDeviceGetCount(&count), "cuDeviceGetCount");
      if (count == 0)
        GTEST_SKIP() << "no GPU: no CUDA device";
      cu::check(cu::cuDeviceGet(&device, 0), "cuDeviceGet");
      cu::check(cu::cuDevicePrimaryCtxRetain(&context, device),
                "cuDevicePrimaryCtxRetain");
      cu::check(cu::cuCtxSetCurrent(context), "cuCtxSetCurrent");
    } catch (const cu::CudaError &error) {
      GTEST_SKIP() << "no GPU: " << error.what();
    }
  }
  void TearDown() override {
    if (context)
      cu::cuDevicePrimaryCtxRelease(device);
  }

  CUdevice device = 0;
  CUcontext context = nullptr;
};

TEST_P(AttentionKernel, MatchesTheReference) {
  const Case &test = GetParam();
  const cg::AttentionConfig &config = test.config;
  const std::int64_t batch = 2, seq = config.seq, heads = config.heads;
  const std::int64_t headDim = config.headDim;
  const std::int64_t stride =
      config.rowStride ? config.rowStride : heads * headDim;
  const bool half = config.storage != cg::Storage::F32;
  const std::size_t elementBytes = half ? 2 : 4;
  // The reference reads q, k and v at offset 0 of rows of `stride`; on the
  // device they are three buffers, or, when the stride holds all three, one
  // buffer with k and v at offsets hidden and 2 hidden of each row.
  const std::int64_t hidden = heads * headDim;
  const bool packed = stride >= 3 * hidden;
  const std::int64_t rowsElements = batch * seq * stride;
  std::mt19937 random(3);
  std::normal_distribution<float> normal;
  // Values with 7 mantissa bits: exact in bf16 and fp16.
  auto draw = [&] {
    return std::ldexp(std::round(std::ldexp(normal(random), 6)), -6);
  };
  std::vector<float> q(rowsElements), k(rowsElements), v(rowsElements);
  for (auto *values : {&q, &k, &v})
    for (float &value : *values)
      value = draw();
  std::vector<std::uint8_t> mask(batch * seq, 1);
  for (std::int64_t j = 1; j < seq; ++j)
    mask[j] = (j * 7) % 5 != 0;

  // The reference, in double.
  auto allowed = [&](std::int64_t b, std::int64_t i, std::int64_t j) {
    if (config.keyMask && !mask[b * seq + j])
      return false;
    if (config.blockTable.empty())
      return true;
    const auto &row = config.blockTable[i / config.sparseBlock];
    return std::find(row.begin(), row.end(), j / config.sparseBlock) !=
           row.end();
  };
  std::vector<double> expected(rowsElements, 0.0), significance(batch * seq);
  double scale = 1.0 / std::sqrt(static_cast<double>(headDim));
  std::vector<double> p(seq);
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t h = 0; h < heads; ++h)
      for (std::int64_t i = 0; i < seq; ++i) {
        double most = -INFINITY;
        for (std::int64_t j = 0; j < seq; ++j) {
          p[j] = -INFINITY;
          if (!allowed(b, i, j))
            continue;
          double dot = 0;
          for (std::int64_t d = 0; d < headDim; ++d)
            dot += double(q[(b * seq + i) * stride + h * headDim + d]) *
                   k[(b * seq + j) * stride + h * headDim + d];
          p[j] = dot * scale;
          most = std::max(most, p[j]);
        }
        double sum = 0;
        for (std::int64_t j = 0; j < seq; ++j) {
          p[j] = most == -INFINITY ? 0 : std::exp(p[j] - most);
          sum += p[j];
        }
        for (std::int64_t j = 0; j < seq; ++j) {
          p[j] = sum > 0 ? p[j] / sum : 0;
          if (!config.keyMask || mask[b * seq + i])
            significance[b * seq + j] += p[j];
          for (std::int64_t d = 0; d < headDim; ++d)
            expected[(b * seq + i) * stride + h * headDim + d] +=
                p[j] * v[(b * seq + j) * stride + h * headDim + d];
        }
      }

  auto upload = [&](const std::vector<float> &values) {
    std::vector<std::uint8_t> bytes(values.size() * elementBytes);
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (half) {
        std::uint16_t value = toHalf(values[i], config.storage);
        std::memcpy(bytes.data() + 2 * i, &value, 2);
      } else {
        std::memcpy(bytes.data() + 4 * i, &values[i], 4);
      }
    }
    cu::DeviceMemory memory(bytes.size());
    cu::check(cu::cuMemcpyHtoD(memory.get(), bytes.data(), bytes.size()),
              "cuMemcpyHtoD");
    return memory;
  };
  // Packed: one buffer whose rows hold q, k, v; the kernel gets pointers
  // to each third.
  cu::DeviceMemory qMemory = upload(packed ? [&] {
    std::vector<float> rows(q);
    for (std::int64_t row = 0; row < batch * seq; ++row)
      for (std::int64_t i = 0; i < hidden; ++i) {
        rows[row * stride + hidden + i] = k[row * stride + i];
        rows[row * stride + 2 * hidden + i] = v[row * stride + i];
      }
    return rows;
  }() : q);
  cu::DeviceMemory kMemory = packed ? cu::DeviceMemory() : upload(k);
  cu::DeviceMemory vMemory = packed ? cu::DeviceMemory() : upload(v);
  CUdeviceptr qPointer = qMemory.get();
  CUdeviceptr kPointer =
      packed ? qPointer + hidden * elementBytes : kMemory.get();
  CUdeviceptr vPointer =
      packed ? qPointer + 2 * hidden * elementBytes : vMemory.get();
  cu::DeviceMemory context(rowsElements * elementBytes);
  cu::DeviceMemory maskMemory(mask.size());
  cu::DeviceMemory sigMemory(batch * seq * 4);
  cu::check(cu::cuMemcpyHtoD(maskMemory.get(), mask.data(), mask.size()),
            "cuMemcpyHtoD");
  // NaN everywhere the kernel should write; significance starts at zero,
  // as the launcher's contract says.
  cu::check(cu::cuMemsetD32Async(context.get(), 0x7fc07fc0u,
                                 rowsElements * elementBytes / 4, nullptr),
            "cuMemsetD32Async");
  cu::check(cu::cuMemsetD32Async(sigMemory.get(), 0, batch * seq, nullptr),
            "cuMemsetD32Async");

  std::string arch = cu::archOf(device);
  if (!config.arch.empty() && config.arch != arch)
    GTEST_SKIP() << "a kernel for " << config.arch << ", not this GPU's "
                 << arch;
  cg::Kernel kernel = cg::attentionKernel(config);
  EXPECT_EQ(kernel.name.rfind("attention_wgmma", 0) == 0,
            std::string(test.what).rfind("sm_90a", 0) == 0)
      << kernel.name;
  std::vector<std::uint8_t> cubin = cg::compile(kernel, arch);
  CUmodule module;
  CUfunction function;
  cu::check(cu::cuModuleLoadData(&module, cubin.data()), "cuModuleLoadData");
  cu::check(cu::cuModuleGetFunction(&function, module, kernel.name.c_str()),
            "cuModuleGetFunction");
  if (kernel.sharedBytes > 48 * 1024)
    cu::check(cu::cuFuncSetAttribute(
                  function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                  kernel.sharedBytes),
              "cuFuncSetAttribute");
  CUdeviceptr params[] = {qPointer,         kPointer,      vPointer,
                          maskMemory.get(), context.get(), sigMemory.get()};
  void *args[] = {&params[0], &params[1], &params[2],
                  &params[3], &params[4], &params[5]};
  cu::check(cu::cuLaunchKernel(function, kernel.grid.x, kernel.grid.y, batch,
                               kernel.block, 1, 1, kernel.sharedBytes, nullptr,
                               args, nullptr),
            "cuLaunchKernel");
  std::vector<std::uint8_t> out(rowsElements * elementBytes);
  std::vector<float> sig(batch * seq);
  cu::check(cu::cuMemcpyDtoH(out.data(), context.get(), out.size()),
            "cuMemcpyDtoH");
  cu::check(cu::cuMemcpyDtoH(sig.data(), sigMemory.get(), sig.size() * 4),
            "cuMemcpyDtoH");
  cu::cuModuleUnload(module);

  double largest = 1e-30, worst = 0;
  for (std::int64_t row = 0; row < batch * seq; ++row)
    for (std::int64_t i = 0; i < hidden; ++i) {
      std::int64_t at = row * stride + i;
      float actual;
      if (half) {
        std::uint16_t value;
        std::memcpy(&value, out.data() + 2 * at, 2);
        actual = fromHalf(value, config.storage);
      } else {
        std::memcpy(&actual, out.data() + 4 * at, 4);
      }
      largest = std::max(largest, std::fabs(expected[at]));
      double gap = std::fabs(actual - expected[at]);
      worst = std::isnan(gap) ? INFINITY : std::max(worst, gap);
    }
  EXPECT_LT(worst / largest, test.tolerance) << test.what << ": context";
  if (config.significance) {
    double sigLargest = 1e-30, sigWorst = 0;
    for (std::size_t j = 0; j < sig.size(); ++j) {
      sigLargest = std::max(sigLargest, std::fabs(significance[j]));
      double gap = std::fabs(sig[j] - significance[j]);
      sigWorst = std::isnan(gap) ? INFINITY : std::max(sigWorst, gap);
    }
    EXPECT_LT(sigWorst / sigLargest, test.tolerance)
        << test.what << ": significance";
  }
}

/// `sparseBlock` 0: dense; else each query block attends to block 0, the
/// one before it and itself (blocks that are no multiple of 64 cut the
/// kernels' key tiles).
cg::AttentionConfig make(std::int64_t seq, std::int64_t headDim,
                         cg::Storage storage, cg::Math math,
                         std::int64_t sparseBlock, std::int64_t rowStride = 0) {
  cg::AttentionConfig config;
  config.seq = seq;
  config.heads = 3;
  config.headDim = headDim;
  config.rowStride = rowStride;
  config.storage = storage;
  config.math = math;
  config.keyMask = true;
  config.significance = true;
  if (sparseBlock == 0)
    return config;
  config.sparseBlock = sparseBlock;
  for (int block = 0; block * sparseBlock < seq; ++block)
    config.blockTable.push_back(block == 0 ? std::vector<int>{0}
                                : block == 1
                                    ? std::vector<int>{0, 1}
                                    : std::vector<int>{0, block - 1, block});
  return config;
}

/// Dense attention for the sm_90a (wgmma) kernel, with or without the key
/// mask and the significance output.
cg::AttentionConfig hopper(std::int64_t seq, cg::Storage storage, cg::Math math,
                           bool maskAndSignificance,
                           std::int64_t rowStride = 0) {
  cg::AttentionConfig config = make(seq, 64, storage, math, 0, rowStride);
  config.keyMask = config.significance = maskAndSignificance;
  config.arch = "sm_90a";
  if (seq > 1024)
    config.heads = 1; // the reference's time grows as seq^2
  return config;
}

using S = cg::Storage;
using M = cg::Math;
INSTANTIATE_TEST_SUITE_P(
    Kernels, AttentionKernel,
    ::testing::Values(
        Case{"sparse f32", make(197, 64, S::F32, M::F32, 64), 1e-5},
        Case{"sparse bf16 math", make(513, 80, S::F32, M::BF16, 64), 1e-2},
        Case{"sparse f16 math", make(130, 32, S::F32, M::F16, 64), 1e-2},
        Case{"sparse 128 bf16 math", make(513, 64, S::F32, M::BF16, 128), 1e-2},
        Case{"sparse cut 16 f32", make(197, 64, S::F32, M::F32, 16), 1e-5},
        Case{"sparse cut 16 bf16 math", make(197, 64, S::F32, M::BF16, 16),
             1e-2},
        Case{"sparse cut 4 bf16 math", make(17, 32, S::F32, M::BF16, 4), 1e-2},
        Case{"sparse cut 48 bf16 storage", make(513, 64, S::BF16, M::BF16, 48),
             1e-2},
        Case{"bf16 storage", make(197, 64, S::BF16, M::BF16, 0), 1e-2},
        Case{"bf16 storage, odd", make(7, 128, S::BF16, M::BF16, 0), 1e-2},
        Case{"f16 storage", make(513, 80, S::F16, M::F16, 0), 1e-2},
        Case{"bf16 storage, f32 math", make(33, 32, S::BF16, M::F32, 0), 1e-2},
        Case{"packed qkv bf16", make(197, 64, S::BF16, M::BF16, 0, 3 * 192),
             1e-2},
        Case{"packed qkv f32", make(65, 32, S::F32, M::F32, 0, 3 * 96), 1e-5},
        // The sm_90a kernel: one key, tiles of 128 full and partial, the
        // mask and significance, every storage, many tiles, q, k and v
        // interleaved.
        Case{"sm_90a bf16 1", hopper(1, S::BF16, M::BF16, true), 1e-2},
        Case{"sm_90a bf16 7", hopper(7, S::BF16, M::BF16, false), 1e-2},
        Case{"sm_90a bf16 128", hopper(128, S::BF16, M::BF16, false), 1e-2},
        Case{"sm_90a bf16 512", hopper(512, S::BF16, M::BF16, false), 1e-2},
        Case{"sm_90a bf16 197 mask sig", hopper(197, S::BF16, M::BF16, true),
             1e-2},
        Case{"sm_90a f16 513 mask sig", hopper(513, S::F16, M::F16, true),
             1e-2},
        Case{"sm_90a f32 in bf16 math 1000 mask sig",
             hopper(1000, S::F32, M::BF16, true), 1e-2},
        Case{"sm_90a bf16 4096", hopper(4096, S::BF16, M::BF16, false), 1e-2},
        Case{"sm_90a bf16 4096 mask sig", hopper(4096, S::BF16, M::BF16, true),
             1e-2},
        Case{"sm_90a packed qkv bf16", hopper(197, S::BF16, M::BF16, true, 576),
             1e-2}),
    [](const ::testing::TestParamInfo<Case> &info) {
      std::string name = info.param.what;
      for (char &c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)))
          c = '_';
      return name;
    });

} // namespace
} // namespace tailor::testing
