//===- Backend.cpp - Runs a model's variants on one CUDA device -----------===//

#include "Backend.h"

#include "../LearnerTokens.h"
#include "../RowIdError.h"
#include "Driver.h"
#include "Gemm.h"
#include "KernelLoader.h"
#include "Lowering.h"
#include "tailor/codegen/cuda/Kernel.h"
#include "tailor/safetensors/safetensors.h"

#include <cstring>
#include <memory>
#include <optional>

namespace tailor::detail::cuda {
namespace {

namespace cg = codegen::cuda;

constexpr std::uint64_t kAlignment = 256;

std::uint64_t alignUp(std::uint64_t value) {
  return (value + kAlignment - 1) / kAlignment * kAlignment;
}

/// The most samples one run takes: the grid's z.
constexpr std::int64_t kMaxBatch = 65535;

/// The batch a run of `batch` samples is padded to, so that nearby batch
/// sizes replay one captured graph: the next power of two up to kBucketStep,
/// then the next multiple of it (at most kBucketStep - 1 padded samples, a
/// bounded number of graphs per variant).
std::int64_t bucketOf(std::int64_t batch) {
  constexpr std::int64_t kBucketStep = 256;
  if (batch > kBucketStep)
    return std::min((batch + kBucketStep - 1) / kBucketStep * kBucketStep,
                    kMaxBatch);
  std::int64_t bucket = 1;
  while (bucket < batch)
    bucket *= 2;
  return bucket;
}

struct PrecisionChoice {
  const char *name;
  GemmMath gemm;
  cg::Math attention;
  /// How the floats an artifact plans at 16 bits are kept (F32: widened).
  cg::Storage halfStorage;
};

const PrecisionChoice kPrecisions[] = {
    {"fp32", GemmMath::F32, cg::Math::F32, cg::Storage::F32},
    {"tf32", GemmMath::TF32, cg::Math::F32, cg::Storage::F32},
    {"bf16", GemmMath::BF16, cg::Math::BF16, cg::Storage::BF16},
    {"fp16", GemmMath::F16, cg::Math::F16, cg::Storage::F16},
};

const PrecisionChoice &precisionOf(const std::string &name) {
  for (const PrecisionChoice &choice : kPrecisions)
    if (name == choice.name)
      return choice;
  return kPrecisions[0];
}

/// A captured graph of one variant at one bucket.
struct Graph {
  CUgraphExec exec = nullptr;
  Graph() = default;
  Graph(const Graph &) = delete;
  Graph &operator=(const Graph &) = delete;
  ~Graph() {
    if (exec)
      cuGraphExecDestroy(exec);
  }
};

/// Captures `actions` (none reads the host) as a graph.
std::unique_ptr<Graph> capture(CUstream stream,
                               const std::vector<Action> &actions) {
  check(cuStreamBeginCapture(stream, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL),
        "cuStreamBeginCapture");
  CUgraph graph = nullptr;
  try {
    for (const Action &action : actions)
      action(stream);
  } catch (...) {
    cuStreamEndCapture(stream, &graph);
    if (graph)
      cuGraphDestroy(graph);
    throw;
  }
  check(cuStreamEndCapture(stream, &graph), "cuStreamEndCapture");
  auto captured = std::make_unique<Graph>();
  CUresult instantiated = cuGraphInstantiate(&captured->exec, graph, 0);
  cuGraphDestroy(graph);
  check(instantiated, "cuGraphInstantiate");
  return captured;
}

/// A stretch of a variant's actions: a graph of those that read no host
/// memory, or one action that does.
struct Segment {
  std::unique_ptr<Graph> graph;
  std::optional<Action> eager;
};

/// A variant with ACM steps lowered for one bucket: graphs between the
/// actions that read its counts on the host (HostCounts says why), and the
/// host memory the counts are copied into.
struct SegmentedPlan {
  HostCounts counts;
  std::vector<Segment> segments;
};

} // namespace

const char *precisionNames() { return "fp32, tf32, bf16, fp16"; }

bool isPrecision(const std::string &name) {
  for (const PrecisionChoice &choice : kPrecisions)
    if (name == choice.name)
      return true;
  return false;
}

cg::Math attentionMath(const std::string &precision) {
  return precisionOf(precision).attention;
}

cg::Storage halfStorage(const std::string &precision) {
  return precisionOf(precision).halfStorage;
}

struct Backend::State {
  std::shared_ptr<const ModelData> model;
  std::string device;
  CUdevice cuDevice = 0;
  CUcontext context = nullptr;
  CUstream stream = nullptr;
  PrecisionChoice precision;
  std::string arch;
  /// Of the weights but those that stay f32 (staysF32).
  cg::Storage weightStorage = cg::Storage::F32;
  DeviceMemory weightMemory;
  std::map<const Weight *, CUdeviceptr> weights;
  std::unique_ptr<KernelLoader> loader;
  std::unique_ptr<Gemm> gemm;
  DeviceMemory arena;
  DeviceMemory errors;
  std::size_t mostSteps = 0;
  /// By variant name and bucket; emptied when the arena moves.
  std::map<std::pair<std::string, std::int64_t>, std::unique_ptr<Graph>> graphs;
  std::map<std::pair<std::string, std::int64_t>, std::unique_ptr<SegmentedPlan>>
      segmentedPlans;

  ~State() {
    if (!context)
      return;
    cuCtxSetCurrent(context);
    graphs.clear();
    segmentedPlans.clear();
    gemm.reset();
    loader.reset();
    arena = DeviceMemory();
    errors = DeviceMemory();
    weightMemory = DeviceMemory();
    if (stream)
      cuStreamDestroy(stream);
    cuDevicePrimaryCtxRelease(cuDevice);
  }

  void open(int ordinal);
  void uploadWeights();
  /// Sets `isNew` when it captures the graph.
  Graph &graphFor(const Variant &variant, std::int64_t batch,
                  CUdeviceptr scratch, bool &isNew);
  /// Sets `isNew` when it lowers the plan and captures its graphs.
  SegmentedPlan &segmentedPlanFor(const Variant &variant, std::int64_t batch,
                                  CUdeviceptr scratch, bool &isNew);
  Status stepError(const Variant &variant, std::size_t index,
                   std::uint64_t position, std::int64_t batch);
  Placement placementOf(const Variant &variant) const {
    return Placement(variant, precision.halfStorage != cg::Storage::F32);
  }
  Lowering loweringOf(const Variant &variant, std::int64_t batch,
                      CUdeviceptr scratch, HostCounts *hostCounts) {
    return {variant,
            batch,
            arena.get(),
            scratch,
            errors.get(),
            *loader,
            gemm.get(),
            hostCounts,
            precision.attention,
            weights,
            placementOf(variant),
            precision.halfStorage,
            weightStorage};
  }
};

void Backend::State::open(int ordinal) {
  loadDriver();
  check(cuInit(0), "cuInit");
  int count = 0;
  check(cuDeviceGetCount(&count), "cuDeviceGetCount");
  if (ordinal >= count)
    throw CudaError("there " +
                    std::string(count == 1 ? "is 1 CUDA device"
                                           : "are " + std::to_string(count) +
                                                 " CUDA devices"));
  check(cuDeviceGet(&cuDevice, ordinal), "cuDeviceGet");
  check(cuDevicePrimaryCtxRetain(&context, cuDevice),
        "cuDevicePrimaryCtxRetain");
  check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
  check(cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
  arch = archOf(cuDevice);
}

// Every weight the plans name, copied once into one allocation, in the
// storage the session computes in (16-bit weights rounded from the f32
// values, which a 16-bit artifact holds exactly).
void Backend::State::uploadWeights() {
  const Manifest &manifest = model->manifest;
  weightStorage = cuda::weightStorage(manifest, precision.halfStorage);
  // Each weight's storage and size, decided once.
  struct Upload {
    const Weight *weight;
    cg::Storage storage;
    std::uint64_t elements = 1;
  };
  std::vector<Upload> uploads;
  std::uint64_t total = 0;
  for (const auto &[name, weight] : manifest.weights) {
    Upload upload{&weight, staysF32(manifest, weight) ? cg::Storage::F32
                                                      : weightStorage};
    for (std::int64_t dim : weight.shape)
      upload.elements *= dim;
    total = alignUp(total) + upload.elements * cg::storageSize(upload.storage);
    uploads.push_back(upload);
  }
  weightMemory = DeviceMemory(alignUp(total));
  std::uint64_t offset = 0;
  std::vector<std::uint16_t> narrowed;
  for (const Upload &upload : uploads) {
    const Weight &weight = *upload.weight;
    const std::string &name = weight.name;
    const std::uint64_t bytes =
        upload.elements * cg::storageSize(upload.storage);
    const void *host = weight.data;
    if (upload.storage != cg::Storage::F32) {
      narrowed = safetensors::narrowFloats(weight.data, upload.elements,
                                           upload.storage == cg::Storage::BF16
                                               ? safetensors::DType::BF16
                                               : safetensors::DType::F16);
      host = narrowed.data();
    }
    offset = alignUp(offset);
    CUdeviceptr at = weightMemory.get() + offset;
    check(cuMemcpyHtoD(at, host, bytes),
          ("copying weight '" + name + "' to the device").c_str());
    weights[&weight] = at;
    offset += bytes;
  }
}

Graph &Backend::State::graphFor(const Variant &variant, std::int64_t batch,
                                CUdeviceptr scratch, bool &isNew) {
  auto key = std::make_pair(variant.info.name, batch);
  isNew = false;
  if (auto found = graphs.find(key); found != graphs.end())
    return *found->second;
  isNew = true;
  // cuBLASLt picks and caches its plans outside the capture.
  return *graphs
              .emplace(key,
                       capture(stream, lower(loweringOf(variant, batch, scratch,
                                                        nullptr))))
              .first->second;
}

SegmentedPlan &Backend::State::segmentedPlanFor(const Variant &variant,
                                                std::int64_t batch,
                                                CUdeviceptr scratch,
                                                bool &isNew) {
  auto key = std::make_pair(variant.info.name, batch);
  isNew = false;
  if (auto found = segmentedPlans.find(key); found != segmentedPlans.end())
    return *found->second;
  isNew = true;
  auto plan = std::unique_ptr<SegmentedPlan>(
      new SegmentedPlan{HostCounts(variant, batch), {}});
  const Lowering lowering = loweringOf(variant, batch, scratch, &plan->counts);
  std::vector<Action> stretch;
  auto captureStretch = [&] {
    if (!stretch.empty())
      plan->segments.push_back({capture(stream, stretch), std::nullopt});
    stretch.clear();
  };
  for (Action &action : lower(lowering)) {
    if (!action.readsHost) {
      stretch.push_back(std::move(action));
      continue;
    }
    captureStretch();
    plan->segments.push_back({nullptr, std::move(action)});
  }
  captureStretch();
  return *segmentedPlans.emplace(key, std::move(plan)).first->second;
}

/// The message the CPU backend gives for the same bad index.
Status Backend::State::stepError(const Variant &variant, std::size_t index,
                                 std::uint64_t position, std::int64_t batch) {
  const Step &step = variant.steps[index];
  const std::string where = "steps[" + std::to_string(index) + "] (" +
                            std::string(schemaOf(step.op).name) + ")";
  auto readIndex = [&](const Buffer &buffer) {
    std::int32_t value = 0;
    check(cuMemcpyDtoH(&value,
                       arena.get() +
                           batch * placementOf(variant).offset(buffer) +
                           position * sizeof(std::int32_t),
                       sizeof value),
          "reading a bad index");
    return value;
  };
  if (step.op == Op::TokenEmbeddings) {
    const Buffer &ids =
        variant.buffers[step.inputs[roles::token_embeddings::Ids]];
    const Weight &word = *step.weights[roles::token_embeddings::Word];
    const std::int64_t seq = ids.dims[0];
    return Status::error(
        where + ": token id " + std::to_string(readIndex(ids)) + " at [" +
        std::to_string(position / seq) + ", " + std::to_string(position % seq) +
        "] of '" + ids.name + "' is out of range of the embedding table '" +
        word.name + "' (ids 0 to " + std::to_string(word.shape[0] - 1) + ")");
  }
  if (step.op == Op::GatherRows || step.op == Op::ScatterAdd) {
    namespace r = roles::compact_rows;
    const Buffer &rows = variant.buffers[step.inputs[r::Rows]];
    const Buffer &tokens =
        variant.buffers[step.op == Op::GatherRows ? step.inputs[r::X]
                                                  : step.outputs[0]];
    return rowIdError(index, step, rows, position, readIndex(rows), tokens,
                      batch);
  }
  const int role = step.op == Op::RestoreTokens
                       ? step.inputs[roles::restore_tokens::Indices]
                   : step.op == Op::GatherTokens
                       ? step.inputs[roles::gather_tokens::Indices]
                       : step.outputs[roles::select_tokens::Indices];
  const Buffer &indices = variant.buffers[role];
  const Buffer &full = variant.buffers[step.inputs[0]];
  const std::int64_t kept = indices.dims[0];
  return Status::error(
      where + ": token index " + std::to_string(readIndex(indices)) + " at [" +
      std::to_string(position / kept) + ", " + std::to_string(position % kept) +
      "] of '" + indices.name + "' is outside the " +
      std::to_string(full.dims[0]) + " tokens of '" + full.name + "'");
}

Backend::Backend(std::unique_ptr<State> state) : state(std::move(state)) {}
Backend::~Backend() = default;

Result<std::unique_ptr<Backend>>
Backend::create(std::shared_ptr<const ModelData> model, int ordinal,
                const std::string &precision) {
  auto state = std::make_unique<State>();
  state->model = std::move(model);
  state->device = "cuda:" + std::to_string(ordinal);
  state->precision = precisionOf(precision);
  try {
    state->open(ordinal);
    state->uploadWeights();
    state->loader =
        std::make_unique<KernelLoader>(state->model->file, state->arch);
    state->gemm = std::make_unique<Gemm>(state->precision.gemm);
    for (const Variant &variant : state->model->manifest.variants)
      state->mostSteps = std::max(state->mostSteps, variant.steps.size());
    state->errors = DeviceMemory(state->mostSteps * sizeof(unsigned long long));
  } catch (const std::exception &error) {
    return Status::error("device '" + state->device + "': " + error.what());
  }
  return std::unique_ptr<Backend>(new Backend(std::move(state)));
}

std::map<std::string, KernelOrigin> Backend::kernelOrigins() const {
  return state->loader->origins();
}

Status Backend::run(const Variant &variant, std::int64_t batch,
                    const std::map<std::string, TensorView> &inputs,
                    std::map<std::string, Tensor> &outputs, RunStats &stats) {
  State &s = *state;
  try {
    check(cuCtxSetCurrent(s.context), "cuCtxSetCurrent");
    if (batch > kMaxBatch)
      return Status::error("batch " + std::to_string(batch) + " is above " +
                           std::to_string(kMaxBatch) +
                           ", the most one CUDA run takes");
    // The device runs the bucket; the rows past `batch` are zeros (valid
    // token ids, masked keys) whose results are dropped.
    const std::int64_t padded = bucketOf(batch);
    stats.deviceBatch = padded;
    const Placement placement = s.placementOf(variant);
    stats.arenaBytes = padded * placement.arenaBytesPerSample();
    const std::uint64_t arenaBytes = alignUp(stats.arenaBytes);
    const std::uint64_t needed =
        arenaBytes + alignUp(padded * scratchBytesPerSample(variant));
    stats.arenaBytesAllocated = 0;
    if (needed > s.arena.size()) {
      s.graphs.clear(); // they point into the old arena
      s.segmentedPlans.clear();
      s.arena = DeviceMemory();
      s.arena = DeviceMemory(needed);
      stats.arenaBytesAllocated = needed;
      // A fresh arena holds NaNs: an output a kernel leaves unwritten shows
      // as NaN, never as stale numbers that look right.
      check(cuMemsetD32Async(s.arena.get(), 0x7fc00000u, needed / 4, s.stream),
            "cuMemsetD32Async");
    }
    // A variant with ACM steps reads counts on the host mid-run: graphs
    // between those reads.
    const CUdeviceptr scratch = s.arena.get() + arenaBytes;
    SegmentedPlan *segmented =
        needsHostCounts(variant)
            ? &s.segmentedPlanFor(variant, padded, scratch, stats.graphCaptured)
            : nullptr;
    Graph *graph =
        segmented ? nullptr
                  : &s.graphFor(variant, padded, scratch, stats.graphCaptured);

    const ModelData &model = *s.model;
    check(cuMemsetD32Async(s.errors.get(), 0xffffffffu,
                           2 * variant.steps.size(), s.stream),
          "cuMemsetD32Async");
    for (std::size_t i = 0; i < model.manifest.inputs.size(); ++i) {
      const Buffer &buffer = variant.buffers[variant.inputBuffers[i]];
      const CUdeviceptr at = s.arena.get() + padded * placement.offset(buffer);
      check(cuMemcpyHtoDAsync(at, inputs.at(model.manifest.inputs[i].name).data,
                              batch * buffer.bytesPerSample, s.stream),
            ("copying input '" + model.manifest.inputs[i].name + "'").c_str());
      if (padded > batch)
        check(cuMemsetD8Async(at + batch * buffer.bytesPerSample, 0,
                              (padded - batch) * buffer.bytesPerSample,
                              s.stream),
              "cuMemsetD8Async");
    }
    if (segmented)
      for (const Segment &segment : segmented->segments) {
        if (segment.graph)
          check(cuGraphLaunch(segment.graph->exec, s.stream), "cuGraphLaunch");
        else
          (*segment.eager)(s.stream);
      }
    else
      check(cuGraphLaunch(graph->exec, s.stream), "cuGraphLaunch");
    std::vector<unsigned long long> errors(variant.steps.size());
    check(cuMemcpyDtoHAsync(errors.data(), s.errors.get(),
                            errors.size() * sizeof(unsigned long long),
                            s.stream),
          "reading the error words");
    std::map<std::string, Tensor> results;
    for (std::size_t i = 0; i < model.manifest.outputs.size(); ++i) {
      const TensorInfo &info = model.manifest.outputs[i];
      const Buffer &buffer = variant.buffers[variant.outputBuffers[i]];
      std::vector<std::int64_t> shape = info.shape;
      shape[0] = batch;
      Result<Tensor> output = Tensor::allocate(info.dtype, shape);
      if (!output.ok())
        return Status::error("output '" + info.name +
                             "': " + output.status().message());
      check(cuMemcpyDtoHAsync(output->data(),
                              s.arena.get() + padded * placement.offset(buffer),
                              output->numBytes(), s.stream),
            ("copying output '" + info.name + "'").c_str());
      results[info.name] = std::move(*output);
    }
    check(cuStreamSynchronize(s.stream), "running the variant");
    for (std::size_t index = 0; index < errors.size(); ++index)
      if (errors[index] != cg::kNoError)
        return s.stepError(variant, index, errors[index], padded);
    // The counts' prefix sums at the caller's last sample leave the
    // padding out.
    stats.learnerTokens = learnerTokens(variant, batch, [&](int step) {
      return segmented->counts.of(step)[batch - 1];
    });
    for (auto &[name, tensor] : results)
      outputs[name] = std::move(tensor);
  } catch (const std::exception &error) {
    return Status::error("device '" + s.device + "': " + error.what());
  }
  return {};
}

} // namespace tailor::detail::cuda
