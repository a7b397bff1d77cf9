//===- scratch_directory.h - A fresh directory per test -------------------===//
#ifndef TAILOR_TESTS_SAFETENSORS_SCRATCH_DIRECTORY_H
#define TAILOR_TESTS_SAFETENSORS_SCRATCH_DIRECTORY_H

#include "tailor/safetensors/safetensors.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace tailor::safetensors::testing {

/// Each test gets an empty directory, removed when it ends.
class ScratchDirectoryTest : public ::testing::Test {
protected:
  void SetUp() override {
    const ::testing::TestInfo *test =
        ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(test->test_suite_name()) + "." +
                       test->name() + "." + std::to_string(::getpid());
    for (char &c : name)
      if (c == '/')
        c = '_';
    directory = std::filesystem::path(::testing::TempDir()) /
                ("tailor-safetensors-" + name);
    std::filesystem::remove_all(directory);
    std::filesystem::create_directories(directory);
  }
  void TearDown() override { std::filesystem::remove_all(directory); }

  std::string path(const std::string &file) const {
    return (directory / file).string();
  }

  /// Writes `bytes` verbatim to `file` in the directory; returns its path.
  std::string writeBytes(const std::string &file,
                         const std::string &bytes) const {
    std::string target = path(file);
    std::ofstream(target, std::ios::binary) << bytes;
    return target;
  }

  /// The message `File::open(path)` throws, or "" when it opens.
  static std::string openError(const std::string &path) {
    try {
      File::open(path);
    } catch (const FormatError &error) {
      return error.what();
    }
    return "";
  }

  std::filesystem::path directory;
};

/// The 8-byte little-endian length of `header`, the header, then `data`.
inline std::string fileBytes(const std::string &header,
                             const std::string &data) {
  const std::uint64_t length = header.size();
  std::string bytes(reinterpret_cast<const char *>(&length), sizeof length);
  return bytes + header + data;
}

} // namespace tailor::safetensors::testing

#endif // TAILOR_TESTS_SAFETENSORS_SCRATCH_DIRECTORY_H
