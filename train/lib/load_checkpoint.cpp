//===- load_checkpoint.cpp - A checkpoint back into a model ---------------===//

#include "tailor/train/export.h"

#include "tailor/train/error.h"

namespace tailor::train {

AdaptiveTransformer loadCheckpoint(const std::string &dir) {
  checkpoint::Checkpoint checkpoint = checkpoint::Checkpoint::load(dir);
  AdaptiveTransformer model(checkpoint.config());
  torch::NoGradGuard noGrad;
  // The parameters are named as the checkpoint's canonical tensors (and the
  // loader has checked that the file holds exactly those).
  for (auto &parameter : model->named_parameters()) {
    std::vector<float> values = checkpoint.tensorF32(parameter.key());
    torch::Tensor &target = parameter.value();
    if (static_cast<std::int64_t>(values.size()) != target.numel())
      throw Error(dir + ": tensor " + parameter.key() + " has " +
                  std::to_string(values.size()) + " values, the model " +
                  std::to_string(target.numel()));
    target.copy_(
        torch::from_blob(values.data(), target.sizes(), torch::kFloat));
  }
  model->eval();
  return model;
}

} // namespace tailor::train
