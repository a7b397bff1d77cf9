//===- TailorPlanOps.h - the low-level plan form ----------------*- C++ -*-===//
//
// tailor.buffer and the tailor.step.* kernel steps (TailorPlanOps.td), with
// the StepOpInterface the artifact writer reads them through.
//
//===----------------------------------------------------------------------===//

#ifndef TAILOR_IR_TAILORPLANOPS_H
#define TAILOR_IR_TAILORPLANOPS_H

#include "tailor/ir/TailorOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::tailor {

/// The roles of a step op; a role ending in `?` is optional.
struct StepSchema {
  llvm::SmallVector<llvm::StringRef> inputs;
  llvm::SmallVector<llvm::StringRef> outputs;
  llvm::SmallVector<llvm::StringRef> weights;
};

/// Whether `name` is one of the attributes every step has (roles, weights,
/// operand segments) rather than a kernel attribute.
bool isStepStructureAttr(llvm::StringRef name);

/// The role checks every step op shares: known roles, each at most once,
/// required ones present, no buffer both read and written.
LogicalResult verifyStepRoles(Operation *op);

/// The dtype and shape rules of the step's kernel, weights included.
LogicalResult verifyStepShapes(Operation *op, SymbolTableCollection &symbols);

} // namespace mlir::tailor

#define GET_OP_FWD_DEFINES
#include "tailor/ir/TailorPlanOps.h.inc"
#include "tailor/ir/TailorPlanOpsInterfaces.h.inc"

#define GET_OP_CLASSES
#include "tailor/ir/TailorPlanOps.h.inc"

#endif // TAILOR_IR_TAILORPLANOPS_H
