//===- tool_support.h - What tailor-train's commands share ------*- C++ -*-===//
#ifndef TAILOR_TRAIN_TOOLS_TOOL_SUPPORT_H
#define TAILOR_TRAIN_TOOLS_TOOL_SUPPORT_H

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <string>

namespace tailor::train {

/// "cpu" or "cuda[:N]"; throws Error for another name, or for CUDA when this
/// LibTorch sees no CUDA device.
torch::Device parseDevice(const std::string &name);

/// Writes `value` to `path` (indented); throws Error when it cannot.
void writeJson(const std::string &path, const nlohmann::json &value);

} // namespace tailor::train

#endif // TAILOR_TRAIN_TOOLS_TOOL_SUPPORT_H
