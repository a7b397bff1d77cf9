//===- ImagesTest.cpp - IDX files and image inputs ------------------------===//

#include "Harness.h"

#include "tailor/images.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace tailor::testing {
namespace {

using ::testing::HasSubstr;

std::string readError(const std::string &path) {
  Result<Tensor> tensor = readIdx(path);
  EXPECT_FALSE(tensor.ok()) << path;
  return tensor.ok() ? "" : tensor.status().message();
}

TEST(Images, ReadIdxPlainAndGzip) {
  TempDir dir;
  std::vector<std::uint8_t> bytes(2 * 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<std::uint8_t>(i * 10);
  for (bool gzip : {false, true}) {
    std::string path = dir.path(gzip ? "images.idx.gz" : "images.idx");
    writeIdx(path, {2, 3, 4}, bytes, gzip);
    Result<Tensor> tensor = readIdx(path);
    ASSERT_TRUE(tensor.ok()) << tensor.status().message();
    EXPECT_EQ(tensor->dtype(), DType::U8);
    EXPECT_EQ(tensor->shape(), (std::vector<std::int64_t>{2, 3, 4}));
    EXPECT_EQ(std::vector<std::uint8_t>(tensor->dataAs<std::uint8_t>(),
                                        tensor->dataAs<std::uint8_t>() + 24),
              bytes);
  }
}

TEST(Images, ReadIdxRefusesBrokenFiles) {
  TempDir dir;
  writeIdx(dir.path("short.idx"), {2, 3, 4}, std::vector<std::uint8_t>(20));
  EXPECT_THAT(readError(dir.path("short.idx")),
              HasSubstr("truncated: shape [2, 3, 4] needs 24 bytes of data, "
                        "found 20"));
  writeIdx(dir.path("long.idx"), {2, 3, 4}, std::vector<std::uint8_t>(25));
  EXPECT_THAT(readError(dir.path("long.idx")),
              HasSubstr("has data past its shape [2, 3, 4]"));
  // A header claiming 4 GiB of pixels over 10 bytes of data: an error, not
  // a 4 GiB allocation.
  writeIdx(dir.path("claims.idx"), {65536, 256, 256},
           std::vector<std::uint8_t>(10));
  EXPECT_THAT(readError(dir.path("claims.idx")),
              HasSubstr("needs 4294967296 bytes of data, found 10"));
  writeIdx(dir.path("rank2.idx"), {4, 4}, std::vector<std::uint8_t>(16));
  EXPECT_THAT(readError(dir.path("rank2.idx")),
              HasSubstr("2 dimensions; expected 1 (labels) or 3 (images)"));
  std::ofstream(dir.path("empty.idx"));
  EXPECT_THAT(readError(dir.path("empty.idx")), HasSubstr("not an IDX file"));
  EXPECT_THAT(
      readError(dir.path("absent.idx")),
      HasSubstr("IDX file '" + dir.path("absent.idx") + "': cannot open"));
}

TEST(Images, ImagesToInputScalesAndNormalizes) {
  ModelConfig config;
  config.imageSize = 4;
  config.patchSize = 2;
  config.inputNormalization = {{0.5, 0.25}};
  TempDir dir;
  buildArtifact(config, randomWeights(config)).write(dir.path("m.tailor"));
  Model model = loadModel(dir.path("m.tailor"));
  Result<Tensor> pixels = Tensor::allocate(DType::U8, {2, 4, 4});
  ASSERT_TRUE(pixels.ok());
  for (int i = 0; i < 32; ++i)
    pixels->dataAs<std::uint8_t>()[i] = static_cast<std::uint8_t>(i * 8);
  Result<Tensor> input = imagesToInput(*pixels, model);
  ASSERT_TRUE(input.ok()) << input.status().message();
  EXPECT_EQ(input->shape(), (std::vector<std::int64_t>{2, 1, 4, 4}));
  for (int i = 0; i < 32; ++i)
    EXPECT_FLOAT_EQ(input->dataAs<float>()[i],
                    static_cast<float>((i * 8 / 255.0 - 0.5) / 0.25));

  Result<Tensor> wrong = Tensor::allocate(DType::U8, {2, 5, 5});
  Result<Tensor> refused = imagesToInput(*wrong, model);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(),
              HasSubstr("images are u8 [2, 5, 5] but the model takes "
                        "1-channel 4x4 images"));
}

TEST(Images, TensorAllocateRefusesImpossibleSizes) {
  Result<Tensor> negative = Tensor::allocate(DType::F32, {2, -1});
  ASSERT_FALSE(negative.ok());
  EXPECT_THAT(negative.status().message(), HasSubstr("negative dimension"));
  Result<Tensor> huge = Tensor::allocate(DType::F32, {1 << 30, 1 << 30});
  ASSERT_FALSE(huge.ok());
  EXPECT_THAT(huge.status().message(), HasSubstr("bytes of memory"));
}

} // namespace
} // namespace tailor::testing
