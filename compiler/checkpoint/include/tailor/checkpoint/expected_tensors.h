//===- expected_tensors.h - A model's canonical tensors ---------*- C++ -*-===//
#ifndef TAILOR_CHECKPOINT_EXPECTED_TENSORS_H
#define TAILOR_CHECKPOINT_EXPECTED_TENSORS_H

#include "tailor/checkpoint/model_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tailor::checkpoint {

struct TensorSpec {
  std::string name;
  std::vector<std::int64_t> shape;
};

/// Every tensor a checkpoint of `config` holds, with its canonical name and
/// shape (docs/checkpoint-format.md, "Tensor names"), in that table's order:
/// embeddings, layers 0..n-1, final norm, pooler, classifier. An ACM layer
/// (adaptive.acm) has its learners and gate where a dense layer has
/// mlp.up and mlp.down.
std::vector<TensorSpec> expectedTensors(const ModelConfig &config);

} // namespace tailor::checkpoint

#endif // TAILOR_CHECKPOINT_EXPECTED_TENSORS_H
