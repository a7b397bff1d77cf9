//===- Normalization.cpp - Layer normalization and residual adds ----------===//

#include "Kernels.h"
#include "ThreadPool.h"

#include <cmath>
#include <vector>

namespace tailor::detail::cpu {
namespace {

void normalizeRow(const float *in, float *out, std::int64_t hidden,
                  const float *gamma, const float *beta, float epsilon) {
  // Accumulate in double: the mean and variance of long rows stay exact to
  // f32 precision.
  double sum = 0;
  for (std::int64_t i = 0; i < hidden; ++i)
    sum += in[i];
  double mean = sum / hidden;
  double squares = 0;
  for (std::int64_t i = 0; i < hidden; ++i)
    squares += (in[i] - mean) * (in[i] - mean);
  float scale = static_cast<float>(1.0 / std::sqrt(squares / hidden + epsilon));
  float center = static_cast<float>(mean);
  for (std::int64_t i = 0; i < hidden; ++i)
    out[i] = (in[i] - center) * scale * gamma[i] + beta[i];
}

} // namespace

void layerNorm(const float *x, float *y, std::int64_t rows, std::int64_t hidden,
               const float *gamma, const float *beta, float epsilon,
               ThreadPool &pool) {
  pool.parallelFor(rows, 16, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t row = begin; row < end; ++row)
      normalizeRow(x + row * hidden, y + row * hidden, hidden, gamma, beta,
                   epsilon);
  });
}

void addLayerNorm(const float *a, const float *b, float *sum, float *y,
                  std::int64_t rows, std::int64_t hidden, const float *gamma,
                  const float *beta, float epsilon, ThreadPool &pool) {
  pool.parallelFor(rows, 16, [&](std::int64_t begin, std::int64_t end) {
    std::vector<float> kept(sum ? 0 : hidden);
    for (std::int64_t row = begin; row < end; ++row) {
      const std::int64_t at = row * hidden;
      float *total = sum ? sum + at : kept.data();
      for (std::int64_t i = 0; i < hidden; ++i)
        total[i] = a[at + i] + b[at + i];
      normalizeRow(total, y + at, hidden, gamma, beta, epsilon);
    }
  });
}

void add(const float *a, const float *b, float *y, std::int64_t count,
         ThreadPool &pool) {
  pool.parallelFor(count, 4096, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i)
      y[i] = a[i] + b[i];
  });
}

void mean(const std::vector<const float *> &members, float *y,
          std::int64_t count, ThreadPool &pool) {
  const float scale = 1.0f / static_cast<float>(members.size());
  pool.parallelFor(count, 4096, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      float sum = 0;
      for (const float *member : members)
        sum += member[i];
      y[i] = sum * scale;
    }
  });
}

} // namespace tailor::detail::cpu
