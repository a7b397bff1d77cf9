//===- acmize_command.h - tailor-train --acmize -----------------*- C++ -*-===//
#ifndef TAILOR_TRAIN_TOOLS_ACMIZE_COMMAND_H
#define TAILOR_TRAIN_TOOLS_ACMIZE_COMMAND_H

#include "options.h"

#include "tailor/train/acmize.h"

#include <CLI/CLI.hpp>

#include <string>

namespace tailor::train {

struct AcmCommandOptions {
  /// The trained dense checkpoint; empty: not an --acmize run.
  std::string source;
  /// Batch size, weight decay and seed come from the trainer's options.
  AcmOptions acm;
};

/// Declares --acmize and the ACM options on `app`, bound to `options`.
void addAcmOptions(CLI::App &app, AcmCommandOptions &options);

/// Loads the dense checkpoint, turns its MLPs into ACMs (three stages),
/// evaluates dense and ACM on the test split, and writes the ACM checkpoint,
/// acm_histogram.csv and .png, results.json and results.txt into
/// tool.out. Returns the exit status; throws on errors.
int runAcmize(const ToolOptions &tool, const AcmCommandOptions &options);

} // namespace tailor::train

#endif // TAILOR_TRAIN_TOOLS_ACMIZE_COMMAND_H
