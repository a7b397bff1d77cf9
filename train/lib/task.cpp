//===- task.cpp - The tasks the trainer knows and their data --------------===//

#include "tailor/train/task.h"
#include "tailor/train/error.h"
#include "tailor/train/fashion_mnist.h"

namespace tailor::train {

namespace {
const std::pair<Task, const char *> kTaskNames[] = {
    {Task::FashionMnist, "fashion-mnist"},
    {Task::FashionMnistPatches, "fashion-mnist-patches"},
    {Task::WordnetPos, "wordnet-pos"},
    {Task::WordnetLex, "wordnet-lex"}};

TaskData loadImages(Task task, const DataOptions &options) {
  LabelledImages train = loadFashionMnist(options.fashionMnistDir, true);
  LabelledImages test = loadFashionMnist(options.fashionMnistDir, false);
  if (task == Task::FashionMnistPatches) {
    if (28 % options.patchSize != 0)
      throw Error("patch size " + std::to_string(options.patchSize) +
                  " does not divide the 28-pixel images");
    train.labels = patchForegroundLabels(train.images, options.patchSize,
                                         options.foregroundThreshold);
    test.labels = patchForegroundLabels(test.images, options.patchSize,
                                        options.foregroundThreshold);
  }
  std::int64_t total = train.images.size(0);
  std::int64_t validation = options.validationImages;
  if (validation <= 0 || validation >= total)
    throw Error("validation split of " + std::to_string(validation) +
                " images: must be in [1, " + std::to_string(total) + ")");
  std::int64_t cut = total - validation;
  TaskData data;
  data.train = {train.images.slice(0, 0, cut), train.labels.slice(0, 0, cut)};
  data.validation = {train.images.slice(0, cut), train.labels.slice(0, cut)};
  data.test = {test.images, test.labels};
  return data;
}

TaskData loadGlosses(Task task, const DataOptions &options,
                     const std::optional<Vocabulary> &vocabulary) {
  if (options.maxLength < 2)
    throw Error("text length " + std::to_string(options.maxLength) +
                ": needs room for CLS and one word");
  const std::array<Glosses, 3> glosses = splitGlosses(task, options);
  std::vector<std::vector<std::string>> texts[3];
  for (int split = 0; split < 3; ++split)
    for (const std::string &gloss : glosses[split].texts)
      texts[split].push_back(tokenizeGloss(gloss));
  TaskData data;
  data.vocabulary =
      vocabulary ? *vocabulary : Vocabulary::build(texts[0], options.minCount);
  auto encode = [&](int split) {
    std::int64_t count = static_cast<std::int64_t>(texts[split].size());
    auto ids = torch::empty({count, options.maxLength}, torch::kLong);
    auto *out = ids.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < count; ++i) {
      auto row = data.vocabulary->encode(texts[split][i], options.maxLength);
      std::copy(row.begin(), row.end(), out + i * options.maxLength);
    }
    return Dataset{ids, torch::tensor(glosses[split].labels, torch::kLong)};
  };
  data.train = encode(static_cast<int>(Split::Train));
  data.validation = encode(static_cast<int>(Split::Validation));
  data.test = encode(static_cast<int>(Split::Test));
  return data;
}
} // namespace

std::string taskName(Task task) {
  for (const auto &[known, name] : kTaskNames)
    if (known == task)
      return name;
  return "?";
}

Task parseTask(const std::string &name) {
  std::string names;
  for (const auto &[task, known] : kTaskNames) {
    if (name == known)
      return task;
    names += std::string(names.empty() ? "" : ", ") + known;
  }
  throw Error("unknown task '" + name + "' (known: " + names + ")");
}

bool isTextTask(Task task) {
  return task == Task::WordnetPos || task == Task::WordnetLex;
}

bool isTokenTask(Task task) { return task == Task::FashionMnistPatches; }

std::int64_t taskClasses(Task task) {
  switch (task) {
  case Task::FashionMnist:
    return 10;
  case Task::FashionMnistPatches:
    return 2;
  case Task::WordnetPos:
    return kPartsOfSpeech;
  case Task::WordnetLex:
    return kLexicographerFiles;
  }
  return 0;
}

std::array<Glosses, 3> splitGlosses(Task task, const DataOptions &options) {
  if (!isTextTask(task))
    throw Error("task '" + taskName(task) +
                "' has no glosses (text tasks: " + taskName(Task::WordnetPos) +
                ", " + taskName(Task::WordnetLex) + ")");
  std::array<Glosses, 3> glosses;
  for (const Synset &synset : readWordnet(options.wordnetDir)) {
    Glosses &split = glosses[static_cast<int>(splitOf(synset))];
    split.texts.push_back(synset.gloss);
    split.labels.push_back(task == Task::WordnetPos
                               ? static_cast<std::int64_t>(synset.pos)
                               : synset.lexFile);
  }
  return glosses;
}

TaskData loadTask(Task task, const DataOptions &options,
                  const std::optional<Vocabulary> &vocabulary) {
  return isTextTask(task) ? loadGlosses(task, options, vocabulary)
                          : loadImages(task, options);
}

} // namespace tailor::train
