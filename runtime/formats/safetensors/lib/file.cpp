//===- file.cpp - Memory-mapped safetensors reader ------------------------===//

#include "detail.h"
#include "header.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "safetensors data is little-endian and is read in place");

namespace tailor::safetensors {
namespace {

constexpr std::uint64_t lengthBytes = 8;

/// Closes the descriptor when opening fails half way.
class Descriptor {
public:
  explicit Descriptor(int fd) : fd(fd) {}
  Descriptor(const Descriptor &) = delete;
  Descriptor &operator=(const Descriptor &) = delete;
  ~Descriptor() {
    if (fd >= 0)
      ::close(fd);
  }
  int get() const { return fd; }

private:
  int fd;
};

[[noreturn]] void failSystem(const std::string &path, const char *action) {
  throw FormatError(path + ": cannot " + action + ": " + std::strerror(errno));
}

} // namespace

struct File::Impl {
  std::string path;
  const std::uint8_t *mapping = nullptr;
  std::size_t mappingSize = 0;
  std::uint64_t dataOffset = 0;
  std::vector<TensorInfo> tensors;
  std::map<std::string, std::size_t, std::less<>> byName;
  std::map<std::string, std::string> metadata;

  ~Impl() {
    if (mapping)
      ::munmap(const_cast<std::uint8_t *>(mapping), mappingSize);
  }
};

File::File(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
File::File(File &&) noexcept = default;
File &File::operator=(File &&) noexcept = default;
File::~File() = default;

File File::open(const std::string &path) {
  Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0)
    failSystem(path, "open");
  struct stat status;
  if (::fstat(fd.get(), &status) != 0)
    failSystem(path, "stat");
  if (!S_ISREG(status.st_mode))
    throw FormatError(path + ": not a regular file");
  const auto size = static_cast<std::uint64_t>(status.st_size);
  if (size == 0)
    throw FormatError(path + ": file is empty (a safetensors file starts "
                             "with an 8-byte header length)");
  if (size < lengthBytes)
    throw FormatError(path + ": file is " + std::to_string(size) +
                      " bytes, too short for the 8-byte header length");

  auto impl = std::make_unique<Impl>();
  impl->path = path;
  void *mapping = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (mapping == MAP_FAILED)
    failSystem(path, "map");
  impl->mapping = static_cast<const std::uint8_t *>(mapping);
  impl->mappingSize = size;

  std::uint64_t headerLength;
  std::memcpy(&headerLength, impl->mapping, lengthBytes);
  if (headerLength > size - lengthBytes)
    throw FormatError(path + ": header length " + std::to_string(headerLength) +
                      " runs past the end of the file (" +
                      std::to_string(size) + " bytes, so at most " +
                      std::to_string(size - lengthBytes) + " bytes of header)");
  impl->dataOffset = lengthBytes + headerLength;
  detail::Header header = detail::parseHeader(
      path,
      std::string_view(reinterpret_cast<const char *>(impl->mapping) +
                           lengthBytes,
                       headerLength),
      size - impl->dataOffset);
  impl->tensors = std::move(header.tensors);
  impl->metadata = std::move(header.metadata);
  for (std::size_t i = 0; i < impl->tensors.size(); ++i)
    impl->byName.emplace(impl->tensors[i].name, i);
  return File(std::move(impl));
}

const std::string &File::path() const { return impl->path; }

const std::vector<TensorInfo> &File::tensors() const { return impl->tensors; }

const TensorInfo *File::find(std::string_view name) const {
  auto it = impl->byName.find(name);
  return it == impl->byName.end() ? nullptr : &impl->tensors[it->second];
}

const TensorInfo &File::get(std::string_view name) const {
  if (const TensorInfo *tensor = find(name))
    return *tensor;
  throw FormatError(impl->path + ": no tensor '" + std::string(name) + "'");
}

const std::uint8_t *File::data(const TensorInfo &tensor) const {
  // A TensorInfo of another file would point outside this mapping.
  const TensorInfo &own = get(tensor.name);
  if (own.begin != tensor.begin || own.end != tensor.end)
    throw FormatError(impl->path + ": tensor '" + tensor.name +
                      "' does not describe this file's tensor of that name");
  return impl->mapping + impl->dataOffset + own.begin;
}

std::vector<float> File::toFloat32(const TensorInfo &tensor) const {
  const std::uint8_t *bytes = data(tensor);
  const auto count = static_cast<std::size_t>(tensor.numElements());
  std::vector<float> values(count);
  // memcpy per element: files from other writers need not be aligned.
  auto convert = [&](auto element, auto toFloat) {
    for (std::size_t i = 0; i < count; ++i) {
      std::memcpy(&element, bytes + i * sizeof element, sizeof element);
      values[i] = toFloat(element);
    }
  };
  switch (tensor.dtype) {
  case DType::F32:
    if (count)
      std::memcpy(values.data(), bytes, count * sizeof(float));
    break;
  case DType::F64:
    convert(double(), [](double v) { return static_cast<float>(v); });
    break;
  case DType::F16:
    convert(std::uint16_t(), detail::halfToFloat);
    break;
  case DType::BF16:
    convert(std::uint16_t(), detail::bfloat16ToFloat);
    break;
  default:
    throw FormatError(impl->path + ": tensor '" + tensor.name + "' is " +
                      std::string(dtypeName(tensor.dtype)) +
                      ", not a floating-point dtype (F32, F16, BF16, F64) "
                      "that converts to f32");
  }
  return values;
}

const std::map<std::string, std::string> &File::metadata() const {
  return impl->metadata;
}

std::uint64_t File::dataOffset() const { return impl->dataOffset; }

} // namespace tailor::safetensors
