//===- Tokens.cpp - Token selection and restoration -----------------------===//

#include "Kernels.h"
#include "ThreadPool.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <vector>

namespace tailor::detail::cpu {

void selectTokens(const float *x, const float *significance, float *y,
                  std::int32_t *indices, std::int64_t batch, std::int64_t seq,
                  std::int64_t kept, std::int64_t hidden, bool keepFirst,
                  ThreadPool &pool) {
  pool.parallelFor(batch, 1, [&](std::int64_t begin, std::int64_t end) {
    std::vector<std::int32_t> order(seq);
    for (std::int64_t b = begin; b < end; ++b) {
      const float *scores = significance + b * seq;
      // NaN ranks below every number, so the order stays a strict weak one.
      auto key = [&](std::int32_t token) {
        float score = scores[token];
        return std::isnan(score) ? -INFINITY : score;
      };
      auto moreSignificant = [&](std::int32_t a, std::int32_t c) {
        float ka = key(a), kc = key(c);
        return ka != kc ? ka > kc : a < c;
      };
      std::iota(order.begin(), order.end(), 0);
      auto candidates = order.begin() + (keepFirst ? 1 : 0);
      std::int64_t chosen = kept - (keepFirst ? 1 : 0);
      std::partial_sort(candidates, candidates + chosen, order.end(),
                        moreSignificant);
      std::sort(order.begin(), order.begin() + kept);
      std::int32_t *outIndices = indices + b * kept;
      for (std::int64_t j = 0; j < kept; ++j) {
        outIndices[j] = order[j];
        std::memcpy(y + (b * kept + j) * hidden,
                    x + (b * seq + order[j]) * hidden, hidden * sizeof(float));
      }
    }
  });
}

void restoreTokens(const float *full, const float *selected,
                   const std::int32_t *indices, float *y, std::int64_t batch,
                   std::int64_t seq, std::int64_t kept, std::int64_t hidden,
                   ThreadPool &pool) {
  pool.parallelFor(batch, 1, [&](std::int64_t begin, std::int64_t end) {
    std::memcpy(y + begin * seq * hidden, full + begin * seq * hidden,
                (end - begin) * seq * hidden * sizeof(float));
    for (std::int64_t b = begin; b < end; ++b)
      for (std::int64_t j = 0; j < kept; ++j)
        std::memcpy(y + (b * seq + indices[b * kept + j]) * hidden,
                    selected + (b * kept + j) * hidden, hidden * sizeof(float));
  });
}

void gatherTokens(const std::uint8_t *x, const std::int32_t *indices,
                  std::uint8_t *y, std::int64_t batch, std::int64_t seq,
                  std::int64_t kept, std::int64_t rowBytes, ThreadPool &pool) {
  pool.parallelFor(batch, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t b = begin; b < end; ++b)
      for (std::int64_t j = 0; j < kept; ++j)
        std::memcpy(y + (b * kept + j) * rowBytes,
                    x + (b * seq + indices[b * kept + j]) * rowBytes, rowBytes);
  });
}

} // namespace tailor::detail::cpu
