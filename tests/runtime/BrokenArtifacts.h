//===- BrokenArtifacts.h - Artifacts broken one way each --------*- C++ -*-===//
//
// The cases the API test (BrokenArtifactTest) and the command line test
// (TailorRunTest) both run: each writes a tiny ViT artifact with one thing
// wrong and names the parts of the message that must say what and where.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TESTS_RUNTIME_BROKENARTIFACTS_H
#define TAILOR_TESTS_RUNTIME_BROKENARTIFACTS_H

#include "tailor/testing/TinyModel.h"

#include <functional>
#include <string>
#include <vector>

namespace tailor::testing {

struct BrokenArtifact {
  std::string name; ///< a test name: letters and digits
  /// Writes the broken file at `path`, starting from the valid `artifact`.
  std::function<void(const Artifact &artifact, const std::string &path)> write;
  /// Each must occur in the error message.
  std::vector<std::string> messages;
};

/// The valid model the cases break: a 2-layer ViT on 8x8 images (5 tokens),
/// variants "full" and "half".
ModelConfig brokenArtifactModel();

std::vector<BrokenArtifact> brokenArtifacts();

} // namespace tailor::testing

#endif // TAILOR_TESTS_RUNTIME_BROKENARTIFACTS_H
