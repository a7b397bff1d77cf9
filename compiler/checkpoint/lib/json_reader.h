//===- json_reader.h - Typed JSON fields with located errors --------------===//
//
// Reads the fields of one JSON object (of model.json or config.json) and
// throws CheckpointError naming the file, the key path and what was wrong:
// "run/model.json: architecture.hidden: expected an integer, got string "96"".
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_CHECKPOINT_LIB_JSON_READER_H
#define TAILOR_CHECKPOINT_LIB_JSON_READER_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace tailor::checkpoint::detail {

/// A JSON value for an error message: its type, and the value when short.
std::string describeJson(const nlohmann::json &value);

class ObjectReader {
public:
  /// `object` sits at `path` ("" for the root, "architecture",
  /// "adaptive.length_configs[1]") of the file `where`; throws unless it is
  /// an object.
  ObjectReader(const nlohmann::json &object, std::string where,
               std::string path);

  bool has(std::string_view key) const;
  std::int64_t integer(std::string_view key) const;
  double number(std::string_view key) const;
  bool boolean(std::string_view key) const;
  std::string string(std::string_view key) const;
  std::vector<std::int64_t> integers(std::string_view key) const;
  ObjectReader object(std::string_view key) const;
  /// The elements of an array of objects.
  std::vector<ObjectReader> objects(std::string_view key) const;
  /// The raw value of a key that must be present.
  const nlohmann::json &value(std::string_view key) const;

  /// Throws on a key not in `known`: a misspelt optional key would otherwise
  /// be ignored silently.
  void allowOnly(std::initializer_list<std::string_view> known) const;

  /// "architecture.hidden".
  std::string keyPath(std::string_view key) const;
  /// Throws "<where>: <key path>: <message>".
  [[noreturn]] void fail(std::string_view key,
                         const std::string &message) const;
  const std::string &file() const { return where; }

private:
  const nlohmann::json *node;
  std::string where;
  std::string path;
};

/// Reads and parses a JSON file; throws CheckpointError when it cannot be
/// read or is not JSON.
nlohmann::json readJsonFile(const std::string &path);

} // namespace tailor::checkpoint::detail

#endif // TAILOR_CHECKPOINT_LIB_JSON_READER_H
