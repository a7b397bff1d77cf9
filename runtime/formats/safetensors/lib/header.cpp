//===- header.cpp - Validating a safetensors JSON header ------------------===//

#include "header.h"
#include "detail.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <set>

namespace tailor::safetensors::detail {
namespace {

using nlohmann::json;

constexpr std::string_view metadataKey = "__metadata__";

/// A JSON value for an error message: its type, and the value when short.
std::string describe(const json &value) {
  std::string text = value.dump();
  if (text.size() > 40)
    return value.type_name();
  return std::string(value.type_name()) + " " + text;
}

class HeaderParser {
public:
  HeaderParser(const std::string &path, std::uint64_t dataSize)
      : path(path), dataSize(dataSize) {}

  Header parse(std::string_view text) {
    json root = parseJson(text);
    if (!root.is_object())
      fail("header must be a JSON object, got " + describe(root));
    Header header;
    for (const auto &[key, value] : root.items()) {
      if (key == metadataKey)
        header.metadata = parseMetadata(value);
      else
        header.tensors.push_back(parseTensor(key, value));
    }
    checkTiling(header.tensors);
    return header;
  }

private:
  [[noreturn]] void fail(const std::string &message) const {
    throw FormatError(path + ": " + message);
  }
  [[noreturn]] void failTensor(const std::string &name,
                               const std::string &message) const {
    fail("tensor '" + name + "': " + message);
  }

  json parseJson(std::string_view text) const {
    // nlohmann keeps the last of duplicate keys silently; a header that names
    // a tensor twice is ambiguous, so the parse callback catches it.
    std::set<std::string> seen;
    std::string duplicate;
    auto onEvent = [&](int depth, json::parse_event_t event, json &parsed) {
      if (depth == 1 && event == json::parse_event_t::key &&
          !seen.insert(parsed.get<std::string>()).second && duplicate.empty())
        duplicate = parsed.get<std::string>();
      return true;
    };
    json root;
    try {
      root = json::parse(text.begin(), text.end(), onEvent);
    } catch (const json::exception &error) {
      fail("header (" + std::to_string(text.size()) +
           " bytes after the length) is not valid JSON: " + error.what());
    }
    if (!duplicate.empty())
      fail("header names '" + duplicate + "' more than once");
    return root;
  }

  std::map<std::string, std::string> parseMetadata(const json &value) const {
    if (!value.is_object())
      fail("__metadata__ must be an object mapping strings to strings, got " +
           describe(value));
    std::map<std::string, std::string> metadata;
    for (const auto &[key, item] : value.items()) {
      if (!item.is_string())
        fail("__metadata__['" + key + "'] must be a string, got " +
             describe(item));
      metadata.emplace(key, item.get<std::string>());
    }
    return metadata;
  }

  TensorInfo parseTensor(const std::string &name, const json &entry) const {
    if (!entry.is_object())
      failTensor(name, "entry must be an object with dtype, shape and "
                       "data_offsets, got " +
                           describe(entry));
    for (const auto &[key, item] : entry.items())
      if (key != "dtype" && key != "shape" && key != "data_offsets")
        failTensor(name, "unknown key '" + key +
                             "' (an entry has dtype, shape and data_offsets)");
    for (const char *key : {"dtype", "shape", "data_offsets"})
      if (!entry.contains(key))
        failTensor(name, std::string("missing '") + key + "'");

    TensorInfo tensor;
    tensor.name = name;
    tensor.dtype = parseDtype(name, entry.at("dtype"));
    tensor.shape = parseShape(name, entry.at("shape"));
    std::tie(tensor.begin, tensor.end) =
        parseOffsets(name, entry.at("data_offsets"));

    std::optional<std::uint64_t> bytes =
        tensorBytes(tensor.dtype, tensor.shape);
    const std::string what = "shape " + formatShape(tensor.shape) + " (" +
                             std::string(dtypeName(tensor.dtype)) + ")";
    const std::string offsets = "data_offsets [" +
                                std::to_string(tensor.begin) + ", " +
                                std::to_string(tensor.end) + "]";
    if (!bytes)
      failTensor(name, what + " overflows: its size does not fit in 64 bits");
    if (tensor.end > dataSize)
      failTensor(name, offsets +
                           " run past the end of the file (the data section "
                           "holds " +
                           std::to_string(dataSize) + " bytes)");
    if (*bytes != tensor.numBytes())
      failTensor(name, what + " needs " + std::to_string(*bytes) +
                           " bytes but " + offsets + " span " +
                           std::to_string(tensor.numBytes()));
    return tensor;
  }

  DType parseDtype(const std::string &name, const json &value) const {
    if (!value.is_string())
      failTensor(name, "dtype must be a string, got " + describe(value));
    const std::string text = value.get<std::string>();
    std::optional<DType> dtype = dtypeFromName(text);
    if (!dtype)
      failTensor(name, "unknown dtype '" + text +
                           "' (known: " + knownDtypeNames() + ")");
    return *dtype;
  }

  std::vector<std::int64_t> parseShape(const std::string &name,
                                       const json &value) const {
    if (!value.is_array())
      failTensor(name,
                 "shape must be an array of integers, got " + describe(value));
    std::vector<std::int64_t> shape;
    for (const json &dim : value) {
      if (!dim.is_number_integer())
        failTensor(name, "shape " + value.dump() + " must hold integers, got " +
                             describe(dim));
      if (dim.is_number_unsigned() &&
          dim.get<std::uint64_t>() >
              static_cast<std::uint64_t>(
                  std::numeric_limits<std::int64_t>::max()))
        failTensor(name, "shape " + value.dump() + " has dimension " +
                             dim.dump() + ", larger than 2^63 - 1");
      if (dim.get<std::int64_t>() < 0)
        failTensor(name, "shape " + value.dump() +
                             " has a negative dimension " + dim.dump());
      shape.push_back(dim.get<std::int64_t>());
    }
    return shape;
  }

  std::pair<std::uint64_t, std::uint64_t>
  parseOffsets(const std::string &name, const json &value) const {
    auto isOffset = [](const json &item) {
      return item.is_number_unsigned() ||
             (item.is_number_integer() && item.get<std::int64_t>() >= 0);
    };
    if (!value.is_array() || value.size() != 2 || !isOffset(value[0]) ||
        !isOffset(value[1]))
      failTensor(name, "data_offsets must be two non-negative integers "
                       "[begin, end], got " +
                           describe(value));
    auto begin = value[0].get<std::uint64_t>();
    auto end = value[1].get<std::uint64_t>();
    if (end < begin)
      failTensor(name, "data_offsets [" + std::to_string(begin) + ", " +
                           std::to_string(end) + "] end before they begin");
    return {begin, end};
  }

  /// The ranges, sorted, must cover [0, dataSize) with no overlap and no hole.
  void checkTiling(std::vector<TensorInfo> &tensors) const {
    std::sort(tensors.begin(), tensors.end(),
              [](const TensorInfo &a, const TensorInfo &b) {
                return std::tie(a.begin, a.end, a.name) <
                       std::tie(b.begin, b.end, b.name);
              });
    std::uint64_t covered = 0;
    const TensorInfo *previous = nullptr;
    for (const TensorInfo &tensor : tensors) {
      if (tensor.begin < covered)
        fail("tensors '" + previous->name + "' (data_offsets [" +
             std::to_string(previous->begin) + ", " +
             std::to_string(previous->end) + "]) and '" + tensor.name +
             "' (data_offsets [" + std::to_string(tensor.begin) + ", " +
             std::to_string(tensor.end) + "]) overlap");
      if (tensor.begin > covered)
        fail("hole of " + std::to_string(tensor.begin - covered) +
             " bytes in the data section " +
             (previous ? "between tensor '" + previous->name + "' (ends at " +
                             std::to_string(covered) + ")"
                       : std::string("at its start")) +
             " and tensor '" + tensor.name + "' (begins at " +
             std::to_string(tensor.begin) + ")");
      covered = tensor.end;
      previous = &tensor;
    }
    if (covered < dataSize)
      fail(std::to_string(dataSize - covered) +
           " bytes at the end of the data section (from offset " +
           std::to_string(covered) + ") belong to no tensor");
  }

  const std::string &path;
  std::uint64_t dataSize;
};

} // namespace

Header parseHeader(const std::string &path, std::string_view text,
                   std::uint64_t dataSize) {
  return HeaderParser(path, dataSize).parse(text);
}

} // namespace tailor::safetensors::detail
