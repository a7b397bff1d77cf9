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

/// A U8 tensor of compiled code: `kernel.<name>.cu` (CUDA source) or
/// `kernel.<name>.cubin.<arch>`.
struct KernelTensor {
  std::string name;
  std::vector<std::uint8_t> bytes;
};

struct ArtifactOptions {
  /// The manifest's `precision`: how the CUDA backend multiplies by
  /// default ("fp32", "tf32", "bf16", "fp16"). At bf16 and fp16 the
  /// weights of rank 2 and more are stored in that type.
  std::string precision = "fp32";
  /// Stored as they are.
  std::vector<KernelTensor> kernels;
};

/// The manifest of `variants` (in their order), compiled from `checkpoint`.
nlohmann::json buildManifest(const checkpoint::Checkpoint &checkpoint,
                             const std::vector<LoweredVariant> &variants,
                             const ArtifactOptions &options = {});

/// Writes the artifact: the manifest, every weight the steps name, each
/// once, and the kernels of `options`. Throws ArtifactError,
/// checkpoint::CheckpointError or safetensors::FormatError.
void writeArtifact(const std::string &path,
                   const checkpoint::Checkpoint &checkpoint,
                   const std::vector<LoweredVariant> &variants,
                   const ArtifactOptions &options = {});

} // namespace tailor::artifact

#endif // TAILOR_CODEGEN_ARTIFACT_ARTIFACTWRITER_H
