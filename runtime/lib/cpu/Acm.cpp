//===- Acm.cpp - Adaptive computation modules: routing and compaction -----===//
//
// An ACM layer runs learner j on the tokens whose gate chose more than j
// learners: acm_route picks how many, acm_compact lists the tokens of one
// learner (flat ids over the batch, ascending) with the prefix sums of
// their count per sample, and gather_rows / scatter_add move those tokens'
// rows to and from a packed buffer that the learner's GEMMs read.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"
#include "ThreadPool.h"

#include <cmath>
#include <cstring>

namespace tailor::detail::cpu {

void acmRoute(const float *logits, std::int32_t *learners, std::int64_t tokens,
              std::int64_t choices, ThreadPool &pool) {
  pool.parallelFor(tokens, 256, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t t = begin; t < end; ++t) {
      const float *gate = logits + t * choices;
      std::int64_t best = -1;
      for (std::int64_t j = 0; j < choices; ++j)
        if (!std::isnan(gate[j]) && (best < 0 || gate[j] > gate[best]))
          best = j;
      learners[t] = static_cast<std::int32_t>(best < 0 ? 1 : best + 1);
    }
  });
}

void acmCompact(const std::int32_t *learners, std::int32_t *rows,
                std::int32_t *counts, std::int64_t batch, std::int64_t seq,
                std::int64_t learner) {
  std::int32_t total = 0;
  for (std::int64_t b = 0; b < batch; ++b) {
    for (std::int64_t t = b * seq; t < (b + 1) * seq; ++t)
      if (learners[t] > learner)
        rows[total++] = static_cast<std::int32_t>(t);
    counts[b] = total;
  }
}

void gatherRows(const float *x, const std::int32_t *rows, float *y,
                std::int64_t total, std::int64_t hidden, ThreadPool &pool) {
  pool.parallelFor(total, 16, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i)
      std::memcpy(y + i * hidden, x + rows[i] * hidden, hidden * sizeof(float));
  });
}

// Split by columns, each thread adding the rows in order: the sums are the
// same however many threads, even when a row id repeats.
void scatterAdd(const float *x, const std::int32_t *rows, float *y,
                std::int64_t total, std::int64_t hidden, ThreadPool &pool) {
  pool.parallelFor(hidden, 16, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = 0; i < total; ++i) {
      float *to = y + rows[i] * hidden;
      const float *from = x + i * hidden;
      for (std::int64_t k = begin; k < end; ++k)
        to[k] += from[k];
    }
  });
}

} // namespace tailor::detail::cpu
