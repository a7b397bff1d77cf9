//===- Pool.cpp - The classifier's pooling --------------------------------===//

#include "Source.h"
#include "tailor/codegen/cuda/Generators.h"

namespace tailor::codegen::cuda {
namespace {

const char *const kPoolBody = R"cuda(
extern "C" __global__ void __launch_bounds__(128) TAILOR_KERNEL(
    const elem_t *__restrict__ x, elem_t *__restrict__ pooled) {
  const int i = blockIdx.x * 128 + threadIdx.x;
  if (i >= HIDDEN)
    return;
  const long long tokens = (long long)blockIdx.z * SEQ * HIDDEN;
  float value = load_elem(x, tokens + i);
  if (MEAN) {
    for (int t = 1; t < SEQ; ++t)
      value += load_elem(x, tokens + (long long)t * HIDDEN + i);
    value /= static_cast<float>(SEQ);
  }
  store_elem(pooled, (long long)blockIdx.z * HIDDEN + i, value);
}
)cuda";

} // namespace

Kernel poolKernel(std::int64_t seq, std::int64_t hidden, Pool pool,
                  Storage storage) {
  require(seq >= 1 && hidden >= 1, "pool", "seq and hidden must be positive");
  Kernel kernel;
  kernel.name = std::string(pool == Pool::Mean ? "pool_mean" : "pool_cls") +
                "_s" + std::to_string(seq) + "_h" + std::to_string(hidden) +
                "_" + storageName(storage);
  kernel.block = 128;
  kernel.grid = {static_cast<unsigned>(ceilDiv(hidden, 128)), 1};
  Source source(kernel);
  source.constant("SEQ", seq)
      .constant("HIDDEN", hidden)
      .flag("MEAN", pool == Pool::Mean)
      .storage(storage);
  kernel.source = source.finish(kPoolBody);
  return kernel;
}

} // namespace tailor::codegen::cuda
