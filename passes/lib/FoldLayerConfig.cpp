//===- FoldLayerConfig.cpp - Remove the layers a configuration skips ------===//
//
// A layer of the importer's form is found through its weights (canonical
// names, docs/checkpoint-format.md): its input is the residual operand of
// the add after `layers.<i>.attention.output`; its output the add after
// `layers.<i>.mlp` (post-norm: that add's `layers.<i>.mlp_norm`); its token
// selection, if any, reads the attention residual. Skipping the layer makes
// it the identity: its output is its input, and what used its selection's
// indices (the key mask's gather_tokens, Drop-and-Restore's restore_tokens)
// sees every token kept.
//
//===----------------------------------------------------------------------===//

#include "ShapeRefinement.h"
#include "TokenSelection.h"
#include "tailor/passes/Passes.h"
#include "tailor/passes/Variant.h"

#include "mlir/IR/Builders.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::tailor {
#define GEN_PASS_DEF_FOLDLAYERCONFIG
#include "tailor/passes/Passes.h.inc"
} // namespace mlir::tailor

using namespace mlir;
using namespace mlir::tailor;

namespace {

struct Layer {
  Value input;
  Value output;
  SelectTokensOp select;
};

class LayerFinder {
public:
  explicit LayerFinder(ModuleOp module) : symbols(module) {}

  /// The tailor op of `forward` whose operand #`operand` reads the global
  /// holding `tensor`.
  template <typename OpT>
  OpT findUser(func::FuncOp forward, StringRef tensor, unsigned operand) {
    OpT found;
    forward.walk([&](OpT op) {
      auto read = op->getOperand(operand).template getDefiningOp<WeightOp>();
      if (read && symbols.lookup<GlobalOp>(read.getGlobal()).getSourceName() ==
                      tensor) {
        found = op;
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    return found;
  }

  /// The single user of `value` of type OpT, else null.
  template <typename OpT> static OpT onlyUser(Value value) {
    if (!value.hasOneUse())
      return nullptr;
    return dyn_cast<OpT>(*value.getUsers().begin());
  }

  FailureOr<Layer> find(func::FuncOp forward, int64_t index) {
    std::string prefix = "layers." + std::to_string(index) + ".";
    auto output =
        findUser<LinearOp>(forward, prefix + "attention.output.weight", 1);
    auto mlp = findUser<MlpOp>(forward, prefix + "mlp.up.weight", 1);
    auto residual =
        output ? onlyUser<arith::AddFOp>(output.getResult()) : nullptr;
    auto mlpResidual = mlp ? onlyUser<arith::AddFOp>(mlp.getResult()) : nullptr;
    if (!residual || !mlpResidual)
      return forward.emitError()
             << "fold-layer-config: @forward has no layer " << index
             << " of the importer's form (" << prefix << "attention.output and "
             << prefix << "mlp.up, each followed by a residual add)";
    Layer layer;
    layer.input = residual.getLhs() == output.getResult() ? residual.getRhs()
                                                          : residual.getLhs();
    layer.output = mlpResidual.getResult();
    if (auto norm = onlyUser<LayerNormOp>(layer.output))
      layer.output = norm.getResult();
    Value attentionResidual = residual.getResult();
    if (auto norm = onlyUser<LayerNormOp>(attentionResidual))
      attentionResidual = norm.getResult();
    for (Operation *user : attentionResidual.getUsers())
      if (auto select = dyn_cast<SelectTokensOp>(user);
          select && select.getX() == attentionResidual)
        layer.select = select;
    return layer;
  }

private:
  SymbolTable symbols;
};

LogicalResult skipLayer(Layer layer) {
  if (layer.select &&
      failed(dropUsersOfKeepAllIndices(layer.select, "fold-layer-config")))
    return failure();
  layer.output.replaceAllUsesWith(layer.input);
  return success();
}

struct FoldLayerConfigPass
    : public tailor::impl::FoldLayerConfigBase<FoldLayerConfigPass> {
  using FoldLayerConfigBase::FoldLayerConfigBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<func::FuncOp> forward = getForward(module, getArgument());
    if (failed(forward))
      return signalPassFailure();
    if (getFoldedLengthConfig(module)) {
      module.emitError() << "fold-layer-config: runs before "
                            "fold-length-config, which has run";
      return signalPassFailure();
    }
    SmallVector<int64_t> layers(skip.begin(), skip.end());
    llvm::sort(layers);
    if (std::adjacent_find(layers.begin(), layers.end()) != layers.end()) {
      module.emitError() << "fold-layer-config: a layer is skipped twice";
      return signalPassFailure();
    }
    // Find every layer first: skipping one rewires the next one's input.
    LayerFinder finder(module);
    SmallVector<Layer> found;
    for (int64_t index : layers) {
      FailureOr<Layer> layer = finder.find(*forward, index);
      if (failed(layer))
        return signalPassFailure();
      found.push_back(*layer);
    }
    for (Layer layer : llvm::reverse(found))
      if (failed(skipLayer(layer)))
        return signalPassFailure();
    IRRewriter rewriter(&getContext());
    (void)runRegionDCE(rewriter, forward->getBody());
    if (failed(refineShapes(*forward)))
      return signalPassFailure();
    SmallVector<int64_t> skipped = getSkippedLayers(module);
    skipped.append(layers);
    llvm::sort(skipped);
    setSkippedLayers(module, skipped);
  }
};

} // namespace
