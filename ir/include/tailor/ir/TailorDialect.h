//===- TailorDialect.h - The tailor dialect ---------------------*- C++ -*-===//
//
// The dialect class. Include TailorOps.h for the ops and attributes.
//
//===----------------------------------------------------------------------===//

#ifndef TAILOR_IR_TAILORDIALECT_H
#define TAILOR_IR_TAILORDIALECT_H

#include "mlir/IR/Dialect.h"

#include "tailor/ir/TailorDialect.h.inc"

#endif // TAILOR_IR_TAILORDIALECT_H
