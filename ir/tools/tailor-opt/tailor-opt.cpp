//===- tailor-opt.cpp - Runs passes on Tailor IR --------------------------===//
//
// mlir-opt for Tailor: parses, verifies, transforms and prints IR in the
// tailor dialect and the upstream dialects it is written with.
//
//===----------------------------------------------------------------------===//

#include "tailor/ir/Registration.h"
#include "tailor/passes/Pipeline.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::tailor::registerDialects(registry);
  mlir::tailor::registerPasses();
  mlir::tailor::registerTailorPassesAndPipeline();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "Tailor IR optimizer: runs pass pipelines on tailor IR\n",
      registry));
}
