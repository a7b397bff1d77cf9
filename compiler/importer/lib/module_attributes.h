//===- module_attributes.h - The imported module's attributes ---*- C++ -*-===//
#ifndef TAILOR_IMPORTER_MODULE_ATTRIBUTES_H
#define TAILOR_IMPORTER_MODULE_ATTRIBUTES_H

#include "tailor/checkpoint/checkpoint.h"

#include "mlir/IR/BuiltinOps.h"

namespace tailor::importer {

/// Sets `tailor.model` (the architecture) and `tailor.length_configs` (the
/// searched configurations, plus the full one when the checkpoint has no
/// budget 1.0) on `module`.
void setModuleAttributes(mlir::ModuleOp module,
                         const checkpoint::ModelConfig &config,
                         checkpoint::CheckpointFormat format);

} // namespace tailor::importer

#endif // TAILOR_IMPORTER_MODULE_ATTRIBUTES_H
