//===- Reference.cpp - Naive reference implementations of the ops ---------===//

#include "tailor/testing/Reference.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tailor::testing::reference {
namespace {

double activate(double x, const std::string &activation) {
  if (activation == "none")
    return x;
  if (activation == "relu")
    return std::max(x, 0.0);
  if (activation == "gelu")
    return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
  if (activation == "gelu_tanh")
    return 0.5 * x *
           (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
  if (activation == "tanh")
    return std::tanh(x);
  throw std::invalid_argument("unknown activation " + activation);
}

} // namespace

Array tokenEmbeddings(const std::vector<std::int32_t> &ids, std::int64_t batch,
                      std::int64_t seq, const Array &word,
                      const Array &position, const Array *tokenType) {
  std::int64_t hidden = word.shape[1];
  Array y({batch, seq, hidden});
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t s = 0; s < seq; ++s)
      for (std::int64_t i = 0; i < hidden; ++i)
        y.values[(b * seq + s) * hidden + i] =
            word.values[ids[b * seq + s] * hidden + i] +
            position.values[s * hidden + i] +
            (tokenType ? tokenType->values[i] : 0.0);
  return y;
}

Array patchEmbeddings(const Array &images, const Array &weight,
                      const Array &bias, const Array &cls,
                      const Array &position, std::int64_t patch) {
  std::int64_t batch = images.shape[0], channels = images.shape[1];
  std::int64_t size = images.shape[2], side = size / patch;
  std::int64_t hidden = weight.shape[0], tokens = side * side + 1;
  Array y({batch, tokens, hidden});
  for (std::int64_t b = 0; b < batch; ++b) {
    for (std::int64_t i = 0; i < hidden; ++i)
      y.values[b * tokens * hidden + i] = cls.values[i] + position.values[i];
    for (std::int64_t p = 0; p < side * side; ++p) {
      std::int64_t top = (p / side) * patch, left = (p % side) * patch;
      for (std::int64_t o = 0; o < hidden; ++o) {
        double sum = bias.values[o];
        std::int64_t feature = 0;
        for (std::int64_t c = 0; c < channels; ++c)
          for (std::int64_t r = 0; r < patch; ++r)
            for (std::int64_t col = 0; col < patch; ++col, ++feature)
              sum +=
                  weight.values[o * weight.shape[1] + feature] *
                  images.values[((b * channels + c) * size + top + r) * size +
                                left + col];
        y.values[(b * tokens + 1 + p) * hidden + o] =
            sum + position.values[(1 + p) * hidden + o];
      }
    }
  }
  return y;
}

Array layerNorm(const Array &x, const Array &gamma, const Array &beta,
                double epsilon) {
  std::int64_t hidden = x.shape.back(), rows = x.size() / hidden;
  Array y(x.shape);
  for (std::int64_t r = 0; r < rows; ++r) {
    const double *in = &x.values[r * hidden];
    double mean = 0, variance = 0;
    for (std::int64_t i = 0; i < hidden; ++i)
      mean += in[i] / hidden;
    for (std::int64_t i = 0; i < hidden; ++i)
      variance += (in[i] - mean) * (in[i] - mean) / hidden;
    for (std::int64_t i = 0; i < hidden; ++i)
      y.values[r * hidden + i] =
          (in[i] - mean) / std::sqrt(variance + epsilon) * gamma.values[i] +
          beta.values[i];
  }
  return y;
}

Array add(const Array &a, const Array &b) {
  Array y(a.shape);
  for (std::int64_t i = 0; i < a.size(); ++i)
    y.values[i] = a.values[i] + b.values[i];
  return y;
}

Array linear(const Array &x, const Array &weight, const Array *bias,
             const std::string &activation) {
  std::int64_t in = weight.shape[1], out = weight.shape[0];
  std::int64_t rows = x.size() / in;
  std::vector<std::int64_t> shape = x.shape;
  shape.back() = out;
  Array y(shape);
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t o = 0; o < out; ++o) {
      double sum = bias ? bias->values[o] : 0.0;
      for (std::int64_t i = 0; i < in; ++i)
        sum += x.values[r * in + i] * weight.values[o * in + i];
      y.values[r * out + o] = activate(sum, activation);
    }
  return y;
}

Attention attention(const Array &q, const Array &k, const Array &v,
                    const std::vector<std::uint8_t> &keyMask,
                    std::int64_t heads, const BlockMask *blocks) {
  std::int64_t batch = q.shape[0], seq = q.shape[1], hidden = q.shape[2];
  std::int64_t dim = hidden / heads;
  Attention result{Array(q.shape), Array({batch, seq})};
  auto at = [&](const Array &a, std::int64_t b, std::int64_t s,
                std::int64_t i) {
    return a.values[(b * seq + s) * hidden + i];
  };
  auto kept = [&](std::int64_t b, std::int64_t s) {
    return keyMask.empty() || keyMask[b * seq + s] != 0;
  };
  const std::int64_t rows =
      blocks ? (seq + blocks->block - 1) / blocks->block : 0;
  // Key j is visible to query i: not padding, and in a kept block.
  auto visible = [&](std::int64_t b, std::int64_t i, std::int64_t j) {
    return kept(b, j) &&
           (!blocks ||
            blocks->mask[i / blocks->block * rows + j / blocks->block] != 0);
  };
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t h = 0; h < heads; ++h)
      for (std::int64_t i = 0; i < seq; ++i) {
        std::vector<double> p(seq, 0.0);
        double max = -INFINITY;
        for (std::int64_t j = 0; j < seq; ++j) {
          if (!visible(b, i, j))
            continue;
          double score = 0;
          for (std::int64_t d = h * dim; d < (h + 1) * dim; ++d)
            score += at(q, b, i, d) * at(k, b, j, d);
          p[j] = score / std::sqrt(static_cast<double>(dim));
          max = std::max(max, p[j]);
        }
        double sum = 0;
        for (std::int64_t j = 0; j < seq; ++j) {
          p[j] = visible(b, i, j) ? std::exp(p[j] - max) : 0.0;
          sum += p[j];
        }
        for (std::int64_t j = 0; j < seq; ++j) {
          p[j] = sum > 0 ? p[j] / sum : 0.0;
          if (kept(b, i))
            result.significance.values[b * seq + j] += p[j];
        }
        for (std::int64_t d = h * dim; d < (h + 1) * dim; ++d) {
          double value = 0;
          for (std::int64_t j = 0; j < seq; ++j)
            value += p[j] * at(v, b, j, d);
          result.context.values[(b * seq + i) * hidden + d] = value;
        }
      }
  return result;
}

Selection selectTokens(const Array &x, const Array &significance,
                       std::int64_t kept, bool keepFirst) {
  std::int64_t batch = x.shape[0], seq = x.shape[1], hidden = x.shape[2];
  Selection result{Array({batch, kept, hidden}), {}};
  for (std::int64_t b = 0; b < batch; ++b) {
    std::vector<bool> chosen(seq, false);
    std::int64_t count = 0;
    if (keepFirst) {
      chosen[0] = true;
      count = 1;
    }
    // Repeatedly take the most significant token left; the strict > keeps
    // the lower index on ties.
    while (count < kept) {
      std::int64_t best = -1;
      for (std::int64_t j = 0; j < seq; ++j)
        if (!chosen[j] && (best < 0 || significance.values[b * seq + j] >
                                           significance.values[b * seq + best]))
          best = j;
      chosen[best] = true;
      ++count;
    }
    std::int64_t out = 0;
    for (std::int64_t j = 0; j < seq; ++j) {
      if (!chosen[j])
        continue;
      result.indices.push_back(static_cast<std::int32_t>(j));
      for (std::int64_t i = 0; i < hidden; ++i)
        result.selected.values[(b * kept + out) * hidden + i] =
            x.values[(b * seq + j) * hidden + i];
      ++out;
    }
  }
  return result;
}

Array restoreTokens(const Array &full, const Array &selected,
                    const std::vector<std::int32_t> &indices) {
  std::int64_t batch = full.shape[0], seq = full.shape[1];
  std::int64_t hidden = full.shape[2], kept = selected.shape[1];
  Array y = full;
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t j = 0; j < kept; ++j)
      for (std::int64_t i = 0; i < hidden; ++i)
        y.values[(b * seq + indices[b * kept + j]) * hidden + i] =
            selected.values[(b * kept + j) * hidden + i];
  return y;
}

std::vector<std::uint8_t>
gatherTokens(const std::vector<std::uint8_t> &mask, std::int64_t batch,
             const std::vector<std::int32_t> &indices) {
  const std::int64_t seq = static_cast<std::int64_t>(mask.size()) / batch;
  const std::int64_t kept = static_cast<std::int64_t>(indices.size()) / batch;
  std::vector<std::uint8_t> gathered;
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t j = 0; j < kept; ++j)
      gathered.push_back(mask.at(b * seq + indices[b * kept + j]));
  return gathered;
}

Array classifier(const Array &x, const Array &weight, const Array &bias,
                 const Array *poolerWeight, const Array *poolerBias,
                 const std::string &pooling) {
  std::int64_t batch = x.shape[0], seq = x.shape[1], hidden = x.shape[2];
  if (pooling == "token")
    return linear(x, weight, &bias);
  Array pooled({batch, hidden});
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t i = 0; i < hidden; ++i) {
      if (pooling == "cls") {
        pooled.values[b * hidden + i] = x.values[b * seq * hidden + i];
        continue;
      }
      double sum = 0;
      for (std::int64_t s = 0; s < seq; ++s)
        sum += x.values[(b * seq + s) * hidden + i];
      pooled.values[b * hidden + i] = sum / seq;
    }
  if (poolerWeight)
    pooled = linear(pooled, *poolerWeight, poolerBias, "tanh");
  return linear(pooled, weight, &bias);
}

} // namespace tailor::testing::reference
