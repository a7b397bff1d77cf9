//===- conversion_test.cpp - toFloat32 from every floating-point dtype ----===//

#include "scratch_directory.h"

#include <gmock/gmock.h>

#include <cmath>
#include <limits>

namespace tailor::safetensors::testing {
namespace {

using ::testing::HasSubstr;

using ConversionTest = ScratchDirectoryTest;

TEST_F(ConversionTest, HalfBfloat16AndDoubleBecomeFloat) {
  // Normal, negative, largest, smallest subnormal, signed zero, infinities,
  // NaN and a value that needs every mantissa bit.
  const std::vector<std::uint16_t> half = {
      0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x3555};
  const std::vector<std::uint16_t> bfloat16 = {0x3f80, 0xc049, 0x7f80,
                                               0x0001, 0x8000, 0x7fc0};
  const std::vector<double> doubles = {1.5, -1e300, 1e-50, 0.1};
  Writer writer;
  writer.add("half", DType::F16, {9}, half.data(), half.size() * 2);
  writer.add("bf16", DType::BF16, {2, 3}, bfloat16.data(), bfloat16.size() * 2);
  writer.add("f64", DType::F64, {4}, doubles.data(), doubles.size() * 8);
  writer.write(path("floats.safetensors"));
  File file = File::open(path("floats.safetensors"));

  std::vector<float> h = file.toFloat32(file.get("half"));
  ASSERT_EQ(h.size(), 9u);
  EXPECT_EQ(h[0], 1.0f);
  EXPECT_EQ(h[1], -2.0f);
  EXPECT_EQ(h[2], 65504.0f);
  EXPECT_EQ(h[3], std::ldexp(1.0f, -24));
  EXPECT_EQ(h[4], 0.0f);
  EXPECT_TRUE(std::signbit(h[4]));
  EXPECT_EQ(h[5], std::numeric_limits<float>::infinity());
  EXPECT_EQ(h[6], -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(h[7]));
  EXPECT_EQ(h[8], 0.333251953125f);

  std::vector<float> b = file.toFloat32(file.get("bf16"));
  ASSERT_EQ(b.size(), 6u);
  EXPECT_EQ(b[0], 1.0f);
  EXPECT_EQ(b[1], -3.140625f);
  EXPECT_EQ(b[2], std::numeric_limits<float>::infinity());
  EXPECT_EQ(b[3], std::ldexp(1.0f, -133));
  EXPECT_TRUE(std::signbit(b[4]));
  EXPECT_TRUE(std::isnan(b[5]));

  std::vector<float> d = file.toFloat32(file.get("f64"));
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0], 1.5f);
  EXPECT_EQ(d[1], -std::numeric_limits<float>::infinity());
  EXPECT_EQ(d[2], 0.0f);
  EXPECT_EQ(d[3], 0.1f);
}

TEST_F(ConversionTest, UnalignedDataFromOtherWriters) {
  // Another writer may put an F32 tensor at an odd offset: a U8 tensor of 3
  // bytes first. Conversion must not assume alignment.
  const float values[2] = {1.25f, -7.5f};
  std::string data = "abc";
  data.append(reinterpret_cast<const char *>(values), sizeof values);
  const std::string file = writeBytes(
      "odd.safetensors",
      fileBytes(
          R"({"u": {"dtype": "U8", "shape": [3], "data_offsets": [0, 3]},)"
          R"( "f": {"dtype": "F32", "shape": [2], )"
          R"("data_offsets": [3, 11]}})",
          data));
  File opened = File::open(file);
  EXPECT_EQ(opened.toFloat32(opened.get("f")),
            (std::vector<float>{1.25f, -7.5f}));
}

TEST_F(ConversionTest, IntegersDoNotConvert) {
  const std::int32_t ids[2] = {1, 2};
  Writer writer;
  writer.add("ids", DType::I32, {2}, ids, sizeof ids);
  writer.write(path("ids.safetensors"));
  File file = File::open(path("ids.safetensors"));
  try {
    file.toFloat32(file.get("ids"));
    FAIL() << "I32 must not convert to f32";
  } catch (const FormatError &error) {
    EXPECT_THAT(error.what(),
                HasSubstr(path("ids.safetensors") +
                          ": tensor 'ids' is I32, not a floating-point dtype"));
  }
}

} // namespace
} // namespace tailor::safetensors::testing
