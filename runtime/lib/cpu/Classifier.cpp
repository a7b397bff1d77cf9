//===- Classifier.cpp - Pooling, pooler and classification layer ----------===//

#include "Kernels.h"
#include "ThreadPool.h"

#include <algorithm>
#include <vector>

namespace tailor::detail::cpu {

void classifier(const float *x, float *logits, std::int64_t batch,
                std::int64_t seq, std::int64_t hidden, std::int64_t classes,
                const ClassifierWeights &weights, Pooling pooling,
                ThreadPool &pool) {
  if (pooling == Pooling::Token) {
    linear(x, logits, batch * seq, hidden, classes, weights.weight,
           weights.bias, Activation::None, pool);
    return;
  }
  std::vector<float> pooled(batch * hidden, 0.0f);
  for (std::int64_t b = 0; b < batch; ++b) {
    const float *tokens = x + b * seq * hidden;
    float *out = pooled.data() + b * hidden;
    if (pooling == Pooling::Cls) {
      std::copy(tokens, tokens + hidden, out);
      continue;
    }
    for (std::int64_t t = 0; t < seq; ++t)
      for (std::int64_t i = 0; i < hidden; ++i)
        out[i] += tokens[t * hidden + i];
    for (std::int64_t i = 0; i < hidden; ++i)
      out[i] /= static_cast<float>(seq);
  }
  if (weights.poolerWeight) {
    std::vector<float> dense(batch * hidden);
    linear(pooled.data(), dense.data(), batch, hidden, hidden,
           weights.poolerWeight, weights.poolerBias, Activation::Tanh, pool);
    pooled.swap(dense);
  }
  linear(pooled.data(), logits, batch, hidden, classes, weights.weight,
         weights.bias, Activation::None, pool);
}

} // namespace tailor::detail::cpu
