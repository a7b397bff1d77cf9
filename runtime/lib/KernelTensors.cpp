//===- KernelTensors.cpp - Checking an artifact's compiled kernels --------===//

#include "KernelTensors.h"

#include "Format.h"
#include "Json.h"
#include "tailor/runtime.h"
#include "tailor/safetensors/safetensors.h"

#include <cstring>

namespace tailor::detail {
namespace {

constexpr std::uint16_t kMachineCuda = 190; // EM_CUDA
constexpr std::uint32_t kSectionNoBits = 8; // SHT_NOBITS: no bytes in the file

template <typename T> T readAt(const std::uint8_t *bytes, std::uint64_t at) {
  T value;
  std::memcpy(&value, bytes + at, sizeof value);
  return value;
}

/// Why `bytes` is not a cubin, or empty.
std::string cubinProblem(const std::uint8_t *bytes, std::uint64_t size) {
  constexpr std::uint64_t headerSize = 64, sectionHeaderSize = 64;
  const std::uint8_t magic[] = {0x7f, 'E', 'L', 'F'};
  if (size < headerSize || std::memcmp(bytes, magic, sizeof magic) != 0)
    return "not an ELF file";
  if (bytes[4] != 2 || bytes[5] != 1)
    return "not a 64-bit little-endian ELF file";
  if (readAt<std::uint16_t>(bytes, 18) != kMachineCuda)
    return "an ELF file for machine " +
           std::to_string(readAt<std::uint16_t>(bytes, 18)) +
           ", not for CUDA (190)";
  auto inside = [size](std::uint64_t offset, std::uint64_t length) {
    return offset <= size && length <= size - offset;
  };
  const auto programOffset = readAt<std::uint64_t>(bytes, 32);
  const auto sectionOffset = readAt<std::uint64_t>(bytes, 40);
  const auto programEntry = readAt<std::uint16_t>(bytes, 54);
  const auto programs = readAt<std::uint16_t>(bytes, 56);
  const auto sectionEntry = readAt<std::uint16_t>(bytes, 58);
  const auto sections = readAt<std::uint16_t>(bytes, 60);
  if (!inside(programOffset, std::uint64_t(programEntry) * programs) ||
      !inside(sectionOffset, std::uint64_t(sectionEntry) * sections))
    return "truncated (its header tables end past its " + std::to_string(size) +
           " bytes)";
  if (sections > 0 && sectionEntry < sectionHeaderSize)
    return "malformed (section headers of " + std::to_string(sectionEntry) +
           " bytes)";
  for (std::uint16_t i = 0; i < sections; ++i) {
    const std::uint8_t *header = bytes + sectionOffset + i * sectionEntry;
    if (readAt<std::uint32_t>(header, 4) == kSectionNoBits)
      continue;
    if (!inside(readAt<std::uint64_t>(header, 24),
                readAt<std::uint64_t>(header, 32)))
      return "truncated (section " + std::to_string(i) + " ends past its " +
             std::to_string(size) + " bytes)";
  }
  return {};
}

} // namespace

void checkKernelTensors(const safetensors::File &file) {
  for (const safetensors::TensorInfo &tensor : file.tensors()) {
    if (tensor.name.rfind("kernel.", 0) != 0)
      continue;
    const std::string what = "tensor '" + tensor.name + "'";
    if (tensor.dtype != safetensors::DType::U8 || tensor.shape.size() != 1)
      throw ArtifactError(
          what + " is " + std::string(safetensors::dtypeName(tensor.dtype)) +
          " " + formatShape(tensor.shape) +
          "; a kernel tensor is U8 [bytes] (CUDA source or cubin)");
    const std::size_t cubin = tensor.name.find(".cubin.", 7);
    const bool source =
        tensor.name.size() > 10 &&
        tensor.name.compare(tensor.name.size() - 3, 3, ".cu") == 0;
    if (cubin == std::string::npos && !source)
      throw ArtifactError(what + ": a kernel tensor is named kernel.<name>.cu "
                                 "or kernel.<name>.cubin.<arch>");
    if (cubin == std::string::npos)
      continue;
    std::string problem = cubinProblem(file.data(tensor), tensor.numBytes());
    if (!problem.empty())
      throw ArtifactError(what + " is not a cubin: " + problem);
  }
}

} // namespace tailor::detail
