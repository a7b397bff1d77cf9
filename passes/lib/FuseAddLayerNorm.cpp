//===- FuseAddLayerNorm.cpp - An add and the layer norm of its sum --------===//
//
// A post-norm encoder normalizes every residual sum, and a sum that no
// linear could take as its residual (an ACM layer's scatter-added output)
// still feeds a norm: one step reads the two operands once and writes the
// normalized rows, and the sum itself only when another step needs it. The
// fused step takes the add's place, where its operands are final; the norm
// wrote nothing another step reads before it.
//
//===----------------------------------------------------------------------===//

#include "PlanSteps.h"
#include "tailor/passes/Passes.h"
#include "tailor/passes/Variant.h"

namespace mlir::tailor {
#define GEN_PASS_DEF_FUSEADDLAYERNORM
#include "tailor/passes/Passes.h.inc"
} // namespace mlir::tailor

using namespace mlir;
using namespace mlir::tailor;

namespace {

/// The first layer norm of `add`'s sum after it in its block, when no other
/// step writes the sum (a scatter_add accumulating into it would change it
/// between the two).
LayerNormStepOp normOfSum(AddStepOp add) {
  Value sum = stepOutput(add, "y");
  LayerNormStepOp first;
  for (Operation *user : sum.getUsers()) {
    auto step = dyn_cast<StepOpInterface>(user);
    if (step && user != add.getOperation() &&
        llvm::is_contained(step.getOutputs(), sum))
      return nullptr;
    auto norm = dyn_cast<LayerNormStepOp>(user);
    if (norm && norm->getBlock() == add->getBlock() &&
        add->isBeforeInBlock(norm) && (!first || norm->isBeforeInBlock(first)))
      first = norm;
  }
  return first;
}

void fuse(AddStepOp add, LayerNormStepOp norm) {
  Value sum = stepOutput(add, "y");
  Value y = stepOutput(norm, "y");
  auto sumBuffer = sum.getDefiningOp<BufferOp>();
  bool keepSum =
      (sumBuffer && sumBuffer.getOutput()) ||
      llvm::any_of(sum.getUsers(), [&](Operation *user) {
        return user != add.getOperation() && user != norm.getOperation();
      });
  declareBefore(y, add);
  SmallVector<std::pair<StringRef, Value>> outputs;
  if (keepSum)
    outputs.push_back({"sum", sum});
  outputs.push_back({"y", y});
  OpBuilder builder(add);
  buildStep(builder, add.getLoc(), AddLayerNormStepOp::getOperationName(),
            stepInputs(add), outputs, norm.getWeightsAttr(),
            norm.getKernelAttrs());
  norm.erase();
  add.erase();
  if (!keepSum)
    sum.getDefiningOp()->erase();
}

struct FuseAddLayerNormPass
    : public tailor::impl::FuseAddLayerNormBase<FuseAddLayerNormPass> {
  void runOnOperation() override {
    FailureOr<func::FuncOp> forward = getForward(getOperation(), getArgument());
    if (failed(forward))
      return signalPassFailure();
    SmallVector<AddStepOp> adds;
    forward->walk([&](AddStepOp add) { adds.push_back(add); });
    for (AddStepOp add : adds)
      if (LayerNormStepOp norm = normOfSum(add))
        fuse(add, norm);
  }
};

} // namespace
