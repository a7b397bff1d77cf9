//===- Acm.cpp - Adaptive computation modules: routing and compaction -----===//

#include "Source.h"
#include "tailor/codegen/cuda/Generators.h"

namespace tailor::codegen::cuda {
namespace {

/// One thread per token.
const char *const kRouteBody = R"cuda(
extern "C" __global__ void __launch_bounds__(128) TAILOR_KERNEL(
    const elem_t *__restrict__ logits, int *__restrict__ learners) {
  const int s = blockIdx.x * 128 + threadIdx.x;
  if (s >= SEQ)
    return;
  const long long token = (long long)blockIdx.z * SEQ + s;
  const long long gate = token * CHOICES;
  int best = -1;
  float bestValue = 0.0f;
  for (int j = 0; j < CHOICES; ++j) {
    const float value = load_elem(logits, gate + j);
    if (!isnan(value) && (best < 0 || value > bestValue)) {
      best = j;
      bestValue = value;
    }
  }
  learners[token] = best < 0 ? 1 : best + 1;
}
)cuda";

/// Block `l` compacts learner FIRST + l: it walks the batch's tokens in
/// order, 1024 at a time: a warp ballot and the warps' totals in shared
/// memory give each chosen token its slot; the last token of a sample writes
/// the sample's prefix sum. The learners of a layer run side by side.
const char *const kCompactBody = R"cuda(
extern "C" __global__ void __launch_bounds__(1024) TAILOR_KERNEL(
    const int *__restrict__ learners, int *rows0, int *rows1, int *rows2,
    int *rows3, int *rows4, int *rows5, int *rows6, int *rows7, int *counts0,
    int *counts1, int *counts2, int *counts3, int *counts4, int *counts5,
    int *counts6, int *counts7, unsigned long long batch) {
  int *const rowsOf[8] = {rows0, rows1, rows2, rows3,
                          rows4, rows5, rows6, rows7};
  int *const countsOf[8] = {counts0, counts1, counts2, counts3,
                            counts4, counts5, counts6, counts7};
  int *const rows = rowsOf[blockIdx.x];
  int *const counts = countsOf[blockIdx.x];
  const int learner = FIRST + (int)blockIdx.x;
  __shared__ int warpTotals[32];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const long long tokens = (long long)batch * SEQ;
  int done = 0; // chosen tokens before this round, the same in every thread
  for (long long first = 0; first < tokens; first += 1024) {
    const long long token = first + threadIdx.x;
    const bool chosen = token < tokens && learners[token] > learner;
    const unsigned ballot = __ballot_sync(0xffffffffu, chosen);
    if (lane == 0)
      warpTotals[warp] = __popc(ballot);
    __syncthreads();
    int before = 0, round = 0;
    for (int w = 0; w < 32; ++w) {
      before += w < warp ? warpTotals[w] : 0;
      round += warpTotals[w];
    }
    const int slot = done + before + __popc(ballot & ((1u << lane) - 1u));
    if (chosen)
      rows[slot] = (int)token;
    if (token < tokens && token % SEQ == SEQ - 1)
      counts[token / SEQ] = slot + (chosen ? 1 : 0);
    done += round;
    __syncthreads();
  }
}
)cuda";

/// One block per slot i of the packed rows; slots at or past the total
/// (counts[B - 1], B = gridDim.z) exit at once.
const char *const kCompactRowsBody = R"cuda(
extern "C" __global__ void __launch_bounds__(128) TAILOR_KERNEL(
    const elem_t *__restrict__ x, const int *__restrict__ rows,
    const int *__restrict__ counts, elem_t *__restrict__ y,
    unsigned long long *__restrict__ error) {
  const long long slot = (long long)blockIdx.z * SEQ + blockIdx.x;
  if (slot >= counts[gridDim.z - 1])
    return;
  const int row = rows[slot];
  if (row < 0 || row >= (long long)gridDim.z * SEQ) {
    if (threadIdx.x == 0)
      atomicMin(error, static_cast<unsigned long long>(slot));
    return;
  }
  if (GATHER) {
    for (int k = threadIdx.x; k < HIDDEN; k += 128)
      y[slot * HIDDEN + k] = x[(long long)row * HIDDEN + k]; // bits as stored
  } else {
    // Atomic, so that a row id given twice adds both rows.
    for (int k = threadIdx.x; k < HIDDEN; k += 128)
      atomic_add_elem(y, (long long)row * HIDDEN + k, load_elem(x, slot * HIDDEN + k));
  }
}
)cuda";

} // namespace

Kernel acmRouteKernel(std::int64_t seq, std::int64_t choices, Storage storage) {
  require(seq >= 1 && choices >= 1, "acm_route",
          "seq and the number of learners must be positive");
  Kernel kernel;
  kernel.name = "acm_route_s" + std::to_string(seq) + "_n" +
                std::to_string(choices) + "_" + storageName(storage);
  kernel.block = 128;
  kernel.grid = {static_cast<unsigned>(ceilDiv(seq, 128)), 1};
  Source source(kernel);
  source.constant("SEQ", seq).constant("CHOICES", choices).storage(storage);
  kernel.source = source.finish(kRouteBody);
  return kernel;
}

Kernel acmCompactKernel(std::int64_t seq, std::int64_t firstLearner,
                        std::int64_t learners) {
  require(seq >= 1 && firstLearner >= 1, "acm_compact",
          "seq and the first learner must be positive");
  require(learners >= 1 && learners <= kMaxCompactions, "acm_compact",
          "compacts 1 to " + std::to_string(kMaxCompactions) +
              " learners at once, not " + std::to_string(learners));
  Kernel kernel;
  kernel.name = "acm_compact_s" + std::to_string(seq) + "_l" +
                std::to_string(firstLearner) + "_n" + std::to_string(learners);
  kernel.block = 1024;
  kernel.grid = {static_cast<unsigned>(learners), 1};
  kernel.wholeBatch = true;
  Source source(kernel);
  source.constant("SEQ", seq).constant("FIRST", firstLearner);
  kernel.source = source.finish(kCompactBody);
  return kernel;
}

Kernel compactRowsKernel(CompactRows direction, std::int64_t seq,
                         std::int64_t hidden, Storage storage) {
  const bool gather = direction == CompactRows::Gather;
  const char *kind = gather ? "acm_gather" : "acm_scatter_add";
  require(seq >= 1 && hidden >= 1, kind, "seq and hidden must be positive");
  Kernel kernel;
  kernel.name = std::string(kind) + "_s" + std::to_string(seq) + "_h" +
                std::to_string(hidden) + "_" + storageName(storage);
  kernel.block = 128;
  kernel.grid = {static_cast<unsigned>(seq), 1};
  Source source(kernel);
  source.constant("SEQ", seq)
      .constant("HIDDEN", hidden)
      .flag("GATHER", gather)
      .storage(storage);
  kernel.source = source.finish(kCompactRowsBody);
  return kernel;
}

} // namespace tailor::codegen::cuda
