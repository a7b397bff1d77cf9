//===- header.h - Validating a safetensors JSON header --------------------===//
#ifndef TAILOR_SAFETENSORS_LIB_HEADER_H
#define TAILOR_SAFETENSORS_LIB_HEADER_H

#include "tailor/safetensors/safetensors.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tailor::safetensors::detail {

struct Header {
  /// In the order of their byte ranges.
  std::vector<TensorInfo> tensors;
  std::map<std::string, std::string> metadata;
};

/// Parses and checks the JSON header `text` of the file `path` whose data
/// section holds `dataSize` bytes: every entry well typed, every dtype known,
/// every byte range the size of its shape, and the ranges tiling the data
/// section exactly. Throws FormatError naming `path` and the culprit.
Header parseHeader(const std::string &path, std::string_view text,
                   std::uint64_t dataSize);

} // namespace tailor::safetensors::detail

#endif // TAILOR_SAFETENSORS_LIB_HEADER_H
