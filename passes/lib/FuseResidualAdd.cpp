//===- FuseResidualAdd.cpp - A linear's output added to a residual --------===//
//
// lower-to-kernels emits a transformer's residual connections as a linear
// (the attention's output projection, the MLP's down projection) into a
// buffer that one add reads. Folding the add into the linear as its
// `residual` saves the buffer and a pass over it: the GEMM adds the
// residual in its epilogue. The linear keeps its place, so the residual
// must be final before it.
//
//===----------------------------------------------------------------------===//

#include "PlanSteps.h"
#include "tailor/passes/Passes.h"
#include "tailor/passes/Variant.h"

namespace mlir::tailor {
#define GEN_PASS_DEF_FUSERESIDUALADD
#include "tailor/passes/Passes.h.inc"
} // namespace mlir::tailor

using namespace mlir;
using namespace mlir::tailor;

namespace {

/// Whether `buffer` holds its final value before `step` (in `body`): a model
/// input, or a buffer every writer of which (scatter_add accumulating too)
/// comes before it.
bool finalBefore(Value buffer, Operation *step, Block &body) {
  auto bufferOp = buffer.getDefiningOp<BufferOp>();
  if (bufferOp && bufferOp.getInput())
    return true;
  bool written = false;
  for (Operation *user : buffer.getUsers()) {
    auto writer = dyn_cast<StepOpInterface>(user);
    if (!writer || !llvm::is_contained(writer.getOutputs(), buffer))
      continue;
    Operation *at = body.findAncestorOpInBlock(*writer);
    if (!at || !at->isBeforeInBlock(step))
      return false;
    written = true;
  }
  return written;
}

/// The add that is the only reader of `linear`'s output, with the operand
/// it adds, if the two fuse.
std::optional<std::pair<AddStepOp, Value>> residualAdd(LinearStepOp linear,
                                                       Block &body) {
  if (linear.getActivation() != Activation::none ||
      stepInput(linear, "counts") || stepInput(linear, "residual"))
    return std::nullopt;
  Value y = stepOutput(linear, "y");
  auto buffer = y.getDefiningOp<BufferOp>();
  if (!buffer || buffer.getOutput())
    return std::nullopt;
  AddStepOp add;
  for (Operation *user : y.getUsers()) {
    if (user == linear.getOperation())
      continue;
    auto reader = dyn_cast<AddStepOp>(user);
    if (!reader || (add && reader != add))
      return std::nullopt;
    add = reader;
  }
  if (!add || add->getBlock() != &body)
    return std::nullopt;
  Value a = stepInput(add, "a"), b = stepInput(add, "b");
  if (a == b)
    return std::nullopt;
  Value residual = a == y ? b : a;
  if (!finalBefore(residual, linear, body))
    return std::nullopt;
  return std::make_pair(add, residual);
}

struct FuseResidualAddPass
    : public tailor::impl::FuseResidualAddBase<FuseResidualAddPass> {
  void runOnOperation() override {
    FailureOr<func::FuncOp> forward = getForward(getOperation(), getArgument());
    if (failed(forward))
      return signalPassFailure();
    Block &body = forward->getBody().front();
    for (LinearStepOp linear :
         llvm::make_early_inc_range(body.getOps<LinearStepOp>())) {
      auto fusion = residualAdd(linear, body);
      if (!fusion)
        continue;
      auto [add, residual] = *fusion;
      Value sum = stepOutput(add, "y");
      declareBefore(sum, linear);
      Value old = stepOutput(linear, "y");
      SmallVector<std::pair<StringRef, Value>> inputs = stepInputs(linear);
      inputs.push_back({"residual", residual});
      OpBuilder builder(linear);
      buildStep(builder, linear.getLoc(), linear->getName().getStringRef(),
                inputs, {{"y", sum}}, linear.getWeightsAttr(),
                linear.getKernelAttrs());
      add.erase();
      linear.erase();
      old.getDefiningOp()->erase();
    }
  }
};

} // namespace
