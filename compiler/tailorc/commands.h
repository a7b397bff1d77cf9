//===- commands.h - tailorc's subcommands -----------------------*- C++ -*-===//
//
// Each subcommand registers itself on the CLI11 app with a callback that does
// its work and throws std::exception (CheckpointError, ...) on failure;
// main.cpp reports the error and sets the exit status.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TAILORC_COMMANDS_H
#define TAILOR_TAILORC_COMMANDS_H

#include <CLI/CLI.hpp>

#include <string>

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace tailor::tailorc {

/// `tailorc import DIR -o model.mlir`.
void addImportCommand(CLI::App &app);

/// `tailorc compile DIR --budgets 1.0,0.5 -o model.tailor`.
void addCompileCommand(CLI::App &app);

/// Writes `module` as text to `path` ("-" is standard output), with locations
/// when `withLocations`. Throws std::runtime_error when `path` cannot be
/// written.
void writeModule(mlir::ModuleOp module, const std::string &path,
                 bool withLocations);

} // namespace tailor::tailorc

#endif // TAILOR_TAILORC_COMMANDS_H
