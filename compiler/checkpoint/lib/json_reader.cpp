//===- json_reader.cpp - Typed JSON fields with located errors ------------===//

#include "json_reader.h"

#include "tailor/checkpoint/error.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

namespace tailor::checkpoint::detail {

using nlohmann::json;

std::string describeJson(const json &value) {
  std::string text = value.dump();
  if (text.size() > 40)
    return value.type_name();
  return std::string(value.type_name()) + " " + text;
}

ObjectReader::ObjectReader(const json &object, std::string where,
                           std::string path)
    : node(&object), where(std::move(where)), path(std::move(path)) {
  if (!object.is_object())
    throw CheckpointError(
        this->where + ": " + (this->path.empty() ? "" : this->path + ": ") +
        "expected a JSON object, got " + describeJson(object));
}

bool ObjectReader::has(std::string_view key) const {
  return node->contains(key);
}

std::string ObjectReader::keyPath(std::string_view key) const {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

void ObjectReader::fail(std::string_view key,
                        const std::string &message) const {
  throw CheckpointError(where + ": " + keyPath(key) + ": " + message);
}

const json &ObjectReader::value(std::string_view key) const {
  auto it = node->find(key);
  if (it == node->end())
    throw CheckpointError(where + ": " + (path.empty() ? "" : path + ": ") +
                          "missing key '" + std::string(key) + "'");
  return *it;
}

std::int64_t ObjectReader::integer(std::string_view key) const {
  const nlohmann::json &item = value(key);
  if (!item.is_number_integer())
    fail(key, "expected an integer, got " + describeJson(item));
  if (item.is_number_unsigned() &&
      item.get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    fail(key, item.dump() + " is too large (more than 2^63 - 1)");
  return item.get<std::int64_t>();
}

double ObjectReader::number(std::string_view key) const {
  const nlohmann::json &item = value(key);
  if (!item.is_number())
    fail(key, "expected a number, got " + describeJson(item));
  return item.get<double>();
}

bool ObjectReader::boolean(std::string_view key) const {
  const nlohmann::json &item = value(key);
  if (!item.is_boolean())
    fail(key, "expected true or false, got " + describeJson(item));
  return item.get<bool>();
}

std::string ObjectReader::string(std::string_view key) const {
  const nlohmann::json &item = value(key);
  if (!item.is_string())
    fail(key, "expected a string, got " + describeJson(item));
  return item.get<std::string>();
}

std::vector<std::int64_t> ObjectReader::integers(std::string_view key) const {
  const nlohmann::json &item = value(key);
  if (!item.is_array())
    fail(key, "expected an array of integers, got " + describeJson(item));
  std::vector<std::int64_t> values;
  for (std::size_t i = 0; i < item.size(); ++i) {
    const nlohmann::json &element = item[i];
    if (!element.is_number_integer() ||
        (element.is_number_unsigned() &&
         element.get<std::uint64_t>() >
             static_cast<std::uint64_t>(
                 std::numeric_limits<std::int64_t>::max())))
      fail(key, "element " + std::to_string(i) +
                    " is not a 64-bit integer: " + describeJson(element));
    values.push_back(element.get<std::int64_t>());
  }
  return values;
}

ObjectReader ObjectReader::object(std::string_view key) const {
  return ObjectReader(value(key), where, keyPath(key));
}

std::vector<ObjectReader> ObjectReader::objects(std::string_view key) const {
  const nlohmann::json &item = value(key);
  if (!item.is_array())
    fail(key, "expected an array of objects, got " + describeJson(item));
  std::vector<ObjectReader> readers;
  for (std::size_t i = 0; i < item.size(); ++i)
    readers.emplace_back(item[i], where,
                         keyPath(key) + "[" + std::to_string(i) + "]");
  return readers;
}

void ObjectReader::allowOnly(
    std::initializer_list<std::string_view> known) const {
  for (const auto &item : node->items()) {
    bool isKnown = false;
    for (std::string_view name : known)
      isKnown = isKnown || item.key() == name;
    if (isKnown)
      continue;
    std::string list;
    for (std::string_view name : known)
      list += (list.empty() ? "" : ", ") + std::string(name);
    fail(item.key(), "unknown key (expected one of: " + list + ")");
  }
}

json readJsonFile(const std::string &path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream)
    throw CheckpointError(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream text;
  text << stream.rdbuf();
  if (stream.bad())
    throw CheckpointError(path + ": cannot read: " + std::strerror(errno));
  try {
    return json::parse(text.str());
  } catch (const json::exception &error) {
    throw CheckpointError(path + ": not valid JSON: " + error.what());
  }
}

} // namespace tailor::checkpoint::detail
