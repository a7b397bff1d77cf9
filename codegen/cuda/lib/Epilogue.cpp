//===- Epilogue.cpp - Bias and activation after a GEMM --------------------===//

#include "Source.h"
#include "tailor/codegen/cuda/Generators.h"

namespace tailor::codegen::cuda {
namespace {

const char *const kBiasActivationBody = R"cuda(
__device__ __forceinline__ float tailor_activate(float x) {
  switch (ACTIVATION) {
  case 1: return x > 0.0f ? x : 0.0f;
  case 2: return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f));
  case 3: return 0.5f * x * (1.0f + tanhf(0.79788456080286536f * (x + 0.044715f * x * x * x)));
  case 4: return tanhf(x);
  default: return x;
  }
}

extern "C" __global__ void __launch_bounds__(256) TAILOR_KERNEL(
    elem_t *__restrict__ y, const elem_t *__restrict__ bias,
    const elem_t *__restrict__ residual) {
  const long long at = (long long)blockIdx.z * ROWS * OUT;
  for (long long i = (long long)blockIdx.x * 256 + threadIdx.x; i < (long long)ROWS * OUT;
       i += (long long)gridDim.x * 256) {
    float value = tailor_activate(load_elem(y, at + i) + (HAS_BIAS ? load_elem(bias, i % OUT) : 0.0f));
    store_elem(y, at + i, HAS_RESIDUAL ? value + load_elem(residual, at + i) : value);
  }
}
)cuda";

} // namespace

Kernel biasActivationKernel(std::int64_t rowsPerSample, std::int64_t out,
                            bool hasBias, Activation activation,
                            bool hasResidual, Storage storage) {
  require(rowsPerSample >= 1 && out >= 1, "bias_activation",
          "rows and outputs must be positive");
  Kernel kernel;
  kernel.name = std::string("bias_") + activationName(activation) + "_r" +
                std::to_string(rowsPerSample) + "_o" + std::to_string(out) +
                (hasBias ? "_bias" : "") + (hasResidual ? "_res_" : "_") +
                storageName(storage);
  kernel.block = 256;
  kernel.grid = {static_cast<unsigned>(std::min<std::int64_t>(
                     ceilDiv(rowsPerSample * out, 256), 1024)),
                 1};
  Source source(kernel);
  source.constant("ROWS", rowsPerSample)
      .constant("OUT", out)
      .flag("HAS_BIAS", hasBias)
      .flag("HAS_RESIDUAL", hasResidual)
      .constant("ACTIVATION", static_cast<std::int64_t>(activation))
      .storage(storage);
  kernel.source = source.finish(kBiasActivationBody);
  return kernel;
}

} // namespace tailor::codegen::cuda
