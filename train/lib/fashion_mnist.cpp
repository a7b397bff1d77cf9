//===- fashion_mnist.cpp - Fashion-MNIST from gzip IDX files --------------===//

#include "tailor/train/fashion_mnist.h"
#include "tailor/train/dataset.h"
#include "tailor/train/error.h"

#include <zlib.h>

#include <memory>

namespace tailor::train {

namespace {
struct GzCloser {
  void operator()(gzFile_s *file) const { gzclose(file); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

/// Reads exactly `size` bytes; false at the end of the stream.
bool readExactly(gzFile file, const std::string &path, void *buffer,
                 std::size_t size) {
  auto *bytes = static_cast<unsigned char *>(buffer);
  while (size > 0) {
    int got =
        gzread(file, bytes,
               static_cast<unsigned>(std::min<std::size_t>(size, 1u << 30)));
    if (got < 0) {
      int code = 0;
      throw Error(path + ": gzip error: " + gzerror(file, &code));
    }
    if (got == 0)
      return false;
    bytes += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

std::uint32_t bigEndian(const unsigned char *bytes) {
  return (std::uint32_t(bytes[0]) << 24) | (std::uint32_t(bytes[1]) << 16) |
         (std::uint32_t(bytes[2]) << 8) | std::uint32_t(bytes[3]);
}
} // namespace

torch::Tensor readIdxGz(const std::string &path) {
  GzFile file(gzopen(path.c_str(), "rb"));
  if (!file)
    throw Error(path + ": cannot open");
  unsigned char magic[4];
  if (!readExactly(file.get(), path, magic, 4))
    throw Error(path + ": truncated before the IDX magic number");
  // IDX magic: two zero bytes, the type (0x08 = unsigned byte), the rank.
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] < 1 ||
      magic[3] > 4)
    throw Error(path + ": not an unsigned-byte IDX file (magic " +
                std::to_string(bigEndian(magic)) + ")");
  std::vector<std::int64_t> shape;
  std::int64_t elements = 1;
  for (int d = 0; d < magic[3]; ++d) {
    unsigned char dim[4];
    if (!readExactly(file.get(), path, dim, 4))
      throw Error(path + ": truncated inside the IDX header");
    shape.push_back(bigEndian(dim));
    elements *= shape.back();
    if (elements > (std::int64_t(1) << 34))
      throw Error(path + ": IDX dimensions too large");
  }
  auto data = torch::empty(shape, torch::kUInt8);
  if (!readExactly(file.get(), path, data.data_ptr(),
                   static_cast<std::size_t>(elements)))
    throw Error(path + ": truncated: the header promises " +
                std::to_string(elements) + " bytes of data");
  unsigned char extra;
  if (readExactly(file.get(), path, &extra, 1))
    throw Error(path + ": trailing bytes after " + std::to_string(elements) +
                " bytes of data");
  return data;
}

LabelledImages loadFashionMnist(const std::string &dir, bool trainFiles) {
  std::string prefix = dir + (trainFiles ? "/train" : "/t10k");
  std::string imagePath = prefix + "-images-idx3-ubyte.gz";
  std::string labelPath = prefix + "-labels-idx1-ubyte.gz";
  auto images = readIdxGz(imagePath);
  auto labels = readIdxGz(labelPath);
  if (images.dim() != 3 || images.size(1) != 28 || images.size(2) != 28)
    throw Error(imagePath + ": expected [N, 28, 28] images, got " +
                c10::str(images.sizes()));
  if (labels.dim() != 1 || labels.size(0) != images.size(0))
    throw Error(labelPath + ": expected " + std::to_string(images.size(0)) +
                " labels, got " + c10::str(labels.sizes()));
  if (labels.max().item<int>() >= 10)
    throw Error(labelPath + ": label " +
                std::to_string(labels.max().item<int>()) +
                " outside the 10 classes");
  return {images.unsqueeze(1).to(torch::kFloat32).div_(255.0f),
          labels.to(torch::kLong)};
}

torch::Tensor patchForegroundLabels(const torch::Tensor &images,
                                    std::int64_t patchSize, double threshold) {
  auto means = torch::avg_pool2d(images, patchSize).mean(1); // [N, rows, cols]
  auto labels = means.gt(threshold).to(torch::kLong).flatten(1);
  auto cls = torch::full({images.size(0), 1}, kIgnoreLabel, torch::kLong);
  return torch::cat({cls, labels}, 1);
}

} // namespace tailor::train
