//===- tailor_glosses.cpp - A text task's split as files tailor-run reads -===//
//
// tailor-glosses: writes one split of a WordNet task as two text files, the
// glosses (one per line) and their labels (one class index per line), in
// the order the trainer evaluates them, so that
// `tailor-run model.tailor --input glosses.txt --labels labels.txt` measures
// what tailor-train measured.
//
//===----------------------------------------------------------------------===//

#include "tailor/train/error.h"
#include "tailor/train/task.h"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>

namespace tailor::train {
namespace {

struct Options {
  std::string task = "wordnet-pos";
  std::string split = "test";
  std::string wordnetDir = DataOptions().wordnetDir;
  std::string glosses;
  std::string labels;
};

template <typename T>
void writeLines(const std::string &path, const std::vector<T> &lines) {
  std::ofstream out(path);
  for (const T &line : lines)
    out << line << '\n';
  out.flush();
  if (!out)
    throw Error(path + ": cannot write");
}

int run(const Options &options) {
  const Task task = parseTask(options.task);
  const char *splitNames[] = {"train", "validation", "test"};
  int split = 0;
  while (split < 3 && options.split != splitNames[split])
    ++split;
  if (split == 3)
    throw Error("--split '" + options.split +
                "': expected train, validation or test");
  DataOptions data;
  data.wordnetDir = options.wordnetDir;
  const Glosses glosses = splitGlosses(task, data)[split];
  writeLines(options.glosses, glosses.texts);
  if (!options.labels.empty())
    writeLines(options.labels, glosses.labels);
  std::cout << "wrote the " << glosses.texts.size() << " " << options.split
            << " glosses of " << options.task << " to " << options.glosses
            << (options.labels.empty() ? "" : " and their labels to ")
            << options.labels << "\n";
  return 0;
}

} // namespace
} // namespace tailor::train

int main(int argc, char **argv) {
  tailor::train::Options options;
  CLI::App app{"tailor-glosses: writes a split of a WordNet task as text "
               "files, one gloss per line and one label (class index) per "
               "line, in the order tailor-train evaluates them: the input "
               "and labels of tailor-run."};
  app.add_option("--task", options.task, "wordnet-pos or wordnet-lex")
      ->capture_default_str();
  app.add_option("--split", options.split, "train, validation or test")
      ->capture_default_str();
  app.add_option("--wordnet-dir", options.wordnetDir, "WordNet's data.* files")
      ->capture_default_str();
  app.add_option("--glosses", options.glosses, "Output: one gloss per line")
      ->required();
  app.add_option("--labels", options.labels,
                 "Output: one class index per line");
  CLI11_PARSE(app, argc, argv);
  try {
    return tailor::train::run(options);
  } catch (const std::exception &error) {
    std::cerr << "tailor-glosses: error: " << error.what() << '\n';
    return 1;
  }
}
