//===- Internal.h - The artifact writer's parts -----------------*- C++ -*-===//
#ifndef TAILOR_CODEGEN_ARTIFACT_INTERNAL_H
#define TAILOR_CODEGEN_ARTIFACT_INTERNAL_H

#include "tailor/codegen/artifact/ArtifactWriter.h"
#include "tailor/ir/TailorPlanOps.h"

#include <cstdint>

namespace tailor::artifact::detail {

/// The FLOPs of one sample through `step`, counted as
/// tailor::checkpoint::modelFlops counts them (2 x the multiply-adds of
/// every matmul), from the step's static shapes.
std::int64_t stepFlops(mlir::tailor::StepOpInterface step);

/// The tensor a global holds in the artifact: its symbol for a derived
/// weight (`<tensor>@heads=0,2`), else its checkpoint tensor.
std::string tensorName(mlir::tailor::GlobalOp global);

/// The variant's manifest entry and the globals its steps name.
nlohmann::json variantManifest(const LoweredVariant &variant,
                               std::vector<mlir::tailor::GlobalOp> &weights);

/// The model's inputs or outputs (`inputs`: true) as the variant's buffers
/// declare them.
nlohmann::json modelTensors(const LoweredVariant &variant, bool inputs);

/// The values of `global`, read or derived from the checkpoint.
std::vector<float> weightValues(const checkpoint::Checkpoint &checkpoint,
                                mlir::tailor::GlobalOp global);

} // namespace tailor::artifact::detail

#endif // TAILOR_CODEGEN_ARTIFACT_INTERNAL_H
