//===- round_trip_test.cpp - Writer then reader gives back every byte -----===//

#include "scratch_directory.h"

#include <gmock/gmock.h>

#include <cstring>
#include <numeric>

namespace tailor::safetensors::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr DType allDtypes[] = {DType::F64, DType::F32, DType::F16, DType::BF16,
                               DType::I64, DType::I32, DType::I16, DType::I8,
                               DType::U8,  DType::BOOL};

/// Distinct bytes for a tensor, so a misplaced range shows.
std::vector<std::uint8_t> pattern(std::size_t size, std::uint8_t seed) {
  std::vector<std::uint8_t> bytes(size);
  for (std::size_t i = 0; i < size; ++i)
    bytes[i] = static_cast<std::uint8_t>(seed * 31 + i * 7 + 1);
  return bytes;
}

std::vector<std::uint8_t> bytesOf(const File &file, const TensorInfo &tensor) {
  const std::uint8_t *data = file.data(tensor);
  return std::vector<std::uint8_t>(data, data + tensor.numBytes());
}

using RoundTripTest = ScratchDirectoryTest;

TEST_F(RoundTripTest, EveryDtypeComesBackByteForByte) {
  Writer writer;
  std::map<std::string, std::vector<std::uint8_t>> written;
  std::uint8_t seed = 0;
  for (DType dtype : allDtypes) {
    const std::string name = "tensor." + std::string(dtypeName(dtype));
    std::vector<std::uint8_t> bytes = pattern(2 * 3 * dtypeSize(dtype), ++seed);
    writer.add(name, dtype, {2, 3}, bytes.data(), bytes.size());
    written[name] = bytes;
  }
  writer.write(path("all.safetensors"));

  File file = File::open(path("all.safetensors"));
  ASSERT_EQ(file.tensors().size(), std::size(allDtypes));
  for (DType dtype : allDtypes) {
    const std::string name = "tensor." + std::string(dtypeName(dtype));
    const TensorInfo &tensor = file.get(name);
    EXPECT_EQ(tensor.dtype, dtype) << name;
    EXPECT_THAT(tensor.shape, ElementsAre(2, 3)) << name;
    EXPECT_EQ(tensor.numElements(), 6) << name;
    EXPECT_EQ(tensor.numBytes(), 6 * dtypeSize(dtype)) << name;
    EXPECT_EQ(bytesOf(file, tensor), written[name]) << name;
  }
}

TEST_F(RoundTripTest, ScalarsEmptyTensorsAndNoTensors) {
  Writer writer;
  const double pi = 3.14159;
  writer.add("scalar", DType::F64, {}, &pi, sizeof pi);
  writer.add("empty", DType::F32, {0, 5}, nullptr, 0);
  writer.write(path("small.safetensors"));
  File file = File::open(path("small.safetensors"));
  const TensorInfo &scalar = file.get("scalar");
  EXPECT_THAT(scalar.shape, IsEmpty());
  EXPECT_EQ(scalar.numElements(), 1);
  EXPECT_EQ(file.toFloat32(scalar), std::vector<float>{3.14159f});
  const TensorInfo &empty = file.get("empty");
  EXPECT_THAT(empty.shape, ElementsAre(0, 5));
  EXPECT_EQ(empty.numBytes(), 0u);
  EXPECT_THAT(file.toFloat32(empty), IsEmpty());

  Writer().write(path("none.safetensors"));
  File none = File::open(path("none.safetensors"));
  EXPECT_THAT(none.tensors(), IsEmpty());
  EXPECT_THAT(none.metadata(), IsEmpty());
}

TEST_F(RoundTripTest, EveryTensorIsAlignedToItsElementSize) {
  // Odd element counts and names whose alphabetical order would put narrow
  // dtypes first: only the widest-first layout keeps these aligned.
  Writer writer;
  const std::vector<std::pair<std::string, DType>> tensors = {
      {"a.mask", DType::BOOL}, {"b.half", DType::F16},
      {"c.ids", DType::I64},   {"d.bytes", DType::U8},
      {"e.float", DType::F32}, {"f.double", DType::F64},
      {"g.bf16", DType::BF16}, {"h.int", DType::I32},
      {"i.short", DType::I16}, {"j.byte", DType::I8},
      {"k.float", DType::F32}, {"l.double", DType::F64}};
  std::int64_t count = 3;
  for (const auto &[name, dtype] : tensors) {
    std::vector<std::uint8_t> bytes(count * dtypeSize(dtype), 0x5a);
    writer.add(name, dtype, {count}, bytes.data(), bytes.size());
    count += 2;
  }
  writer.setMetadata("note", "x");
  writer.write(path("aligned.safetensors"));

  File file = File::open(path("aligned.safetensors"));
  EXPECT_EQ(file.dataOffset() % 64, 0u);
  for (const TensorInfo &tensor : file.tensors()) {
    const std::size_t size = dtypeSize(tensor.dtype);
    EXPECT_EQ((file.dataOffset() + tensor.begin) % size, 0u) << tensor.name;
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(file.data(tensor)) % size, 0u)
        << tensor.name;
  }
  // In the file: widest dtype first, then by name.
  std::vector<std::string> order;
  for (const TensorInfo &tensor : file.tensors())
    order.push_back(tensor.name);
  EXPECT_THAT(order, ElementsAre("c.ids", "f.double", "l.double", "e.float",
                                 "h.int", "k.float", "b.half", "g.bf16",
                                 "i.short", "a.mask", "d.bytes", "j.byte"));
}

TEST_F(RoundTripTest, HeaderIsPaddedWithSpaces) {
  Writer writer;
  writer.addFloat32("w", {1}, {1.0f});
  writer.write(path("padded.safetensors"));
  std::ifstream stream(path("padded.safetensors"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(stream)),
                    std::istreambuf_iterator<char>());
  std::uint64_t length;
  std::memcpy(&length, bytes.data(), sizeof length);
  EXPECT_EQ((8 + length) % 64, 0u);
  const std::string header = bytes.substr(8, length);
  const std::size_t close = header.rfind('}');
  ASSERT_NE(close, std::string::npos);
  EXPECT_EQ(header.find_first_not_of(' ', close + 1), std::string::npos);
  EXPECT_EQ(bytes.size(), 8 + length + sizeof(float));
}

TEST_F(RoundTripTest, MetadataRoundTrips) {
  Writer writer;
  writer.setMetadata("format", "tailor-artifact");
  writer.setMetadata("manifest", R"({"variants": [1, 2], "quote": "\""})");
  writer.setMetadata("empty", "");
  writer.setMetadata("unicode", "r\xc3\xa9sum\xc3\xa9");
  writer.setMetadata("format", "overwritten");
  writer.addFloat32("w", {2}, {1.0f, 2.0f});
  writer.write(path("meta.safetensors"));

  File file = File::open(path("meta.safetensors"));
  const std::map<std::string, std::string> expected = {
      {"empty", ""},
      {"format", "overwritten"},
      {"manifest", R"({"variants": [1, 2], "quote": "\""})"},
      {"unicode", "r\xc3\xa9sum\xc3\xa9"}};
  EXPECT_EQ(file.metadata(), expected);
  EXPECT_EQ(file.find("__metadata__"), nullptr);
}

TEST_F(RoundTripTest, LookupsAndMoves) {
  Writer writer;
  writer.addFloat32("w", {2}, {1.0f, 2.0f});
  writer.addFloat32("v", {1}, {3.0f});
  writer.write(path("lookup.safetensors"));
  File file = File::open(path("lookup.safetensors"));
  EXPECT_EQ(file.path(), path("lookup.safetensors"));
  EXPECT_EQ(file.find("missing"), nullptr);
  ASSERT_NE(file.find("w"), nullptr);
  EXPECT_EQ(file.find("w")->name, "w");
  try {
    file.get("missing");
    FAIL() << "get of a missing tensor must throw";
  } catch (const FormatError &error) {
    EXPECT_EQ(std::string(error.what()),
              path("lookup.safetensors") + ": no tensor 'missing'");
  }
  TensorInfo forged = file.get("w");
  forged.begin += 4;
  EXPECT_THROW(file.data(forged), FormatError);

  File moved = std::move(file);
  EXPECT_EQ(moved.toFloat32(moved.get("w")), (std::vector<float>{1.0f, 2.0f}));
  EXPECT_EQ(moved.toFloat32(moved.get("v")), std::vector<float>{3.0f});
}

TEST_F(RoundTripTest, MappingSurvivesTheFileBeingReplaced) {
  Writer first;
  first.addFloat32("w", {2}, {1.0f, 2.0f});
  first.write(path("model.safetensors"));
  File old = File::open(path("model.safetensors"));

  Writer second;
  second.addFloat32("w", {3}, {7.0f, 8.0f, 9.0f});
  second.write(path("model.safetensors"));

  EXPECT_EQ(old.toFloat32(old.get("w")), (std::vector<float>{1.0f, 2.0f}));
  File fresh = File::open(path("model.safetensors"));
  EXPECT_EQ(fresh.toFloat32(fresh.get("w")),
            (std::vector<float>{7.0f, 8.0f, 9.0f}));
  // The temporary file was renamed into place: nothing else is left.
  std::vector<std::string> files;
  for (const auto &entry : std::filesystem::directory_iterator(directory))
    files.push_back(entry.path().filename().string());
  EXPECT_THAT(files, ElementsAre("model.safetensors"));
}

} // namespace
} // namespace tailor::safetensors::testing
