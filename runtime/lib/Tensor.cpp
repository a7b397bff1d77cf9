//===- Tensor.cpp - Dtypes and host tensors -------------------------------===//

#include "Format.h"
#include "Manifest.h"
#include "Memory.h"
#include "tailor/runtime.h"

#include <limits>
#include <new>

namespace tailor {

std::string_view dtypeName(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "f32";
  case DType::I32:
    return "i32";
  case DType::U8:
    return "u8";
  }
  return "?";
}

std::size_t dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::U8:
    return 1;
  }
  return 1;
}

std::optional<DType> detail::parseDType(std::string_view name) {
  for (DType dtype : {DType::F32, DType::I32, DType::U8})
    if (dtypeName(dtype) == name)
      return dtype;
  return std::nullopt;
}

Result<Tensor> Tensor::allocate(DType dtype, std::vector<std::int64_t> shape) {
  std::uint64_t elements = 1;
  for (std::int64_t dim : shape) {
    if (dim < 0)
      return Status::error("cannot make a tensor of shape " +
                           formatShape(shape) + ": negative dimension");
    if (dim != 0 && elements > std::numeric_limits<std::uint64_t>::max() /
                                   dtypeSize(dtype) / dim)
      return Status::error("cannot make a tensor of shape " +
                           formatShape(shape) + ": too large");
    elements *= dim;
  }
  std::uint64_t bytes = elements * dtypeSize(dtype);
  Status fits =
      detail::checkAllocation(bytes, "a tensor of shape " + formatShape(shape));
  if (!fits.ok())
    return fits;
  Tensor tensor;
  tensor.type = dtype;
  tensor.dims = std::move(shape);
  try {
    tensor.bytes.resize(bytes);
  } catch (const std::exception &) {
    return Status::error("cannot allocate " + std::to_string(bytes) +
                         " bytes for a tensor of shape " +
                         formatShape(tensor.dims));
  }
  return tensor;
}

std::int64_t Tensor::numElements() const {
  return static_cast<std::int64_t>(bytes.size() / dtypeSize(type));
}

} // namespace tailor
