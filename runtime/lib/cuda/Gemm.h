//===- Gemm.h - Dense layers through cuBLASLt -------------------*- C++ -*-===//
#ifndef TAILOR_RUNTIME_CUDA_GEMM_H
#define TAILOR_RUNTIME_CUDA_GEMM_H

#include "Driver.h"

#include <cublasLt.h>

#include <map>
#include <tuple>

namespace tailor::detail::cuda {

/// How GEMMs multiply f32 activations and weights (accumulating in f32):
/// exactly, or on tensor cores after rounding the inputs to tf32, bf16 or
/// fp16 (cuBLASLt's "fast" compute types).
enum class GemmMath { F32, TF32, BF16, F16 };

/// The epilogues cuBLASLt fuses into the product.
enum class GemmEpilogue { None, Bias, ReluBias, GeluTanhBias };

enum class GemmType { F32, BF16, F16 };

/// The element types of a product: x and W share one (cuBLASLt's A and B),
/// y (C and D, and the bias) its own. 16-bit operands multiply natively on
/// tensor cores, accumulating in f32, whatever the GemmMath.
struct GemmTypes {
  GemmType operands = GemmType::F32;
  GemmType output = GemmType::F32;
};

class Gemm {
public:
  explicit Gemm(GemmMath math);
  ~Gemm();
  Gemm(const Gemm &) = delete;
  Gemm &operator=(const Gemm &) = delete;

  /// y [rows, out] = epilogue(x [rows, in] W^T + bias + residual), W
  /// [out, in], all row-major on the device in `types`; bias may be 0 with
  /// GemmEpilogue::None, residual ([rows, out] of y's type, cuBLASLt's C
  /// with beta = 1) may be 0 for none. The epilogue's activation comes after
  /// the residual.
  void linear(CUdeviceptr x, CUdeviceptr y, std::int64_t rows, std::int64_t in,
              std::int64_t out, CUdeviceptr weight, CUdeviceptr bias,
              GemmEpilogue epilogue, GemmTypes types, CUstream stream,
              CUdeviceptr residual = 0);

private:
  struct Plan {
    cublasLtMatmulDesc_t desc = nullptr;
    cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
    cublasLtMatmulAlgo_t algo{};
  };
  /// Shapes, epilogue, the alignment of W, x, y and the residual (y's
  /// without one): cuBLASLt picks algorithms for the alignment it is
  /// promised; operand and output type.
  using Key =
      std::tuple<std::int64_t, std::int64_t, std::int64_t, int, std::uint32_t,
                 std::uint32_t, std::uint32_t, std::uint32_t, int, int>;
  Plan &planFor(const Key &key);

  GemmMath math;
  cublasLtHandle_t handle = nullptr;
  DeviceMemory workspace;
  std::map<Key, Plan> plans;
};

} // namespace tailor::detail::cuda

#endif // TAILOR_RUNTIME_CUDA_GEMM_H
