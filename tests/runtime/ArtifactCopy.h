//===- ArtifactCopy.h - Artifacts edited tensor by tensor -------*- C++ -*-===//
#ifndef TAILOR_TESTS_RUNTIME_ARTIFACTCOPY_H
#define TAILOR_TESTS_RUNTIME_ARTIFACTCOPY_H

#include "tailor/safetensors/safetensors.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tailor::testing {

/// Decides a tensor's fate in a copy: may change its bytes (a U8 tensor may
/// change size), returns false to leave it out.
using KeepTensor = std::function<bool(const safetensors::TensorInfo &,
                                      std::vector<std::uint8_t> &)>;

/// Copies the safetensors file `from` (metadata included) to `to`, each
/// tensor through `keep`.
void copyArtifact(const std::string &from, const std::string &to,
                  const KeepTensor &keep);

} // namespace tailor::testing

#endif // TAILOR_TESTS_RUNTIME_ARTIFACTCOPY_H
