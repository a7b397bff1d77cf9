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

/// The model inputs a text file feeds: token ids (i32 [-1, S]) and, when the
/// model has one, the key mask (u8 [-1, S]) that marks padding.
struct TextInputs {
  const TensorInfo *ids = nullptr;
  const TensorInfo *mask = nullptr;
};

Result<TextInputs> textInputs(const Model &model) {
  TextInputs found;
  for (const TensorInfo &input : model.inputs()) {
    bool sequence = input.shape.size() == 2;
    if (sequence && input.dtype == DType::I32 && !found.ids)
      found.ids = &input;
    else if (sequence && input.dtype == DType::U8 && !found.mask)
      found.mask = &input;
    else
      return Status::error("model input '" + input.name + "' (" +
                           std::string(dtypeName(input.dtype)) + " " +
                           formatShape(input.shape) +
                           ") cannot be read from a text file");
  }
  if (!found.ids)
    return Status::error("the model takes no token ids (i32 [-1, S])");
  if (found.mask && found.mask->shape != found.ids->shape)
    return Status::error("the model's key mask '" + found.mask->name +
                         "' does not have the shape of its token ids");
  return found;
}

Status loadTokens(const Model &model, const std::string &path,
                  std::int64_t limit, Dataset &dataset) {
  Result<TextInputs> inputs = textInputs(model);
  if (!inputs.ok())
    return inputs.status();
  const std::int64_t seq = inputs->ids->shape[1];
  std::ifstream file(path);
  if (!file)
    return Status::error("--input '" + path +
                         "': cannot open: " + std::strerror(errno));
  std::vector<std::int32_t> ids;
  std::string line;
  for (std::int64_t number = 1;
       (limit == 0 || dataset.count < limit) && std::getline(file, line);
       ++number) {
    std::string where = "--input '" + path + "' line " + std::to_string(number);
    std::istringstream words(line);
    std::vector<std::int32_t> sequence;
    std::string word;
    while (words >> word) {
      std::size_t used = 0;
      long long id = 0;
      try {
        id = std::stoll(word, &used);
      } catch (const std::exception &) {
        used = 0;
      }
      if (used != word.size() || id < INT32_MIN || id > INT32_MAX)
        return Status::error(where + ": '" + word + "' is not a token id");
      sequence.push_back(static_cast<std::int32_t>(id));
    }
    if (sequence.empty())
      return Status::error(where + " is empty");
    std::int64_t length = sequence.size();
    if (length > seq)
      return Status::error(where + " has " + std::to_string(length) +
                           " token ids; the model takes at most " +
                           std::to_string(seq));
    if (length < seq && !inputs->mask)
      return Status::error(where + " has " + std::to_string(length) +
                           " token ids; the model takes exactly " +
                           std::to_string(seq) +
                           " (it has no key mask input for padding)");
    sequence.resize(seq, 0);
    ids.insert(ids.end(), sequence.begin(), sequence.end());
    dataset.lengths.push_back(length);
    ++dataset.count;
  }
  if (dataset.count == 0)
    return Status::error("--input '" + path + "' holds no sequences");
  Result<Tensor> idTensor = Tensor::allocate(DType::I32, {dataset.count, seq});
  if (!idTensor.ok())
    return idTensor.status();
  std::memcpy(idTensor->data(), ids.data(), idTensor->numBytes());
  dataset.inputs[inputs->ids->name] = std::move(*idTensor);
  if (inputs->mask) {
    Result<Tensor> mask = Tensor::allocate(DType::U8, {dataset.count, seq});
    if (!mask.ok())
      return mask.status();
    for (std::int64_t i = 0; i < dataset.count; ++i)
      std::memset(mask->dataAs<std::uint8_t>() + i * seq, 1,
                  dataset.lengths[i]);
    dataset.inputs[inputs->mask->name] = std::move(*mask);
  }
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
                            const std::string &labelsPath, std::int64_t limit) {
  Dataset dataset;
  Status loaded = model.info().kind == "vit"
                      ? loadImages(model, inputPath, limit, dataset)
                      : loadTokens(model, inputPath, limit, dataset);
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
