//===- tool_support.cpp - What tailor-train's commands share --------------===//

#include "tool_support.h"

#include "tailor/train/error.h"

#include <fstream>
#include <optional>

namespace tailor::train {

torch::Device parseDevice(const std::string &name) {
  std::optional<torch::Device> device;
  try {
    device.emplace(name);
  } catch (const c10::Error &) {
  }
  if (!device || !(device->is_cpu() || device->is_cuda()))
    throw Error("--device '" + name + "': expected cpu or cuda[:N]");
  if (device->is_cuda() && !torch::cuda::is_available())
    throw Error("--device " + name +
                ": this LibTorch sees no CUDA device (Debian's LibTorch is "
                "built for the CPU only)");
  return *device;
}

void writeJson(const std::string &path, const nlohmann::json &value) {
  std::ofstream out(path);
  out << value.dump(2) << '\n';
  if (!out)
    throw Error(path + ": cannot write");
}

} // namespace tailor::train
