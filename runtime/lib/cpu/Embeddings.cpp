//===- Embeddings.cpp - Token and patch embeddings ------------------------===//

#include "Kernels.h"
#include "ThreadPool.h"

#include <cblas.h>

#include <vector>

namespace tailor::detail::cpu {

std::int64_t firstIdOutOfRange(const std::int32_t *ids, std::int64_t count,
                               std::int64_t vocab) {
  for (std::int64_t i = 0; i < count; ++i)
    if (ids[i] < 0 || ids[i] >= vocab)
      return i;
  return -1;
}

void tokenEmbeddings(const std::int32_t *ids, float *y, std::int64_t batch,
                     std::int64_t seq, std::int64_t hidden, const float *word,
                     const float *position, const float *tokenType,
                     ThreadPool &pool) {
  pool.parallelFor(batch * seq, 64, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t token = begin; token < end; ++token) {
      const float *w = word + static_cast<std::int64_t>(ids[token]) * hidden;
      const float *p = position + (token % seq) * hidden;
      float *out = y + token * hidden;
      for (std::int64_t i = 0; i < hidden; ++i)
        out[i] = w[i] + p[i] + (tokenType ? tokenType[i] : 0.0f);
    }
  });
}

void patchEmbeddings(const float *images, float *y, std::int64_t batch,
                     const PatchShape &shape, const float *weight,
                     const float *bias, const float *cls, const float *position,
                     ThreadPool &pool) {
  const std::int64_t side = shape.size / shape.patch;
  const std::int64_t patches = side * side;
  const std::int64_t features = shape.channels * shape.patch * shape.patch;
  const std::int64_t tokens = patches + 1;
  const std::int64_t hidden = shape.hidden;
  pool.parallelFor(batch, 1, [&](std::int64_t begin, std::int64_t end) {
    std::vector<float> unfolded(patches * features);
    for (std::int64_t b = begin; b < end; ++b) {
      const float *image =
          images + b * shape.channels * shape.size * shape.size;
      for (std::int64_t p = 0; p < patches; ++p) {
        std::int64_t top = (p / side) * shape.patch;
        std::int64_t left = (p % side) * shape.patch;
        float *row = unfolded.data() + p * features;
        for (std::int64_t c = 0; c < shape.channels; ++c)
          for (std::int64_t i = 0; i < shape.patch; ++i)
            for (std::int64_t j = 0; j < shape.patch; ++j)
              *row++ =
                  image[(c * shape.size + top + i) * shape.size + left + j];
      }
      float *out = y + b * tokens * hidden;
      // Patch p becomes token 1 + p.
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, patches, hidden,
                  features, 1.0f, unfolded.data(), features, weight, features,
                  0.0f, out + hidden, hidden);
      for (std::int64_t i = 0; i < hidden; ++i)
        out[i] = cls[i] + position[i];
      for (std::int64_t t = 1; t < tokens; ++t)
        for (std::int64_t i = 0; i < hidden; ++i)
          out[t * hidden + i] += bias[i] + position[t * hidden + i];
    }
  });
}

} // namespace tailor::detail::cpu
