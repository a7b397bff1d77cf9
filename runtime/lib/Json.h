//===- Json.h - Reading the manifest with its place in the errors -*- C++
//-*-===//
//
// The manifest is read through JsonNode, which knows where each value sits
// ("variants[1] ('b0.50').steps[3] (linear).attrs.heads") so that every
// error names the variant, step and field that was wrong.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_RUNTIME_JSON_H
#define TAILOR_RUNTIME_JSON_H

#include "Format.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tailor::detail {

/// A broken artifact: thrown while loading, turned into a Status at the API.
class ArtifactError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class JsonNode {
public:
  JsonNode(const nlohmann::json &value, std::string path)
      : value(&value), where(std::move(path)) {}

  const std::string &path() const { return where; }
  const nlohmann::json &json() const { return *value; }

  /// Throws ArtifactError "<path>: <what>".
  [[noreturn]] void fail(const std::string &what) const;

  /// A required member of an object.
  JsonNode field(std::string_view key) const;
  std::optional<JsonNode> optionalField(std::string_view key) const;
  /// The elements of an array.
  std::vector<JsonNode> elements() const;
  /// The members of an object, in key order.
  std::vector<std::pair<std::string, JsonNode>> members() const;

  std::string asString() const;
  std::int64_t asInt() const;
  double asNumber() const;
  bool asBool() const;
  std::vector<std::int64_t> asIntArray() const;

private:
  void expect(bool matches, std::string_view expected) const;

  const nlohmann::json *value;
  std::string where;
};

} // namespace tailor::detail

#endif // TAILOR_RUNTIME_JSON_H
