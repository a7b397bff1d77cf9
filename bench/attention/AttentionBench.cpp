//===- AttentionBench.cpp - Throughput of the generated attention kernels -===//
//
// attention-bench [--batch N] [--heads N] [--head-dim N] [--iterations N]
//                 [--keep R,R,...] [--block N] [--locality X] [--seed N]
//                 [--csv FILE] SEQ...
// For each sequence length, times the generated flash attention kernel (bf16
// storage and tensor-core math; then with the key mask and the
// significance output select_tokens needs; then that on f32 activations, as
// a bf16 session runs it; on sm_90a each also as the wgmma kernel, labelled
// "wgmma ...") with CUDA events and prints one line per kernel:
// "tailor <variant> seq S batch B: T ms, F TFLOP/s".
// FLOPs count the two products, 4 * B * heads * S^2 * head_dim (the
// significance pass's recomputed Q K^T is work, not counted).
// With --keep, the block-sparse sweep instead: the dense bf16 kernel, then
// the block-sparse one (bf16) at each keep rate, on tables drawn as the SSA
// trainer draws its patterns (blocks of --block tokens, locality bias
// --locality, from --seed); FLOPs count the kept blocks only, and the
// speedup is over the dense kernel of the same shape, timed in this run.
// --csv appends one row per kernel timed (bench/attention/README.md).
//
//===----------------------------------------------------------------------===//

#include "tailor/codegen/cuda/Generators.h"
#include "tailor/codegen/cuda/Nvrtc.h"

#include <cuda.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace tailor::codegen::cuda;

void check(CUresult result, const char *what) {
  if (result == CUDA_SUCCESS)
    return;
  const char *name = nullptr;
  cuGetErrorName(result, &name);
  std::fprintf(stderr, "attention-bench: %s: %s\n", what, name ? name : "?");
  std::exit(1);
}

struct Options {
  std::int64_t batch = 64, heads = 12, headDim = 64;
  int iterations = 50;
  std::vector<std::int64_t> seqs;
  /// The block-sparse sweep's keep rates (fractions of the key blocks);
  /// empty: the dense kernels.
  std::vector<double> keeps;
  std::int64_t block = kSparseBlock;
  double locality = 1.0;
  std::uint64_t seed = 1;
  std::string csv;
};

std::vector<double> parseRates(const std::string &list) {
  std::vector<double> rates;
  std::size_t begin = 0;
  while (begin <= list.size()) {
    std::size_t end = list.find(',', begin);
    if (end == std::string::npos)
      end = list.size();
    const double rate = std::atof(list.substr(begin, end - begin).c_str());
    if (!(rate > 0.0 && rate <= 1.0)) {
      std::fprintf(stderr,
                   "attention-bench: --keep %s: each rate must be in "
                   "(0, 1]\n",
                   list.c_str());
      std::exit(2);
    }
    rates.push_back(rate);
    begin = end + 1;
  }
  return rates;
}

Options parse(int argc, char **argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto text = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "attention-bench: %s needs a value\n",
                     arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    auto next = [&] { return std::atoll(text().c_str()); };
    if (arg == "--batch")
      options.batch = next();
    else if (arg == "--heads")
      options.heads = next();
    else if (arg == "--head-dim")
      options.headDim = next();
    else if (arg == "--iterations")
      options.iterations = static_cast<int>(next());
    else if (arg == "--keep")
      options.keeps = parseRates(text());
    else if (arg == "--block")
      options.block = next();
    else if (arg == "--locality")
      options.locality = std::atof(text().c_str());
    else if (arg == "--seed")
      options.seed = static_cast<std::uint64_t>(next());
    else if (arg == "--csv")
      options.csv = text();
    else
      options.seqs.push_back(std::atoll(arg.c_str()));
  }
  if (options.seqs.empty())
    options.seqs = {128, 512};
  if (options.block < 1) {
    std::fprintf(stderr, "attention-bench: --block must be positive\n");
    std::exit(2);
  }
  return options;
}

/// A block table for `seq` tokens drawn as the SSA trainer draws a layer's
/// pattern (train/lib/ssa.cpp, sampleSsaPattern): each query block keeps
/// round(keep * rows) key blocks, at least 2: itself and block 0 (CLS,
/// global), the rest drawn without replacement with weights
/// exp(-locality |i - j|) (Efraimidis-Spirakis keys); block 0's row keeps
/// every block (CLS attends to everything).
std::vector<std::vector<int>> ssaBlockTable(std::int64_t seq,
                                            std::int64_t block, double keep,
                                            double locality,
                                            std::mt19937_64 &random) {
  const std::int64_t rows = (seq + block - 1) / block;
  const std::int64_t wanted = std::llround(keep * static_cast<double>(rows));
  const std::int64_t kept =
      std::min(rows, std::max<std::int64_t>(wanted, rows > 1 ? 2 : 1));
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<std::vector<int>> table(rows);
  for (std::int64_t i = 0; i < rows; ++i) {
    std::vector<std::pair<double, int>> keys;
    for (std::int64_t j = 0; j < rows; ++j) {
      const bool forced = i == 0 || j == i || j == 0;
      const double weight =
          std::exp(-locality * static_cast<double>(std::abs(i - j)));
      const double u = std::max(uniform(random), 1e-300);
      keys.push_back(
          {forced ? INFINITY : std::log(u) / weight, static_cast<int>(j)});
    }
    const std::int64_t count = i == 0 ? rows : kept;
    std::partial_sort(
        keys.begin(), keys.begin() + count, keys.end(),
        [](const auto &a, const auto &b) { return a.first > b.first; });
    for (std::int64_t j = 0; j < count; ++j)
      table[i].push_back(keys[j].second);
    std::sort(table[i].begin(), table[i].end());
  }
  return table;
}

/// The (query, key) pairs a table computes, out of seq^2.
double keptPairs(const std::vector<std::vector<int>> &table, std::int64_t seq,
                 std::int64_t block) {
  auto tokens = [&](std::int64_t index) {
    return static_cast<double>(std::min(block, seq - index * block));
  };
  double pairs = 0;
  for (std::size_t row = 0; row < table.size(); ++row)
    for (int key : table[row])
      pairs += tokens(static_cast<std::int64_t>(row)) * tokens(key);
  return pairs;
}

/// One line per timed kernel on stdout: "tailor <what> seq S batch B heads H
/// dim D: T ms, F TFLOP/s" and `detail`.
void printTiming(const char *what, std::int64_t seq, const Options &options,
                 double ms, double tflops, const std::string &detail = "") {
  std::printf(
      "tailor %-32s seq %4lld batch %3lld heads %lld dim %lld: "
      "%8.4f ms %7.1f TFLOP/s%s\n",
      what, static_cast<long long>(seq), static_cast<long long>(options.batch),
      static_cast<long long>(options.heads),
      static_cast<long long>(options.headDim), ms, tflops, detail.c_str());
}

/// One row per timed kernel, appended to --csv (header when the file is
/// new or empty).
class CsvLog {
public:
  explicit CsvLog(const std::string &path) {
    if (path.empty())
      return;
    file = std::fopen(path.c_str(), "a");
    if (!file) {
      std::fprintf(stderr, "attention-bench: cannot open %s\n", path.c_str());
      std::exit(1);
    }
    if (std::ftell(file) == 0)
      std::fprintf(file, "system,kernel,seq,batch,heads,head_dim,block,keep,"
                         "kept_fraction,ms,tflops,dense_ms,speedup\n");
  }
  ~CsvLog() {
    if (file)
      std::fclose(file);
  }
  /// `block` 0: a dense kernel (the block and keep columns stay empty);
  /// the speedup is denseMs / ms.
  void row(const char *kernel, std::int64_t seq, const Options &options,
           std::int64_t block, double keep, double keptFraction, double ms,
           double tflops, double denseMs) {
    if (!file)
      return;
    std::fprintf(file, "tailor,%s,%lld,%lld,%lld,%lld,", kernel,
                 static_cast<long long>(seq),
                 static_cast<long long>(options.batch),
                 static_cast<long long>(options.heads),
                 static_cast<long long>(options.headDim));
    if (block > 0)
      std::fprintf(file, "%lld,%.6g,", static_cast<long long>(block), keep);
    else
      std::fprintf(file, ",,");
    std::fprintf(file, "%.6g,%.6g,%.6g,%.6g,%.6g\n", keptFraction, ms, tflops,
                 denseMs, denseMs / ms);
  }

private:
  std::FILE *file = nullptr;
};

std::string archOf(CUdevice device) {
  int major = 0, minor = 0;
  cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                       device);
  cuDeviceGetAttribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                       device);
  std::string arch = "sm_" + std::to_string(major) + std::to_string(minor);
  return major == 9 && minor == 0 ? arch + "a" : arch;
}

/// Milliseconds per launch of `kernel`, the median of five timed rounds.
double time(const Kernel &kernel, const std::string &arch, std::int64_t batch,
            std::vector<CUdeviceptr> params, int iterations) {
  std::vector<std::uint8_t> cubin = compile(kernel, arch);
  CUmodule module;
  CUfunction function;
  check(cuModuleLoadData(&module, cubin.data()), "cuModuleLoadData");
  check(cuModuleGetFunction(&function, module, kernel.name.c_str()),
        "cuModuleGetFunction");
  if (kernel.sharedBytes > 48 * 1024)
    check(cuFuncSetAttribute(function,
                             CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                             kernel.sharedBytes),
          "cuFuncSetAttribute");
  std::vector<void *> args;
  for (CUdeviceptr &param : params)
    args.push_back(&param);
  auto launch = [&] {
    check(cuLaunchKernel(function, kernel.grid.x, kernel.grid.y,
                         static_cast<unsigned>(batch), kernel.block, 1, 1,
                         kernel.sharedBytes, nullptr, args.data(), nullptr),
          "cuLaunchKernel");
  };
  for (int i = 0; i < 5; ++i)
    launch();
  CUevent start, stop;
  cuEventCreate(&start, 0);
  cuEventCreate(&stop, 0);
  std::vector<float> rounds;
  for (int round = 0; round < 5; ++round) {
    cuEventRecord(start, nullptr);
    for (int i = 0; i < iterations; ++i)
      launch();
    cuEventRecord(stop, nullptr);
    check(cuEventSynchronize(stop), "running the kernel");
    float ms = 0;
    cuEventElapsedTime(&ms, start, stop);
    rounds.push_back(ms / iterations);
  }
  std::sort(rounds.begin(), rounds.end());
  cuEventDestroy(start);
  cuEventDestroy(stop);
  cuModuleUnload(module);
  return rounds[2];
}

} // namespace

int main(int argc, char **argv) {
  Options options = parse(argc, argv);
  check(cuInit(0), "cuInit");
  CUdevice device;
  CUcontext context;
  check(cuDeviceGet(&device, 0), "cuDeviceGet");
  check(cuDevicePrimaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain");
  check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
  const std::string arch = archOf(device);
  CsvLog csv(options.csv);
  std::mt19937 random(1);
  std::normal_distribution<float> normal;
  for (std::int64_t seq : options.seqs) {
    const std::int64_t hidden = options.heads * options.headDim;
    const std::int64_t elements = options.batch * seq * hidden;
    // bf16 values as their upper 16 bits.
    std::vector<std::uint16_t> host(elements);
    for (std::uint16_t &value : host) {
      float drawn = normal(random);
      std::uint32_t bits;
      std::memcpy(&bits, &drawn, 4);
      value = static_cast<std::uint16_t>(bits >> 16);
    }
    // The same values as f32, for the kernel the runtime runs on its f32
    // buffers at precision bf16.
    std::vector<std::uint32_t> wide(elements);
    for (std::int64_t i = 0; i < elements; ++i)
      wide[i] = static_cast<std::uint32_t>(host[i]) << 16;
    CUdeviceptr q, k, v, context, mask, significance, q32, k32, v32, context32;
    for (CUdeviceptr *buffer : {&q, &k, &v, &context})
      check(cuMemAlloc(buffer, elements * 2), "cuMemAlloc");
    for (CUdeviceptr *buffer : {&q32, &k32, &v32, &context32})
      check(cuMemAlloc(buffer, elements * 4), "cuMemAlloc");
    for (CUdeviceptr buffer : {q, k, v})
      check(cuMemcpyHtoD(buffer, host.data(), elements * 2), "cuMemcpyHtoD");
    for (CUdeviceptr buffer : {q32, k32, v32})
      check(cuMemcpyHtoD(buffer, wide.data(), elements * 4), "cuMemcpyHtoD");
    check(cuMemAlloc(&mask, options.batch * seq), "cuMemAlloc");
    check(cuMemsetD8(mask, 1, options.batch * seq), "cuMemsetD8");
    check(cuMemAlloc(&significance, options.batch * seq * 4), "cuMemAlloc");
    check(cuMemsetD32(significance, 0, options.batch * seq), "cuMemsetD32");

    // 4 * B * heads * head_dim per computed (query, key) pair.
    const double flopsPerPair =
        4.0 * options.batch * options.heads * options.headDim;
    const double flops = flopsPerPair * seq * seq;
    auto configFor = [&](Storage storage) {
      AttentionConfig config;
      config.seq = seq;
      config.heads = options.heads;
      config.headDim = options.headDim;
      config.storage = storage;
      config.math = Math::BF16;
      return config;
    };
    const std::vector<CUdeviceptr> bf16Params = {q,    k,       v,
                                                 mask, context, significance};
    if (!options.keeps.empty()) {
      const double denseMs =
          time(attentionKernel(configFor(Storage::BF16)), arch, options.batch,
               bf16Params, options.iterations);
      printTiming("bf16 dense", seq, options, denseMs,
                  flops / (denseMs * 1e-3) / 1e12);
      csv.row("dense bf16", seq, options, 0, 1.0, 1.0, denseMs,
              flops / (denseMs * 1e-3) / 1e12, denseMs);
      for (double keep : options.keeps) {
        // One table per (seq, rate), the same in every run.
        std::mt19937_64 tableRandom(options.seed);
        AttentionConfig config = configFor(Storage::BF16);
        config.sparseBlock = options.block;
        config.blockTable = ssaBlockTable(seq, options.block, keep,
                                          options.locality, tableRandom);
        const double pairs = keptPairs(config.blockTable, seq, options.block);
        const double ms = time(attentionKernel(config), arch, options.batch,
                               bf16Params, options.iterations);
        const double tflops = flopsPerPair * pairs / (ms * 1e-3) / 1e12;
        const double fraction = pairs / (static_cast<double>(seq) * seq);
        char what[64], detail[96];
        std::snprintf(what, sizeof what, "sparse bf16 keep %.3g block %lld",
                      keep, static_cast<long long>(options.block));
        std::snprintf(detail, sizeof detail,
                      " on the kept %.3f; %.2fx over dense (ideal %.2fx)",
                      fraction, denseMs / ms, 1.0 / fraction);
        printTiming(what, seq, options, ms, tflops, detail);
        csv.row("sparse bf16", seq, options, options.block, keep, fraction, ms,
                tflops, denseMs);
      }
    }
    // The mma.sync kernels, then, on sm_90a, the wgmma ones (the kernels
    // the runtime launches there).
    std::vector<std::string> targets = {""};
    if (arch == "sm_90a")
      targets.push_back(arch);
    for (int kind = 0; kind < 3 && options.keeps.empty(); ++kind)
      for (const std::string &target : targets) {
        // bf16 in memory; the same with mask and significance; f32 in
        // memory with mask and significance (what a bf16 session runs).
        const bool withSignificance = kind > 0, wideStorage = kind == 2;
        AttentionConfig config =
            configFor(wideStorage ? Storage::F32 : Storage::BF16);
        config.keyMask = withSignificance;
        config.significance = withSignificance;
        config.arch = target;
        Kernel kernel = attentionKernel(config);
        std::vector<CUdeviceptr> params =
            wideStorage
                ? std::vector<CUdeviceptr>{q32,  k32,       v32,
                                           mask, context32, significance}
                : bf16Params;
        double ms =
            time(kernel, arch, options.batch, params, options.iterations);
        std::string what = wideStorage        ? "f32 in, bf16 mma+mask+sig"
                           : withSignificance ? "bf16+mask+significance"
                                              : "bf16";
        if (!target.empty())
          what = "wgmma " + what;
        csv.row(what.c_str(), seq, options, 0, 1.0, 1.0, ms,
                flops / (ms * 1e-3) / 1e12, ms);
        printTiming(what.c_str(), seq, options, ms, flops / (ms * 1e-3) / 1e12);
      }
    for (CUdeviceptr buffer :
         {q, k, v, context, mask, significance, q32, k32, v32, context32})
      cuMemFree(buffer);
  }
  return 0;
}
