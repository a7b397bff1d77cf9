//===- Harness.cpp - What the runtime tests share -------------------------===//

#include "Harness.h"

#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace tailor::testing {

TempDir::TempDir() {
  const char *base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base && *base ? base : "/tmp") + "/tailor-runtime-XXXXXX";
  if (!mkdtemp(pattern.data()))
    throw std::runtime_error("mkdtemp " + pattern + ": " +
                             std::strerror(errno));
  root = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(root, ignored);
}

void HostTensors::add(const std::string &name, DType dtype,
                      std::vector<std::int64_t> shape, const void *data) {
  Result<Tensor> tensor = Tensor::allocate(dtype, std::move(shape));
  if (!tensor.ok())
    throw std::runtime_error(tensor.status().message());
  std::memcpy(tensor->data(), data, tensor->numBytes());
  tensors[name] = std::move(*tensor);
}

void HostTensors::addF32(const std::string &name, const Array &array) {
  std::vector<float> values = array.toFloat32();
  add(name, DType::F32, array.shape, values.data());
}

std::map<std::string, TensorView> HostTensors::views() const {
  std::map<std::string, TensorView> views;
  for (const auto &[name, tensor] : tensors)
    views[name] = tensor.view();
  return views;
}

HostTensors modelInputs(const ModelConfig &config, const Inputs &inputs) {
  HostTensors tensors;
  if (config.kind == "vit") {
    tensors.addF32("images", inputs.images);
    return tensors;
  }
  std::vector<std::int64_t> shape = {inputs.batch, config.tokens()};
  tensors.add("ids", DType::I32, shape, inputs.ids.data());
  if (config.keyMask)
    tensors.add("key_mask", DType::U8, shape, inputs.keyMask.data());
  return tensors;
}

Array toArray(const Tensor &tensor) {
  if (tensor.dtype() != DType::F32)
    throw std::runtime_error("toArray: not an f32 tensor");
  return Array::fromFloat32(tensor.shape(), tensor.dataAs<float>());
}

namespace {

nlohmann::json tensorInfo(const std::string &name, const std::string &dtype,
                          std::vector<std::int64_t> dims) {
  dims.insert(dims.begin(), -1);
  return {{"name", name}, {"dtype", dtype}, {"shape", dims}};
}

} // namespace

SmallPlan &SmallPlan::input(const std::string &name, const std::string &dtype,
                            std::vector<std::int64_t> dims) {
  inputs.push_back(tensorInfo(name, dtype, dims));
  inputNames.push_back(plan.buffer(name, dtype, dims));
  return *this;
}

SmallPlan &SmallPlan::output(const std::string &name, const std::string &dtype,
                             std::vector<std::int64_t> dims) {
  outputs.push_back(tensorInfo(name, dtype, dims));
  outputNames.push_back(plan.buffer(name, dtype, dims));
  return *this;
}

SmallPlan &SmallPlan::buffer(const std::string &name, const std::string &dtype,
                             std::vector<std::int64_t> dims) {
  plan.buffer(name, dtype, std::move(dims));
  return *this;
}

SmallPlan &SmallPlan::weight(const std::string &name, const Array &array) {
  weights[name] = array;
  return *this;
}

SmallPlan &SmallPlan::step(const std::string &op, nlohmann::json stepInputs,
                           nlohmann::json stepOutputs,
                           nlohmann::json stepWeights, nlohmann::json attrs,
                           const std::string &guard) {
  plan.step(op, std::move(stepInputs), std::move(stepOutputs),
            std::move(stepWeights), std::move(attrs), guard);
  return *this;
}

Artifact SmallPlan::artifact() const {
  PlanBuilder::Plan layout = plan.finish(inputNames, outputNames);
  Artifact artifact;
  artifact.weights = weights;
  artifact.manifest = {
      {"format", "tailor-artifact"},
      {"version", 1},
      {"model",
       {{"kind", "vit"},
        {"task", "sequence"},
        {"classes", 1},
        {"hidden", 1},
        {"layers", 1},
        {"heads", 1}}},
      {"inputs", inputs},
      {"outputs", outputs},
      {"variants",
       {{{"name", "only"},
         {"budget", 1.0},
         {"flops", 0},
         {"lengths", {1}},
         {"arena_bytes_per_sample", layout.arenaBytesPerSample},
         {"buffers", layout.buffers},
         {"steps", layout.steps}}}}};
  return artifact;
}

void writeIdx(const std::string &path, const std::vector<std::int64_t> &dims,
              const std::vector<std::uint8_t> &bytes, bool gzip) {
  std::vector<std::uint8_t> file = {0, 0, 0x08,
                                    static_cast<std::uint8_t>(dims.size())};
  for (std::int64_t dim : dims)
    for (int shift = 24; shift >= 0; shift -= 8)
      file.push_back(static_cast<std::uint8_t>(dim >> shift));
  file.insert(file.end(), bytes.begin(), bytes.end());
  gzFile out = gzopen(path.c_str(), gzip ? "wb" : "wbT");
  if (!out ||
      gzwrite(out, file.data(), static_cast<unsigned>(file.size())) !=
          static_cast<int>(file.size()) ||
      gzclose(out) != Z_OK)
    throw std::runtime_error("cannot write " + path);
}

Inputs imageInputs(const ModelConfig &config,
                   const std::vector<std::uint8_t> &pixels,
                   std::int64_t batch) {
  auto [mean, stddev] =
      config.inputNormalization.value_or(std::make_pair(0.0, 1.0));
  Inputs inputs;
  inputs.batch = batch;
  inputs.images =
      Array({batch, config.channels, config.imageSize, config.imageSize});
  for (std::size_t i = 0; i < pixels.size(); ++i)
    inputs.images.values[i] =
        static_cast<float>((pixels[i] / 255.0 - mean) / stddev);
  return inputs;
}

std::vector<std::int32_t> argmaxRows(const Array &logits) {
  std::int64_t classes = logits.shape.back();
  std::vector<std::int32_t> result;
  for (std::int64_t row = 0; row * classes < logits.size(); ++row) {
    auto begin = logits.values.begin() + row * classes;
    result.push_back(static_cast<std::int32_t>(
        std::max_element(begin, begin + classes) - begin));
  }
  return result;
}

std::vector<std::uint8_t>
imagesOfSeveralClasses(const ModelConfig &config, const Weights &weights,
                       const VariantConfig &variant, std::int64_t count,
                       std::uint64_t seed,
                       std::vector<std::int32_t> &predictions) {
  const std::int64_t size =
      config.channels * config.imageSize * config.imageSize;
  const std::int64_t candidates = 20 * count;
  std::mt19937_64 random(seed);
  std::vector<std::uint8_t> pool(candidates * size);
  for (std::uint8_t &pixel : pool)
    pixel = static_cast<std::uint8_t>(random() % 256);
  std::vector<std::int32_t> classes = argmaxRows(referenceForward(
      config, weights, variant, imageInputs(config, pool, candidates)));
  std::map<std::int32_t, std::vector<std::int64_t>> byClass;
  for (std::int64_t i = 0; i < candidates; ++i)
    byClass[classes[i]].push_back(i);
  std::vector<std::uint8_t> images;
  predictions.clear();
  for (std::size_t round = 0;
       static_cast<std::int64_t>(predictions.size()) < count; ++round)
    for (auto &[predicted, members] : byClass)
      if (round < members.size() &&
          static_cast<std::int64_t>(predictions.size()) < count) {
        auto first = pool.begin() + members[round] * size;
        images.insert(images.end(), first, first + size);
        predictions.push_back(predicted);
      }
  return images;
}

SmallPlan fusedStepsPlan(const std::string &activations, std::int64_t hidden,
                         std::mt19937_64 &random) {
  const std::int64_t seq = 7, heads = 2, vocab = 50, classes = 5;
  auto draw = [&](std::vector<std::int64_t> shape, double stddev) {
    return randomArray(std::move(shape), random, stddev);
  };
  const nlohmann::json norm = {{"gamma", "gamma"}, {"beta", "beta"}};
  const nlohmann::json head = {{"weight", "wc"}, {"bias", "bc"}};
  SmallPlan plan;
  plan.input("ids", "i32", {seq})
      .buffer("x", activations, {seq, hidden})
      .buffer("xn", activations, {seq, hidden})
      .buffer("qkv", activations, {seq, 3 * hidden})
      .buffer("context", activations, {seq, hidden})
      .buffer("projected", activations, {seq, hidden})
      .buffer("up", activations, {seq, 2 * hidden})
      .buffer("down", activations, {seq, hidden})
      .buffer("sum", activations, {seq, hidden})
      .buffer("normed", activations, {seq, hidden})
      .output("sum_logits", "f32", {seq, classes})
      .output("normed_logits", "f32", {seq, classes})
      .weight("word", draw({vocab, hidden}, 1.0))
      .weight("position", draw({seq, hidden}, 1.0))
      .weight("gamma", draw({hidden}, 1.0))
      .weight("beta", draw({hidden}, 1.0))
      .weight("wqkv", draw({3 * hidden, hidden}, 0.05))
      .weight("bqkv", draw({3 * hidden}, 0.1))
      .weight("wo", draw({hidden, hidden}, 0.05))
      .weight("bo", draw({hidden}, 0.1))
      .weight("wu", draw({2 * hidden, hidden}, 0.05))
      .weight("wd", draw({hidden, 2 * hidden}, 0.05))
      .weight("wc", draw({classes, hidden}, 0.1))
      .weight("bc", draw({classes}, 0.1))
      .step("token_embeddings", {{"ids", "ids"}}, {{"y", "x"}},
            {{"word", "word"}, {"position", "position"}})
      .step("layer_norm", {{"x", "x"}}, {{"y", "xn"}}, norm,
            {{"epsilon", 1e-6}})
      // pack-qkv: one linear; the attention reads its three parts.
      .step("linear", {{"x", "xn"}}, {{"y", "qkv"}},
            {{"weight", "wqkv"}, {"bias", "bqkv"}})
      .step("attention", {{"qkv", "qkv"}}, {{"context", "context"}}, nullptr,
            {{"heads", heads}})
      // fuse-residual-add, after no activation and after an erf GELU.
      .step("linear", {{"x", "context"}, {"residual", "xn"}},
            {{"y", "projected"}}, {{"weight", "wo"}, {"bias", "bo"}})
      .step("linear", {{"x", "projected"}}, {{"y", "up"}}, {{"weight", "wu"}},
            {{"activation", "gelu"}})
      .step("linear", {{"x", "up"}, {"residual", "projected"}}, {{"y", "down"}},
            {{"weight", "wd"}}, {{"activation", "gelu"}})
      // fuse-add-layer-norm, its sum kept.
      .step("add_layer_norm", {{"a", "down"}, {"b", "x"}},
            {{"sum", "sum"}, {"y", "normed"}}, norm, {{"epsilon", 1e-12}})
      .step("classifier", {{"x", "sum"}}, {{"logits", "sum_logits"}}, head,
            {{"pooling", "token"}})
      .step("classifier", {{"x", "normed"}}, {{"logits", "normed_logits"}},
            head, {{"pooling", "token"}});
  return plan;
}

Model loadModel(const std::string &path) {
  Result<Model> model = Model::load(path);
  if (!model.ok())
    throw std::runtime_error(model.status().message());
  return *model;
}

std::map<std::string, Tensor> runModel(const Model &model,
                                       const std::string &variant,
                                       const HostTensors &inputs, int threads) {
  return runModel(model, variant, inputs, SessionOptions{"cpu", threads});
}

std::map<std::string, Tensor> runModel(const Model &model,
                                       const std::string &variant,
                                       const HostTensors &inputs,
                                       const SessionOptions &options) {
  Result<Session> session = Session::create(model, options);
  if (!session.ok())
    throw std::runtime_error(session.status().message());
  std::map<std::string, Tensor> outputs;
  Result<RunStats> stats = session->run(variant, inputs.views(), outputs);
  if (!stats.ok())
    throw std::runtime_error(stats.status().message());
  return outputs;
}

} // namespace tailor::testing
