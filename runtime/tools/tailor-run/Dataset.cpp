//===- Dataset.cpp - tailor-run's inputs and labels -----------------------===//

#include "Dataset.h"

#include "tailor/images.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tailor::run {
namespace {

/// The first `count` samples of `tensor`.
Result<Tensor> firstSamples(const Tensor &tensor, std::int64_t count) {
  std::vector<std::int64_t> shape = tensor.shape();
  std::size_t sampleBytes = tensor.numBytes() / shape[0];
  shape[0] = count;
  Result<Tensor> head = Tensor::allocate(tensor.dtype(), shape);
  if (head.ok())
    std::memcpy(head->data(), tensor.data(), count * sampleBytes);
  return head;
}

Status loadImages(const Model &model, const std::string &path,
                  std::int64_t limit, Dataset &dataset) {
  Result<Tensor> images = readIdx(path);
  if (!images.ok())
    return images.status();
  if (images->shape().size() < 3)
    return Status::error("--input '" + path + "' holds " +
                         formatShape(images->shape()) +
                         " values, not images (labels go to --labels)");
  dataset.count = images->shape()[0];
  if (dataset.count == 0)
    return Status::error("--input '" + path + "' holds no images");
  if (limit > 0 && limit < dataset.count) {
    images = firstSamples(*images, limit);
    if (!images.ok())
      return images.status();
    dataset.count = limit;
  }
  Result<Tensor> input = imagesToInput(*images, model);
  if (!input.ok())
    return Status::error("--input '" + path + "': " + input.status().message());
  dataset.inputs[model.inputs()[0].name] = std::move(*input);
  dataset.lengths.assign(dataset.count, 0);
  return {};
}

/// The lines of `path`, at most `limit` of them (0: all); an error for a
/// file without lines and for a blank line.
Result<std::vector<std::string>> readLines(const std::string &path,
                                           std::int64_t limit) {
  std::ifstream file(path);
  if (!file)
    return Status::error("--input '" + path +
                         "': cannot open: " + std::strerror(errno));
  std::vector<std::string> lines;
  std::string line;
  while ((limit == 0 || std::int64_t(lines.size()) < limit) &&
         std::getline(file, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      return Status::error("--input '" + path + "' line " +
                           std::to_string(lines.size() + 1) + " is empty");
    lines.push_back(std::move(line));
  }
  if (lines.empty())
    return Status::error("--input '" + path + "' is empty");
  return lines;
}

/// Each line's space-separated token ids.
Result<std::vector<std::vector<std::int32_t>>>
parseTokenIds(const Model &model, const std::vector<std::string> &lines) {
  std::vector<std::vector<std::int32_t>> sequences;
  for (const std::string &line : lines) {
    std::istringstream words(line);
    std::vector<std::int32_t> &sequence = sequences.emplace_back();
    std::string word;
    while (words >> word) {
      std::size_t used = 0;
      long long id = 0;
      try {
        id = std::stoll(word, &used);
      } catch (const std::exception &) {
        used = 0;
      }
      if (used == word.size() && id >= INT32_MIN && id <= INT32_MAX) {
        sequence.push_back(static_cast<std::int32_t>(id));
        continue;
      }
      std::string message = "line " + std::to_string(sequences.size()) + ": '" +
                            word + "' is not a token id";
      if (model.info().vocabularySize == 0)
        message += " (this artifact carries no vocabulary, so it reads "
                   "token ids only; compile a checkpoint that has "
                   "vocab.txt to run text)";
      return Status::error(message);
    }
  }
  return sequences;
}

/// One text (or, with `tokenIds` or an artifact without a vocabulary, one
/// sequence of token ids) per line.
Status loadSequences(const Model &model, const std::string &path,
                     std::int64_t limit, bool tokenIds, Dataset &dataset) {
  Result<std::vector<std::string>> lines = readLines(path, limit);
  if (!lines.ok())
    return lines.status();
  Result<TokenInputs> inputs = [&]() -> Result<TokenInputs> {
    if (model.info().vocabularySize > 0 && !tokenIds)
      return model.encodeTexts(*lines);
    Result<std::vector<std::vector<std::int32_t>>> sequences =
        parseTokenIds(model, *lines);
    if (!sequences.ok())
      return sequences.status();
    return model.tokenInputs(*sequences);
  }();
  if (!inputs.ok())
    return Status::error("--input '" + path +
                         "': " + inputs.status().message());
  dataset.count = static_cast<std::int64_t>(lines->size());
  dataset.inputs = std::move(inputs->tensors);
  dataset.lengths = std::move(inputs->lengths);
  dataset.truncatedTexts = inputs->truncated;
  dataset.unknownWords = inputs->unknownWords;
  return {};
}

Result<std::vector<std::int32_t>> readLabels(const Model &model,
                                             const std::string &path) {
  std::vector<std::int32_t> labels;
  if (model.info().kind == "vit") {
    Result<Tensor> tensor = readIdx(path);
    if (!tensor.ok())
      return tensor.status();
    if (tensor->shape().size() != 1)
      return Status::error("--labels '" + path + "' holds " +
                           formatShape(tensor->shape()) +
                           " values, not one label per image");
    const std::uint8_t *values = tensor->dataAs<std::uint8_t>();
    labels.assign(values, values + tensor->numElements());
  } else {
    std::ifstream file(path);
    if (!file)
      return Status::error("--labels '" + path +
                           "': cannot open: " + std::strerror(errno));
    std::string line;
    for (std::int64_t number = 1; std::getline(file, line); ++number) {
      std::istringstream words(line);
      long long label;
      std::string rest;
      if (!(words >> label) || (words >> rest) || label < INT32_MIN ||
          label > INT32_MAX)
        return Status::error(
            "--labels '" + path + "' line " + std::to_string(number) +
            ": expected one integer label, got '" + line + "'");
      labels.push_back(static_cast<std::int32_t>(label));
    }
  }
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || labels[i] >= model.info().classes)
      return Status::error("--labels '" + path + "': label " +
                           std::to_string(labels[i]) + " of sample " +
                           std::to_string(i) +
                           " is not a class of the model (0 to " +
                           std::to_string(model.info().classes - 1) + ")");
  return labels;
}

} // namespace

std::map<std::string, TensorView> Dataset::slice(std::int64_t begin,
                                                 std::int64_t end) const {
  std::map<std::string, TensorView> views;
  for (const auto &[name, tensor] : inputs) {
    TensorView view = tensor.view();
    std::size_t sampleBytes = tensor.numBytes() / count;
    view.shape[0] = end - begin;
    view.data =
        static_cast<const std::uint8_t *>(tensor.data()) + begin * sampleBytes;
    views[name] = std::move(view);
  }
  return views;
}

Result<Dataset> loadDataset(const Model &model, const std::string &inputPath,
                            const std::string &labelsPath, std::int64_t limit,
                            bool tokenIds) {
  Dataset dataset;
  Status loaded =
      model.info().kind == "vit"
          ? loadImages(model, inputPath, limit, dataset)
          : loadSequences(model, inputPath, limit, tokenIds, dataset);
  if (!loaded.ok())
    return loaded;
  if (labelsPath.empty())
    return dataset;
  if (model.info().task != "sequence")
    return Status::error("--labels: accuracy needs one label per input; this "
                         "model labels every token");
  Result<std::vector<std::int32_t>> labels = readLabels(model, labelsPath);
  if (!labels.ok())
    return labels.status();
  std::int64_t given = labels->size();
  if (given < dataset.count || (limit == 0 && given != dataset.count))
    return Status::error("--labels '" + labelsPath + "' has " +
                         std::to_string(labels->size()) + " labels for " +
                         std::to_string(dataset.count) + " inputs");
  labels->resize(dataset.count);
  dataset.labels = std::move(*labels);
  return dataset;
}

} // namespace tailor::run
