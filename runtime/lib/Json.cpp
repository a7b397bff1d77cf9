//===- Json.cpp - Reading the manifest with its place in the errors -------===//

#include "Json.h"

#include <limits>

namespace tailor::detail {

void JsonNode::fail(const std::string &what) const {
  throw ArtifactError(where + ": " + what);
}

void JsonNode::expect(bool matches, std::string_view expected) const {
  if (!matches)
    fail("expected " + std::string(expected) + ", got " +
         std::string(value->type_name()) + " " + value->dump());
}

JsonNode JsonNode::field(std::string_view key) const {
  std::optional<JsonNode> member = optionalField(key);
  if (!member)
    fail("missing required field '" + std::string(key) + "'");
  return *member;
}

std::optional<JsonNode> JsonNode::optionalField(std::string_view key) const {
  expect(value->is_object(), "an object");
  auto it = value->find(key);
  if (it == value->end())
    return std::nullopt;
  return JsonNode(*it, where + "." + std::string(key));
}

std::vector<JsonNode> JsonNode::elements() const {
  expect(value->is_array(), "an array");
  std::vector<JsonNode> result;
  for (std::size_t i = 0; i < value->size(); ++i)
    result.emplace_back((*value)[i], where + "[" + std::to_string(i) + "]");
  return result;
}

std::vector<std::pair<std::string, JsonNode>> JsonNode::members() const {
  expect(value->is_object(), "an object");
  std::vector<std::pair<std::string, JsonNode>> result;
  for (auto it = value->begin(); it != value->end(); ++it)
    result.emplace_back(it.key(), JsonNode(it.value(), where + "." + it.key()));
  return result;
}

std::string JsonNode::asString() const {
  expect(value->is_string(), "a string");
  return value->get<std::string>();
}

std::int64_t JsonNode::asInt() const {
  expect(value->is_number_integer(), "an integer");
  if (value->is_number_unsigned() &&
      value->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    fail("integer " + value->dump() + " is too large");
  return value->get<std::int64_t>();
}

double JsonNode::asNumber() const {
  expect(value->is_number(), "a number");
  return value->get<double>();
}

bool JsonNode::asBool() const {
  expect(value->is_boolean(), "a boolean");
  return value->get<bool>();
}

std::vector<std::int64_t> JsonNode::asIntArray() const {
  std::vector<std::int64_t> result;
  for (const JsonNode &element : elements())
    result.push_back(element.asInt());
  return result;
}

} // namespace tailor::detail
