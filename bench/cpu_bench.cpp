//===- cpu_bench.cpp - The CPU runtime against LibTorch, per variant ------===//
//
// For each variant of an artifact and each batch size, times the runtime's
// CPU backend and LibTorch's forward of the trainer's own model, loaded from
// the checkpoint the artifact was compiled from and run with the variant's
// length configuration, in one process on the same inputs and threads.
// Before timing, it checks that the two agree (relative error of the
// logits). Prints a table and writes the numbers as CSV.
//
//===----------------------------------------------------------------------===//

#include "tailor/runtime.h"
#include "tailor/train/export.h"

#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace {

struct Options {
  std::string checkpoint;
  std::string artifact;
  std::vector<std::int64_t> batches{1, 64};
  int threads = 0;
  int warmup = 3;
  int iterations = 20;
  std::string csv;
};

double medianMs(std::vector<double> seconds) {
  std::sort(seconds.begin(), seconds.end());
  return 1e3 * seconds[seconds.size() / 2];
}

template <typename Run> double timeMs(const Options &options, Run run) {
  std::vector<double> seconds;
  for (int i = 0; i < options.warmup + options.iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    run();
    std::chrono::duration<double> elapsed =
        std::chrono::steady_clock::now() - start;
    if (i >= options.warmup)
      seconds.push_back(elapsed.count());
  }
  return medianMs(seconds);
}

/// The model's inputs as the runtime and LibTorch take them: images, or
/// token ids (random, CLS first, no padding) with a key mask of ones.
struct Inputs {
  torch::Tensor torchInput;
  std::vector<tailor::Tensor> runtimeTensors;
  std::map<std::string, tailor::TensorView> views;
};

Inputs makeInputs(const tailor::Model &model,
                  const tailor::checkpoint::ModelConfig &config,
                  std::int64_t batch) {
  Inputs inputs;
  torch::manual_seed(batch);
  for (const tailor::TensorInfo &info : model.inputs()) {
    std::vector<std::int64_t> shape = info.shape;
    shape[0] = batch;
    auto tensor = tailor::Tensor::allocate(info.dtype, shape);
    if (!tensor.ok())
      throw std::runtime_error(tensor.status().message());
    if (info.name == "images") {
      inputs.torchInput = torch::rand(shape);
      std::memcpy(tensor->data(), inputs.torchInput.data_ptr(),
                  tensor->numBytes());
    } else if (info.name == "ids") {
      inputs.torchInput =
          torch::randint(1, config.vocabSize, shape, torch::kLong);
      inputs.torchInput.select(1, 0).fill_(2); // [CLS]
      auto ids = inputs.torchInput.to(torch::kInt);
      std::memcpy(tensor->data(), ids.data_ptr(), tensor->numBytes());
    } else {
      std::fill_n(tensor->dataAs<std::uint8_t>(), tensor->numElements(), 1);
    }
    inputs.runtimeTensors.push_back(std::move(*tensor));
  }
  for (std::size_t i = 0; i < inputs.runtimeTensors.size(); ++i)
    inputs.views[model.inputs()[i].name] = inputs.runtimeTensors[i].view();
  return inputs;
}

void run(const Options &options) {
  tailor::train::AdaptiveTransformer reference =
      tailor::train::loadCheckpoint(options.checkpoint);
  auto model = tailor::Model::load(options.artifact);
  if (!model.ok())
    throw std::runtime_error(model.status().message());
  const int threads =
      options.threads > 0 ? options.threads : torch::get_num_threads();
  torch::set_num_threads(threads);
  tailor::setBlasThreads(1);
  auto session = tailor::Session::create(*model, {"cpu", threads, "fp32"});
  if (!session.ok())
    throw std::runtime_error(session.status().message());
  torch::NoGradGuard noGrad;

  std::ofstream csv;
  if (!options.csv.empty()) {
    csv.open(options.csv);
    csv << "variant,budget,flops,batch,threads,runtime_ms,libtorch_ms,"
           "relative_error\n";
  }
  std::printf("%-8s %6s %12s %6s %12s %12s %8s %10s\n", "variant", "budget",
              "flops", "batch", "runtime ms", "libtorch ms", "speedup",
              "rel error");
  for (const tailor::VariantInfo &variant : model->variants()) {
    tailor::train::RunConfig config{variant.lengths, {}};
    for (std::int64_t batch : options.batches) {
      Inputs inputs = makeInputs(*model, reference->config(), batch);
      std::map<std::string, tailor::Tensor> outputs;
      auto runOnce = [&] {
        auto stats = session->run(variant.name, inputs.views, outputs);
        if (!stats.ok())
          throw std::runtime_error(stats.status().message());
      };
      runOnce();
      torch::Tensor expected = reference->forward(inputs.torchInput, config);
      const tailor::Tensor &logits = outputs.at("logits");
      torch::Tensor actual = torch::from_blob(const_cast<void *>(logits.data()),
                                              expected.sizes(), torch::kFloat)
                                 .clone();
      double error =
          ((actual - expected).norm() / expected.norm().clamp_min(1e-30))
              .item<double>();
      double runtimeMs = timeMs(options, runOnce);
      double torchMs = timeMs(
          options, [&] { reference->forward(inputs.torchInput, config); });
      std::printf("%-8s %6.2f %12lld %6lld %12.3f %12.3f %7.2fx %10.2e\n",
                  variant.name.c_str(), variant.budget,
                  static_cast<long long>(variant.flops),
                  static_cast<long long>(batch), runtimeMs, torchMs,
                  torchMs / runtimeMs, error);
      if (csv)
        csv << variant.name << ',' << variant.budget << ',' << variant.flops
            << ',' << batch << ',' << threads << ',' << runtimeMs << ','
            << torchMs << ',' << error << '\n';
    }
  }
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"Times each variant on the CPU runtime and in LibTorch (the "
               "trainer's model, same configuration, same inputs)"};
  Options options;
  app.add_option("CHECKPOINT", options.checkpoint,
                 "The checkpoint the artifact was compiled from")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("ARTIFACT", options.artifact, "The .tailor file")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--batches", options.batches, "Batch sizes")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  app.add_option("--threads", options.threads,
                 "Threads for both (0: LibTorch's default)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--warmup", options.warmup, "Untimed runs")
      ->capture_default_str();
  app.add_option("--iterations", options.iterations, "Timed runs")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--csv", options.csv, "Write the numbers here");
  CLI11_PARSE(app, argc, argv);
  try {
    run(options);
  } catch (const std::exception &error) {
    std::cerr << "bench-cpu: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
