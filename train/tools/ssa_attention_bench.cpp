//===- ssa_attention_bench.cpp - SSA's training-step attention cost -------===//
//
// tailor-ssa-bench: times the forward and backward pass of one attention
// layer on a ViT-shaped batch, dense or with SSA at --keep, and reports the
// process's peak resident memory (run once per keep rate: the peak is the
// process's) and the bytes of the attention matrices the step keeps for
// the backward pass (scores and probabilities). With --device cuda it runs
// on the GPU, timed between device synchronizations.
//
//===----------------------------------------------------------------------===//

#include "tailor/train/model.h"

#include <torch/cuda.h>

#include <CLI/CLI.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace {

using namespace tailor;

struct BenchOptions {
  std::int64_t tokens = 197, hidden = 64, heads = 4, batch = 64;
  std::int64_t block = 16, steps = 20, warmup = 3;
  double keep = 0.0;
  int threads = 0;
  std::string device = "cpu";
};

/// The attention matrices one layer's step keeps: dense S x S, or per query
/// block its kept key blocks (and, with the global block, block 0 against
/// every key), for scores and probabilities, f32.
double attentionMatrixBytes(const BenchOptions &o, const train::SsaPattern *p) {
  const double perHead = static_cast<double>(o.batch * o.heads) * 2 * 4;
  if (!p)
    return perHead * o.tokens * o.tokens;
  const double padded = static_cast<double>(p->rows * p->block);
  return perHead * (padded * p->keyBlocks.size(1) * p->block +
                    (p->globalFirstBlock ? p->block * padded : 0.0));
}

int run(const BenchOptions &o) {
  if (o.threads > 0)
    torch::set_num_threads(o.threads);
  torch::manual_seed(0);
  const torch::Device device(o.device);
  const bool cuda = device.is_cuda();
  train::MultiHeadAttention attention(o.hidden, o.heads);
  attention->to(device);
  auto x =
      torch::randn({o.batch, o.tokens, o.hidden},
                   torch::TensorOptions().device(device).requires_grad(true));
  // The step's time on the GPU: its kernels finished, not only queued.
  auto synchronize = [cuda] {
    if (cuda)
      torch::cuda::synchronize();
  };
  checkpoint::SsaSettings settings;
  settings.block = o.block;
  settings.keep = o.keep > 0 ? o.keep : 1.0;
  settings.locality = 1.0;
  std::mt19937_64 rng(0);
  double seconds = 0;
  std::optional<train::SsaPattern> last;
  for (std::int64_t step = 0; step < o.warmup + o.steps; ++step) {
    std::optional<train::SsaPattern> pattern;
    if (o.keep > 0)
      pattern = train::sampleSsaPattern(settings, o.tokens, rng);
    synchronize();
    const auto start = std::chrono::steady_clock::now();
    auto [out, significance] =
        attention(x, torch::Tensor(), pattern ? &*pattern : nullptr);
    out.sum().backward();
    synchronize();
    const std::chrono::duration<double> took =
        std::chrono::steady_clock::now() - start;
    if (step >= o.warmup)
      seconds += took.count();
    last = pattern;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("keep %s tokens %lld batch %lld block %lld: %.2f ms per "
              "forward+backward, attention matrices %.1f MiB, peak RSS "
              "%.1f MiB, %d threads, %s\n",
              o.keep > 0 ? std::to_string(o.keep).c_str() : "dense",
              static_cast<long long>(o.tokens), static_cast<long long>(o.batch),
              static_cast<long long>(o.block),
              1e3 * seconds / static_cast<double>(o.steps),
              attentionMatrixBytes(o, last ? &*last : nullptr) / (1 << 20),
              static_cast<double>(usage.ru_maxrss) / 1024.0,
              torch::get_num_threads(), o.device.c_str());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  BenchOptions options;
  CLI::App app{"tailor-ssa-bench: one attention layer's training step, "
               "dense or SSA"};
  app.add_option("--keep", options.keep, "SSA keep rate (0: dense)");
  app.add_option("--tokens", options.tokens)->capture_default_str();
  app.add_option("--hidden", options.hidden)->capture_default_str();
  app.add_option("--heads", options.heads)->capture_default_str();
  app.add_option("--batch", options.batch)->capture_default_str();
  app.add_option("--block", options.block)->capture_default_str();
  app.add_option("--steps", options.steps)->capture_default_str();
  app.add_option("--threads", options.threads)->capture_default_str();
  app.add_option("--device", options.device, "cpu or cuda")
      ->check(CLI::IsMember({"cpu", "cuda"}))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (options.device == "cuda" && !torch::cuda::is_available()) {
    std::cerr << "tailor-ssa-bench: error: --device cuda, but this LibTorch "
                 "has no CUDA or sees no GPU\n";
    return 1;
  }
  try {
    return run(options);
  } catch (const std::exception &error) {
    std::cerr << "tailor-ssa-bench: error: " << error.what() << '\n';
    return 1;
  }
}
