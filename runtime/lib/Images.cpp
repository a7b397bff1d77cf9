//===- Images.cpp - IDX files and image inputs ----------------------------===//

#include "tailor/images.h"
#include "Format.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace tailor {
namespace {

constexpr std::uint8_t idxUnsignedByte = 0x08;
/// Keeps the product of an IDX header's dimensions from overflowing.
constexpr std::uint64_t maxIdxBytes = std::uint64_t(1) << 34;

struct GzClose {
  void operator()(gzFile_s *file) const { gzclose(file); }
};

/// Reads up to `size` bytes; returns how many were read, or -1 on an error.
std::int64_t readFully(gzFile file, void *data, std::uint64_t size) {
  std::uint64_t done = 0;
  while (done < size) {
    unsigned chunk =
        static_cast<unsigned>(std::min<std::uint64_t>(size - done, 1u << 30));
    int got = gzread(file, static_cast<std::uint8_t *>(data) + done, chunk);
    if (got < 0)
      return -1;
    if (got == 0)
      break;
    done += got;
  }
  return static_cast<std::int64_t>(done);
}

} // namespace

Result<Tensor> readIdx(const std::string &path) {
  // zlib reads files that are not gzip-compressed as they are.
  std::unique_ptr<gzFile_s, GzClose> file(gzopen(path.c_str(), "rb"));
  std::string where = "IDX file '" + path + "'";
  if (!file)
    return Status::error(where + ": cannot open: " + std::strerror(errno));
  std::uint8_t magic[4];
  std::int64_t got = readFully(file.get(), magic, sizeof magic);
  if (got < 0)
    return Status::error(where + ": cannot read (corrupt gzip data?)");
  if (got < 4 || magic[0] != 0 || magic[1] != 0)
    return Status::error(where + ": not an IDX file (no IDX magic number)");
  if (magic[2] != idxUnsignedByte) {
    char type[8];
    std::snprintf(type, sizeof type, "0x%02x", magic[2]);
    return Status::error(where + ": element type " + type +
                         " is not unsigned bytes (0x08)");
  }
  int rank = magic[3];
  if (rank != 1 && rank != 3 && rank != 4)
    return Status::error(where + ": " + std::to_string(rank) +
                         " dimensions; expected 1 (labels) or 3 (images)");
  std::vector<std::int64_t> shape;
  std::uint64_t elements = 1;
  for (int i = 0; i < rank; ++i) {
    std::uint8_t be[4];
    if (readFully(file.get(), be, sizeof be) != 4)
      return Status::error(where + ": truncated header");
    std::uint64_t dim =
        (std::uint64_t(be[0]) << 24) | (be[1] << 16) | (be[2] << 8) | be[3];
    shape.push_back(static_cast<std::int64_t>(dim));
    elements *= dim;
    if (elements > maxIdxBytes)
      return Status::error(where + ": shape " + formatShape(shape) +
                           "... is too large");
  }
  // Read in chunks, so that memory follows the data the file really has,
  // whatever its header claims.
  std::vector<std::uint8_t> data;
  const std::uint64_t chunk = 1 << 20;
  while (data.size() <= elements) {
    std::size_t before = data.size();
    data.resize(before + std::min<std::uint64_t>(chunk, elements + 1 - before));
    got = readFully(file.get(), data.data() + before, data.size() - before);
    if (got < 0)
      return Status::error(where + ": cannot read (corrupt gzip data?)");
    data.resize(before + got);
    if (got == 0)
      break;
  }
  if (data.size() > elements)
    return Status::error(where + ": has data past its shape " +
                         formatShape(shape));
  if (data.size() < elements)
    return Status::error(where + ": truncated: shape " + formatShape(shape) +
                         " needs " + std::to_string(elements) +
                         " bytes of data, found " +
                         std::to_string(data.size()));
  Result<Tensor> tensor = Tensor::allocate(DType::U8, shape);
  if (!tensor.ok())
    return Status::error(where + ": " + tensor.status().message());
  std::copy(data.begin(), data.end(),
            static_cast<std::uint8_t *>(tensor->data()));
  return tensor;
}

Result<Tensor> imagesToInput(const Tensor &images, const Model &model) {
  if (model.inputs().size() != 1 || model.inputs()[0].dtype != DType::F32 ||
      model.inputs()[0].shape.size() != 4)
    return Status::error("model '" + model.path() +
                         "' does not take one f32 image input [-1, C, I, I]");
  const std::vector<std::int64_t> &expected = model.inputs()[0].shape;
  std::vector<std::int64_t> shape = images.shape();
  if (shape.size() == 3)
    shape.insert(shape.begin() + 1, 1);
  if (images.dtype() != DType::U8 || shape.size() != 4 ||
      shape[1] != expected[1] || shape[2] != expected[2] ||
      shape[3] != expected[3])
    return Status::error(
        "images are " + std::string(dtypeName(images.dtype())) + " " +
        formatShape(images.shape()) + " but the model takes " +
        std::to_string(expected[1]) + "-channel " +
        std::to_string(expected[2]) + "x" + std::to_string(expected[3]) +
        " images (u8 [N, " + std::to_string(expected[2]) + ", " +
        std::to_string(expected[3]) + "] or [N, C, rows, cols])");
  Result<Tensor> input = Tensor::allocate(DType::F32, shape);
  if (!input.ok())
    return input.status();
  InputNormalization norm =
      model.info().inputNormalization.value_or(InputNormalization{});
  const std::uint8_t *pixels = images.dataAs<std::uint8_t>();
  float *values = input->dataAs<float>();
  for (std::int64_t i = 0; i < input->numElements(); ++i)
    values[i] = static_cast<float>((pixels[i] / 255.0 - norm.mean) / norm.std);
  return input;
}

} // namespace tailor
