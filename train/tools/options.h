//===- options.h - tailor-train's command line ------------------*- C++ -*-===//
#ifndef TAILOR_TRAIN_TOOLS_OPTIONS_H
#define TAILOR_TRAIN_TOOLS_OPTIONS_H

#include "tailor/train/search.h"
#include "tailor/train/task.h"
#include "tailor/train/trainer.h"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace tailor::train {

struct ModelOptions {
  std::int64_t layers = 4;
  std::int64_t hidden = 64;
  std::int64_t heads = 4;
  std::int64_t intermediate = 128;
  std::string norm = "pre";
  std::string activation = "gelu";
};

struct ToolOptions {
  std::string task = "fashion-mnist";
  std::string out = "runs/vit";
  std::string device = "cpu";
  /// 0: LibTorch's default (one per core).
  int threads = 0;
  bool fresh = false;
  /// 0: the whole training split.
  std::int64_t trainExamples = 0;
  std::int64_t evalBatch = 500;
  ModelOptions model;
  TrainOptions train;
  DataOptions data;
  SearchOptions search;
  bool noSearch = false;
  /// Validation examples the search's fitness runs on (0: all).
  std::int64_t searchExamples = 2000;
  /// LengthDrop range of the search's samples and mutations; negative: the
  /// training's --length-drop, or 0.3 for a model trained without it.
  double searchLengthDrop = -1.0;
  /// Extra length configurations to evaluate on the test split.
  std::vector<std::string> evalLengths;
  /// SSA: the fraction of key blocks kept while training (0: dense
  /// attention), the block size, the locality bias, and how model.json says
  /// to run the model (dense, sparse, ensemble of ssaEnsemble patterns).
  double ssaKeep = 0.0;
  std::int64_t ssaBlock = 16;
  double ssaLocality = 1.0;
  std::string ssaInference = "dense";
  std::int64_t ssaEnsemble = 4;
};

/// Declares every option on `app`, bound to `options`.
void addOptions(CLI::App &app, ToolOptions &options);

} // namespace tailor::train

#endif // TAILOR_TRAIN_TOOLS_OPTIONS_H
