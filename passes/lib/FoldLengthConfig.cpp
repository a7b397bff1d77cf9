//===- FoldLengthConfig.cpp - One length configuration as static shapes ---===//

#include "ShapeRefinement.h"
#include "TokenSelection.h"
#include "tailor/passes/Passes.h"
#include "tailor/passes/Variant.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/raw_ostream.h"

#include <sstream>

namespace mlir::tailor {
#define GEN_PASS_DEF_FOLDLENGTHCONFIG
#include "tailor/passes/Passes.h.inc"
} // namespace mlir::tailor

using namespace mlir;
using namespace mlir::tailor;

namespace {

/// `0.5`, `1`: budgets in messages.
std::string formatBudget(double budget) {
  std::ostringstream os;
  os << budget;
  return os.str();
}

/// The configuration of `budget`, or an error listing the budgets there are.
FailureOr<LengthConfigAttr> findConfig(ModuleOp module, double budget) {
  auto configs = module->getAttrOfType<ArrayAttr>("tailor.length_configs");
  if (!configs || configs.empty())
    return module.emitError()
           << "fold-length-config: the module has no tailor.length_configs";
  std::string available;
  llvm::raw_string_ostream os(available);
  for (auto config : configs.getAsRange<LengthConfigAttr>()) {
    if (config.getBudget().convertToDouble() == budget)
      return config;
    os << (available.empty() ? "" : ", ")
       << formatBudget(config.getBudget().convertToDouble());
  }
  return module.emitError()
         << "fold-length-config: no length configuration "
            "has budget "
         << formatBudget(budget) << " (budgets: " << available << ")";
}

/// The lengths a skipped layer keeps: all of its input, so that the
/// configuration describes what the variant computes.
SmallVector<int64_t> effectiveLengths(ArrayRef<int64_t> lengths,
                                      ArrayRef<int64_t> skipped,
                                      int64_t inputTokens) {
  SmallVector<int64_t> result(lengths);
  for (int64_t layer : skipped)
    result[layer] = layer == 0 ? inputTokens : result[layer - 1];
  return result;
}

/// Tokens the first layer reads: the embeddings' sequence length (static
/// in the importer's form).
int64_t inputTokens(func::FuncOp forward) {
  int64_t tokens = ShapedType::kDynamic;
  forward.walk([&](Operation *op) {
    if (!isa<TokenEmbeddingsOp, PatchEmbeddingsOp>(op))
      return WalkResult::advance();
    tokens = cast<RankedTensorType>(op->getResult(0).getType()).getDimSize(1);
    return WalkResult::interrupt();
  });
  return tokens;
}

/// Replaces every `tensor.extract %lengths[c]` by the constant lengths[c].
LogicalResult foldLengthReads(BlockArgument lengths, ArrayRef<int64_t> values) {
  for (Operation *user : llvm::make_early_inc_range(lengths.getUsers())) {
    auto extract = dyn_cast<tensor::ExtractOp>(user);
    IntegerAttr index;
    if (!extract || extract.getIndices().size() != 1 ||
        !matchPattern(extract.getIndices()[0], m_Constant(&index)))
      return user->emitOpError()
             << "reads the lengths argument other than by tensor.extract at a "
                "constant index; fold-length-config cannot fold it";
    int64_t layer = index.getInt();
    if (layer < 0 || layer >= static_cast<int64_t>(values.size()))
      return extract.emitOpError()
             << "reads length #" << layer << " of " << values.size();
    OpBuilder builder(extract);
    Value constant =
        builder.create<arith::ConstantIndexOp>(extract.getLoc(), values[layer]);
    extract.replaceAllUsesWith(constant);
    extract.erase();
  }
  return success();
}

/// Gives each select_tokens with a constant k its static k.
LogicalResult makeKStatic(func::FuncOp forward) {
  WalkResult walk =
      forward.walk([](SelectTokensOp select) {
        Value dynamicK = select.getDynamicK();
        if (!dynamicK)
          return WalkResult::advance();
        IntegerAttr k;
        if (!matchPattern(dynamicK, m_Constant(&k))) {
          select.emitOpError()
              << "has a k that is not a length of the "
                 "configuration; fold-length-config cannot fold it";
          return WalkResult::interrupt();
        }
        if (k.getInt() < 1) {
          select.emitOpError() << "k folds to " << k.getInt()
                               << "; a layer keeps at least one token";
          return WalkResult::interrupt();
        }
        select.getDynamicKMutable().clear();
        select.setK(k.getInt());
        return WalkResult::advance();
      });
  return failure(walk.wasInterrupted());
}

/// Removes each select_tokens that keeps all its tokens: its indices are
/// 0..n-1, so gather_tokens and restore_tokens on them are the identity too.
LogicalResult removeIdentitySelections(func::FuncOp forward) {
  SmallVector<SelectTokensOp> selects;
  forward.walk([&](SelectTokensOp select) { selects.push_back(select); });
  for (SelectTokensOp select : selects) {
    int64_t seq = cast<RankedTensorType>(select.getX().getType()).getDimSize(1);
    int64_t kept = static_cast<int64_t>(*select.getK());
    if (kept > seq)
      return select.emitOpError() << "keeps " << kept << " tokens of " << seq
                                  << ": the length configuration does not fit "
                                     "the model";
    if (kept != seq)
      continue;
    if (failed(dropUsersOfKeepAllIndices(select, "fold-length-config")))
      return failure();
    select.getSelected().replaceAllUsesWith(select.getX());
    select.erase();
  }
  return success();
}

struct FoldLengthConfigPass
    : public tailor::impl::FoldLengthConfigBase<FoldLengthConfigPass> {
  using FoldLengthConfigBase::FoldLengthConfigBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<func::FuncOp> forward = getForward(module, getArgument());
    if (failed(forward))
      return signalPassFailure();
    if (getFoldedLengthConfig(module)) {
      module.emitError() << "fold-length-config: the module already has a "
                            "folded length configuration";
      return signalPassFailure();
    }
    FailureOr<LengthConfigAttr> config = findConfig(module, budget);
    if (failed(config))
      return signalPassFailure();
    ArrayRef<int64_t> lengths = config->getLengths();

    func::FuncOp function = *forward;
    if (function.getNumArguments() == 0) {
      function.emitError() << "fold-length-config: @forward has no lengths "
                              "argument";
      return signalPassFailure();
    }
    BlockArgument lengthsArg =
        function.getArgument(function.getNumArguments() - 1);
    auto lengthsType = dyn_cast<RankedTensorType>(lengthsArg.getType());
    if (!lengthsType || !lengthsType.getElementType().isIndex() ||
        lengthsType.getRank() != 1 ||
        lengthsType.getDimSize(0) != static_cast<int64_t>(lengths.size())) {
      function.emitError() << "fold-length-config: @forward's last argument "
                              "must be the lengths, tensor<"
                           << lengths.size() << "xindex>, got "
                           << lengthsArg.getType();
      return signalPassFailure();
    }
    if (failed(foldLengthReads(lengthsArg, lengths)) ||
        failed(makeKStatic(function)) || failed(refineShapes(function)) ||
        failed(removeIdentitySelections(function)))
      return signalPassFailure();
    if (failed(function.eraseArgument(function.getNumArguments() - 1)))
      return signalPassFailure();

    int64_t tokens = inputTokens(function);
    setFoldedLengthConfig(
        module, LengthConfigAttr::get(
                    &getContext(), config->getBudget(),
                    effectiveLengths(lengths, getSkippedLayers(module), tokens),
                    config->getFlops(), config->getAccuracy()));
  }
};

} // namespace
