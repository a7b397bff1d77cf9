//===- Embeddings.cpp - Token and patch embeddings ------------------------===//

#include "Source.h"
#include "tailor/codegen/cuda/Generators.h"

namespace tailor::codegen::cuda {
namespace {

/// One block per token.
const char *const kTokenBody = R"cuda(
extern "C" __global__ void __launch_bounds__(128) TAILOR_KERNEL(
    const int *__restrict__ ids, const elem_t *__restrict__ word,
    const elem_t *__restrict__ position, const elem_t *__restrict__ token_type,
    elem_t *__restrict__ y, unsigned long long *__restrict__ error) {
  const int t = blockIdx.x;
  const long long token = (long long)blockIdx.z * SEQ + t;
  const int id = ids[token];
  if (id < 0 || id >= VOCAB) {
    if (threadIdx.x == 0)
      atomicMin(error, static_cast<unsigned long long>(token));
    return;
  }
  for (int i = threadIdx.x; i < HIDDEN; i += 128) {
    float value = load_elem(word, (long long)id * HIDDEN + i) +
                  load_elem(position, t * HIDDEN + i);
    if (TOKEN_TYPE)
      value += load_elem(token_type, i);
    store_elem(y, token * HIDDEN + i, value);
  }
}
)cuda";

/// One block per patch.
const char *const kUnfoldBody = R"cuda(
constexpr int SIDE = IMAGE / PATCH, FEATURES = CHANNELS * PATCH * PATCH;

extern "C" __global__ void __launch_bounds__(128) TAILOR_KERNEL(
    const float *__restrict__ images, elem_t *__restrict__ patches) {
  const int p = blockIdx.x, top = (p / SIDE) * PATCH, left = (p % SIDE) * PATCH;
  const float *image = images + (long long)blockIdx.z * CHANNELS * IMAGE * IMAGE;
  const long long out = ((long long)blockIdx.z * SIDE * SIDE + p) * FEATURES;
  for (int f = threadIdx.x; f < FEATURES; f += 128) {
    int c = f / (PATCH * PATCH), i = (f / PATCH) % PATCH, j = f % PATCH;
    store_elem(patches, out + f, image[(c * IMAGE + top + i) * IMAGE + left + j]);
  }
}
)cuda";

/// One block per output token.
const char *const kFinishBody = R"cuda(
extern "C" __global__ void __launch_bounds__(128) TAILOR_KERNEL(
    const elem_t *__restrict__ projected, const elem_t *__restrict__ bias,
    const elem_t *__restrict__ cls, const elem_t *__restrict__ position,
    elem_t *__restrict__ y) {
  const int t = blockIdx.x;
  const long long out = ((long long)blockIdx.z * (PATCHES + 1) + t) * HIDDEN;
  const long long in = ((long long)blockIdx.z * PATCHES + t - 1) * HIDDEN;
  for (int i = threadIdx.x; i < HIDDEN; i += 128)
    store_elem(y, out + i,
               t == 0 ? load_elem(cls, i) + load_elem(position, i)
                      : load_elem(projected, in + i) +
                            (load_elem(bias, i) +
                             load_elem(position, t * HIDDEN + i)));
}
)cuda";

} // namespace

Kernel tokenEmbeddingsKernel(std::int64_t seq, std::int64_t hidden,
                             std::int64_t vocab, bool tokenType,
                             Storage storage) {
  require(seq >= 1 && hidden >= 1 && vocab >= 1, "token_embeddings",
          "seq, hidden and vocabulary must be positive");
  Kernel kernel;
  kernel.name = "token_embeddings_s" + std::to_string(seq) + "_h" +
                std::to_string(hidden) + "_v" + std::to_string(vocab) +
                (tokenType ? "_type_" : "_") + storageName(storage);
  kernel.block = 128;
  kernel.grid = {static_cast<unsigned>(seq), 1};
  Source source(kernel);
  source.constant("SEQ", seq)
      .constant("HIDDEN", hidden)
      .constant("VOCAB", vocab)
      .flag("TOKEN_TYPE", tokenType)
      .storage(storage);
  kernel.source = source.finish(kTokenBody);
  return kernel;
}

Kernel patchUnfoldKernel(std::int64_t channels, std::int64_t imageSize,
                         std::int64_t patchSize, Storage storage) {
  require(channels >= 1 && patchSize >= 1 && imageSize >= patchSize &&
              imageSize % patchSize == 0,
          "patch_unfold",
          "image size " + std::to_string(imageSize) +
              " must be a positive multiple of the patch size " +
              std::to_string(patchSize));
  Kernel kernel;
  kernel.name = "patch_unfold_c" + std::to_string(channels) + "_i" +
                std::to_string(imageSize) + "_p" + std::to_string(patchSize) +
                "_" + storageName(storage);
  kernel.block = 128;
  const std::int64_t side = imageSize / patchSize;
  kernel.grid = {static_cast<unsigned>(side * side), 1};
  Source source(kernel);
  source.constant("CHANNELS", channels)
      .constant("IMAGE", imageSize)
      .constant("PATCH", patchSize)
      .storage(storage);
  kernel.source = source.finish(kUnfoldBody);
  return kernel;
}

Kernel patchFinishKernel(std::int64_t patches, std::int64_t hidden,
                         Storage storage) {
  require(patches >= 1 && hidden >= 1, "patch_finish",
          "patches and hidden must be positive");
  Kernel kernel;
  kernel.name = "patch_finish_n" + std::to_string(patches) + "_h" +
                std::to_string(hidden) + "_" + storageName(storage);
  kernel.block = 128;
  kernel.grid = {static_cast<unsigned>(patches + 1), 1};
  Source source(kernel);
  source.constant("PATCHES", patches)
      .constant("HIDDEN", hidden)
      .storage(storage);
  kernel.source = source.finish(kFinishBody);
  return kernel;
}

} // namespace tailor::codegen::cuda
