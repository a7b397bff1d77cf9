//===- TailorAttrs.h - tailor enums and attributes --------------*- C++ -*-===//
//
// Activation and Pooling enums and their attributes; LengthConfigAttr,
// HeadMaskAttr, BlockSparseAttr and TyingAttr.
//
//===----------------------------------------------------------------------===//

#ifndef TAILOR_IR_TAILORATTRS_H
#define TAILOR_IR_TAILORATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"

#include <optional>

#include "tailor/ir/TailorEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "tailor/ir/TailorAttrs.h.inc"

#endif // TAILOR_IR_TAILORATTRS_H
