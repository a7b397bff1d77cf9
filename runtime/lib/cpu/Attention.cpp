//===- Attention.cpp - Multi-head attention and token significance --------===//

#include "Kernels.h"
#include "ThreadPool.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace tailor::detail::cpu {
namespace {

/// Softmax of one row of scores in place over the keys the mask keeps; a
/// row with no key kept becomes zeros.
void maskedSoftmax(float *row, std::int64_t seq, const std::uint8_t *mask) {
  float max = -INFINITY;
  for (std::int64_t j = 0; j < seq; ++j)
    if (!mask || mask[j])
      max = std::max(max, row[j]);
  if (max == -INFINITY) {
    std::fill(row, row + seq, 0.0f);
    return;
  }
  float sum = 0;
  for (std::int64_t j = 0; j < seq; ++j) {
    row[j] = (!mask || mask[j]) ? std::exp(row[j] - max) : 0.0f;
    sum += row[j];
  }
  for (std::int64_t j = 0; j < seq; ++j)
    row[j] /= sum;
}

/// The keys each query block may attend to ([rows, seq], 1 = kept): the key
/// mask, and with a block table only the listed key blocks. Null when every
/// query may attend to every key.
std::vector<std::uint8_t> allowedKeys(const std::uint8_t *mask,
                                      const AttentionShape &shape) {
  const std::int64_t seq = shape.seq;
  if (!shape.keyBlocks) {
    if (!mask)
      return {};
    return std::vector<std::uint8_t>(mask, mask + seq);
  }
  const std::int64_t block = shape.block;
  const std::int64_t rows = static_cast<std::int64_t>(shape.keyBlocks->size());
  std::vector<std::uint8_t> allowed(rows * seq, 0);
  for (std::int64_t row = 0; row < rows; ++row)
    for (std::int64_t col : (*shape.keyBlocks)[row])
      for (std::int64_t j = col * block; j < std::min(seq, (col + 1) * block);
           ++j)
        allowed[row * seq + j] = mask ? mask[j] : 1;
  return allowed;
}

} // namespace

void attention(const float *q, const float *k, const float *v,
               const std::uint8_t *keyMask, float *context, float *significance,
               const AttentionShape &shape, ThreadPool &pool) {
  const std::int64_t seq = shape.seq, hidden = shape.hidden;
  const std::int64_t stride = shape.rowStride ? shape.rowStride : hidden;
  const std::int64_t heads = shape.heads, headDim = hidden / heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(headDim));
  // Each (sample, head) task writes its column sums here; the heads are
  // summed afterwards so that tasks never share an output.
  std::vector<float> received(significance ? shape.batch * heads * seq : 0);
  pool.parallelFor(
      shape.batch * heads, 1, [&](std::int64_t begin, std::int64_t end) {
        std::vector<float> scores(seq * seq);
        for (std::int64_t task = begin; task < end; ++task) {
          std::int64_t b = task / heads, h = task % heads;
          std::int64_t offset = b * seq * stride + h * headDim;
          std::int64_t out = b * seq * hidden + h * headDim;
          const std::uint8_t *mask = keyMask ? keyMask + b * seq : nullptr;
          const std::vector<std::uint8_t> allowed = allowedKeys(mask, shape);
          // One row of `allowed` per query block (dense: one for all).
          auto allowedFor = [&](std::int64_t query) -> const std::uint8_t * {
            if (allowed.empty())
              return nullptr;
            return allowed.data() +
                   (shape.keyBlocks ? query / shape.block * seq : 0);
          };
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, seq, seq,
                      headDim, scale, q + offset, stride, k + offset, stride,
                      0.0f, scores.data(), seq);
          for (std::int64_t i = 0; i < seq; ++i)
            maskedSoftmax(scores.data() + i * seq, seq, allowedFor(i));
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, seq, headDim,
                      seq, 1.0f, scores.data(), seq, v + offset, stride, 0.0f,
                      context + out, hidden);
          if (!significance)
            continue;
          float *sums = received.data() + task * seq;
          for (std::int64_t i = 0; i < seq; ++i) {
            if (mask && !mask[i])
              continue;
            for (std::int64_t j = 0; j < seq; ++j)
              sums[j] += scores[i * seq + j];
          }
        }
      });
  if (!significance)
    return;
  for (std::int64_t b = 0; b < shape.batch; ++b)
    for (std::int64_t j = 0; j < seq; ++j) {
      float sum = 0;
      for (std::int64_t h = 0; h < heads; ++h)
        sum += received[(b * heads + h) * seq + j];
      significance[b * seq + j] = sum;
    }
}

} // namespace tailor::detail::cpu
