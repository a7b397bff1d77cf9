//===- tailor_bench.cpp - Times an artifact's variants on the runtime -----===//
//
// For every variant and batch size: warm-up runs, then timed runs that
// rotate among several input batches, each timed by the runtime's own
// RunStats (inputs in to outputs out, synchronized). Prints one JSON line
// per (variant, batch) for bench/report.py. With --check-dir it also writes
// one input batch and every variant's outputs on it, for bench/torch_bench.py
// to compare with PyTorch. A variant with ACM layers also reports
// mlp_fraction, the mean fraction of their learners that ran (mean k/N).
//
//===----------------------------------------------------------------------===//

#include "tailor/runtime.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>

namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string &what, const tailor::Status &status) {
  throw std::runtime_error(what + ": " + status.message());
}

struct Options {
  std::string artifact;
  std::string device = "cuda:0";
  std::string precision = "bf16";
  std::vector<std::int64_t> batches{1, 8, 64};
  int warmup = 10;
  int iterations = 50;
  int rotations = 4;
  std::string checkDir;
  std::int64_t checkBatch = 8;
  std::string label;
  std::vector<std::string> variants;
  bool warmOnly = false;
  /// The manifest does not give the vocabulary size; 999 is below every
  /// benchmark model's.
  std::int32_t maxTokenId = 999;
};

/// The variants to run: all, or those --variants names (each must exist).
std::vector<tailor::VariantInfo> chosenVariants(const Options &options,
                                                const tailor::Model &model) {
  if (options.variants.empty())
    return model.variants();
  std::vector<tailor::VariantInfo> chosen;
  for (const std::string &name : options.variants) {
    auto variant = model.variant(name);
    if (!variant.ok())
      fail("--variants", variant.status());
    chosen.push_back(*variant);
  }
  return chosen;
}

/// Random inputs of `batch` samples for every model input: images from
/// N(0, 1), token ids in [1, maxTokenId] after a CLS of 0, key masks of
/// ones.
std::vector<tailor::Tensor> randomInputs(const tailor::Model &model,
                                         std::int64_t batch, std::uint64_t seed,
                                         std::int32_t maxTokenId) {
  std::mt19937_64 random(seed);
  std::vector<tailor::Tensor> tensors;
  for (const tailor::TensorInfo &info : model.inputs()) {
    std::vector<std::int64_t> shape = info.shape;
    shape[0] = batch;
    auto tensor = tailor::Tensor::allocate(info.dtype, shape);
    if (!tensor.ok())
      fail("input " + info.name, tensor.status());
    const std::int64_t count = tensor->numElements();
    if (info.dtype == tailor::DType::F32) {
      std::normal_distribution<float> normal;
      for (std::int64_t i = 0; i < count; ++i)
        tensor->dataAs<float>()[i] = normal(random);
    } else if (info.dtype == tailor::DType::I32) {
      std::uniform_int_distribution<std::int32_t> id(1, maxTokenId);
      const std::int64_t sequence = shape[1];
      for (std::int64_t i = 0; i < count; ++i)
        tensor->dataAs<std::int32_t>()[i] = i % sequence == 0 ? 0 : id(random);
    } else {
      std::fill_n(tensor->dataAs<std::uint8_t>(), count, 1);
    }
    tensors.push_back(std::move(*tensor));
  }
  return tensors;
}

std::map<std::string, tailor::TensorView>
views(const tailor::Model &model, const std::vector<tailor::Tensor> &tensors) {
  std::map<std::string, tailor::TensorView> result;
  for (std::size_t i = 0; i < tensors.size(); ++i)
    result[model.inputs()[i].name] = tensors[i].view();
  return result;
}

json describe(const tailor::Tensor &tensor, const std::string &file) {
  return {{"dtype", std::string(tailor::dtypeName(tensor.dtype()))},
          {"shape", tensor.shape()},
          {"file", file}};
}

void writeRaw(const std::string &path, const tailor::Tensor &tensor) {
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char *>(tensor.data()),
            static_cast<std::streamsize>(tensor.numBytes()));
  if (!out)
    throw std::runtime_error("cannot write " + path);
}

/// Device memory in use, from the CUDA driver when there is one (0
/// otherwise). The driver is opened at run time so that the tool also runs,
/// on the CPU, where there is none.
std::uint64_t deviceBytesInUse() {
  using MemGetInfo = int (*)(std::size_t *, std::size_t *);
  static MemGetInfo memGetInfo = [] {
    void *driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    return driver
               ? reinterpret_cast<MemGetInfo>(dlsym(driver, "cuMemGetInfo_v2"))
               : nullptr;
  }();
  std::size_t free = 0, total = 0;
  if (memGetInfo && memGetInfo(&free, &total) == 0)
    return total - free;
  return 0;
}

/// The learners an ACM variant ran, summed over runs (RunStats::learnerTokens).
struct LearnerTally {
  /// Tokens of every learner of every ACM layer.
  std::int64_t ran = 0;
  /// What every learner on every token would have been.
  std::int64_t all = 0;

  void add(const tailor::RunStats &stats) {
    for (const std::vector<std::int64_t> &layer : stats.learnerTokens) {
      for (std::int64_t tokens : layer)
        ran += tokens;
      // Learner 0 runs on every token.
      all += static_cast<std::int64_t>(layer.size()) * layer.front();
    }
  }
  /// The mean fraction of the learners that ran; none without ACM layers.
  std::optional<double> fraction() const {
    if (all == 0)
      return std::nullopt;
    return static_cast<double>(ran) / all;
  }
};

double percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  auto index = static_cast<std::size_t>(fraction * (values.size() - 1) + 0.5);
  return values[index];
}

void writeCheck(const Options &options, const tailor::Model &model,
                tailor::Session &session) {
  auto inputs =
      randomInputs(model, options.checkBatch, 12345, options.maxTokenId);
  json check = {{"precision", options.precision},
                {"inputs", json::object()},
                {"outputs", json::object()}};
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::string file = "input_" + model.inputs()[i].name + ".bin";
    writeRaw(options.checkDir + "/" + file, inputs[i]);
    check["inputs"][model.inputs()[i].name] = describe(inputs[i], file);
  }
  for (const tailor::VariantInfo &variant : chosenVariants(options, model)) {
    std::map<std::string, tailor::Tensor> outputs;
    auto stats = session.run(variant.name, views(model, inputs), outputs);
    if (!stats.ok())
      fail("variant " + variant.name, stats.status());
    LearnerTally learners;
    learners.add(*stats);
    if (auto fraction = learners.fraction())
      check["mlp_fraction"][variant.name] = *fraction;
    for (const auto &[name, tensor] : outputs) {
      std::string file = "output_" + options.precision + "_" + variant.name +
                         "_" + name + ".bin";
      writeRaw(options.checkDir + "/" + file, tensor);
      check["outputs"][variant.name][name] = describe(tensor, file);
    }
  }
  std::ofstream(options.checkDir + "/check_" + options.precision + ".json")
      << check.dump(2) << "\n";
}

void run(const Options &options) {
  auto model = tailor::Model::load(options.artifact);
  if (!model.ok())
    fail("load", model.status());
  const std::uint64_t before = deviceBytesInUse();
  tailor::SessionOptions sessionOptions;
  sessionOptions.device = options.device;
  sessionOptions.precision = options.precision;
  auto session = tailor::Session::create(*model, sessionOptions);
  if (!session.ok())
    fail("session", session.status());
  if (!options.checkDir.empty())
    writeCheck(options, *model, *session);
  if (options.warmOnly) {
    // One run per variant loads (and JIT-compiles into the kernel cache)
    // every kernel it needs; nothing is timed.
    for (const tailor::VariantInfo &variant : chosenVariants(options, *model)) {
      std::map<std::string, tailor::Tensor> outputs;
      auto stats = session->run(
          variant.name,
          views(*model, randomInputs(*model, 1, 1, options.maxTokenId)),
          outputs);
      if (!stats.ok())
        fail("variant " + variant.name, stats.status());
    }
    return;
  }

  for (const tailor::VariantInfo &variant : chosenVariants(options, *model)) {
    for (std::int64_t batch : options.batches) {
      std::vector<std::vector<tailor::Tensor>> rotation;
      for (int r = 0; r < options.rotations; ++r)
        rotation.push_back(
            randomInputs(*model, batch, 1000 + r, options.maxTokenId));
      std::map<std::string, tailor::Tensor> outputs;
      std::vector<double> milliseconds;
      LearnerTally learners;
      for (int i = 0; i < options.warmup + options.iterations; ++i) {
        const auto &inputs = rotation[i % rotation.size()];
        auto stats = session->run(variant.name, views(*model, inputs), outputs);
        if (!stats.ok())
          fail("variant " + variant.name, stats.status());
        if (i >= options.warmup) {
          milliseconds.push_back(stats->wallSeconds * 1e3);
          learners.add(*stats);
        }
      }
      json line = {{"system", "tailor"},
                   {"label", options.label},
                   {"precision", options.precision},
                   {"variant", variant.name},
                   {"budget", variant.budget},
                   {"batch", batch},
                   {"flops_per_sample", variant.flops},
                   {"median_ms", percentile(milliseconds, 0.5)},
                   {"p90_ms", percentile(milliseconds, 0.9)},
                   {"arena_bytes", variant.arenaBytesPerSample * batch},
                   {"device_bytes", deviceBytesInUse() - before}};
      if (auto fraction = learners.fraction())
        line["mlp_fraction"] = *fraction;
      std::cout << line.dump() << std::endl;
    }
  }
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"Times every variant of an artifact on the Tailor runtime"};
  Options options;
  app.add_option("ARTIFACT", options.artifact, "The .tailor file")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--device", options.device, "cpu or cuda:N")
      ->capture_default_str();
  app.add_option("--precision", options.precision, "fp32, tf32, bf16, fp16")
      ->capture_default_str();
  app.add_option("--batches", options.batches, "Batch sizes")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  app.add_option("--warmup", options.warmup, "Untimed runs")
      ->capture_default_str();
  app.add_option("--iterations", options.iterations, "Timed runs")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--rotations", options.rotations, "Input batches to rotate")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--check-dir", options.checkDir,
                 "Write one input batch and every variant's outputs here")
      ->check(CLI::ExistingDirectory);
  app.add_option("--check-batch", options.checkBatch, "Batch of the check")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--label", options.label, "Name of the case in the output");
  app.add_option("--variants", options.variants, "Only these variants")
      ->delimiter(',');
  app.add_option("--max-token-id", options.maxTokenId,
                 "Largest random token id (encoders)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_flag("--warm-only", options.warmOnly,
               "Run each variant once at batch 1 (loading and compiling its "
               "kernels) and time nothing");
  CLI11_PARSE(app, argc, argv);
  try {
    run(options);
  } catch (const std::exception &error) {
    std::cerr << "tailor-bench: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
