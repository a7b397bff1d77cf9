//===- writer_test.cpp - Writer misuse fails with a clear error -----------===//

#include "scratch_directory.h"

#include <gmock/gmock.h>

namespace tailor::safetensors::testing {
namespace {

using ::testing::EndsWith;
using ::testing::IsEmpty;
using ::testing::StartsWith;

/// The message `action` throws as FormatError, or "" when it does not throw.
template <typename Action> std::string errorOf(Action action) {
  try {
    action();
  } catch (const FormatError &error) {
    return error.what();
  }
  return "";
}

using WriterTest = ScratchDirectoryTest;

TEST_F(WriterTest, RejectsBadTensors) {
  Writer writer;
  writer.addFloat32("w", {2}, {1.0f, 2.0f});
  const float values[4] = {};
  EXPECT_EQ(errorOf([&] { writer.addFloat32("w", {1}, {1.0f}); }),
            "safetensors writer: tensor 'w': added twice");
  EXPECT_EQ(errorOf([&] {
              writer.add("x", DType::F32, {2, 2}, values, 12);
            }),
            "safetensors writer: tensor 'x': shape [2, 2] (F32) needs 16 "
            "bytes, 12 given");
  EXPECT_EQ(errorOf([&] {
              writer.add("x", DType::F16, {2, -1}, values, 4);
            }),
            "safetensors writer: tensor 'x': shape [2, -1] (F16) has a "
            "negative dimension -1");
  EXPECT_EQ(errorOf([&] {
              writer.add("x", DType::F64, {1LL << 40, 1LL << 40}, values, 4);
            }),
            "safetensors writer: tensor 'x': shape [1099511627776, "
            "1099511627776] (F64) overflows: its size does not fit in 64 "
            "bits");
  EXPECT_EQ(errorOf([&] { writer.addFloat32("__metadata__", {1}, {1.0f}); }),
            "safetensors writer: tensor '__metadata__': the name is reserved "
            "for the metadata map");
  EXPECT_EQ(errorOf([&] { writer.addFloat32("", {1}, {1.0f}); }),
            "safetensors writer: a tensor name is empty");

  // The rejected tensors left the writer as it was.
  writer.write(path("ok.safetensors"));
  File file = File::open(path("ok.safetensors"));
  ASSERT_EQ(file.tensors().size(), 1u);
  EXPECT_EQ(file.tensors()[0].name, "w");
}

TEST_F(WriterTest, FailedWriteLeavesNothingBehind) {
  Writer writer;
  writer.addFloat32("w", {1}, {1.0f});
  const std::string target = path("missing-dir/model.safetensors");
  const std::string message = errorOf([&] { writer.write(target); });
  EXPECT_THAT(message, StartsWith(target + ": cannot create a temporary file " +
                                  target + ".tmp."));
  EXPECT_THAT(message, EndsWith(": No such file or directory"));
  EXPECT_FALSE(std::filesystem::exists(path("missing-dir")));
}

TEST_F(WriterTest, RejectsNamesThatAreNotUtf8) {
  Writer writer;
  writer.addFloat32("bad\xff", {1}, {1.0f});
  const std::string target = path("model.safetensors");
  const std::string message = errorOf([&] { writer.write(target); });
  EXPECT_THAT(message,
              StartsWith(target + ": cannot write a header whose names or "
                                  "metadata are not valid UTF-8"));
  std::vector<std::filesystem::path> files;
  for (const auto &entry : std::filesystem::directory_iterator(directory))
    files.push_back(entry.path());
  EXPECT_THAT(files, IsEmpty());
}

} // namespace
} // namespace tailor::safetensors::testing
