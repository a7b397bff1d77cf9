//===- Variant.h - The module attribute naming a folded variant -*- C++ -*-===//
//
// `tailor.variant` (docs/dialect.md): which configuration the passes folded
// into a module. fold-layer-config records the skipped layers,
// fold-length-config the length configuration; the artifact writer reads it.
//
//===----------------------------------------------------------------------===//

#ifndef TAILOR_PASSES_VARIANT_H
#define TAILOR_PASSES_VARIANT_H

#include "tailor/ir/TailorOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::tailor {

constexpr llvm::StringLiteral kVariantAttr = "tailor.variant";

/// The length configuration folded into `module`, if any.
LengthConfigAttr getFoldedLengthConfig(ModuleOp module);
/// The layers fold-layer-config removed (empty when none).
SmallVector<int64_t> getSkippedLayers(ModuleOp module);

void setFoldedLengthConfig(ModuleOp module, LengthConfigAttr config);
void setSkippedLayers(ModuleOp module, ArrayRef<int64_t> layers);

/// The function the importer emits, or an error on `module` naming it.
FailureOr<func::FuncOp> getForward(ModuleOp module, StringRef pass);

} // namespace mlir::tailor

#endif // TAILOR_PASSES_VARIANT_H
