//===- ArtifactWriter.h - Lowered variants into a .tailor file --*- C++ -*-===//
//
// The last step of `tailorc compile`: each variant's module in the plan form
// (after lower-to-kernels and plan-memory) becomes a variant of the manifest
// (docs/artifact-format.md), and every weight a step names is stored once,
// read from the checkpoint (derived weights, `<tensor>@heads=...`, sliced
// from it).
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_CODEGEN_ARTIFACT_ARTIFACTWRITER_H
#define TAILOR_CODEGEN_ARTIFACT_ARTIFACTWRITER_H

#include "tailor/checkpoint/checkpoint.h"

#include "mlir/IR/BuiltinOps.h"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace tailor::artifact {

/// A module that does not have the plan form, weights that do not match the
/// checkpoint, variants that disagree on the model's inputs: the message
/// names the variant and what is wrong.
class ArtifactError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct LoweredVariant {
  /// The variant's name in the manifest ("b0.50").
  std::string name;
  /// The budget it was compiled for.
  double budget = 1.0;
  /// The module after plan-memory.
  mlir::ModuleOp module;
};

/// The manifest of `variants` (in their order), compiled from `checkpoint`.
nlohmann::json buildManifest(const checkpoint::Checkpoint &checkpoint,
                             const std::vector<LoweredVariant> &variants);

/// Writes the artifact: the manifest and every weight the steps name, each
/// once. Throws ArtifactError, checkpoint::CheckpointError or
/// safetensors::FormatError.
void writeArtifact(const std::string &path,
                   const checkpoint::Checkpoint &checkpoint,
                   const std::vector<LoweredVariant> &variants);

} // namespace tailor::artifact

#endif // TAILOR_CODEGEN_ARTIFACT_ARTIFACTWRITER_H
