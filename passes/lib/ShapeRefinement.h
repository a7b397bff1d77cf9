//===- ShapeRefinement.h - Static shapes from static operands ---*- C++ -*-===//

#ifndef TAILOR_PASSES_SHAPEREFINEMENT_H
#define TAILOR_PASSES_SHAPEREFINEMENT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::tailor {

/// Walks `function` in order and gives every tensor result of a tailor op or
/// an elementwise op each static size its operands imply, then updates the
/// function's result types. Fails (with an error on the op) where a result's
/// static size contradicts its operands.
LogicalResult refineShapes(func::FuncOp function);

} // namespace mlir::tailor

#endif // TAILOR_PASSES_SHAPEREFINEMENT_H
