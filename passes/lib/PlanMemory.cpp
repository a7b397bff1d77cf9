//===- PlanMemory.cpp - Buffer offsets in a per-sample arena --------------===//
//
// Every buffer's size is linear in the batch, so the plan is made for one
// sample (docs/artifact-format.md, "Memory plan"). A buffer lives from the
// step that writes it (model inputs: from the start) to the last step that
// reads it or accumulates into it (scatter_add; model outputs: to the end),
// counting the steps an scf.if guards in place; a step's inputs and outputs are
// live at that step together, so they never share bytes. Buffers are placed
// largest first, each at the lowest aligned offset clear of every placed
// buffer whose lifetime overlaps its own.
//
//===----------------------------------------------------------------------===//

#include "tailor/ir/TailorPlanOps.h"
#include "tailor/passes/Passes.h"
#include "tailor/passes/Variant.h"

#include "mlir/IR/Builders.h"

#include <algorithm>

namespace mlir::tailor {
#define GEN_PASS_DEF_PLANMEMORY
#include "tailor/passes/Passes.h.inc"
} // namespace mlir::tailor

using namespace mlir;
using namespace mlir::tailor;

namespace {

/// Offsets are multiples of this, so every buffer is aligned for any dtype
/// and for vector loads whatever the batch.
constexpr int64_t kAlignment = 16;

struct Lifetime {
  BufferOp buffer;
  int64_t bytes = 0;
  /// Steps [first, last]; -1 is the copy of the inputs in, the step count
  /// the copy of the outputs out.
  int64_t first = 0, last = 0;
};

int64_t alignUp(int64_t value) {
  return (value + kAlignment - 1) / kAlignment * kAlignment;
}

FailureOr<SmallVector<Lifetime>> lifetimes(func::FuncOp forward) {
  SmallVector<Lifetime> result;
  DenseMap<Value, size_t> index;
  for (BufferOp buffer : forward.getOps<BufferOp>()) {
    index[buffer.getResult()] = result.size();
    int64_t none = buffer.getInput() ? -1 : -2;
    result.push_back({buffer, buffer.getBytesPerSample(), none, none});
  }
  // Steps in execution order, those an scf.if guards (ACM learners) at
  // their place: a guarded step may run, so it is planned as if it does.
  SmallVector<StepOpInterface> steps;
  forward.walk<WalkOrder::PreOrder>(
      [&](StepOpInterface step) { steps.push_back(step); });
  int64_t end = static_cast<int64_t>(steps.size());
  for (auto [position, step] : llvm::enumerate(steps)) {
    int64_t at = static_cast<int64_t>(position);
    for (Value input : step.getInputs()) {
      auto found = index.find(input);
      if (found == index.end())
        return step->emitOpError()
               << "reads a value that is not a tailor.buffer of @forward";
      Lifetime &lifetime = result[found->second];
      if (lifetime.first == -2)
        return step->emitOpError()
               << "reads buffer '" << lifetime.buffer.getName()
               << "' before any step writes it";
      lifetime.last = std::max(lifetime.last, at);
    }
    for (Value output : step.getOutputs()) {
      auto found = index.find(output);
      if (found == index.end())
        return step->emitOpError()
               << "writes a value that is not a tailor.buffer of @forward";
      Lifetime &lifetime = result[found->second];
      // scatter_add accumulates into a buffer an earlier step wrote.
      if (isa<ScatterAddStepOp>(step) && lifetime.first >= 0) {
        lifetime.last = at;
        continue;
      }
      if (lifetime.first != -2)
        return step->emitOpError()
               << "writes buffer '" << lifetime.buffer.getName() << "', which "
               << (lifetime.first == -1 ? "is a model input"
                                        : "an earlier step wrote")
               << "; every buffer has one writer";
      lifetime.first = lifetime.last = at;
    }
  }
  for (Lifetime &lifetime : result) {
    if (lifetime.first == -2)
      return lifetime.buffer.emitOpError()
             << "is never written: it is neither a model input nor a step's "
                "output";
    if (lifetime.buffer.getOutput())
      lifetime.last = end;
  }
  return result;
}

/// Places every buffer; returns the arena's bytes per sample.
int64_t place(MutableArrayRef<Lifetime> buffers) {
  SmallVector<Lifetime *> order;
  for (Lifetime &lifetime : buffers)
    order.push_back(&lifetime);
  std::stable_sort(
      order.begin(), order.end(),
      [](const Lifetime *a, const Lifetime *b) { return a->bytes > b->bytes; });
  SmallVector<std::pair<Lifetime *, int64_t>> placed;
  int64_t arena = 0;
  for (Lifetime *buffer : order) {
    SmallVector<std::pair<int64_t, int64_t>> taken;
    for (auto [other, offset] : placed)
      if (other->first <= buffer->last && buffer->first <= other->last)
        taken.push_back({offset, offset + other->bytes});
    llvm::sort(taken);
    int64_t offset = 0;
    for (auto [begin, end] : taken)
      if (offset + buffer->bytes > begin)
        offset = std::max(offset, alignUp(end));
    placed.push_back({buffer, offset});
    buffer->buffer.setOffset(offset);
    arena = std::max(arena, offset + buffer->bytes);
  }
  return arena;
}

struct PlanMemoryPass : public tailor::impl::PlanMemoryBase<PlanMemoryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<func::FuncOp> forward = getForward(module, getArgument());
    if (failed(forward))
      return signalPassFailure();
    if (forward->getOps<StepOpInterface>().empty()) {
      forward->emitError() << "plan-memory: @forward has no kernel steps "
                              "(run lower-to-kernels first)";
      return signalPassFailure();
    }
    FailureOr<SmallVector<Lifetime>> buffers = lifetimes(*forward);
    if (failed(buffers))
      return signalPassFailure();
    int64_t arena = place(*buffers);
    (*forward)->setAttr("arena_bytes_per_sample",
                        Builder(&getContext()).getI64IntegerAttr(arena));
  }
};

} // namespace
