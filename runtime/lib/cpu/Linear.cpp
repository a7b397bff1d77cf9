//===- Linear.cpp - Dense layers through CBLAS ----------------------------===//

#include "Kernels.h"
#include "ThreadPool.h"

#include <cblas.h>

#include <cmath>

namespace tailor::detail::cpu {
namespace {

float activate(float x, Activation activation) {
  switch (activation) {
  case Activation::None:
    return x;
  case Activation::Relu:
    return x > 0 ? x : 0;
  case Activation::Gelu:
    return 0.5f * x * (1.0f + std::erf(x * static_cast<float>(M_SQRT1_2)));
  case Activation::GeluTanh: {
    const float scale = std::sqrt(2.0f / static_cast<float>(M_PI));
    return 0.5f * x * (1.0f + std::tanh(scale * (x + 0.044715f * x * x * x)));
  }
  case Activation::Tanh:
    return std::tanh(x);
  }
  return x;
}

} // namespace

void linear(const float *x, float *y, std::int64_t rows, std::int64_t in,
            std::int64_t out, const float *weight, const float *bias,
            Activation activation, ThreadPool &pool, const float *residual) {
  // Each thread multiplies a block of rows: enough rows per block that the
  // GEMM stays efficient.
  pool.parallelFor(rows, 16, [&](std::int64_t begin, std::int64_t end) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, end - begin, out, in,
                1.0f, x + begin * in, in, weight, in, 0.0f, y + begin * out,
                out);
    if (!bias && activation == Activation::None && !residual)
      return;
    // The residual after the activation, as a separate add step would.
    for (std::int64_t row = begin; row < end; ++row) {
      float *values = y + row * out;
      const float *skip = residual ? residual + row * out : nullptr;
      for (std::int64_t j = 0; j < out; ++j) {
        if (bias || activation != Activation::None)
          values[j] = activate(values[j] + (bias ? bias[j] : 0.0f), activation);
        if (skip)
          values[j] += skip[j];
      }
    }
  });
}

} // namespace tailor::detail::cpu
