//===- Normalization.cpp - Layer norm (fused residual add), adds, means ---===//

#include "Source.h"
#include "tailor/codegen/cuda/Generators.h"

namespace tailor::codegen::cuda {
namespace {

/// One warp per row, the row in registers: mean, then the variance of the
/// centred values (two passes, as exact as the CPU's).
const char *const kLayerNormBody = R"cuda(
constexpr int VALS = (HIDDEN + 31) / 32;

extern "C" __global__ void __launch_bounds__(128) TAILOR_KERNEL(
    const elem_t *__restrict__ x, const elem_t *__restrict__ residual,
    elem_t *__restrict__ sum, elem_t *__restrict__ y,
    const float *__restrict__ gamma, const float *__restrict__ beta) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int row = blockIdx.x * 4 + warp;
  if (row >= ROWS)
    return;
  const long long at = ((long long)blockIdx.z * ROWS + row) * HIDDEN;
  float values[VALS];
  float total = 0.0f;
  for (int k = 0; k < VALS; ++k) {
    int i = lane + 32 * k;
    float value = 0.0f;
    if (i < HIDDEN) {
      value = load_elem(x, at + i);
      if (RESIDUAL) {
        // The sum as stored, so that the norm sees what later steps read.
        value = round_elem(value + load_elem(residual, at + i));
        if (WRITE_SUM)
          store_elem(sum, at + i, value);
      }
    }
    values[k] = value;
    total += value;
  }
  const float mean = tailor_warp_sum(total) / HIDDEN;
  float squares = 0.0f;
  for (int k = 0; k < VALS; ++k)
    if (lane + 32 * k < HIDDEN)
      squares += (values[k] - mean) * (values[k] - mean);
  const float scale = 1.0f / sqrtf(tailor_warp_sum(squares) / HIDDEN + EPSILON);
  for (int k = 0; k < VALS; ++k) {
    int i = lane + 32 * k;
    if (i < HIDDEN)
      store_elem(y, at + i, (values[k] - mean) * scale * gamma[i] + beta[i]);
  }
}
)cuda";

const char *const kAddBody = R"cuda(
extern "C" __global__ void __launch_bounds__(256) TAILOR_KERNEL(
    const elem_t *__restrict__ a, const elem_t *__restrict__ b, elem_t *__restrict__ y) {
  const long long at = (long long)blockIdx.z * COUNT;
  for (long long i = (long long)blockIdx.x * 256 + threadIdx.x; i < COUNT;
       i += (long long)gridDim.x * 256)
    store_elem(y, at + i, load_elem(a, at + i) + load_elem(b, at + i));
}
)cuda";

// The members in order, scaled once as the CPU backend does.
const char *const kEnsembleMeanBody = R"cuda(
extern "C" __global__ void __launch_bounds__(256) TAILOR_KERNEL(
    const float *x0, const float *x1, const float *x2, const float *x3,
    const float *x4, const float *x5, const float *x6, const float *x7,
    float *__restrict__ y) {
  const float *const members[8] = {x0, x1, x2, x3, x4, x5, x6, x7};
  const long long at = (long long)blockIdx.z * COUNT;
  for (long long i = (long long)blockIdx.x * 256 + threadIdx.x; i < COUNT;
       i += (long long)gridDim.x * 256) {
    float sum = 0.0f;
    for (int m = 0; m < MEMBERS; ++m)
      sum += members[m][at + i];
    y[at + i] = sum * (1.0f / MEMBERS);
  }
}
)cuda";

/// Blocks of 256 threads over `elements`, at most 1024 (they stride on).
unsigned elementwiseBlocks(std::int64_t elements) {
  return static_cast<unsigned>(
      std::min<std::int64_t>(ceilDiv(elements, 256), 1024));
}

} // namespace

Kernel layerNormKernel(std::int64_t rowsPerSample, std::int64_t hidden,
                       float epsilon, bool residual, bool writeSum,
                       Storage storage) {
  const char *kind = "layer_norm";
  require(rowsPerSample >= 1 && hidden >= 1, kind,
          "rows and hidden must be positive");
  require(hidden <= 8192, kind,
          "hidden " + std::to_string(hidden) +
              " is above 8192, the most a warp's registers hold");
  require(epsilon > 0, kind, "epsilon must be positive");
  Kernel kernel;
  char eps[32];
  std::snprintf(eps, sizeof eps, "%08x",
                *reinterpret_cast<const unsigned *>(&epsilon));
  kernel.name = std::string(residual ? "add_layer_norm" : "layer_norm") + "_r" +
                std::to_string(rowsPerSample) + "_h" + std::to_string(hidden) +
                "_e" + eps + (residual && !writeSum ? "_nosum_" : "_") +
                storageName(storage);
  kernel.block = 128;
  kernel.grid = {static_cast<unsigned>(ceilDiv(rowsPerSample, 4)), 1};
  Source source(kernel);
  source.constant("ROWS", rowsPerSample)
      .constant("HIDDEN", hidden)
      .constant("EPSILON", epsilon)
      .flag("RESIDUAL", residual)
      .flag("WRITE_SUM", writeSum)
      .storage(storage);
  kernel.source = source.finish(kLayerNormBody);
  return kernel;
}

Kernel addKernel(std::int64_t elementsPerSample, Storage storage) {
  require(elementsPerSample >= 1, "add", "the element count must be positive");
  Kernel kernel;
  kernel.name =
      "add_n" + std::to_string(elementsPerSample) + "_" + storageName(storage);
  kernel.block = 256;
  kernel.grid = {elementwiseBlocks(elementsPerSample), 1};
  Source source(kernel);
  source.constant("COUNT", elementsPerSample).storage(storage);
  kernel.source = source.finish(kAddBody);
  return kernel;
}

Kernel ensembleMeanKernel(int members, std::int64_t elementsPerSample) {
  const char *kind = "ensemble_mean";
  require(members >= 2 && members <= kMaxEnsembleMembers, kind,
          std::to_string(members) + " members, expected 2 to " +
              std::to_string(kMaxEnsembleMembers));
  require(elementsPerSample >= 1, kind, "the element count must be positive");
  Kernel kernel;
  kernel.name = "ensemble_mean_m" + std::to_string(members) + "_n" +
                std::to_string(elementsPerSample);
  kernel.block = 256;
  kernel.grid = {elementwiseBlocks(elementsPerSample), 1};
  Source source(kernel);
  source.constant("MEMBERS", std::int64_t{members})
      .constant("COUNT", elementsPerSample);
  kernel.source = source.finish(kEnsembleMeanBody);
  return kernel;
}

} // namespace tailor::codegen::cuda
