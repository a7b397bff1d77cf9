//===- Session.cpp - Checking inputs, the arena, running a variant --------===//

#include "Format.h"
#include "Memory.h"
#include "ModelData.h"
#include "cpu/Executor.h"
#include "cpu/ThreadPool.h"
#ifdef TAILOR_WITH_CUDA
#include "cuda/Backend.h"
#endif

#include <chrono>
#include <cstdint>
#include <cstring>
#include <new>
#include <thread>

namespace tailor {
namespace {

/// One allocation, kept between runs and replaced only when a run needs
/// more.
class Arena {
public:
  std::uint8_t *data() { return bytes.get(); }

  /// Makes room for `needed` bytes; returns the bytes allocated (0 when the
  /// current arena is big enough).
  std::uint64_t reserve(std::uint64_t needed) {
    if (needed <= size)
      return 0;
    bytes.reset();
    size = 0;
    // Aligned to a cache line; buffers sit at multiples of their element
    // size from the start.
    bytes.reset(static_cast<std::uint8_t *>(
        ::operator new(needed, std::align_val_t(64))));
    size = needed;
    return needed;
  }

private:
  struct Free {
    void operator()(std::uint8_t *p) const {
      ::operator delete(p, std::align_val_t(64));
    }
  };
  std::unique_ptr<std::uint8_t, Free> bytes;
  std::uint64_t size = 0;
};

std::string describe(const TensorInfo &info) {
  return std::string(dtypeName(info.dtype)) + " " + formatShape(info.shape);
}

/// Checks the inputs against the model's; returns the batch size.
Result<std::int64_t>
checkInputs(const std::vector<TensorInfo> &expected,
            const std::map<std::string, TensorView> &inputs) {
  for (const auto &[name, view] : inputs) {
    bool known = false;
    for (const TensorInfo &info : expected)
      known = known || info.name == name;
    if (!known) {
      std::string names;
      for (const TensorInfo &info : expected)
        names += (names.empty() ? "'" : ", '") + info.name + "'";
      return Status::error("unknown input '" + name + "' (the model takes " +
                           names + ")");
    }
  }
  std::int64_t batch = -1;
  std::string batchInput;
  for (const TensorInfo &info : expected) {
    auto found = inputs.find(info.name);
    if (found == inputs.end())
      return Status::error("missing input '" + info.name + "' (" +
                           describe(info) + ")");
    const TensorView &view = found->second;
    std::string what = "input '" + info.name + "'";
    if (view.dtype != info.dtype)
      return Status::error(what + " has dtype " +
                           std::string(dtypeName(view.dtype)) + ", expected " +
                           std::string(dtypeName(info.dtype)));
    bool matches = view.shape.size() == info.shape.size();
    for (std::size_t i = 1; matches && i < info.shape.size(); ++i)
      matches = view.shape[i] == info.shape[i];
    if (!matches)
      return Status::error(what + " has shape " + formatShape(view.shape) +
                           ", expected " + formatShape(info.shape) +
                           " (-1: any batch size)");
    if (view.shape[0] <= 0)
      return Status::error(what + " has batch size " +
                           std::to_string(view.shape[0]) +
                           "; it must be at least 1");
    if (batch >= 0 && view.shape[0] != batch)
      return Status::error(what + " has batch size " +
                           std::to_string(view.shape[0]) + " but input '" +
                           batchInput + "' has " + std::to_string(batch));
    if (!view.data)
      return Status::error(what + " has no data (null pointer)");
    batch = view.shape[0];
    batchInput = info.name;
  }
  return batch;
}

Result<int> threadCount(int requested) {
  if (requested < 0)
    return Status::error("threads = " + std::to_string(requested) +
                         ": expected 0 (one per hardware thread) or more");
  if (requested > 0)
    return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

/// -1 for "cpu", N for "cuda:N" (and "cuda").
Result<int> parseDevice(const std::string &device) {
  if (device == "cpu")
    return -1;
  const std::string digits = device == "cuda"                ? "0"
                             : device.rfind("cuda:", 0) == 0 ? device.substr(5)
                                                             : "";
  bool number = !digits.empty() && digits.size() <= 4;
  for (char c : digits)
    number = number && c >= '0' && c <= '9';
  if (!number)
    return Status::error("unknown device '" + device +
                         "' (expected \"cpu\" or \"cuda:N\")");
#ifndef TAILOR_WITH_CUDA
  return Status::error("device '" + device +
                       "': this runtime was built without CUDA support "
                       "(available: cpu)");
#else
  return std::stoi(digits);
#endif
}

Status checkPrecision(const std::string &precision, bool cuda) {
  if (precision == "fp32")
    return {};
#ifdef TAILOR_WITH_CUDA
  if (cuda && detail::cuda::isPrecision(precision))
    return {};
  if (cuda)
    return Status::error("unknown precision '" + precision + "' (expected " +
                         detail::cuda::precisionNames() + ")");
#endif
  return Status::error("precision '" + precision +
                       "': the CPU backend computes in fp32 only");
}

} // namespace

struct Session::Impl {
  std::shared_ptr<const detail::ModelData> model;
  std::string device;
  detail::cpu::ThreadPool pool;
  Arena arena;
#ifdef TAILOR_WITH_CUDA
  /// Set for a "cuda:N" session, which runs there instead.
  std::unique_ptr<detail::cuda::Backend> cuda;
#endif

  Impl(std::shared_ptr<const detail::ModelData> model, std::string device,
       int threads)
      : model(std::move(model)), device(std::move(device)), pool(threads) {}

  Result<RunStats> run(std::string_view variantName,
                       const std::map<std::string, TensorView> &inputs,
                       std::map<std::string, Tensor> &outputs);
};

Result<Session> Session::create(const Model &model,
                                const SessionOptions &options) {
  Result<int> device = parseDevice(options.device);
  if (!device.ok())
    return device.status();
  // Unset: the artifact's precision on CUDA; the CPU computes in fp32.
  const std::string precision = !options.precision.empty() ? options.precision
                                : *device >= 0 ? model.info().precision
                                               : "fp32";
  Status precisionKnown = checkPrecision(precision, *device >= 0);
  if (!precisionKnown.ok())
    return precisionKnown;
  Result<int> threads = threadCount(options.threads);
  if (!threads.ok())
    return threads.status();
  std::unique_ptr<Impl> impl;
  try {
    impl = std::make_unique<Impl>(model.data, options.device, *threads);
  } catch (const std::exception &error) {
    return Status::error("cannot start " + std::to_string(*threads) +
                         " threads: " + error.what());
  }
#ifdef TAILOR_WITH_CUDA
  if (*device >= 0) {
    auto backend =
        detail::cuda::Backend::create(model.data, *device, precision);
    if (!backend.ok())
      return backend.status();
    impl->cuda = std::move(*backend);
  }
#endif
  return Session(std::move(impl));
}

Session::Session(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
Session::Session(Session &&) noexcept = default;
Session &Session::operator=(Session &&) noexcept = default;
Session::~Session() = default;

const std::string &Session::device() const {
  static const std::string none;
  return impl ? impl->device : none;
}
int Session::threads() const { return impl ? impl->pool.size() : 0; }

std::map<std::string, KernelOrigin> Session::kernelOrigins() const {
#ifdef TAILOR_WITH_CUDA
  if (impl && impl->cuda)
    return impl->cuda->kernelOrigins();
#endif
  return {};
}

Result<RunStats> Session::run(std::string_view variant,
                              const std::map<std::string, TensorView> &inputs,
                              std::map<std::string, Tensor> &outputs) {
  if (!impl)
    return Status::error("run on a moved-from session");
  try {
    return impl->run(variant, inputs, outputs);
  } catch (const std::bad_alloc &) {
    return Status::error("variant '" + std::string(variant) +
                         "': out of memory");
  } catch (const std::exception &error) {
    return Status::error("variant '" + std::string(variant) +
                         "': internal error: " + error.what());
  }
}

Result<RunStats>
Session::Impl::run(std::string_view variantName,
                   const std::map<std::string, TensorView> &inputs,
                   std::map<std::string, Tensor> &outputs) {
  auto start = std::chrono::steady_clock::now();
  const detail::ModelData &data = *model;
  const detail::Variant *variant = data.findVariant(variantName);
  if (!variant)
    return data.unknownVariant(variantName);
  Result<std::int64_t> batch = checkInputs(data.manifest.inputs, inputs);
  if (!batch.ok())
    return Status::error("variant '" + variant->info.name +
                         "': " + batch.status().message());

  RunStats stats;
  stats.variant = variant->info.name;
  stats.batch = *batch;
  // The CPU widens floats planned at 16 bits (the CUDA backend places its
  // own arena).
  const detail::Placement placement(*variant, /*keepsHalfFloats=*/false);
  std::uint64_t perSample = placement.arenaBytesPerSample();
  if (perSample != 0 &&
      stats.batch > static_cast<std::int64_t>(UINT64_MAX / 2 / perSample))
    return Status::error("variant '" + variant->info.name + "': batch " +
                         std::to_string(stats.batch) + " needs more than " +
                         "the address space for its arena");
  stats.deviceBatch = stats.batch;
  stats.arenaBytes = stats.batch * perSample;
#ifdef TAILOR_WITH_CUDA
  if (cuda) {
    Status ran = cuda->run(*variant, stats.batch, inputs, outputs, stats);
    if (!ran.ok())
      return Status::error("variant '" + variant->info.name +
                           "': " + ran.message());
    stats.flops = stats.batch * variant->info.flops;
    stats.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    return stats;
  }
#endif
  Status fits = detail::checkAllocation(
      stats.arenaBytes, "variant '" + variant->info.name + "' at batch " +
                            std::to_string(stats.batch));
  if (!fits.ok())
    return fits;
  try {
    stats.arenaBytesAllocated = arena.reserve(stats.arenaBytes);
  } catch (const std::bad_alloc &) {
    return Status::error("variant '" + variant->info.name +
                         "': cannot allocate an arena of " +
                         std::to_string(stats.arenaBytes) +
                         " bytes for batch " + std::to_string(stats.batch));
  }

  std::uint8_t *base = arena.data();
  for (std::size_t i = 0; i < data.manifest.inputs.size(); ++i) {
    const detail::Buffer &buffer = variant->buffers[variant->inputBuffers[i]];
    std::memcpy(base + stats.batch * placement.offset(buffer),
                inputs.at(data.manifest.inputs[i].name).data,
                stats.batch * buffer.bytesPerSample);
  }
  Status status =
      detail::cpu::execute(*variant, base, stats.batch, pool, stats);
  if (!status.ok())
    return Status::error("variant '" + variant->info.name +
                         "': " + status.message());

  for (std::size_t i = 0; i < data.manifest.outputs.size(); ++i) {
    const TensorInfo &info = data.manifest.outputs[i];
    const detail::Buffer &buffer = variant->buffers[variant->outputBuffers[i]];
    std::vector<std::int64_t> shape = info.shape;
    shape[0] = stats.batch;
    Result<Tensor> output = Tensor::allocate(info.dtype, shape);
    if (!output.ok())
      return Status::error("output '" + info.name +
                           "': " + output.status().message());
    std::memcpy(output->data(), base + stats.batch * placement.offset(buffer),
                output->numBytes());
    outputs[info.name] = std::move(*output);
  }
  stats.flops = stats.batch * variant->info.flops;
  stats.wallSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return stats;
}

} // namespace tailor
