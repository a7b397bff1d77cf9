//===- dataset.cpp - Labelled examples held in memory ---------------------===//

#include "tailor/train/dataset.h"

namespace tailor::train {

Dataset Dataset::batch(const torch::Tensor &indices) const {
  Dataset picked{inputs.index_select(0, indices),
                 labels.index_select(0, indices)};
  if (!picked.isText() || picked.size() == 0)
    return picked;
  std::int64_t longest =
      picked.inputs.ne(Vocabulary::kPadId).sum(1).max().item<std::int64_t>();
  picked.inputs = picked.inputs.slice(1, 0, longest);
  if (picked.labels.dim() == 2)
    picked.labels = picked.labels.slice(1, 0, longest);
  return picked;
}

Dataset Dataset::head(std::int64_t count) const {
  if (count >= size())
    return *this;
  return Dataset{inputs.slice(0, 0, count), labels.slice(0, 0, count)};
}

} // namespace tailor::train
