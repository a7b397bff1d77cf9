//===- LowerToKernels.cpp - High-level ops to kernel steps on buffers -----===//
//
// Rebuilds @forward in the plan form: one tailor.buffer per value (the
// arguments are the model inputs, the returned values the outputs), one
// tailor.step.* per kernel. Buffers are named after the weights that produce
// them (`layers.0.attention.query`) or after their op (`add3`), so that the
// plan reads like the model.
//
//===----------------------------------------------------------------------===//

#include "PlanSteps.h"
#include "tailor/ir/TailorPlanOps.h"
#include "tailor/passes/Passes.h"
#include "tailor/passes/Variant.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::tailor {
#define GEN_PASS_DEF_LOWERTOKERNELS
#include "tailor/passes/Passes.h.inc"
} // namespace mlir::tailor

using namespace mlir;
using namespace mlir::tailor;

namespace {

/// The model inputs' names by kind, in the importer's argument order.
FailureOr<SmallVector<StringRef>> inputNames(ModuleOp module,
                                             func::FuncOp forward) {
  auto model = module->getAttrOfType<DictionaryAttr>("tailor.model");
  auto kind = model ? model.getAs<StringAttr>("kind") : nullptr;
  if (!kind)
    return module.emitError()
           << "lower-to-kernels: the module has no tailor.model kind";
  SmallVector<StringRef> names;
  if (kind.getValue() == "vit")
    names = {"images"};
  else
    names = {"ids", "key_mask"};
  unsigned count = forward.getNumArguments();
  if (count == 0 || count > names.size())
    return forward.emitError()
           << "lower-to-kernels: a " << kind.getValue() << " @forward takes "
           << (names.size() == 1 ? "1 input" : "1 or 2 inputs") << " ("
           << llvm::join(names, ", ") << ") but this one has " << count
           << " arguments (run fold-length-config first)";
  names.resize(count);
  return names;
}

/// The name a weight gives the buffer its step writes:
/// `layers.0.attention.query.weight@heads=0,2` -> `layers.0.attention.query`.
std::string nameFromWeight(StringRef weight) {
  weight = weight.split('@').first;
  for (StringRef suffix : {".weight", ".bias"})
    if (weight.ends_with(suffix))
      return weight.drop_back(suffix.size()).str();
  return weight.str();
}

class Lowering {
public:
  Lowering(func::FuncOp forward, func::FuncOp lowered)
      : forward(forward), builder(lowered.getBody()) {}

  LogicalResult run(ArrayRef<StringRef> inputNames) {
    for (auto [index, argument] : llvm::enumerate(forward.getArguments())) {
      FailureOr<Value> input =
          createBuffer(forward, argument, inputNames[index]);
      if (failed(input))
        return failure();
      cast<BufferOp>(input->getDefiningOp()).setInput(index);
      buffers[argument] = *input;
    }
    for (Operation &op : forward.getBody().front())
      if (failed(lower(&op)))
        return failure();
    return success();
  }

private:
  LogicalResult lower(Operation *op) {
    return llvm::TypeSwitch<Operation *, LogicalResult>(op)
        .Case([&](WeightOp weight) {
          weights[weight.getResult()] = weight.getGlobalAttr();
          return success();
        })
        // Scalars (folded lengths) feed no kernel; a step reading one fails
        // as reading a value with no buffer.
        .Case([&](arith::ConstantOp) { return success(); })
        .Case([&](TokenEmbeddingsOp op) {
          return step<TokenEmbeddingsStepOp>(
              op, {{"ids", op.getIds()}}, {{"y", op.getResult()}},
              {{"word", op.getWord()},
               {"position", op.getPosition()},
               {"token_type", op.getTokenType()}},
              {}, "embeddings");
        })
        .Case([&](PatchEmbeddingsOp op) {
          return step<PatchEmbeddingsStepOp>(
              op, {{"images", op.getImages()}}, {{"y", op.getResult()}},
              {{"weight", op.getPatchW()},
               {"bias", op.getPatchB()},
               {"cls", op.getCls()},
               {"position", op.getPosition()}},
              {builder.getNamedAttr("patch_size", op.getPatchSizeAttr())},
              "embeddings");
        })
        .Case([&](LayerNormOp op) {
          return step<LayerNormStepOp>(
              op, {{"x", op.getX()}}, {{"y", op.getResult()}},
              {{"gamma", op.getGamma()}, {"beta", op.getBeta()}},
              {builder.getNamedAttr("epsilon", op.getEpsilonAttr())});
        })
        .Case([&](LinearOp op) {
          return step<LinearStepOp>(
              op, {{"x", op.getX()}}, {{"y", op.getResult()}},
              {{"weight", op.getW()}, {"bias", op.getB()}},
              activationAttrs(op.getActivationAttr()));
        })
        .Case([&](MlpOp op) { return lowerMlp(op); })
        .Case([&](AcmOp op) { return lowerAcm(op); })
        .Case([&](arith::AddFOp op) {
          return step<AddStepOp>(op, {{"a", op.getLhs()}, {"b", op.getRhs()}},
                                 {{"y", op.getResult()}}, {}, {});
        })
        .Case([&](AttentionOp op) { return lowerAttention(op); })
        .Case([&](SelectTokensOp op) -> LogicalResult {
          if (!op.getK())
            return op.emitOpError()
                   << "has a dynamic k; lower-to-kernels needs it static "
                      "(run fold-length-config first)";
          SmallVector<NamedAttribute> attrs;
          if (!op.getKeepFirst())
            attrs.push_back(
                builder.getNamedAttr("keep_first", op.getKeepFirstAttr()));
          return step<SelectTokensStepOp>(
              op, {{"x", op.getX()}, {"significance", op.getSignificance()}},
              {{"y", op.getSelected()}, {"indices", op.getIndices()}}, {},
              attrs);
        })
        .Case([&](RestoreTokensOp op) {
          return step<RestoreTokensStepOp>(op,
                                           {{"full", op.getFull()},
                                            {"selected", op.getSelected()},
                                            {"indices", op.getIndices()}},
                                           {{"y", op.getResult()}}, {}, {});
        })
        .Case([&](GatherTokensOp op) {
          return step<GatherTokensStepOp>(
              op, {{"x", op.getX()}, {"indices", op.getIndices()}},
              {{"y", op.getResult()}}, {}, {});
        })
        .Case([&](EnsembleMeanOp op) { return lowerEnsembleMean(op); })
        .Case([&](ClassifierOp op) {
          SmallVector<NamedAttribute> attrs;
          if (op.getPooling() != Pooling::cls)
            attrs.push_back(
                builder.getNamedAttr("pooling", op.getPoolingAttr()));
          return step<ClassifierStepOp>(op, {{"x", op.getX()}},
                                        {{"logits", op.getLogits()}},
                                        {{"weight", op.getW()},
                                         {"bias", op.getB()},
                                         {"pooler_weight", op.getPoolerW()},
                                         {"pooler_bias", op.getPoolerB()}},
                                        attrs);
        })
        .Case([&](func::ReturnOp op) { return markOutputs(op); })
        .Default([](Operation *op) {
          return op->emitOpError()
                 << "has no kernel: lower-to-kernels lowers the ops of the "
                    "importer's form (embeddings, layer_norm, linear, mlp, "
                    "acm, attention, token selection, classifier, "
                    "ensemble_mean, "
                    "arith.addf)";
        });
  }

  SmallVector<NamedAttribute> activationAttrs(ActivationAttr activation) {
    if (activation.getValue() == Activation::none)
      return {};
    return {builder.getNamedAttr("activation", activation)};
  }

  LogicalResult lowerMlp(MlpOp op) {
    // up (with the activation) into an intermediate buffer, then down.
    auto xType = cast<RankedTensorType>(op.getX().getType());
    int64_t intermediate =
        cast<RankedTensorType>(op.getUpW().getType()).getDimSize(0);
    SmallVector<int64_t> shape(xType.getShape());
    shape.back() = intermediate;
    FailureOr<Value> hidden =
        createBuffer(op, RankedTensorType::get(shape, xType.getElementType()),
                     nameFromWeight(weightName(op.getUpW())));
    FailureOr<Value> x = bufferOf(op, op.getX());
    if (failed(hidden) || failed(x))
      return failure();
    if (failed(createStep<LinearStepOp>(
            op, {{"x", *x}}, {{"y", *hidden}},
            {{"weight", op.getUpW()}, {"bias", op.getUpB()}},
            activationAttrs(op.getActivationAttr()))))
      return failure();
    return step<LinearStepOp>(
        op, {{"x", *hidden}}, {{"y", op.getResult()}},
        {{"weight", op.getDownW()}, {"bias", op.getDownB()}}, {});
  }

  /// A buffer shaped as the ACM's x [batch, tokens, hidden] with the last
  /// dimension `features` wide, or without it when `features` is 0.
  FailureOr<Value> rowsBuffer(AcmOp op, int64_t features, Type element,
                              const std::string &name) {
    SmallVector<int64_t> shape(
        cast<RankedTensorType>(op.getX().getType()).getShape());
    if (features > 0)
      shape.back() = features;
    else
      shape.pop_back();
    return createBuffer(op, RankedTensorType::get(shape, element), name);
  }

  // The gate and learner 0 run on every token (k >= 1); learner j >= 1 runs
  // under an scf.if on the tokens whose k exceeds j, packed by acm_compact.
  // Every compaction comes before the first learner so that a backend that
  // needs the counts on the host fetches them all at once.
  LogicalResult lowerAcm(AcmOp op) {
    auto xType = cast<RankedTensorType>(op.getX().getType());
    if (xType.getRank() != 3)
      return op.emitOpError()
             << "lowers tokens [batch, tokens, hidden], got " << xType;
    const std::string base =
        StringRef(nameFromWeight(weightName(op.getGateW()))).str();
    const std::string prefix = StringRef(base).ends_with(".gate")
                                   ? base.substr(0, base.size() - 5)
                                   : base;
    auto learnerName = [&](int64_t j, StringRef part) {
      return prefix + ".learners." + std::to_string(j) + "." + part.str();
    };
    const int64_t learners = static_cast<int64_t>(op.getUpW().size());
    const int64_t hidden = xType.getDimSize(2);
    Type f32 = xType.getElementType(), i32 = builder.getI32Type();
    auto width = [&](int64_t j) {
      return cast<RankedTensorType>(op.getUpW()[j].getType()).getDimSize(0);
    };

    FailureOr<Value> x = bufferOf(op, op.getX());
    FailureOr<Value> gate = rowsBuffer(op, learners, f32, base);
    FailureOr<Value> route = rowsBuffer(op, 0, i32, prefix + ".learners");
    FailureOr<Value> output = createBuffer(op, op.getResult(), prefix);
    FailureOr<Value> firstHidden =
        rowsBuffer(op, width(0), f32, learnerName(0, "up"));
    if (failed(x) || failed(gate) || failed(route) || failed(output) ||
        failed(firstHidden) ||
        failed(createStep<LinearStepOp>(
            op, {{"x", *x}}, {{"y", *gate}},
            {{"weight", op.getGateW()}, {"bias", op.getGateB()}}, {})) ||
        failed(createStep<AcmRouteStepOp>(op, {{"logits", *gate}},
                                          {{"learners", *route}}, {}, {})) ||
        failed(learner(op, 0, *x, *firstHidden, *output, nullptr)))
      return failure();

    SmallVector<std::pair<Value, Value>> packed;
    for (int64_t j = 1; j < learners; ++j) {
      FailureOr<Value> rows = rowsBuffer(op, 0, i32, learnerName(j, "rows"));
      FailureOr<Value> counts =
          createBuffer(op, RankedTensorType::get({ShapedType::kDynamic}, i32),
                       learnerName(j, "counts"));
      if (failed(rows) || failed(counts) ||
          failed(createStep<AcmCompactStepOp>(
              op, {{"learners", *route}},
              {{"rows", *rows}, {"counts", *counts}}, {},
              {builder.getNamedAttr("learner", builder.getI64IntegerAttr(j))})))
        return failure();
      packed.push_back({*rows, *counts});
    }
    for (int64_t j = 1; j < learners; ++j) {
      auto [rows, counts] = packed[j - 1];
      FailureOr<Value> gathered =
          rowsBuffer(op, hidden, f32, learnerName(j, "x"));
      FailureOr<Value> hiddenRows =
          rowsBuffer(op, width(j), f32, learnerName(j, "up"));
      FailureOr<Value> outputRows =
          rowsBuffer(op, hidden, f32, learnerName(j, "down"));
      if (failed(gathered) || failed(hiddenRows) || failed(outputRows))
        return failure();
      Value any =
          HasRowsOp::create(builder, op.getLoc(), builder.getI1Type(), counts);
      auto branch = scf::IfOp::create(builder, op.getLoc(), any,
                                      /*withElseRegion=*/false);
      OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPoint(branch.thenBlock()->getTerminator());
      if (failed(createStep<GatherRowsStepOp>(
              op, {{"x", *x}, {"rows", rows}, {"counts", counts}},
              {{"y", *gathered}}, {}, {})) ||
          failed(learner(op, j, *gathered, *hiddenRows, *outputRows, counts)) ||
          failed(createStep<ScatterAddStepOp>(
              op, {{"x", *outputRows}, {"rows", rows}, {"counts", counts}},
              {{"y", *output}}, {}, {})))
        return failure();
    }
    return success();
  }

  /// Learner j's up (with the activation) and down linears, on the first
  /// counted rows of `x` when `counts` is set.
  LogicalResult learner(AcmOp op, int64_t j, Value x, Value hiddenRows, Value y,
                        Value counts) {
    SmallVector<std::pair<StringRef, Value>> upInputs = {{"x", x}};
    SmallVector<std::pair<StringRef, Value>> downInputs = {{"x", hiddenRows}};
    if (counts) {
      upInputs.push_back({"counts", counts});
      downInputs.push_back({"counts", counts});
    }
    if (failed(createStep<LinearStepOp>(
            op, upInputs, {{"y", hiddenRows}},
            {{"weight", op.getUpW()[j]}, {"bias", op.getUpB()[j]}},
            activationAttrs(op.getActivationAttr()))))
      return failure();
    return createStep<LinearStepOp>(
        op, downInputs, {{"y", y}},
        {{"weight", op.getDownW()[j]}, {"bias", op.getDownB()[j]}}, {});
  }

  LogicalResult lowerEnsembleMean(EnsembleMeanOp op) {
    static constexpr StringLiteral roles[] = {"x0", "x1", "x2", "x3",
                                              "x4", "x5", "x6", "x7"};
    if (op.getMembers().size() > std::size(roles))
      return op.emitOpError()
             << "has " << op.getMembers().size()
             << " members; the ensemble_mean step takes at most "
             << std::size(roles);
    SmallVector<std::pair<StringRef, Value>> inputs;
    for (auto [member, role] : llvm::zip(op.getMembers(), roles))
      inputs.push_back({role, member});
    return step<EnsembleMeanStepOp>(op, inputs, {{"y", op.getResult()}}, {},
                                    {});
  }

  LogicalResult lowerAttention(AttentionOp op) {
    if (op.getSampleHeadMask())
      return op.emitOpError() << "has a per-sample head mask; its branches "
                                 "have no kernels yet";
    if (op.getHeadMask())
      return op.emitOpError()
             << "has a static head_mask; run prune-heads before "
                "lower-to-kernels";
    SmallVector<std::pair<StringRef, Value>> inputs = {
        {"q", op.getQ()}, {"k", op.getK()}, {"v", op.getV()}};
    if (Value mask = op.getKeyMask())
      inputs.push_back({"key_mask", mask});
    SmallVector<std::pair<StringRef, Value>> outputs = {
        {"context", op.getContextLayer()}};
    // Significance only feeds token selection: no buffer when unused.
    if (Value significance = op.getSignificance();
        significance && !significance.use_empty())
      outputs.push_back({"significance", significance});
    SmallVector<NamedAttribute> attrs = {
        builder.getNamedAttr("heads", op.getHeadsAttr())};
    if (BlockSparseAttr sparsity = op.getSparsityAttr())
      attrs.push_back(builder.getNamedAttr("block_sparse", sparsity));
    return step<AttentionStepOp>(op, inputs, outputs, {}, attrs);
  }

  LogicalResult markOutputs(func::ReturnOp op) {
    for (auto [index, value] : llvm::enumerate(op.getOperands())) {
      FailureOr<Value> buffer = bufferOf(op, value);
      if (failed(buffer))
        return failure();
      auto bufferOp = cast<BufferOp>(buffer->getDefiningOp());
      if (bufferOp.getInput() || bufferOp.getOutput())
        return op.emitOpError() << "returns a model input or one value twice; "
                                   "every output needs its own buffer";
      bufferOp.setOutput(index);
      bufferOp.setName(op.getNumOperands() == 1
                           ? std::string("logits")
                           : "logits" + std::to_string(index));
    }
    return success();
  }

  /// Lowers `op`'s results to buffers and emits its step. Absent optional
  /// operands (null values) leave their role out.
  template <typename StepOp>
  LogicalResult step(Operation *op,
                     ArrayRef<std::pair<StringRef, Value>> inputs,
                     ArrayRef<std::pair<StringRef, Value>> outputs,
                     ArrayRef<std::pair<StringRef, Value>> weightOperands,
                     ArrayRef<NamedAttribute> attrs,
                     std::optional<std::string> baseName = std::nullopt) {
    SmallVector<std::pair<StringRef, Value>> inputBuffers, outputBuffers;
    for (auto [role, value] : inputs) {
      FailureOr<Value> buffer = bufferOf(op, value);
      if (failed(buffer))
        return failure();
      inputBuffers.push_back({role, *buffer});
    }
    std::string name = baseName
                           ? *baseName
                           : defaultName(StepOp::getOperationName().drop_front(
                                             StringRef("tailor.step.").size()),
                                         weightOperands);
    for (auto [role, value] : outputs) {
      FailureOr<Value> buffer = createBuffer(
          op, value, outputs.size() == 1 ? name : name + "." + role.str());
      if (failed(buffer))
        return failure();
      buffers[value] = *buffer;
      outputBuffers.push_back({role, *buffer});
    }
    return createStep<StepOp>(op, inputBuffers, outputBuffers, weightOperands,
                              attrs);
  }

  template <typename StepOp>
  LogicalResult createStep(Operation *op,
                           ArrayRef<std::pair<StringRef, Value>> inputs,
                           ArrayRef<std::pair<StringRef, Value>> outputs,
                           ArrayRef<std::pair<StringRef, Value>> weightOperands,
                           ArrayRef<NamedAttribute> attrs) {
    NamedAttrList weightRoles;
    for (auto [role, value] : weightOperands) {
      if (!value)
        continue;
      auto symbol = weights.find(value);
      if (symbol == weights.end())
        return op->emitOpError() << "takes its " << role
                                 << " from something other than tailor.weight";
      weightRoles.append(role, symbol->second);
    }
    buildStep(builder, op->getLoc(), StepOp::getOperationName(), inputs,
              outputs, weightRoles.getDictionary(builder.getContext()), attrs);
    return success();
  }

  StringRef weightName(Value weight) {
    auto symbol = weights.find(weight);
    return symbol == weights.end() ? StringRef() : symbol->second.getValue();
  }

  /// The first weight's tensor (`layers.0.attention.query`), else the op's
  /// kernel's name and a count (`add3`).
  std::string
  defaultName(StringRef kind,
              ArrayRef<std::pair<StringRef, Value>> weightOperands) {
    if (!weightOperands.empty() && weightOperands.front().second &&
        !weightName(weightOperands.front().second).empty())
      return nameFromWeight(weightName(weightOperands.front().second));
    return (kind + Twine(opCounts[kind]++)).str();
  }

  FailureOr<Value> bufferOf(Operation *user, Value value) {
    if (isa<MemRefType>(value.getType()))
      return value;
    auto buffer = buffers.find(value);
    if (buffer != buffers.end())
      return buffer->second;
    return user->emitOpError()
           << "reads a value that is not an activation lowered before it";
  }

  FailureOr<Value> createBuffer(Operation *op, Value value, StringRef name) {
    FailureOr<Value> buffer = createBuffer(op, value.getType(), name);
    if (succeeded(buffer))
      buffers[value] = *buffer;
    return buffer;
  }

  FailureOr<Value> createBuffer(Operation *op, Type type, StringRef name) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    bool staticButBatch =
        tensor && tensor.getRank() >= 1 &&
        llvm::none_of(tensor.getShape().drop_front(), ShapedType::isDynamic);
    Type element = tensor ? tensor.getElementType() : Type();
    if (!staticButBatch ||
        !(element.isF32() || element.isInteger(32) || element.isInteger(1)))
      return op->emitError()
             << "lower-to-kernels needs activations of f32, i32 or i1 with "
                "static shapes but for the batch (run fold-length-config "
                "first), got "
             << type;
    SmallVector<int64_t> shape(tensor.getShape());
    shape[0] = ShapedType::kDynamic;
    std::string unique = name.str();
    for (int suffix = 1; !names.insert(unique).second; ++suffix)
      unique = (name + "#" + Twine(suffix)).str();
    auto buffer = builder.create<BufferOp>(
        op->getLoc(), MemRefType::get(shape, element),
        builder.getStringAttr(unique), nullptr, nullptr, nullptr);
    return buffer.getResult();
  }

  func::FuncOp forward;
  OpBuilder builder;
  DenseMap<Value, Value> buffers;
  DenseMap<Value, FlatSymbolRefAttr> weights;
  llvm::StringSet<> names;
  llvm::StringMap<int> opCounts;
};

struct LowerToKernelsPass
    : public tailor::impl::LowerToKernelsBase<LowerToKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<func::FuncOp> forward = getForward(module, getArgument());
    if (failed(forward))
      return signalPassFailure();
    FailureOr<SmallVector<StringRef>> names = inputNames(module, *forward);
    if (failed(names))
      return signalPassFailure();

    OpBuilder builder(*forward);
    auto lowered = builder.create<func::FuncOp>(
        forward->getLoc(), "forward", builder.getFunctionType({}, {}));
    lowered.addEntryBlock();
    if (failed(Lowering(*forward, lowered).run(*names))) {
      lowered.erase();
      return signalPassFailure();
    }
    OpBuilder::atBlockEnd(&lowered.getBody().front())
        .create<func::ReturnOp>(forward->getLoc());
    forward->erase();

    // Weights no step reads (skipped layers, pruned heads' originals) go.
    SymbolTable symbols(module);
    for (GlobalOp global :
         llvm::make_early_inc_range(module.getOps<GlobalOp>()))
      if (SymbolTable::symbolKnownUseEmpty(global, module))
        symbols.erase(global);
  }
};

} // namespace
