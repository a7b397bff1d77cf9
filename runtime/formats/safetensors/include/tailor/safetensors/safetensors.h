//===- safetensors.h - Strict safetensors reader and writer -----*- C++ -*-===//
//
// The one implementation of the safetensors format in Tailor: the trainer
// writes checkpoints with it, the importer reads checkpoints with it, the
// compiler writes artifacts with it and the runtime maps artifacts with it.
// It depends on nothing but the C++ standard library and nlohmann-json.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_SAFETENSORS_SAFETENSORS_H
#define TAILOR_SAFETENSORS_SAFETENSORS_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tailor::safetensors {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL };

/// A float rounded to the nearest bfloat16 or IEEE half, ties to even (as
/// the GPU's cvt.rn does): the bit pattern. NaN stays NaN; overflow gives
/// infinity.
std::uint16_t floatToBfloat16(float value);
std::uint16_t floatToHalf(float value);
/// `count` floats as `dtype` (BF16 or F16) bit patterns, each rounded as
/// above; throws FormatError for any other dtype.
std::vector<std::uint16_t> narrowFloats(const float *values, std::size_t count,
                                        DType dtype);

/// The format's name for a dtype ("F32", "BF16", ...).
std::string_view dtypeName(DType dtype);
/// Size of one element in bytes.
std::size_t dtypeSize(DType dtype);

/// Every malformed file, and every misuse of the API, throws this. The
/// message names the file and says what was wrong and where (which tensor,
/// which byte range).
class FormatError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct TensorInfo {
  std::string name;
  DType dtype;
  std::vector<std::int64_t> shape;
  /// Byte range [begin, end) relative to the start of the data section.
  std::uint64_t begin = 0;
  std::uint64_t end = 0;

  std::int64_t numElements() const;
  std::uint64_t numBytes() const { return end - begin; }
};

/// A safetensors file mapped read-only into memory. Opening validates the
/// whole header: its length against the file, the JSON, every dtype, that
/// shape times dtype size equals each byte range, and that the ranges tile
/// the data section exactly (no overlap, no hole, nothing past the end).
class File {
public:
  /// Maps and validates `path`; throws FormatError.
  static File open(const std::string &path);

  File(File &&) noexcept;
  File &operator=(File &&) noexcept;
  ~File();

  const std::string &path() const;
  /// Tensors in the order of their byte ranges.
  const std::vector<TensorInfo> &tensors() const;
  /// nullptr when there is no tensor of that name.
  const TensorInfo *find(std::string_view name) const;
  /// Throws FormatError naming the file and the missing tensor.
  const TensorInfo &get(std::string_view name) const;
  /// The tensor's bytes inside the mapping (valid while the File lives).
  const std::uint8_t *data(const TensorInfo &tensor) const;
  /// The tensor converted to f32 (from F32, F16, BF16 or F64); throws
  /// FormatError for other dtypes.
  std::vector<float> toFloat32(const TensorInfo &tensor) const;
  /// The `__metadata__` string map (empty when the header has none).
  const std::map<std::string, std::string> &metadata() const;
  /// Offset of the data section from the start of the file.
  std::uint64_t dataOffset() const;

private:
  struct Impl;
  explicit File(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

/// Builds a safetensors file. Tensors are laid out widest dtype first and the
/// header is padded to 64 bytes, so every tensor is aligned to its element
/// size in the file and in a mapping of it, with no holes between tensors.
class Writer {
public:
  /// Copies `bytes` (which must equal shape times dtype size); throws
  /// FormatError on a duplicate name or a size mismatch.
  void add(std::string name, DType dtype, std::vector<std::int64_t> shape,
           const void *bytes, std::size_t numBytes);
  void addFloat32(std::string name, std::vector<std::int64_t> shape,
                  const std::vector<float> &values);
  /// `values` stored as `dtype`: F32, or BF16 or F16 rounded to nearest
  /// even (floatToBfloat16, floatToHalf).
  void addFloats(std::string name, DType dtype, std::vector<std::int64_t> shape,
                 const std::vector<float> &values);
  void setMetadata(std::string key, std::string value);
  /// Writes to `path` through a temporary file renamed into place, so a
  /// failed write never leaves a partial file; throws FormatError.
  void write(const std::string &path) const;

private:
  struct Entry {
    std::string name;
    DType dtype;
    std::vector<std::int64_t> shape;
    std::vector<std::uint8_t> bytes;
  };
  std::vector<Entry> entries;
  std::map<std::string, std::string> metadata;
};

} // namespace tailor::safetensors

#endif // TAILOR_SAFETENSORS_SAFETENSORS_H
