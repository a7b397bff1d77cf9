//===- Kernel.h - A generated CUDA kernel and how to launch it --*- C++ -*-===//
//
// Every generator of Generators.h returns a Kernel: complete CUDA C++ source
// (no includes, no host code) whose one extern "C" entry is named `name`,
// and the launch shape. Every kernel works on a batch of samples: the grid
// is `grid` with z = the batch size (blockIdx.z is the sample), except a
// `wholeBatch` kernel, one grid for the whole batch.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_CODEGEN_CUDA_KERNEL_H
#define TAILOR_CODEGEN_CUDA_KERNEL_H

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace tailor::codegen::cuda {

/// A generator asked for something it cannot emit, or NVRTC failed; the
/// message names the kernel.
class CodegenError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct Dim2 {
  unsigned x = 1, y = 1;
};

/// Every kernel name ends with "_g<version>". The version changes whenever
/// a generator changes a kernel's source or launch shape, so a runtime
/// never launches an artifact's kernel (cubin or source) with the launch
/// shape of another generator: it finds none of that name and compiles its
/// own.
constexpr int kGeneratorVersion = 4;

struct Kernel {
  /// Unique for the source and launch shape: the kind, every specialized
  /// value, the generator version.
  std::string name;
  std::string source;
  /// Threads per block.
  unsigned block = 128;
  /// Blocks per sample (x, y); z is the batch.
  Dim2 grid;
  /// Dynamic shared memory per block; above 48 KiB the launcher must raise
  /// the function's CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES.
  unsigned sharedBytes = 0;
  /// Launched as `grid` with z = 1, the batch size given as its last
  /// parameter (an unsigned long long): for work over the whole batch in
  /// order (acm_compact's prefix sums).
  bool wholeBatch = false;
};

/// The element type of a kernel's activations in memory.
enum class Storage { F32, BF16, F16 };
/// How attention multiplies: fp32 on CUDA cores, or bf16/fp16 tensor-core
/// mma with fp32 accumulation.
enum class Math { F32, BF16, F16 };
enum class Activation { None, Relu, Gelu, GeluTanh, Tanh };

/// "f32", "bf16", "f16".
const char *storageName(Storage storage);
/// Bytes of one element: 4, or 2 for BF16 and F16.
std::size_t storageSize(Storage storage);
const char *mathName(Math math);
/// "none", "relu", "gelu", "gelu_tanh", "tanh".
const char *activationName(Activation activation);

/// Kernels that record a bad index write the smallest flat position of one
/// (sample * rows + row) into an unsigned long long that the launcher sets
/// to kNoError before the run.
constexpr unsigned long long kNoError = ~0ull;

} // namespace tailor::codegen::cuda

#endif // TAILOR_CODEGEN_CUDA_KERNEL_H
