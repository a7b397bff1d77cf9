//===- PackQkv.cpp - One GEMM for an attention's q, k and v ---------------===//
//
// The three projections of an attention read one x: their weights stacked
// [3H, in] make one GEMM that writes q | k | v side by side in a [.., 3H]
// buffer, which the attention reads as its `qkv`. The stacked weight and
// bias are derived globals `<prefix>qkv.<weight|bias>@concat=<q>|<k>|<v>`
// (docs/artifact-format.md): the artifact writer concatenates the three
// along dim 0. Runs after prune-heads, whose derived globals it stacks as
// they are.
//
//===----------------------------------------------------------------------===//

#include "PlanSteps.h"
#include "tailor/passes/Passes.h"
#include "tailor/passes/Variant.h"

#include "llvm/ADT/StringSet.h"

namespace mlir::tailor {
#define GEN_PASS_DEF_PACKQKV
#include "tailor/passes/Passes.h.inc"
} // namespace mlir::tailor

using namespace mlir;
using namespace mlir::tailor;

namespace {

/// The tensor a global holds in the artifact: a derived global's name, else
/// its checkpoint tensor (as the artifact writer names it).
StringRef tensorOf(GlobalOp global) {
  return global.getSymName().contains('@') ? global.getSymName()
                                           : global.getSourceName();
}

/// `layers.0.attention.query.weight`, `...key.weight`, `...value.weight`
/// -> `layers.0.attention.qkv.weight`: the parts' common prefix up to a dot,
/// `qkv`, and the first part's last component.
std::string packedName(ArrayRef<StringRef> parts) {
  SmallVector<StringRef> plain;
  for (StringRef part : parts)
    plain.push_back(part.split('@').first);
  StringRef prefix = plain[0];
  for (StringRef other : ArrayRef(plain).drop_front()) {
    size_t common = 0;
    while (common < prefix.size() && common < other.size() &&
           prefix[common] == other[common])
      ++common;
    prefix = prefix.take_front(common);
  }
  prefix = prefix.take_front(prefix.rfind('.') + 1);
  StringRef last = plain[0].substr(plain[0].rfind('.') + 1);
  return (prefix + "qkv." + last + "@concat=" + llvm::join(parts, "|")).str();
}

/// The linear writing the attention's input `role`, if it can be packed:
/// no activation, counts or residual, its buffer read by the attention
/// alone (once) and no model output.
LinearStepOp projection(AttentionStepOp attention, StringRef role) {
  Value buffer = stepInput(attention, role);
  if (!buffer)
    return nullptr;
  auto declaration = buffer.getDefiningOp<BufferOp>();
  if (!declaration || declaration.getOutput() || declaration.getInput())
    return nullptr;
  LinearStepOp writer;
  for (OpOperand &use : buffer.getUses()) {
    Operation *user = use.getOwner();
    if (user == attention.getOperation() &&
        llvm::count(attention.getInputs(), buffer) == 1)
      continue;
    auto linear = dyn_cast<LinearStepOp>(user);
    if (!linear || writer || stepOutput(linear, "y") != buffer)
      return nullptr;
    writer = linear;
  }
  if (!writer || writer.getActivation() != Activation::none ||
      stepInput(writer, "counts") || stepInput(writer, "residual") ||
      writer->getBlock() != attention->getBlock())
    return nullptr;
  return writer;
}

class Packer {
public:
  Packer(ModuleOp module, func::FuncOp forward)
      : module(module), symbols(module) {
    for (BufferOp buffer : forward.getOps<BufferOp>())
      names.insert(buffer.getName());
  }

  /// Packs the attention's projections when they qualify.
  void run(AttentionStepOp attention) {
    SmallVector<LinearStepOp> linears;
    for (StringRef role : {"q", "k", "v"})
      if (LinearStepOp linear = projection(attention, role))
        linears.push_back(linear);
    if (linears.size() != 3)
      return;
    Value x = stepInput(linears[0], "x");
    DictionaryAttr weights[3];
    for (auto [index, linear] : llvm::enumerate(linears)) {
      weights[index] = linear.getWeightsAttr();
      if (stepInput(linear, "x") != x ||
          weights[index].contains("bias") != weights[0].contains("bias"))
        return;
    }
    Builder builder(module.getContext());
    NamedAttrList packed;
    for (StringRef role : {"weight", "bias"}) {
      if (!weights[0].contains(role))
        continue;
      GlobalOp stacked = concat({weights[0].getAs<FlatSymbolRefAttr>(role),
                                 weights[1].getAs<FlatSymbolRefAttr>(role),
                                 weights[2].getAs<FlatSymbolRefAttr>(role)});
      if (!stacked)
        return;
      packed.append(role, FlatSymbolRefAttr::get(stacked.getSymNameAttr()));
    }

    // The first projection (x is final there) computes the three.
    Operation *first = linears[0];
    for (LinearStepOp linear : linears)
      if (linear->isBeforeInBlock(first))
        first = linear;
    auto q = cast<MemRefType>(stepInput(attention, "q").getType());
    SmallVector<int64_t> shape(q.getShape());
    shape.back() *= 3;
    OpBuilder at(first);
    std::string name =
        StringRef(cast<FlatSymbolRefAttr>(packed.get("weight")).getValue())
            .split('@')
            .first.str();
    if (StringRef(name).ends_with(".weight"))
      name.resize(name.size() - StringRef(".weight").size());
    // Tied layers pack the same weights: their buffers get `#n` suffixes,
    // as lower-to-kernels names them.
    std::string unique = name;
    for (int suffix = 1; !names.insert(unique).second; ++suffix)
      unique = name + "#" + std::to_string(suffix);
    Value qkv =
        at.create<BufferOp>(first->getLoc(), q.clone(shape),
                            at.getStringAttr(unique), nullptr, nullptr, nullptr)
            .getResult();
    buildStep(at, first->getLoc(), LinearStepOp::getOperationName(), {{"x", x}},
              {{"y", qkv}}, packed.getDictionary(module.getContext()), {});
    SmallVector<std::pair<StringRef, Value>> inputs = {{"qkv", qkv}};
    for (auto [role, value] : stepInputs(attention))
      if (role != "q" && role != "k" && role != "v")
        inputs.push_back({role, value});
    OpBuilder replace(attention);
    buildStep(replace, attention.getLoc(), attention->getName().getStringRef(),
              inputs, stepOutputs(attention), nullptr,
              attention.getKernelAttrs());
    attention.erase();
    for (LinearStepOp linear : linears) {
      Operation *buffer = stepOutput(linear, "y").getDefiningOp();
      linear.erase();
      buffer->erase();
    }
  }

private:
  /// The derived global stacking three globals of one shape along dim 0,
  /// or null when their shapes differ.
  GlobalOp concat(ArrayRef<FlatSymbolRefAttr> symbols3) {
    SmallVector<GlobalOp> parts;
    SmallVector<StringRef> names;
    for (FlatSymbolRefAttr symbol : symbols3) {
      parts.push_back(symbols.lookup<GlobalOp>(symbol.getValue()));
      names.push_back(tensorOf(parts.back()));
    }
    auto type = cast<RankedTensorType>(parts[0].getType());
    for (GlobalOp part : parts)
      if (part.getType() != type)
        return nullptr;
    std::string name = packedName(names);
    if (auto existing = symbols.lookup<GlobalOp>(name))
      return existing;
    SmallVector<int64_t> shape(type.getShape());
    shape[0] *= 3;
    OpBuilder builder(parts[0]);
    builder.setInsertionPointAfter(parts[0]);
    auto global = builder.create<GlobalOp>(parts[0].getLoc(), name,
                                           type.clone(shape), StringAttr());
    symbols.insert(global);
    return global;
  }

  ModuleOp module;
  SymbolTable symbols;
  llvm::StringSet<> names;
};

struct PackQkvPass : public tailor::impl::PackQkvBase<PackQkvPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<func::FuncOp> forward = getForward(module, getArgument());
    if (failed(forward))
      return signalPassFailure();
    SmallVector<AttentionStepOp> attentions;
    forward->walk([&](AttentionStepOp step) { attentions.push_back(step); });
    Packer packer(module, *forward);
    for (AttentionStepOp attention : attentions)
      packer.run(attention);
    // The projections' own globals, now read by no step, go.
    for (GlobalOp global :
         llvm::make_early_inc_range(module.getOps<GlobalOp>()))
      if (SymbolTable::symbolKnownUseEmpty(global, module))
        global.erase();
  }
};

} // namespace
