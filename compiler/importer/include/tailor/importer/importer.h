//===- importer.h - Checkpoint to tailor dialect ----------------*- C++ -*-===//
//
// Turns a loaded checkpoint (tailor::checkpoint::Checkpoint: model.json or a
// Hugging Face BERT/ViT) into the tailor dialect's imported form
// (docs/dialect.md, "The imported form"): one tailor.global per checkpoint
// tensor and a @forward function whose token selections take their k from
// a length-configuration argument, for the passes to fold.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_IMPORTER_IMPORTER_H
#define TAILOR_IMPORTER_IMPORTER_H

#include "tailor/checkpoint/checkpoint.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace tailor::importer {

/// The module of `checkpoint`, verified. Loads the dialects it uses into
/// `context`. Throws checkpoint::CheckpointError when the module fails to
/// verify (a checkpoint the loader accepted but the dialect rejects), with
/// the verifier's message.
mlir::OwningOpRef<mlir::ModuleOp>
importCheckpoint(mlir::MLIRContext &context,
                 const checkpoint::Checkpoint &checkpoint);

} // namespace tailor::importer

#endif // TAILOR_IMPORTER_IMPORTER_H
