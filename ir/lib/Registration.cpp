//===- Registration.cpp - What tailor tools register ----------------------===//

#include "tailor/ir/Registration.h"
#include "tailor/ir/TailorDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/Extensions/InlinerExtension.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void mlir::tailor::registerDialects(DialectRegistry &registry) {
  registry.insert<TailorDialect, arith::ArithDialect, func::FuncDialect,
                  scf::SCFDialect, tensor::TensorDialect>();
  // func promises its inliner interface; -inline aborts without it.
  func::registerInlinerExtension(registry);
}

void mlir::tailor::registerPasses() { registerTransformsPasses(); }
