//===- TailorOps.h - tailor operations --------------------------*- C++ -*-===//
//
// The tailor dialect's ops, with the dialect and its attributes: the one
// header users of the dialect include.
//
//===----------------------------------------------------------------------===//

#ifndef TAILOR_IR_TAILOROPS_H
#define TAILOR_IR_TAILOROPS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "tailor/ir/TailorAttrs.h"
#include "tailor/ir/TailorDialect.h"

#define GET_OP_CLASSES
#include "tailor/ir/TailorOps.h.inc"

#endif // TAILOR_IR_TAILOROPS_H
