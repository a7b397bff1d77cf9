//===- write_module.cpp - Writing IR to a file or standard output ---------===//

#include "commands.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"

#include <stdexcept>

namespace tailor::tailorc {

void writeModule(mlir::ModuleOp module, const std::string &path,
                 bool withLocations) {
  std::string error;
  // ToolOutputFile removes a partly written file unless it is kept.
  std::unique_ptr<llvm::ToolOutputFile> file =
      mlir::openOutputFile(path, &error);
  if (!file)
    throw std::runtime_error("cannot write '" + path + "': " + error);
  mlir::OpPrintingFlags flags;
  flags.enableDebugInfo(withLocations, /*prettyForm=*/false);
  module->print(file->os(), flags);
  file->os() << "\n";
  file->os().flush();
  if (file->os().has_error())
    throw std::runtime_error("cannot write '" + path +
                             "': " + file->os().error().message());
  file->keep();
}

} // namespace tailor::tailorc
