//===- PruneHeads.cpp - Slice dropped heads out of attention weights ------===//
//
// Head h of an attention with N heads over hidden size H uses rows
// [h*d, (h+1)*d) (d = H/N) of the query, key and value projections and the
// same columns of the output projection. Keeping heads K, those rows and
// columns become derived globals `<tensor>@heads=<K>` whose values the
// artifact writer slices from the checkpoint tensor named by `source`.
//
//===----------------------------------------------------------------------===//

#include "tailor/passes/Passes.h"
#include "tailor/passes/Variant.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"

namespace mlir::tailor {
#define GEN_PASS_DEF_PRUNEHEADS
#include "tailor/passes/Passes.h.inc"
} // namespace mlir::tailor

using namespace mlir;
using namespace mlir::tailor;

namespace {

class HeadPruner {
public:
  HeadPruner(ModuleOp module, AttentionOp attention, HeadMaskAttr mask)
      : module(module), symbols(module), attention(attention),
        kept(mask.getKept()),
        suffix("@heads=" +
               llvm::join(
                   llvm::map_range(
                       kept, [](int64_t head) { return std::to_string(head); }),
                   ",")) {
    auto q = cast<RankedTensorType>(attention.getQ().getType());
    headDim = q.getDimSize(2) / attention.getHeads();
  }

  LogicalResult run() {
    if (ShapedType::isDynamic(headDim * attention.getHeads()))
      return attention.emitOpError() << "needs a static hidden size to prune "
                                        "heads";
    SmallVector<LinearOp> projections;
    for (Value input : {attention.getQ(), attention.getK(), attention.getV()}) {
      auto linear = input.getDefiningOp<LinearOp>();
      if (!linear)
        return attention.emitOpError()
               << "prunes heads only of q, k and v computed by tailor.linear";
      projections.push_back(linear);
    }
    SmallVector<LinearOp> outputs;
    for (Operation *user : attention.getContextLayer().getUsers()) {
      auto linear = dyn_cast<LinearOp>(user);
      if (!linear || linear.getX() != attention.getContextLayer())
        return attention.emitOpError()
               << "prunes heads only when tailor.linear ops (the output "
                  "projection) read the context";
      outputs.push_back(linear);
    }
    OpBuilder builder(attention);
    SmallVector<Value> sliced;
    for (LinearOp projection : projections) {
      builder.setInsertionPoint(attention);
      FailureOr<Value> weight = slice(projection.getW(), 0, builder);
      FailureOr<Value> bias = projection.getB()
                                  ? slice(projection.getB(), 0, builder)
                                  : FailureOr<Value>(Value());
      if (failed(weight) || failed(bias))
        return failure();
      auto type = cast<RankedTensorType>(projection.getType());
      SmallVector<int64_t> shape(type.getShape());
      shape.back() = prunedWidth();
      sliced.push_back(builder.create<LinearOp>(
          projection.getLoc(), type.clone(shape), projection.getX(), *weight,
          *bias, projection.getActivationAttr()));
    }
    auto context =
        cast<RankedTensorType>(attention.getContextLayer().getType());
    SmallVector<int64_t> contextShape(context.getShape());
    contextShape.back() = prunedWidth();
    SmallVector<Type> resultTypes = {context.clone(contextShape)};
    if (Value significance = attention.getSignificance())
      resultTypes.push_back(significance.getType());
    auto pruned = builder.create<AttentionOp>(
        attention.getLoc(), resultTypes, sliced[0], sliced[1], sliced[2],
        attention.getKeyMask(), attention.getSampleHeadMask(),
        builder.getI64IntegerAttr(kept.size()), HeadMaskAttr(),
        attention.getSparsityAttr());
    for (LinearOp output : outputs) {
      builder.setInsertionPoint(output);
      FailureOr<Value> weight = slice(output.getW(), 1, builder);
      if (failed(weight))
        return failure();
      auto replacement = builder.create<LinearOp>(
          output.getLoc(), output.getType(), pruned.getContextLayer(), *weight,
          output.getB(), output.getActivationAttr());
      output.replaceAllUsesWith(replacement.getResult());
      output.erase();
    }
    if (Value significance = attention.getSignificance())
      significance.replaceAllUsesWith(pruned.getSignificance());
    attention.erase();
    for (LinearOp projection : projections)
      if (projection.use_empty())
        projection.erase();
    return success();
  }

private:
  int64_t prunedWidth() const {
    return static_cast<int64_t>(kept.size()) * headDim;
  }

  /// A read of the derived global holding the kept heads of `weight` along
  /// `axis`.
  FailureOr<Value> slice(Value weight, int64_t axis, OpBuilder &builder) {
    auto read = weight.getDefiningOp<WeightOp>();
    if (!read)
      return attention.emitOpError()
             << "prunes heads only of weights read by tailor.weight";
    auto global = symbols.lookup<GlobalOp>(read.getGlobal());
    if (global.getSymName().contains('@'))
      return attention.emitOpError() << "reads '@" << global.getSymName()
                                     << "', whose heads were pruned already";
    auto type = cast<RankedTensorType>(global.getType());
    SmallVector<int64_t> shape(type.getShape());
    if (shape[axis] != headDim * attention.getHeads())
      return attention.emitOpError()
             << "weight '@" << global.getSymName() << "' has " << shape[axis]
             << " rows or columns for " << attention.getHeads() << " heads of "
             << headDim;
    shape[axis] = prunedWidth();
    std::string name = (global.getSourceName() + suffix).str();
    auto derived = symbols.lookup<GlobalOp>(name);
    if (!derived) {
      OpBuilder moduleBuilder(global);
      moduleBuilder.setInsertionPointAfter(global);
      derived = moduleBuilder.create<GlobalOp>(
          global.getLoc(), name, type.clone(shape),
          moduleBuilder.getStringAttr(global.getSourceName()));
      symbols.insert(derived);
    }
    return builder
        .create<WeightOp>(read.getLoc(), derived.getType(),
                          FlatSymbolRefAttr::get(derived.getSymNameAttr()))
        .getResult();
  }

  ModuleOp module;
  SymbolTable symbols;
  AttentionOp attention;
  ArrayRef<int64_t> kept;
  std::string suffix;
  int64_t headDim = 0;
};

struct PruneHeadsPass : public tailor::impl::PruneHeadsBase<PruneHeadsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<AttentionOp> attentions;
    module.walk([&](AttentionOp attention) {
      if (attention.getHeadMask())
        attentions.push_back(attention);
    });
    for (AttentionOp attention : attentions) {
      HeadMaskAttr mask = *attention.getHeadMask();
      if (static_cast<int64_t>(mask.getKept().size()) == mask.getHeads()) {
        attention.removeHeadMaskAttr();
        continue;
      }
      if (failed(HeadPruner(module, attention, mask).run()))
        return signalPassFailure();
    }
  }
};

} // namespace
