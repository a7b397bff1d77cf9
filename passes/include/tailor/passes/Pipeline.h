//===- Pipeline.h - From an imported module to one variant's plan -*- C++
//-*-===//
//
// The pass pipeline `tailorc compile` runs once per variant, also registered
// for tailor-opt as `tailor-variant{budget=... skip=...}`.
//
//===----------------------------------------------------------------------===//

#ifndef TAILOR_PASSES_PIPELINE_H
#define TAILOR_PASSES_PIPELINE_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
class OpPassManager;

namespace tailor {

struct VariantOptions {
  /// Budget of the tailor.length_configs entry to fold.
  double budget = 1.0;
  /// Layers the variant skips.
  std::vector<int64_t> skippedLayers;
  /// The activations' type: "f32", or "bf16" or "f16" (narrow-activations).
  std::string activations = "f32";
};

/// fold-layer-config (when layers are skipped), fold-length-config,
/// prune-heads, canonicalize, cse, lower-to-kernels, pack-qkv,
/// fuse-residual-add, fuse-add-layer-norm, narrow-activations (16-bit
/// activations), plan-memory.
void buildVariantPipeline(OpPassManager &pm, const VariantOptions &options);

/// Registers Tailor's passes and the `tailor-variant` pipeline (for
/// tailor-opt), next to registerPasses (tailor/ir/Registration.h).
void registerTailorPassesAndPipeline();

} // namespace tailor
} // namespace mlir

#endif // TAILOR_PASSES_PIPELINE_H
