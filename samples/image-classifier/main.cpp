//===- main.cpp - Classify Fashion-MNIST images with a Tailor artifact ----===//
//
// image-classifier MODEL IMAGES [LABELS] [--budget F]
//
// Loads a vit artifact, picks the largest variant within the budget (1.0 by
// default), classifies the images in batches and prints the first
// predictions and, with labels, the accuracy.
//
//===----------------------------------------------------------------------===//

#include <tailor/images.h>
#include <tailor/runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

namespace {

const char *const fashionClasses[] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

int fail(const tailor::Status &status) {
  std::fprintf(stderr, "image-classifier: %s\n", status.message().c_str());
  return 1;
}

int usage() {
  std::fprintf(stderr,
               "usage: image-classifier MODEL IMAGES [LABELS] [--budget F]\n");
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  std::string positional[3];
  int count = 0;
  double budget = 1.0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--budget" && i + 1 < argc)
      budget = std::strtod(argv[++i], nullptr);
    else if (arg.rfind("--", 0) == 0 || count == 3)
      return usage();
    else
      positional[count++] = arg;
  }
  if (count < 2)
    return usage();

  // Load the artifact and choose the variant for the budget.
  tailor::Result<tailor::Model> model = tailor::Model::load(positional[0]);
  if (!model.ok())
    return fail(model.status());
  tailor::Result<tailor::VariantInfo> variant = model->variantForBudget(budget);
  if (!variant.ok())
    return fail(variant.status());
  std::printf("variant %s: budget %g, %lld FLOPs per image\n",
              variant->name.c_str(), variant->budget,
              static_cast<long long>(variant->flops));

  // Images as the model's input, labels if given.
  tailor::Result<tailor::Tensor> pixels = tailor::readIdx(positional[1]);
  if (!pixels.ok())
    return fail(pixels.status());
  tailor::Result<tailor::Tensor> images =
      tailor::imagesToInput(*pixels, *model);
  if (!images.ok())
    return fail(images.status());
  tailor::Result<tailor::Tensor> labels = tailor::Tensor();
  if (count == 3 && !(labels = tailor::readIdx(positional[2])).ok())
    return fail(labels.status());

  tailor::Result<tailor::Session> session = tailor::Session::create(*model);
  if (!session.ok())
    return fail(session.status());

  const std::int64_t total = images->shape()[0], batch = 64;
  const std::int64_t imageFloats = images->numElements() / total;
  const std::string &input = model->inputs()[0].name;
  const std::string &output = model->outputs()[0].name;
  std::int64_t correct = 0;
  double seconds = 0;
  for (std::int64_t begin = 0; begin < total; begin += batch) {
    std::int64_t size = std::min(batch, total - begin);
    tailor::TensorView view = images->view();
    view.shape[0] = size;
    view.data = images->dataAs<float>() + begin * imageFloats;
    std::map<std::string, tailor::Tensor> outputs;
    tailor::Result<tailor::RunStats> stats =
        session->run(variant->name, {{input, view}}, outputs);
    if (!stats.ok())
      return fail(stats.status());
    seconds += stats->wallSeconds;

    const tailor::Tensor &logits = outputs.at(output);
    const std::int64_t classes = logits.shape()[1];
    for (std::int64_t i = 0; i < size; ++i) {
      const float *scores = logits.dataAs<float>() + i * classes;
      int predicted =
          static_cast<int>(std::max_element(scores, scores + classes) - scores);
      std::int64_t index = begin + i;
      if (index < 5)
        std::printf("image %lld: %s\n", static_cast<long long>(index),
                    classes == 10 ? fashionClasses[predicted]
                                  : std::to_string(predicted).c_str());
      if (labels->numElements() > index &&
          labels->dataAs<std::uint8_t>()[index] == predicted)
        ++correct;
    }
  }
  if (labels->numElements() > 0)
    std::printf("accuracy %.4f (%lld of %lld)\n",
                static_cast<double>(correct) / total,
                static_cast<long long>(correct), static_cast<long long>(total));
  std::printf("%.3f ms per image\n", 1e3 * seconds / total);
  return 0;
}
