//===- PlanSteps.h - Building and reading plan steps by role ----*- C++ -*-===//
//
// What the passes that emit or rewrite tailor.step.* ops share: a step built
// from role lists, and a step's buffer by role.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_PASSES_PLANSTEPS_H
#define TAILOR_PASSES_PLANSTEPS_H

#include "tailor/ir/TailorPlanOps.h"

#include "mlir/IR/Builders.h"

namespace mlir::tailor {

using RoleValues = ArrayRef<std::pair<StringRef, Value>>;

/// Creates the step `name` (`tailor.step.linear`, ...) at the builder's
/// insertion point with its buffers and weights by role (`weights` may be
/// empty) and its kernel attributes.
Operation *buildStep(OpBuilder &builder, Location loc, StringRef name,
                     RoleValues inputs, RoleValues outputs,
                     DictionaryAttr weights, ArrayRef<NamedAttribute> attrs);

/// Moves the tailor.buffer `buffer` before `step` when it is declared after
/// it in its block: a fusion moves a write up to an earlier step.
void declareBefore(Value buffer, Operation *step);

/// The buffer of input (or output) `role`, or null when the step has none.
Value stepInput(StepOpInterface step, StringRef role);
Value stepOutput(StepOpInterface step, StringRef role);

/// The step's inputs (or outputs) with their roles.
SmallVector<std::pair<StringRef, Value>> stepInputs(StepOpInterface step);
SmallVector<std::pair<StringRef, Value>> stepOutputs(StepOpInterface step);

} // namespace mlir::tailor

#endif // TAILOR_PASSES_PLANSTEPS_H
