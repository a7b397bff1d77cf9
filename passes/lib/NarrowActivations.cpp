//===- NarrowActivations.cpp - 16-bit activation buffers ------------------===//
//
// A plan compiled for bf16 or fp16 keeps its activations in that type: half
// the bytes of every buffer the memory plan places, and cuBLASLt then
// multiplies 16-bit operands natively. What stays f32 is what the model's
// caller sees or what is accumulated: model inputs and outputs,
// attention's significance (summed over heads and queries with atomics) and
// logits (a classifier's or an ensemble's output).
//
//===----------------------------------------------------------------------===//

#include "tailor/ir/TailorPlanOps.h"
#include "tailor/passes/Passes.h"
#include "tailor/passes/Variant.h"

namespace mlir::tailor {
#define GEN_PASS_DEF_NARROWACTIVATIONS
#include "tailor/passes/Passes.h.inc"
} // namespace mlir::tailor

using namespace mlir;
using namespace mlir::tailor;

namespace {

/// Buffers some step writes that stay f32 whatever the plan's type.
DenseSet<Value> keptF32(func::FuncOp forward) {
  DenseSet<Value> kept;
  forward.walk([&](StepOpInterface step) {
    for (auto [value, role] :
         llvm::zip(step.getOutputs(), step.getOutputRoles())) {
      StringRef name = cast<StringAttr>(role).getValue();
      if (isa<ClassifierStepOp, EnsembleMeanStepOp>(step.getOperation()) ||
          (isa<AttentionStepOp>(step.getOperation()) && name == "significance"))
        kept.insert(value);
    }
  });
  return kept;
}

struct NarrowActivationsPass
    : public tailor::impl::NarrowActivationsBase<NarrowActivationsPass> {
  using NarrowActivationsBase::NarrowActivationsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<func::FuncOp> forward = getForward(module, getArgument());
    if (failed(forward))
      return signalPassFailure();
    Type narrow;
    if (type == "bf16")
      narrow = BFloat16Type::get(&getContext());
    else if (type == "f16")
      narrow = Float16Type::get(&getContext());
    else {
      module.emitError() << getArgument() << ": type '" << type
                         << "' is neither bf16 nor f16";
      return signalPassFailure();
    }
    if (forward->getOps<StepOpInterface>().empty()) {
      forward->emitError() << getArgument()
                           << ": @forward has no kernel steps (run "
                              "lower-to-kernels first)";
      return signalPassFailure();
    }
    DenseSet<Value> kept = keptF32(*forward);
    for (BufferOp buffer : forward->getOps<BufferOp>()) {
      auto memref = cast<MemRefType>(buffer.getType());
      if (!memref.getElementType().isF32() || buffer.getInput() ||
          buffer.getOutput() || kept.contains(buffer.getResult()))
        continue;
      buffer.getResult().setType(MemRefType::get(memref.getShape(), narrow));
    }
  }
};

} // namespace
