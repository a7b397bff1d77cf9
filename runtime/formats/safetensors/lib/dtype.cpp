//===- dtype.cpp - Dtype names, sizes and shape arithmetic ----------------===//

#include "detail.h"

#include <array>
#include <limits>

namespace tailor::safetensors {
namespace {

struct DTypeEntry {
  DType dtype;
  std::string_view name;
  std::size_t size;
};

// Widest first: the writer's layout order, and the order errors list them.
constexpr std::array<DTypeEntry, 10> dtypeTable = {{
    {DType::F64, "F64", 8},
    {DType::I64, "I64", 8},
    {DType::F32, "F32", 4},
    {DType::I32, "I32", 4},
    {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2},
    {DType::I16, "I16", 2},
    {DType::I8, "I8", 1},
    {DType::U8, "U8", 1},
    {DType::BOOL, "BOOL", 1},
}};

const DTypeEntry &entryOf(DType dtype) {
  for (const DTypeEntry &entry : dtypeTable)
    if (entry.dtype == dtype)
      return entry;
  throw FormatError("safetensors: invalid DType value " +
                    std::to_string(static_cast<int>(dtype)));
}

} // namespace

std::string_view dtypeName(DType dtype) { return entryOf(dtype).name; }

std::size_t dtypeSize(DType dtype) { return entryOf(dtype).size; }

std::int64_t TensorInfo::numElements() const {
  std::uint64_t elements = 1;
  for (std::int64_t dim : shape)
    if (dim < 0 ||
        __builtin_mul_overflow(elements, static_cast<std::uint64_t>(dim),
                               &elements) ||
        elements > static_cast<std::uint64_t>(
                       std::numeric_limits<std::int64_t>::max()))
      throw FormatError("tensor '" + name + "': shape " +
                        detail::formatShape(shape) +
                        " has no valid element count");
  return static_cast<std::int64_t>(elements);
}

namespace detail {

std::optional<DType> dtypeFromName(std::string_view name) {
  for (const DTypeEntry &entry : dtypeTable)
    if (entry.name == name)
      return entry.dtype;
  return std::nullopt;
}

std::string knownDtypeNames() {
  std::string names;
  for (const DTypeEntry &entry : dtypeTable)
    names += (names.empty() ? "" : ", ") + std::string(entry.name);
  return names;
}

std::string formatShape(const std::vector<std::int64_t> &shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

std::optional<std::uint64_t>
tensorBytes(DType dtype, const std::vector<std::int64_t> &shape) {
  std::uint64_t bytes = dtypeSize(dtype);
  for (std::int64_t dim : shape)
    if (__builtin_mul_overflow(bytes, static_cast<std::uint64_t>(dim), &bytes))
      return std::nullopt;
  return bytes;
}

} // namespace detail
} // namespace tailor::safetensors
