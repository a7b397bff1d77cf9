//===- ArtifactCopy.cpp - Artifacts edited tensor by tensor ---------------===//

#include "ArtifactCopy.h"

namespace tailor::testing {

void copyArtifact(const std::string &from, const std::string &to,
                  const KeepTensor &keep) {
  safetensors::File file = safetensors::File::open(from);
  safetensors::Writer writer;
  for (const safetensors::TensorInfo &tensor : file.tensors()) {
    std::vector<std::uint8_t> bytes(file.data(tensor),
                                    file.data(tensor) + tensor.numBytes());
    if (!keep(tensor, bytes))
      continue;
    std::vector<std::int64_t> shape = tensor.shape;
    if (tensor.dtype == safetensors::DType::U8)
      shape = {static_cast<std::int64_t>(bytes.size())};
    writer.add(tensor.name, tensor.dtype, shape, bytes.data(), bytes.size());
  }
  for (const auto &[key, value] : file.metadata())
    writer.setMetadata(key, value);
  writer.write(to);
}

} // namespace tailor::testing
