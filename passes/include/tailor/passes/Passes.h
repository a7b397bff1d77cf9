//===- Passes.h - Tailor's passes -------------------------------*- C++ -*-===//
//
// The pass constructors and options generated from Passes.td, and their
// registration for tailor-opt.
//
//===----------------------------------------------------------------------===//

#ifndef TAILOR_PASSES_PASSES_H
#define TAILOR_PASSES_PASSES_H

#include "tailor/ir/TailorOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir::tailor {

#define GEN_PASS_DECL
#include "tailor/passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tailor/passes/Passes.h.inc"

} // namespace mlir::tailor

#endif // TAILOR_PASSES_PASSES_H
