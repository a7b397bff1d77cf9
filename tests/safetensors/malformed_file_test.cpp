//===- malformed_file_test.cpp - Broken files fail with a located error ---===//
//
// Each case writes a broken file byte by byte and checks that opening it
// throws FormatError naming the file and saying what is wrong where.
//
//===----------------------------------------------------------------------===//

#include "scratch_directory.h"

#include <gmock/gmock.h>

#include <random>

namespace tailor::safetensors::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct BrokenFile {
  std::string name;
  std::string bytes;
  /// Every one must appear in the message.
  std::vector<std::string> expected;
};

std::string zeros(std::size_t count) { return std::string(count, '\0'); }

std::string lengthOnly(std::uint64_t length) {
  return std::string(reinterpret_cast<const char *>(&length), sizeof length);
}

std::vector<BrokenFile> brokenFiles() {
  const std::string f32x2 =
      R"("a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]})";
  return {
      {"EmptyFile", "", {"file is empty"}},
      {"ShorterThanLength",
       "\x01\x02\x03\x04\x05",
       {"file is 5 bytes, too short for the 8-byte header length"}},
      {"HeaderLengthPastEnd",
       lengthOnly(100) + "{}",
       {"header length 100 runs past the end of the file (10 bytes"}},
      {"HeaderLengthHuge",
       lengthOnly(~std::uint64_t(0)) + "{}",
       {"header length 18446744073709551615 runs past the end of the file"}},
      {"HeaderNotJson",
       fileBytes("{\"a\": [", ""),
       {"header (7 bytes after the length) is not valid JSON"}},
      {"HeaderNotObject",
       fileBytes("[1, 2]", ""),
       {"header must be a JSON object, got array"}},
      {"DuplicateTensorName",
       fileBytes("{" + f32x2 + ", " + f32x2 + "}", zeros(8)),
       {"header names 'a' more than once"}},
      {"EntryNotObject",
       fileBytes(R"({"a": [1, 2]})", ""),
       {"tensor 'a': entry must be an object with dtype, shape and "
        "data_offsets, got array"}},
      {"MissingKey",
       fileBytes(R"({"a": {"dtype": "F32", "data_offsets": [0, 8]}})",
                 zeros(8)),
       {"tensor 'a': missing 'shape'"}},
      {"UnknownKey",
       fileBytes(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": )"
                 R"([0, 8], "strides": [1]}})",
                 zeros(8)),
       {"tensor 'a': unknown key 'strides'"}},
      {"UnknownDtype",
       fileBytes(R"({"a": {"dtype": "F8", "shape": [2], )"
                 R"("data_offsets": [0, 2]}})",
                 zeros(2)),
       {"tensor 'a': unknown dtype 'F8' (known: F64, I64, F32"}},
      {"DtypeNotString",
       fileBytes(R"({"a": {"dtype": 4, "shape": [2], "data_offsets": [0, 8]}})",
                 zeros(8)),
       {"tensor 'a': dtype must be a string, got number 4"}},
      {"ShapeNotArray",
       fileBytes(R"({"a": {"dtype": "F32", "shape": 2, )"
                 R"("data_offsets": [0, 8]}})",
                 zeros(8)),
       {"tensor 'a': shape must be an array of integers, got number 2"}},
      {"FractionalDimension",
       fileBytes(R"({"a": {"dtype": "F32", "shape": [2.5], )"
                 R"("data_offsets": [0, 8]}})",
                 zeros(8)),
       {"tensor 'a': shape [2.5] must hold integers, got number 2.5"}},
      {"NegativeDimension",
       fileBytes(R"({"a": {"dtype": "F32", "shape": [3, -2], )"
                 R"("data_offsets": [0, 8]}})",
                 zeros(8)),
       {"tensor 'a': shape [3,-2] has a negative dimension -2"}},
      {"ShapeOverflow",
       fileBytes(R"({"a": {"dtype": "F32", "shape": [4294967296, )"
                 R"(4294967296], "data_offsets": [0, 8]}})",
                 zeros(8)),
       {"tensor 'a': shape [4294967296, 4294967296] (F32) overflows"}},
      {"OffsetsNotArray",
       fileBytes(R"({"a": {"dtype": "F32", "shape": [2], )"
                 R"("data_offsets": "0-8"}})",
                 zeros(8)),
       {"tensor 'a': data_offsets must be two non-negative integers [begin, "
        "end], got string \"0-8\""}},
      {"OffsetsThreeEntries",
       fileBytes(R"({"a": {"dtype": "F32", "shape": [2], )"
                 R"("data_offsets": [0, 8, 16]}})",
                 zeros(8)),
       {"tensor 'a': data_offsets must be two non-negative integers"}},
      {"OffsetNegative",
       fileBytes(R"({"a": {"dtype": "F32", "shape": [2], )"
                 R"("data_offsets": [-8, 0]}})",
                 zeros(8)),
       {"tensor 'a': data_offsets must be two non-negative integers"}},
      {"OffsetsReversed",
       fileBytes(R"({"a": {"dtype": "F32", "shape": [0], )"
                 R"("data_offsets": [8, 0]}})",
                 zeros(8)),
       {"tensor 'a': data_offsets [8, 0] end before they begin"}},
      {"RangePastEndOfFile",
       fileBytes(R"({"a": {"dtype": "F32", "shape": [4], )"
                 R"("data_offsets": [0, 16]}})",
                 zeros(8)),
       {"tensor 'a': data_offsets [0, 16] run past the end of the file (the "
        "data section holds 8 bytes)"}},
      {"OverlappingRanges",
       fileBytes(R"({"a": {"dtype": "F32", "shape": [2], )"
                 R"("data_offsets": [0, 8]}, )"
                 R"("b": {"dtype": "F32", "shape": [2], )"
                 R"("data_offsets": [4, 12]}})",
                 zeros(12)),
       {"tensors 'a' (data_offsets [0, 8]) and 'b' (data_offsets [4, 12]) "
        "overlap"}},
      {"EmptyTensorInsideAnother",
       fileBytes(R"({"a": {"dtype": "F32", "shape": [2], )"
                 R"("data_offsets": [0, 8]}, )"
                 R"("z": {"dtype": "F32", "shape": [0], )"
                 R"("data_offsets": [4, 4]}})",
                 zeros(8)),
       {"tensors 'a' (data_offsets [0, 8]) and 'z' (data_offsets [4, 4]) "
        "overlap"}},
      {"HoleBetweenRanges",
       fileBytes(R"({"a": {"dtype": "F32", "shape": [2], )"
                 R"("data_offsets": [0, 8]}, )"
                 R"("b": {"dtype": "F32", "shape": [1], )"
                 R"("data_offsets": [12, 16]}})",
                 zeros(16)),
       {"hole of 4 bytes in the data section between tensor 'a' (ends at 8) "
        "and tensor 'b' (begins at 12)"}},
      {"HoleAtStart",
       fileBytes(R"({"b": {"dtype": "F32", "shape": [1], )"
                 R"("data_offsets": [4, 8]}})",
                 zeros(8)),
       {"hole of 4 bytes in the data section at its start and tensor 'b' "
        "(begins at 4)"}},
      {"BytesAfterLastTensor",
       fileBytes("{" + f32x2 + "}", zeros(11)),
       {"3 bytes at the end of the data section (from offset 8) belong to no "
        "tensor"}},
      {"MetadataNotObject",
       fileBytes(R"({"__metadata__": ["a", "b"]})", ""),
       {"__metadata__ must be an object mapping strings to strings, got "
        "array"}},
      {"MetadataValueNotString",
       fileBytes(R"({"__metadata__": {"epochs": 3}})", ""),
       {"__metadata__['epochs'] must be a string, got number 3"}},
  };
}

class MalformedFileTest : public ScratchDirectoryTest,
                          public ::testing::WithParamInterface<BrokenFile> {};

TEST_P(MalformedFileTest, OpenNamesTheFileAndTheProblem) {
  const BrokenFile &broken = GetParam();
  const std::string file = writeBytes("broken.safetensors", broken.bytes);
  const std::string message = openError(file);
  EXPECT_THAT(message, StartsWith(file + ": "));
  for (const std::string &expected : broken.expected)
    EXPECT_THAT(message, HasSubstr(expected));
}

INSTANTIATE_TEST_SUITE_P(Safetensors, MalformedFileTest,
                         ::testing::ValuesIn(brokenFiles()),
                         [](const ::testing::TestParamInfo<BrokenFile> &info) {
                           return info.param.name;
                         });

class MalformedPathTest : public ScratchDirectoryTest {
protected:
  /// The bytes of a small valid file: two tensors of different dtypes and
  /// metadata.
  std::string validFileBytes() const {
    Writer writer;
    writer.addFloat32("w", {2, 2}, {1.0f, 2.0f, 3.0f, 4.0f});
    const std::uint16_t half[3] = {0x3c00, 0x4000, 0x4200};
    writer.add("h", DType::F16, {3}, half, sizeof half);
    writer.setMetadata("k", "v");
    const std::string file = path("valid.safetensors");
    writer.write(file);
    std::ifstream stream(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(stream)),
                       std::istreambuf_iterator<char>());
  }
};

TEST_F(MalformedPathTest, ShapeAndRangeMismatchGivesTheWholeStory) {
  const std::string file = writeBytes(
      "model.safetensors",
      fileBytes(R"({"layers.0.mlp.up.weight": {"dtype": "F32", )"
                R"("shape": [200, 96], "data_offsets": [0, 76796]}})",
                zeros(76796)));
  EXPECT_EQ(openError(file),
            file + ": tensor 'layers.0.mlp.up.weight': shape [200, 96] (F32) "
                   "needs 76800 bytes but data_offsets [0, 76796] span 76796");
}

TEST_F(MalformedPathTest, MissingFile) {
  const std::string file = path("absent.safetensors");
  EXPECT_EQ(openError(file), file + ": cannot open: No such file or directory");
}

TEST_F(MalformedPathTest, Directory) {
  EXPECT_EQ(openError(directory.string()),
            directory.string() + ": not a regular file");
}

TEST_F(MalformedPathTest, EveryTruncationIsRejected) {
  const std::string bytes = validFileBytes();
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    const std::string file =
        writeBytes("truncated.safetensors", bytes.substr(0, size));
    EXPECT_THAT(openError(file), StartsWith(file + ": ")) << size << " bytes";
  }
}

TEST_F(MalformedPathTest, CorruptedBytesNeverCrash) {
  // Flipped bits anywhere must give a FormatError or, where they only touch
  // tensor data or header padding, a file that still opens and reads.
  const std::string bytes = validFileBytes();
  std::mt19937 random(42);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string corrupted = bytes;
    const std::size_t at = random() % corrupted.size();
    corrupted[at] = static_cast<char>(corrupted[at] ^ (1 << (random() % 8)));
    const std::string file = writeBytes("corrupted.safetensors", corrupted);
    try {
      File opened = File::open(file);
      for (const TensorInfo &tensor : opened.tensors()) {
        const bool floating =
            tensor.dtype == DType::F32 || tensor.dtype == DType::F16 ||
            tensor.dtype == DType::BF16 || tensor.dtype == DType::F64;
        if (floating) {
          EXPECT_EQ(opened.toFloat32(tensor).size(),
                    static_cast<std::size_t>(tensor.numElements()));
        }
      }
    } catch (const FormatError &error) {
      EXPECT_THAT(error.what(), StartsWith(file + ": "));
    }
  }
}

} // namespace
} // namespace tailor::safetensors::testing
