//===- writer.cpp - Aligned safetensors writer ----------------------------===//

#include "detail.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace tailor::safetensors {
namespace {

using nlohmann::json;

/// The 8-byte length and the header together fill a multiple of this, so the
/// data section, and with it the widest tensor, starts cache-line aligned.
constexpr std::size_t headerAlignment = 64;

[[noreturn]] void failAdd(const std::string &name, const std::string &message) {
  throw FormatError("safetensors writer: tensor '" + name + "': " + message);
}

/// Writes all of `bytes`, retrying short writes; false with errno set on
/// failure.
bool writeAll(int fd, const void *bytes, std::size_t size) {
  const auto *cursor = static_cast<const std::uint8_t *>(bytes);
  while (size > 0) {
    ssize_t written = ::write(fd, cursor, size);
    if (written < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    cursor += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

/// A temporary file next to the target, removed unless committed by rename.
class TemporaryFile {
public:
  explicit TemporaryFile(const std::string &target) : target(target) {
    static std::atomic<unsigned> counter{0};
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
      path = target + ".tmp." + std::to_string(::getpid()) + "." +
             std::to_string(counter++);
      fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd < 0 && errno != EEXIST)
        break;
    }
    if (fd < 0)
      fail("create a temporary file " + path);
  }
  TemporaryFile(const TemporaryFile &) = delete;
  TemporaryFile &operator=(const TemporaryFile &) = delete;
  ~TemporaryFile() {
    if (fd >= 0)
      ::close(fd);
    if (!committed)
      ::unlink(path.c_str());
  }

  void write(const void *bytes, std::size_t size) {
    if (!writeAll(fd, bytes, size))
      fail("write " + path);
  }

  void commit() {
    // Flushed before the rename, so a crash leaves the old file or the
    // whole new one, never an empty one under the target's name.
    if (::fsync(fd) != 0)
      fail("flush " + path);
    int status = ::close(fd);
    fd = -1;
    if (status != 0)
      fail("write " + path);
    if (::rename(path.c_str(), target.c_str()) != 0)
      fail("rename " + path + " to " + target);
    committed = true;
  }

private:
  [[noreturn]] void fail(const std::string &action) const {
    throw FormatError(target + ": cannot " + action + ": " +
                      std::strerror(errno));
  }

  std::string target;
  std::string path;
  int fd = -1;
  bool committed = false;
};

} // namespace

void Writer::add(std::string name, DType dtype, std::vector<std::int64_t> shape,
                 const void *bytes, std::size_t numBytes) {
  if (name.empty())
    throw FormatError("safetensors writer: a tensor name is empty");
  if (name == "__metadata__")
    failAdd(name, "the name is reserved for the metadata map");
  for (const Entry &entry : entries)
    if (entry.name == name)
      failAdd(name, "added twice");
  const std::string what = "shape " + detail::formatShape(shape) + " (" +
                           std::string(dtypeName(dtype)) + ")";
  for (std::int64_t dim : shape)
    if (dim < 0)
      failAdd(name, what + " has a negative dimension " + std::to_string(dim));
  std::optional<std::uint64_t> expected = detail::tensorBytes(dtype, shape);
  if (!expected)
    failAdd(name, what + " overflows: its size does not fit in 64 bits");
  if (*expected != numBytes)
    failAdd(name, what + " needs " + std::to_string(*expected) + " bytes, " +
                      std::to_string(numBytes) + " given");
  const auto *first = static_cast<const std::uint8_t *>(bytes);
  entries.push_back({std::move(name), dtype, std::move(shape),
                     numBytes
                         ? std::vector<std::uint8_t>(first, first + numBytes)
                         : std::vector<std::uint8_t>()});
}

void Writer::addFloat32(std::string name, std::vector<std::int64_t> shape,
                        const std::vector<float> &values) {
  add(std::move(name), DType::F32, std::move(shape), values.data(),
      values.size() * sizeof(float));
}

void Writer::addFloats(std::string name, DType dtype,
                       std::vector<std::int64_t> shape,
                       const std::vector<float> &values) {
  if (dtype == DType::F32)
    return addFloat32(std::move(name), std::move(shape), values);
  if (dtype != DType::BF16 && dtype != DType::F16)
    throw FormatError("tensor '" + name + "': floats cannot be stored as " +
                      std::string(dtypeName(dtype)));
  const std::vector<std::uint16_t> bits =
      narrowFloats(values.data(), values.size(), dtype);
  add(std::move(name), dtype, std::move(shape), bits.data(),
      bits.size() * sizeof(std::uint16_t));
}

void Writer::setMetadata(std::string key, std::string value) {
  metadata[std::move(key)] = std::move(value);
}

void Writer::write(const std::string &path) const {
  // Widest dtype first: every tensor then starts at a multiple of its element
  // size, since everything before it is a multiple of a wider one.
  std::vector<const Entry *> order;
  for (const Entry &entry : entries)
    order.push_back(&entry);
  std::sort(order.begin(), order.end(), [](const Entry *a, const Entry *b) {
    std::size_t sizeA = dtypeSize(a->dtype), sizeB = dtypeSize(b->dtype);
    return sizeA != sizeB ? sizeA > sizeB : a->name < b->name;
  });

  json header = json::object();
  if (!metadata.empty())
    header["__metadata__"] = metadata;
  std::uint64_t offset = 0;
  for (const Entry *entry : order) {
    header[entry->name] = {
        {"dtype", dtypeName(entry->dtype)},
        {"shape", entry->shape},
        {"data_offsets", {offset, offset + entry->bytes.size()}}};
    offset += entry->bytes.size();
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const json::exception &error) {
    throw FormatError(path +
                      ": cannot write a header whose names or metadata "
                      "are not valid UTF-8: " +
                      error.what());
  }
  const std::size_t used = (8 + text.size()) % headerAlignment;
  if (used)
    text.append(headerAlignment - used, ' ');

  TemporaryFile file(path);
  const std::uint64_t length = text.size();
  file.write(&length, sizeof length);
  file.write(text.data(), text.size());
  for (const Entry *entry : order)
    file.write(entry->bytes.data(), entry->bytes.size());
  file.commit();
}

} // namespace tailor::safetensors
