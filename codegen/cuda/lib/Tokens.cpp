//===- Tokens.cpp - Token selection, gathers and scatters -----------------===//

#include "Source.h"
#include "tailor/codegen/cuda/Generators.h"

namespace tailor::codegen::cuda {
namespace {

/// One block per sample. A token's rank is how many candidates are more
/// significant (greater, or equal and earlier); it is kept when the rank is
/// below the number to choose; its output slot counts the kept tokens
/// before it. O(S^2) comparisons, spread over the block: a few microseconds
/// at S = 512, and exact ties handled as the CPU sort does.
const char *const kSelectBody = R"cuda(
constexpr int FIRST = KEEP_FIRST ? 1 : 0;
constexpr int CHOSEN = KEPT - FIRST;

extern "C" __global__ void __launch_bounds__(256) TAILOR_KERNEL(
    const float *__restrict__ significance, int *__restrict__ indices) {
  __shared__ float sKey[SEQ];
  __shared__ unsigned char sKept[SEQ];
  const int b = blockIdx.z;
  const float *sig = significance + (long long)b * SEQ;
  for (int i = threadIdx.x; i < SEQ; i += 256) {
    float s = sig[i];
    sKey[i] = isnan(s) ? -TAILOR_INF : s; // NaN ranks last
  }
  __syncthreads();
  for (int i = threadIdx.x; i < SEQ; i += 256) {
    bool kept;
    if (i < FIRST) {
      kept = true;
    } else {
      float key = sKey[i];
      int rank = 0;
      for (int j = FIRST; j < SEQ; ++j) {
        float other = sKey[j];
        rank += other > key || (other == key && j < i);
      }
      kept = rank < CHOSEN;
    }
    sKept[i] = kept;
  }
  __syncthreads();
  for (int i = threadIdx.x; i < SEQ; i += 256) {
    if (!sKept[i])
      continue;
    int slot = 0;
    for (int j = 0; j < i; ++j)
      slot += sKept[j];
    indices[(long long)b * KEPT + slot] = i;
  }
}
)cuda";

/// One block per kept row.
const char *const kRowCopyBody = R"cuda(
extern "C" __global__ void __launch_bounds__(128) TAILOR_KERNEL(
    const unsigned char *__restrict__ src, const int *__restrict__ indices,
    unsigned char *__restrict__ dst, unsigned long long *__restrict__ error) {
  const int b = blockIdx.z, j = blockIdx.x;
  const long long slot = (long long)b * KEPT + j;
  const int index = indices[slot];
  if (index < 0 || index >= SEQ) {
    if (threadIdx.x == 0)
      atomicMin(error, static_cast<unsigned long long>(slot));
    return;
  }
  const long long full = (long long)b * SEQ + index;
  const unsigned char *from = src + (GATHER ? full : slot) * ROW_BYTES;
  unsigned char *to = dst + (GATHER ? slot : full) * ROW_BYTES;
  if (ROW_BYTES % 4 == 0) {
    for (int i = threadIdx.x; i < ROW_BYTES / 4; i += 128)
      reinterpret_cast<unsigned *>(to)[i] = reinterpret_cast<const unsigned *>(from)[i];
  } else {
    for (int i = threadIdx.x; i < ROW_BYTES; i += 128)
      to[i] = from[i];
  }
}
)cuda";

} // namespace

Kernel selectTokensKernel(std::int64_t seq, std::int64_t kept, bool keepFirst) {
  const char *kind = "select_tokens";
  require(seq >= 1 && kept >= 1 && kept <= seq, kind,
          "keeps " + std::to_string(kept) + " of " + std::to_string(seq) +
              " tokens: need 1 <= kept <= seq");
  // sKey and sKept live in the 48 KiB of static shared memory.
  require(seq <= 8192, kind, "seq " + std::to_string(seq) + " is above 8192");
  Kernel kernel;
  kernel.name = "select_tokens_s" + std::to_string(seq) + "_k" +
                std::to_string(kept) + (keepFirst ? "_first" : "");
  kernel.block = 256;
  kernel.grid = {1, 1};
  Source source(kernel);
  source.constant("SEQ", seq)
      .constant("KEPT", kept)
      .flag("KEEP_FIRST", keepFirst);
  kernel.source = source.finish(kSelectBody);
  return kernel;
}

Kernel rowCopyKernel(RowCopy direction, std::int64_t seq, std::int64_t kept,
                     std::int64_t rowBytes) {
  const bool gather = direction == RowCopy::Gather;
  const char *kind = gather ? "gather_rows" : "scatter_rows";
  require(seq >= 1 && kept >= 1 && rowBytes >= 1, kind,
          "seq, kept and row bytes must be positive");
  Kernel kernel;
  kernel.name = std::string(kind) + "_s" + std::to_string(seq) + "_k" +
                std::to_string(kept) + "_b" + std::to_string(rowBytes);
  kernel.block = 128;
  kernel.grid = {static_cast<unsigned>(kept), 1};
  Source source(kernel);
  source.constant("SEQ", seq)
      .constant("KEPT", kept)
      .constant("ROW_BYTES", rowBytes)
      .flag("GATHER", gather);
  kernel.source = source.finish(kRowCopyBody);
  return kernel;
}

} // namespace tailor::codegen::cuda
