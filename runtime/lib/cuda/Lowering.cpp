//===- Lowering.cpp - A variant's steps as kernel launches and GEMMs ------===//

#include "Lowering.h"

#include "tailor/codegen/cuda/Generators.h"

#include <algorithm>

namespace tailor::detail::cuda {
namespace {

namespace cg = codegen::cuda;

/// A GEMM over the rows a counts total gives computes them rounded up to a
/// multiple of this (the rows past the total are unspecified): fewer
/// distinct shapes, so fewer cuBLASLt plans to pick and keep.
constexpr std::int64_t kCountedRowsStep = 64;

std::int64_t countedRows(std::int64_t total, std::int64_t rows) {
  return std::min(rows, (total + kCountedRowsStep - 1) / kCountedRowsStep *
                            kCountedRowsStep);
}

std::int64_t compactSteps(const Variant &variant) {
  return std::count_if(
      variant.steps.begin(), variant.steps.end(),
      [](const Step &step) { return step.op == Op::AcmCompact; });
}

class StepLowering {
public:
  StepLowering(const Lowering &lowering, std::vector<Action> &actions)
      : lowering(lowering), actions(actions) {}

  /// Lowers steps[index]; returns how many steps it consumed (several for
  /// consecutive acm_compact steps).
  std::size_t lower(std::size_t index);

private:
  const Buffer &in(const Step &step, int role) const {
    return lowering.variant.buffers[step.inputs[role]];
  }
  const Buffer &out(const Step &step, int role) const {
    return lowering.variant.buffers[step.outputs[role]];
  }
  CUdeviceptr at(const Buffer &buffer) const {
    return lowering.arena + lowering.batch * lowering.placement.offset(buffer);
  }
  cg::Storage storageOf(const Buffer &buffer) const {
    return lowering.placement.halfFloat(buffer) ? lowering.halfStorage
                                                : cg::Storage::F32;
  }
  CUdeviceptr input(const Step &step, int role) const {
    return step.inputs[role] < 0 ? 0 : at(in(step, role));
  }
  CUdeviceptr output(const Step &step, int role) const {
    return step.outputs[role] < 0 ? 0 : at(out(step, role));
  }
  CUdeviceptr weight(const Step &step, int role) const {
    const Weight *weight = step.weights[role];
    return weight ? lowering.weights.at(weight) : 0;
  }
  CUdeviceptr errorSlot(std::size_t index) const {
    return lowering.errors + index * sizeof(unsigned long long);
  }

  /// With `countedBy` >= 0 (an acm_compact step), only the samples' worth
  /// of rows (`rowsPerSample` each) that cover its total are launched.
  void launch(const cg::Kernel &kernel, std::vector<CUdeviceptr> params,
              int countedBy = -1, std::int64_t rowsPerSample = 1);
  /// x and y hold `xStorage` and `yStorage` (a residual y's); `countedBy`
  /// >= 0: the acm_compact step whose total gives the rows; `residual` (0:
  /// none) is added after the activation.
  void gemm(CUdeviceptr x, CUdeviceptr y, std::int64_t rows, std::int64_t in,
            std::int64_t out, CUdeviceptr weight, CUdeviceptr bias,
            Activation activation, cg::Storage xStorage, cg::Storage yStorage,
            int countedBy = -1, CUdeviceptr residual = 0);
  void memset(CUdeviceptr pointer, std::uint64_t words);
  std::size_t lowerStep(std::size_t index);
  /// The acm_compact step whose counts `counts` holds, its total made
  /// readable on the host before the next action.
  int hostTotalOf(int counts);
  /// Lowers the acm_compact steps from `index` on; returns how many.
  std::size_t acmCompact(std::size_t index);

  void linear(const Step &step);
  void attention(const Step &step);
  void patchEmbeddings(const Step &step);
  void classifier(const Step &step);

  const Lowering &lowering;
  std::vector<Action> &actions;
  /// The acm_compact step that last wrote each counts buffer.
  std::map<int, int> compactOf;
  /// Whether acm_compact steps copied counts the host has not waited for.
  bool copiesInFlight = false;
};

void StepLowering::launch(const cg::Kernel &kernel,
                          std::vector<CUdeviceptr> params, int countedBy,
                          std::int64_t rowsPerSample) {
  CUfunction function = lowering.kernels.load(kernel);
  const unsigned batch = static_cast<unsigned>(lowering.batch);
  if (kernel.wholeBatch)
    params.push_back(static_cast<CUdeviceptr>(lowering.batch));
  const unsigned fullGridZ = kernel.wholeBatch ? 1 : batch;
  const HostCounts *host = lowering.hostCounts;
  auto run = [=, params = std::move(params)](CUstream stream) mutable {
    unsigned gridZ = fullGridZ;
    if (countedBy >= 0)
      gridZ = static_cast<unsigned>(
          (host->total(countedBy) + rowsPerSample - 1) / rowsPerSample);
    if (gridZ == 0)
      return;
    std::vector<void *> args;
    for (CUdeviceptr &param : params)
      args.push_back(&param);
    check(cuLaunchKernel(function, kernel.grid.x, kernel.grid.y, gridZ,
                         kernel.block, 1, 1, kernel.sharedBytes, stream,
                         args.data(), nullptr),
          ("launching kernel '" + kernel.name + "'").c_str());
  };
  actions.push_back(Action(std::move(run), countedBy >= 0));
}

void StepLowering::memset(CUdeviceptr pointer, std::uint64_t words) {
  actions.push_back([=](CUstream stream) {
    check(cuMemsetD32Async(pointer, 0, words, stream), "cuMemsetD32Async");
  });
}

cg::Activation kernelActivation(Activation activation) {
  switch (activation) {
  case Activation::None:
    return cg::Activation::None;
  case Activation::Relu:
    return cg::Activation::Relu;
  case Activation::Gelu:
    return cg::Activation::Gelu;
  case Activation::GeluTanh:
    return cg::Activation::GeluTanh;
  case Activation::Tanh:
    return cg::Activation::Tanh;
  }
  return cg::Activation::None;
}

GemmType gemmType(cg::Storage storage) {
  switch (storage) {
  case cg::Storage::F32:
    return GemmType::F32;
  case cg::Storage::BF16:
    return GemmType::BF16;
  case cg::Storage::F16:
    return GemmType::F16;
  }
  return GemmType::F32;
}

// cuBLASLt fuses the bias, relu or the tanh GELU after a bias, and a
// residual without activation (C with beta = 1: its activation would come
// after the residual); the erf GELU and tanh (and an activation without
// bias, or before a residual) run in a generated epilogue kernel after it,
// which then adds the residual.
void StepLowering::gemm(CUdeviceptr x, CUdeviceptr y, std::int64_t rows,
                        std::int64_t in, std::int64_t out, CUdeviceptr weight,
                        CUdeviceptr bias, Activation activation,
                        cg::Storage xStorage, cg::Storage yStorage,
                        int countedBy, CUdeviceptr residual) {
  // cuBLASLt multiplies operands of one type.
  if (xStorage != lowering.weightStorage)
    throw CudaError(std::string("a product of ") + cg::storageName(xStorage) +
                    " activations and " +
                    cg::storageName(lowering.weightStorage) +
                    " weights: the artifact plans its activations at another "
                    "precision than this session's weights");
  GemmEpilogue epilogue = bias ? GemmEpilogue::Bias : GemmEpilogue::None;
  bool fused = activation == Activation::None;
  if (bias && !residual && activation == Activation::Relu) {
    epilogue = GemmEpilogue::ReluBias;
    fused = true;
  } else if (bias && !residual && activation == Activation::GeluTanh) {
    epilogue = GemmEpilogue::GeluTanhBias;
    fused = true;
  }
  const CUdeviceptr blasResidual = fused ? residual : 0;
  Gemm *blas = lowering.gemm;
  const HostCounts *host = lowering.hostCounts;
  const GemmTypes types{gemmType(xStorage), gemmType(yStorage)};
  auto run = [=](CUstream stream) {
    const std::int64_t computed =
        countedBy < 0 ? rows : countedRows(host->total(countedBy), rows);
    if (computed > 0)
      blas->linear(x, y, computed, in, out, weight, bias, epilogue, types,
                   stream, blasResidual);
  };
  actions.push_back(Action(std::move(run), countedBy >= 0));
  // A counted GEMM's epilogue runs on the samples' worth of rows that hold
  // its total: erf-GELU on every row would cost as much as the dense MLP's.
  const std::int64_t rowsPerSample = rows / lowering.batch;
  if (!fused)
    launch(cg::biasActivationKernel(rowsPerSample, out, false,
                                    kernelActivation(activation), residual != 0,
                                    yStorage),
           {y, 0, residual}, countedBy, rowsPerSample);
}

void StepLowering::linear(const Step &step) {
  namespace r = roles::linear;
  const Buffer &x = in(step, r::X);
  const std::int64_t inFeatures = x.dims.back();
  const std::int64_t outFeatures = out(step, 0).dims.back();
  const std::int64_t rows = lowering.batch * x.elementsPerSample / inFeatures;
  const int countedBy =
      step.inputs[r::Counts] >= 0 ? hostTotalOf(step.inputs[r::Counts]) : -1;
  gemm(input(step, r::X), output(step, 0), rows, inFeatures, outFeatures,
       weight(step, r::Kernel), weight(step, r::Bias), step.activation,
       storageOf(x), storageOf(out(step, 0)), countedBy,
       input(step, r::Residual));
}

int StepLowering::hostTotalOf(int counts) {
  if (copiesInFlight) {
    actions.push_back(Action(
        [](CUstream stream) {
          check(cuStreamSynchronize(stream), "waiting for the ACM counts");
        },
        /*readsHost=*/true));
    copiesInFlight = false;
  }
  return compactOf.at(counts);
}

// The acm_compact steps of one layer (consecutive learners over one
// learners buffer, as lower-to-kernels emits them) run as one launch, one
// block per learner.
std::size_t StepLowering::acmCompact(std::size_t index) {
  namespace r = roles::acm_compact;
  const auto &steps = lowering.variant.steps;
  const Step &first = steps[index];
  std::size_t count = 1;
  while (count < static_cast<std::size_t>(cg::kMaxCompactions) &&
         index + count < steps.size()) {
    const Step &next = steps[index + count];
    if (next.op != Op::AcmCompact || next.guard >= 0 ||
        next.inputs[0] != first.inputs[0] ||
        next.learner != first.learner + static_cast<std::int64_t>(count))
      break;
    ++count;
  }
  std::vector<CUdeviceptr> params(1 + 2 * cg::kMaxCompactions, 0);
  params[0] = input(first, 0);
  const HostCounts *host = lowering.hostCounts;
  const std::uint64_t bytes = lowering.batch * sizeof(std::int32_t);
  std::vector<std::pair<std::size_t, CUdeviceptr>> copies;
  for (std::size_t i = 0; i < count; ++i) {
    const Step &step = steps[index + i];
    params[1 + i] = output(step, r::Rows);
    params[1 + cg::kMaxCompactions + i] = output(step, r::Counts);
    compactOf[step.outputs[r::Counts]] = static_cast<int>(index + i);
    copies.push_back({index + i, output(step, r::Counts)});
  }
  launch(cg::acmCompactKernel(in(first, 0).dims[0], first.learner,
                              static_cast<std::int64_t>(count)),
         std::move(params));
  copiesInFlight = true;
  actions.push_back([=](CUstream stream) {
    for (auto [step, counts] : copies)
      check(cuMemcpyDtoHAsync(host->of(step), counts, bytes, stream),
            "copying the counts of an acm_compact step");
  });
  return count;
}

void StepLowering::attention(const Step &step) {
  namespace r = roles::attention;
  const auto &dims = out(step, r::Context).dims;
  const std::int64_t hidden = dims[1];
  const bool packed = step.inputs[r::Qkv] >= 0;
  cg::AttentionConfig config;
  config.seq = dims[0];
  config.heads = step.heads;
  config.headDim = hidden / step.heads;
  config.storage = storageOf(in(step, packed ? r::Qkv : r::Q));
  if (packed) {
    config.rowStride = 3 * hidden;
    config.contextStride = hidden;
  }
  config.math = config.headDim % 2 ? cg::Math::F32 : lowering.attentionMath;
  config.keyMask = step.inputs[r::KeyMask] >= 0;
  config.significance = step.outputs[r::Significance] >= 0;
  config.arch = lowering.kernels.arch;
  if (config.significance)
    memset(output(step, r::Significance), lowering.batch * config.seq);
  // Packed q | k | v: each a slice of the qkv rows.
  const CUdeviceptr qkv = input(step, r::Qkv);
  if (step.blockSparse.blockSize > 0) {
    config.sparseBlock = step.blockSparse.blockSize;
    for (const std::vector<std::int64_t> &keys : step.blockSparse.keyBlocks)
      config.blockTable.emplace_back(keys.begin(), keys.end());
  }
  launch(cg::attentionKernel(config),
         {packed ? qkv : input(step, r::Q),
          packed ? qkv + hidden * cg::storageSize(config.storage)
                 : input(step, r::K),
          packed ? qkv + 2 * hidden * cg::storageSize(config.storage)
                 : input(step, r::V),
          input(step, r::KeyMask), output(step, r::Context),
          output(step, r::Significance)});
}

void StepLowering::patchEmbeddings(const Step &step) {
  namespace r = roles::patch_embeddings;
  const auto &dims = in(step, r::Images).dims;
  const std::int64_t channels = dims[0], size = dims[1];
  const std::int64_t patch = step.patchSize, side = size / patch;
  const std::int64_t patches = side * side;
  const std::int64_t features = channels * patch * patch;
  const std::int64_t hidden = step.weights[r::Kernel]->shape[0];
  const cg::Storage storage = storageOf(out(step, 0));
  const CUdeviceptr unfolded = lowering.scratch;
  const CUdeviceptr projected =
      unfolded + lowering.batch * patches * features * cg::storageSize(storage);
  launch(cg::patchUnfoldKernel(channels, size, patch, storage),
         {input(step, r::Images), unfolded});
  gemm(unfolded, projected, lowering.batch * patches, features, hidden,
       weight(step, r::Kernel), 0, Activation::None, storage, storage);
  launch(cg::patchFinishKernel(patches, hidden, storage),
         {projected, weight(step, r::Bias), weight(step, r::Cls),
          weight(step, r::Position), output(step, 0)});
}

void StepLowering::classifier(const Step &step) {
  namespace r = roles::classifier;
  const auto &dims = in(step, r::X).dims;
  const std::int64_t seq = dims[0], hidden = dims[1];
  const std::int64_t classes = step.weights[r::Kernel]->shape[0];
  const std::int64_t batch = lowering.batch;
  const cg::Storage storage = storageOf(in(step, r::X));
  const cg::Storage logits = storageOf(out(step, 0));
  if (step.pooling == Pooling::Token) {
    gemm(input(step, r::X), output(step, 0), batch * seq, hidden, classes,
         weight(step, r::Kernel), weight(step, r::Bias), Activation::None,
         storage, logits);
    return;
  }
  CUdeviceptr pooled = lowering.scratch;
  launch(cg::poolKernel(seq, hidden,
                        step.pooling == Pooling::Mean ? cg::Pool::Mean
                                                      : cg::Pool::Cls,
                        storage),
         {input(step, r::X), pooled});
  if (step.weights[r::PoolerKernel]) {
    CUdeviceptr dense = pooled + batch * hidden * cg::storageSize(storage);
    gemm(pooled, dense, batch, hidden, hidden, weight(step, r::PoolerKernel),
         weight(step, r::PoolerBias), Activation::Tanh, storage, storage);
    pooled = dense;
  }
  gemm(pooled, output(step, 0), batch, hidden, classes, weight(step, r::Kernel),
       weight(step, r::Bias), Activation::None, storage, logits);
}

// A guarded step's actions become one that runs them when the guard's total
// is positive.
std::size_t StepLowering::lower(std::size_t index) {
  const Step &step = lowering.variant.steps[index];
  if (step.guard < 0)
    return lowerStep(index);
  const int guard = hostTotalOf(step.guard);
  const std::size_t first = actions.size();
  const std::size_t consumed = lowerStep(index);
  std::vector<Action> body(std::make_move_iterator(actions.begin() + first),
                           std::make_move_iterator(actions.end()));
  actions.erase(actions.begin() + first, actions.end());
  const HostCounts *host = lowering.hostCounts;
  actions.push_back(Action(
      [=, body = std::move(body)](CUstream stream) {
        if (host->total(guard) > 0)
          for (const Action &action : body)
            action(stream);
      },
      /*readsHost=*/true));
  return consumed;
}

std::size_t StepLowering::lowerStep(std::size_t index) {
  const Step &step = lowering.variant.steps[index];
  switch (step.op) {
  case Op::TokenEmbeddings: {
    namespace r = roles::token_embeddings;
    const Weight &word = *step.weights[r::Word];
    const cg::Storage storage = storageOf(out(step, 0));
    if (storage != lowering.weightStorage)
      throw CudaError(
          "token_embeddings: " + std::string(cg::storageName(storage)) +
          " embeddings from " + cg::storageName(lowering.weightStorage) +
          " tables");
    launch(cg::tokenEmbeddingsKernel(
               in(step, r::Ids).dims[0], word.shape[1], word.shape[0],
               step.weights[r::TokenType] != nullptr, storage),
           {input(step, r::Ids), weight(step, r::Word),
            weight(step, r::Position), weight(step, r::TokenType),
            output(step, 0), errorSlot(index)});
    return 1;
  }
  case Op::PatchEmbeddings:
    patchEmbeddings(step);
    return 1;
  case Op::LayerNorm: {
    namespace r = roles::layer_norm;
    const Buffer &x = in(step, r::X);
    const std::int64_t hidden = x.dims.back();
    launch(cg::layerNormKernel(x.elementsPerSample / hidden, hidden,
                               step.epsilon, false, true, storageOf(x)),
           {input(step, r::X), 0, 0, output(step, 0), weight(step, r::Gamma),
            weight(step, r::Beta)});
    return 1;
  }
  case Op::AddLayerNorm: {
    namespace r = roles::add_layer_norm;
    const Buffer &a = in(step, r::A);
    const std::int64_t hidden = a.dims.back();
    const bool writeSum = step.outputs[r::Sum] >= 0;
    launch(cg::layerNormKernel(a.elementsPerSample / hidden, hidden,
                               step.epsilon, true, writeSum, storageOf(a)),
           {input(step, r::A), input(step, r::B), output(step, r::Sum),
            output(step, r::Y), weight(step, r::Gamma), weight(step, r::Beta)});
    return 1;
  }
  case Op::Add: {
    namespace r = roles::add;
    launch(cg::addKernel(in(step, r::A).elementsPerSample,
                         storageOf(out(step, 0))),
           {input(step, r::A), input(step, r::B), output(step, 0)});
    return 1;
  }
  case Op::Linear:
    linear(step);
    return 1;
  case Op::Attention:
    attention(step);
    return 1;
  case Op::SelectTokens: {
    namespace r = roles::select_tokens;
    const auto &dims = in(step, r::X).dims;
    const std::int64_t kept = out(step, r::Selected).dims[0];
    launch(cg::selectTokensKernel(dims[0], kept, step.keepFirst),
           {input(step, r::Significance), output(step, r::Indices)});
    launch(
        cg::rowCopyKernel(cg::RowCopy::Gather, dims[0], kept,
                          dims[1] * cg::storageSize(storageOf(in(step, r::X)))),
        {input(step, r::X), output(step, r::Indices), output(step, r::Selected),
         errorSlot(index)});
    return 1;
  }
  case Op::RestoreTokens: {
    namespace r = roles::restore_tokens;
    const Buffer &full = in(step, r::Full);
    const std::int64_t kept = in(step, r::Selected).dims[0];
    const CUdeviceptr from = input(step, r::Full), to = output(step, 0);
    const std::uint64_t bytes = lowering.batch * lowering.placement.bytes(full);
    actions.push_back([=](CUstream stream) {
      check(cuMemcpyDtoDAsync(to, from, bytes, stream), "cuMemcpyDtoDAsync");
    });
    launch(cg::rowCopyKernel(cg::RowCopy::Scatter, full.dims[0], kept,
                             full.dims[1] * cg::storageSize(storageOf(full))),
           {input(step, r::Selected), input(step, r::Indices), to,
            errorSlot(index)});
    return 1;
  }
  case Op::GatherTokens: {
    namespace r = roles::gather_tokens;
    const Buffer &x = in(step, r::X);
    const std::int64_t seq = x.dims[0];
    launch(cg::rowCopyKernel(cg::RowCopy::Gather, seq,
                             in(step, r::Indices).dims[0],
                             lowering.placement.bytes(x) / seq),
           {input(step, r::X), input(step, r::Indices), output(step, 0),
            errorSlot(index)});
    return 1;
  }
  case Op::Classifier:
    classifier(step);
    return 1;
  case Op::EnsembleMean: {
    // The members present, in order; the kernel ignores the rest.
    if (storageOf(out(step, 0)) != cg::Storage::F32)
      throw CudaError("ensemble_mean averages f32 logits only");
    std::vector<CUdeviceptr> params;
    for (int member = 0; member < roles::ensemble_mean::kMaxMembers; ++member)
      if (step.inputs[member] >= 0)
        params.push_back(input(step, member));
    const int members = static_cast<int>(params.size());
    params.resize(cg::kMaxEnsembleMembers, 0);
    params.push_back(output(step, 0));
    launch(cg::ensembleMeanKernel(members, in(step, 0).elementsPerSample),
           std::move(params));
    return 1;
  }
  case Op::AcmRoute: {
    const auto &logits = in(step, 0).dims;
    launch(cg::acmRouteKernel(logits[0], logits[1], storageOf(in(step, 0))),
           {input(step, 0), output(step, 0)});
    return 1;
  }
  case Op::AcmCompact:
    return acmCompact(index);
  case Op::GatherRows:
  case Op::ScatterAdd: {
    namespace r = roles::compact_rows;
    const auto &x = in(step, r::X).dims;
    launch(cg::compactRowsKernel(step.op == Op::GatherRows
                                     ? cg::CompactRows::Gather
                                     : cg::CompactRows::ScatterAdd,
                                 x[0], x[1], storageOf(in(step, r::X))),
           {input(step, r::X), input(step, r::Rows), input(step, r::Counts),
            output(step, 0), errorSlot(index)});
    return 1;
  }
  }
  throw CudaError("steps[" + std::to_string(index) + "] (" +
                  std::string(schemaOf(step.op).name) +
                  "): op without a CUDA kernel");
}

} // namespace

HostCounts::HostCounts(const Variant &variant, std::int64_t batch)
    : batch(batch), regionOfStep(variant.steps.size(), -1),
      memory(compactSteps(variant) * batch * sizeof(std::int32_t)) {
  std::int64_t regions = 0;
  for (std::size_t step = 0; step < variant.steps.size(); ++step)
    if (variant.steps[step].op == Op::AcmCompact)
      regionOfStep[step] = regions++;
}

bool needsHostCounts(const Variant &variant) {
  return compactSteps(variant) > 0;
}

std::vector<Action> lower(const Lowering &lowering) {
  std::vector<Action> actions;
  StepLowering steps(lowering, actions);
  for (std::size_t index = 0; index < lowering.variant.steps.size();)
    index += steps.lower(index);
  return actions;
}

bool staysF32(const Manifest &manifest, const Weight &weight) {
  for (const Variant &variant : manifest.variants)
    for (const Step &step : variant.steps) {
      const auto &roles = step.weights;
      if (step.op == Op::LayerNorm &&
          (roles[roles::layer_norm::Gamma] == &weight ||
           roles[roles::layer_norm::Beta] == &weight))
        return true;
      if (step.op == Op::AddLayerNorm &&
          (roles[roles::add_layer_norm::Gamma] == &weight ||
           roles[roles::add_layer_norm::Beta] == &weight))
        return true;
      if (step.op == Op::Classifier &&
          roles[roles::classifier::Bias] == &weight)
        return true;
    }
  return false;
}

cg::Storage weightStorage(const Manifest &manifest, cg::Storage halfStorage) {
  const bool planned16 =
      std::any_of(manifest.variants.begin(), manifest.variants.end(),
                  [](const Variant &variant) { return variant.halfFloats; });
  return planned16 ? halfStorage : cg::Storage::F32;
}

std::uint64_t scratchBytesPerSample(const Variant &variant) {
  std::uint64_t most = 0;
  for (const Step &step : variant.steps) {
    std::uint64_t floats = 0;
    if (step.op == Op::PatchEmbeddings) {
      const Buffer &images =
          variant.buffers[step.inputs[roles::patch_embeddings::Images]];
      const std::int64_t side = images.dims[1] / step.patchSize;
      const std::int64_t features =
          images.dims[0] * step.patchSize * step.patchSize;
      const std::int64_t hidden =
          step.weights[roles::patch_embeddings::Kernel]->shape[0];
      floats = side * side * (features + hidden);
    } else if (step.op == Op::Classifier) {
      floats = 2 * variant.buffers[step.inputs[roles::classifier::X]].dims[1];
    }
    most = std::max<std::uint64_t>(most, floats * sizeof(float));
  }
  return most;
}

} // namespace tailor::detail::cuda
