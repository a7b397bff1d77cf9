//===- task.h - The tasks the trainer knows and their data ------*- C++ -*-===//
#ifndef TAILOR_TRAIN_TASK_H
#define TAILOR_TRAIN_TASK_H

#include "tailor/train/dataset.h"
#include "tailor/train/wordnet.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace tailor::train {

enum class Task {
  FashionMnist,        ///< image class (10), ViT
  FashionMnistPatches, ///< per-patch foreground/background, ViT, token-level
  WordnetPos,          ///< part of speech of a gloss (4), text encoder
  WordnetLex,          ///< lexicographer file of a gloss (45), text encoder
};

/// "fashion-mnist", "fashion-mnist-patches", "wordnet-pos", "wordnet-lex";
/// parsing throws Error listing the names.
std::string taskName(Task task);
Task parseTask(const std::string &name);
bool isTextTask(Task task);
bool isTokenTask(Task task);
std::int64_t taskClasses(Task task);

struct DataOptions {
  std::string fashionMnistDir = "/usr/share/datasets/fashion-mnist";
  std::string wordnetDir = "/usr/share/wordnet";
  /// The ViT's patch size, and that of the patch labels. 7 (16 patches and
  /// CLS) is the demo's: on a 2-core CPU it trains about three times as
  /// many images per second as patch 4 (50 tokens).
  std::int64_t patchSize = 7;
  /// A patch is foreground when its mean intensity exceeds this (about half
  /// the patches of Fashion-MNIST are).
  double foregroundThreshold = 0.2;
  /// Text: tokens per gloss, CLS included (95% of glosses fit in 32).
  std::int64_t maxLength = 32;
  /// Text: words seen fewer times in the training split become [UNK].
  std::int64_t minCount = 2;
  /// Fashion-MNIST: the last this many training images are the validation
  /// split.
  std::int64_t validationImages = 5000;
};

struct TaskData {
  Dataset train, validation, test;
  std::optional<Vocabulary> vocabulary; ///< text tasks
};

/// A text task's examples of one split, raw: each synset's gloss and its
/// label (part of speech or lexicographer file), in WordNet's order.
struct Glosses {
  std::vector<std::string> texts;
  std::vector<std::int64_t> labels;
};

/// The glosses of a text task (wordnet-pos, wordnet-lex), by Split: the
/// examples loadTask encodes, in its order. Throws Error for another task.
std::array<Glosses, 3> splitGlosses(Task task, const DataOptions &options);

/// Loads and splits the task's data. Text tasks build their vocabulary from
/// the training split unless `vocabulary` is given (a saved model's).
TaskData loadTask(Task task, const DataOptions &options,
                  const std::optional<Vocabulary> &vocabulary = std::nullopt);

} // namespace tailor::train

#endif // TAILOR_TRAIN_TASK_H
