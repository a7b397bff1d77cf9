//===- Executor.cpp - Runs a variant's steps on the CPU -------------------===//

#include "Executor.h"
#include "../LearnerTokens.h"
#include "../RowIdError.h"
#include "Kernels.h"
#include "ThreadPool.h"

namespace tailor::detail::cpu {
namespace {

/// The batch total of the i32 [B] counts buffer `counts`: counts[B - 1].
std::int64_t countsTotal(const Variant &variant, int counts,
                         const std::uint8_t *arena, std::int64_t batch) {
  const Buffer &buffer = variant.buffers[counts];
  return reinterpret_cast<const std::int32_t *>(
      arena + batch * Placement(variant, false).offset(buffer))[batch - 1];
}

/// The buffers of one step placed in the arena for this run's batch.
class StepBuffers {
public:
  StepBuffers(const Variant &variant, const Step &step, std::uint8_t *arena,
              std::int64_t batch)
      : variant(variant), step(step), arena(arena), batch(batch),
        placement(variant, /*keepsHalfFloats=*/false) {}

  const Buffer &input(int role) const {
    return variant.buffers[step.inputs[role]];
  }
  const Buffer &output(int role) const {
    return variant.buffers[step.outputs[role]];
  }
  std::uint64_t bytesPerSample(const Buffer &buffer) const {
    return placement.bytes(buffer);
  }
  template <typename T> const T *in(int role) const {
    return step.inputs[role] < 0 ? nullptr : at<T>(input(role));
  }
  template <typename T> T *out(int role) const {
    return step.outputs[role] < 0 ? nullptr : at<T>(output(role));
  }
  const float *weight(int role) const {
    return step.weights[role] ? step.weights[role]->data : nullptr;
  }
  std::int64_t total(int role) const {
    return countsTotal(variant, step.inputs[role], arena, batch);
  }

private:
  template <typename T> T *at(const Buffer &buffer) const {
    return reinterpret_cast<T *>(arena + batch * placement.offset(buffer));
  }

  const Variant &variant;
  const Step &step;
  std::uint8_t *arena;
  std::int64_t batch;
  /// Floats planned at 16 bits are f32 here.
  Placement placement;
};

std::string where(std::size_t index, const Step &step) {
  return "steps[" + std::to_string(index) + "] (" +
         std::string(schemaOf(step.op).name) + ")";
}

/// "[b, t]" of the flat index `i` in a [batch, seq] tensor.
std::string position(std::int64_t i, std::int64_t seq) {
  return "[" + std::to_string(i / seq) + ", " + std::to_string(i % seq) + "]";
}

/// Token indices (restore_tokens, gather_tokens) must lie in the tokens of
/// `tokens`, whose first dimension after the batch is the sequence.
Status indicesInRange(std::size_t index, const Step &step,
                      const Buffer &indicesBuffer, const std::int32_t *indices,
                      std::int64_t batch, const Buffer &tokens) {
  std::int64_t kept = indicesBuffer.dims[0];
  std::int64_t seq = tokens.dims[0];
  std::int64_t bad = firstIdOutOfRange(indices, batch * kept, seq);
  if (bad < 0)
    return {};
  return Status::error(where(index, step) + ": token index " +
                       std::to_string(indices[bad]) + " at " +
                       position(bad, kept) + " of '" + indicesBuffer.name +
                       "' is outside the " + std::to_string(seq) +
                       " tokens of '" + tokens.name + "'");
}

Status runStep(const Variant &variant, std::size_t index, std::uint8_t *arena,
               std::int64_t batch, ThreadPool &pool) {
  const Step &step = variant.steps[index];
  StepBuffers io(variant, step, arena, batch);
  switch (step.op) {
  case Op::TokenEmbeddings: {
    namespace r = roles::token_embeddings;
    std::int64_t seq = io.input(r::Ids).dims[0];
    std::int64_t vocab = step.weights[r::Word]->shape[0];
    std::int64_t hidden = step.weights[r::Word]->shape[1];
    const std::int32_t *ids = io.in<std::int32_t>(r::Ids);
    std::int64_t bad = firstIdOutOfRange(ids, batch * seq, vocab);
    if (bad >= 0)
      return Status::error(
          where(index, step) + ": token id " + std::to_string(ids[bad]) +
          " at " + position(bad, seq) + " of '" + io.input(r::Ids).name +
          "' is out of range of the embedding table '" +
          step.weights[r::Word]->name + "' (ids 0 to " +
          std::to_string(vocab - 1) + ")");
    tokenEmbeddings(ids, io.out<float>(0), batch, seq, hidden,
                    io.weight(r::Word), io.weight(r::Position),
                    io.weight(r::TokenType), pool);
    return {};
  }
  case Op::PatchEmbeddings: {
    namespace r = roles::patch_embeddings;
    const auto &dims = io.input(r::Images).dims;
    PatchShape shape{dims[0], dims[1], step.patchSize,
                     step.weights[r::Kernel]->shape[0]};
    patchEmbeddings(io.in<float>(r::Images), io.out<float>(0), batch, shape,
                    io.weight(r::Kernel), io.weight(r::Bias), io.weight(r::Cls),
                    io.weight(r::Position), pool);
    return {};
  }
  case Op::LayerNorm: {
    namespace r = roles::layer_norm;
    const Buffer &x = io.input(r::X);
    std::int64_t hidden = x.dims.back();
    layerNorm(io.in<float>(r::X), io.out<float>(0),
              batch * x.elementsPerSample / hidden, hidden, io.weight(r::Gamma),
              io.weight(r::Beta), step.epsilon, pool);
    return {};
  }
  case Op::AddLayerNorm: {
    namespace r = roles::add_layer_norm;
    const Buffer &a = io.input(r::A);
    std::int64_t hidden = a.dims.back();
    addLayerNorm(io.in<float>(r::A), io.in<float>(r::B), io.out<float>(r::Sum),
                 io.out<float>(r::Y), batch * a.elementsPerSample / hidden,
                 hidden, io.weight(r::Gamma), io.weight(r::Beta), step.epsilon,
                 pool);
    return {};
  }
  case Op::Add:
    add(io.in<float>(roles::add::A), io.in<float>(roles::add::B),
        io.out<float>(0), batch * io.input(roles::add::A).elementsPerSample,
        pool);
    return {};
  case Op::EnsembleMean: {
    std::vector<const float *> members;
    for (int member = 0; member < roles::ensemble_mean::kMaxMembers; ++member)
      if (const float *values = io.in<float>(member))
        members.push_back(values);
    mean(members, io.out<float>(0), batch * io.input(0).elementsPerSample,
         pool);
    return {};
  }
  case Op::Linear: {
    namespace r = roles::linear;
    const Buffer &x = io.input(r::X);
    std::int64_t in = x.dims.back();
    std::int64_t out = io.output(0).dims.back();
    // With counts, only the rows its total gives.
    std::int64_t rows = step.inputs[r::Counts] >= 0
                            ? io.total(r::Counts)
                            : batch * x.elementsPerSample / in;
    linear(io.in<float>(r::X), io.out<float>(0), rows, in, out,
           io.weight(r::Kernel), io.weight(r::Bias), step.activation, pool,
           io.in<float>(r::Residual));
    return {};
  }
  case Op::AcmRoute: {
    const Buffer &logits = io.input(0);
    acmRoute(io.in<float>(0), io.out<std::int32_t>(0), batch * logits.dims[0],
             logits.dims[1], pool);
    return {};
  }
  case Op::AcmCompact: {
    namespace r = roles::acm_compact;
    acmCompact(io.in<std::int32_t>(0), io.out<std::int32_t>(r::Rows),
               io.out<std::int32_t>(r::Counts), batch, io.input(0).dims[0],
               step.learner);
    return {};
  }
  case Op::GatherRows:
  case Op::ScatterAdd: {
    namespace r = roles::compact_rows;
    const bool gather = step.op == Op::GatherRows;
    const std::int64_t total = io.total(r::Counts);
    const std::int32_t *rows = io.in<std::int32_t>(r::Rows);
    // Gathered from x's rows, or added to y's.
    const Buffer &tokens = gather ? io.input(r::X) : io.output(0);
    std::int64_t bad = firstIdOutOfRange(rows, total, batch * tokens.dims[0]);
    if (bad >= 0)
      return rowIdError(index, step, io.input(r::Rows), bad, rows[bad], tokens,
                        batch);
    const std::int64_t hidden = tokens.dims[1];
    if (gather)
      gatherRows(io.in<float>(r::X), rows, io.out<float>(0), total, hidden,
                 pool);
    else
      scatterAdd(io.in<float>(r::X), rows, io.out<float>(0), total, hidden,
                 pool);
    return {};
  }
  case Op::Attention: {
    namespace r = roles::attention;
    const auto &dims = io.output(r::Context).dims;
    const std::int64_t hidden = dims[1];
    // Packed q | k | v: each a slice of the qkv rows.
    const float *qkv = io.in<float>(r::Qkv);
    const float *q = qkv ? qkv : io.in<float>(r::Q);
    const float *k = qkv ? qkv + hidden : io.in<float>(r::K);
    const float *v = qkv ? qkv + 2 * hidden : io.in<float>(r::V);
    AttentionShape shape{
        batch,
        dims[0],
        hidden,
        step.heads,
        qkv ? 3 * hidden : 0,
        step.blockSparse.blockSize,
        step.blockSparse.blockSize > 0 ? &step.blockSparse.keyBlocks : nullptr};
    attention(q, k, v, io.in<std::uint8_t>(r::KeyMask),
              io.out<float>(r::Context), io.out<float>(r::Significance), shape,
              pool);
    return {};
  }
  case Op::SelectTokens: {
    namespace r = roles::select_tokens;
    const auto &dims = io.input(r::X).dims;
    selectTokens(io.in<float>(r::X), io.in<float>(r::Significance),
                 io.out<float>(r::Selected), io.out<std::int32_t>(r::Indices),
                 batch, dims[0], io.output(r::Selected).dims[0], dims[1],
                 step.keepFirst, pool);
    return {};
  }
  case Op::RestoreTokens: {
    namespace r = roles::restore_tokens;
    const auto &dims = io.input(r::Full).dims;
    std::int64_t kept = io.input(r::Selected).dims[0];
    const std::int32_t *indices = io.in<std::int32_t>(r::Indices);
    Status inRange = indicesInRange(index, step, io.input(r::Indices), indices,
                                    batch, io.input(r::Full));
    if (!inRange.ok())
      return inRange;
    restoreTokens(io.in<float>(r::Full), io.in<float>(r::Selected), indices,
                  io.out<float>(0), batch, dims[0], kept, dims[1], pool);
    return {};
  }
  case Op::GatherTokens: {
    namespace r = roles::gather_tokens;
    const Buffer &x = io.input(r::X);
    std::int64_t seq = x.dims[0];
    std::int64_t kept = io.input(r::Indices).dims[0];
    const std::int32_t *indices = io.in<std::int32_t>(r::Indices);
    Status inRange =
        indicesInRange(index, step, io.input(r::Indices), indices, batch, x);
    if (!inRange.ok())
      return inRange;
    gatherTokens(io.in<std::uint8_t>(r::X), indices, io.out<std::uint8_t>(0),
                 batch, seq, kept, io.bytesPerSample(x) / seq, pool);
    return {};
  }
  case Op::Classifier: {
    namespace r = roles::classifier;
    const auto &dims = io.input(r::X).dims;
    ClassifierWeights weights{io.weight(r::Kernel), io.weight(r::Bias),
                              io.weight(r::PoolerKernel),
                              io.weight(r::PoolerBias)};
    classifier(io.in<float>(r::X), io.out<float>(0), batch, dims[0], dims[1],
               step.weights[r::Kernel]->shape[0], weights, step.pooling, pool);
    return {};
  }
  }
  return Status::error(where(index, step) + ": op without a CPU kernel");
}

} // namespace

Status execute(const Variant &variant, std::uint8_t *arena, std::int64_t batch,
               ThreadPool &pool, RunStats &stats) {
  // counts[B - 1] of each acm_compact step as it wrote them: a later step
  // may reuse the bytes.
  std::vector<std::int64_t> compactTotals(variant.steps.size(), 0);
  for (std::size_t index = 0; index < variant.steps.size(); ++index) {
    const Step &step = variant.steps[index];
    if (step.guard >= 0 && countsTotal(variant, step.guard, arena, batch) <= 0)
      continue;
    Status status = runStep(variant, index, arena, batch, pool);
    if (!status.ok())
      return status;
    if (step.op == Op::AcmCompact)
      compactTotals[index] = countsTotal(
          variant, step.outputs[roles::acm_compact::Counts], arena, batch);
  }
  stats.learnerTokens = learnerTokens(
      variant, batch, [&](int step) { return compactTotals[step]; });
  return {};
}

} // namespace tailor::detail::cpu
