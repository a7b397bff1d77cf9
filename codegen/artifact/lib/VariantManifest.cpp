//===- VariantManifest.cpp - One variant's plan as manifest JSON ----------===//

#include "Internal.h"

#include "tailor/passes/Variant.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace mlir::tailor;

namespace tailor::artifact::detail {
namespace {

[[noreturn]] void fail(const LoweredVariant &variant, const std::string &what) {
  throw ArtifactError("variant '" + variant.name + "': " + what);
}

func::FuncOp forwardOf(const LoweredVariant &variant) {
  auto forward = ModuleOp(variant.module).lookupSymbol<func::FuncOp>("forward");
  if (!forward || forward.isExternal() ||
      forward.getOps<StepOpInterface>().empty())
    fail(variant, "the module has no @forward of kernel steps (run "
                  "lower-to-kernels)");
  return forward;
}

std::string dtypeOf(MemRefType type) {
  Type element = type.getElementType();
  if (element.isF32())
    return "f32";
  if (element.isBF16())
    return "bf16";
  if (element.isF16())
    return "f16";
  if (element.isInteger(32))
    return "i32";
  return "u8"; // i1 key masks, one byte per element
}

nlohmann::json batchedShape(MemRefType type) {
  nlohmann::json shape = {-1};
  for (int64_t size : type.getShape().drop_front())
    shape.push_back(size);
  return shape;
}

std::string bufferName(const LoweredVariant &variant, Value value) {
  auto buffer = value.getDefiningOp<BufferOp>();
  if (!buffer)
    fail(variant, "a step uses a value that is not a tailor.buffer");
  return buffer.getName().str();
}

nlohmann::json roles(const LoweredVariant &variant, OperandRange values,
                     ArrayAttr names) {
  nlohmann::json result = nlohmann::json::object();
  for (auto [value, role] : llvm::zip_equal(values, names))
    result[cast<StringAttr>(role).getValue().str()] =
        bufferName(variant, value);
  return result;
}

/// {"block": b, "table": [[key blocks of query block 0], ...]}: for each
/// query block, the key blocks it attends to, ascending (the form the
/// kernels iterate).
nlohmann::json blockTable(BlockSparseAttr sparsity) {
  nlohmann::json table = nlohmann::json::array();
  for (int64_t row = 0; row < sparsity.getRows(); ++row) {
    nlohmann::json keys = nlohmann::json::array();
    for (int64_t col = 0; col < sparsity.getCols(); ++col)
      if (sparsity.isKept(row, col))
        keys.push_back(col);
    table.push_back(std::move(keys));
  }
  return {{"block", sparsity.getBlock()}, {"table", std::move(table)}};
}

nlohmann::json attrValue(const LoweredVariant &variant, StepOpInterface step,
                         NamedAttribute attr) {
  Attribute value = attr.getValue();
  if (auto flag = dyn_cast<BoolAttr>(value))
    return flag.getValue();
  if (auto integer = dyn_cast<IntegerAttr>(value))
    return integer.getInt();
  if (auto number = dyn_cast<FloatAttr>(value))
    return number.getValueAsDouble();
  if (auto activation = dyn_cast<ActivationAttr>(value))
    return stringifyActivation(activation.getValue()).str();
  if (auto pooling = dyn_cast<PoolingAttr>(value))
    return stringifyPooling(pooling.getValue()).str();
  if (auto sparsity = dyn_cast<BlockSparseAttr>(value))
    return blockTable(sparsity);
  fail(variant, "step '" + step.getKernelName().str() + "' has attribute '" +
                    attr.getName().str() + "', which has no manifest form");
}

/// The counts buffer whose total decides whether `step` runs: the operand of
/// the tailor.has_rows that conditions the scf.if around it (an ACM
/// learner); empty for a step that always runs.
std::string guardOf(const LoweredVariant &variant, StepOpInterface step) {
  auto branch = dyn_cast<scf::IfOp>(step->getParentOp());
  if (!branch)
    return "";
  auto any = branch.getCondition().getDefiningOp<HasRowsOp>();
  if (!any || !isa<func::FuncOp>(branch->getParentOp()) ||
      !branch.getElseRegion().empty())
    fail(variant, "step '" + step.getKernelName().str() +
                      "' is under an scf.if the manifest cannot express: a "
                      "guard is one scf.if without else in @forward, on "
                      "tailor.has_rows");
  return bufferName(variant, any.getCounts());
}

} // namespace

nlohmann::json modelTensors(const LoweredVariant &variant, bool inputs) {
  std::map<std::int64_t, nlohmann::json> byPosition;
  for (BufferOp buffer : forwardOf(variant).getOps<BufferOp>()) {
    std::optional<uint64_t> position =
        inputs ? buffer.getInput() : buffer.getOutput();
    if (!position)
      continue;
    MemRefType type = buffer.getBuffer().getType();
    byPosition[*position] = {{"name", buffer.getName().str()},
                             {"dtype", dtypeOf(type)},
                             {"shape", batchedShape(type)}};
  }
  nlohmann::json tensors = nlohmann::json::array();
  for (auto &[position, tensor] : byPosition) {
    if (position != static_cast<std::int64_t>(tensors.size()))
      fail(variant, std::string("model ") + (inputs ? "input" : "output") +
                        " #" + std::to_string(tensors.size()) +
                        " has no buffer");
    tensors.push_back(tensor);
  }
  return tensors;
}

nlohmann::json variantManifest(const LoweredVariant &variant,
                               std::vector<GlobalOp> &weights) {
  func::FuncOp forward = forwardOf(variant);
  auto arena = forward->getAttrOfType<IntegerAttr>("arena_bytes_per_sample");
  LengthConfigAttr lengths = getFoldedLengthConfig(ModuleOp(variant.module));
  if (!arena || !lengths)
    fail(variant, "the module has no memory plan or no folded length "
                  "configuration (run fold-length-config and plan-memory)");

  nlohmann::json buffers = nlohmann::json::array();
  for (BufferOp buffer : forward.getOps<BufferOp>()) {
    if (!buffer.getOffset())
      fail(variant, "buffer '" + buffer.getName().str() + "' has no offset");
    MemRefType type = buffer.getBuffer().getType();
    buffers.push_back({{"name", buffer.getName().str()},
                       {"dtype", dtypeOf(type)},
                       {"shape", batchedShape(type)},
                       {"offset_per_sample", *buffer.getOffset()}});
  }

  SymbolTable symbols(ModuleOp(variant.module));
  nlohmann::json steps = nlohmann::json::array();
  std::int64_t flops = 0;
  SmallVector<StepOpInterface> plan;
  forward.walk<WalkOrder::PreOrder>(
      [&](StepOpInterface step) { plan.push_back(step); });
  for (StepOpInterface step : plan) {
    nlohmann::json entry = {
        {"op", step.getKernelName().str()},
        {"inputs", roles(variant, step.getInputs(), step.getInputRoles())},
        {"outputs", roles(variant, step.getOutputs(), step.getOutputRoles())}};
    if (std::string guard = guardOf(variant, step); !guard.empty())
      entry["guard"] = guard;
    if (DictionaryAttr named = step.getWeightsAttr()) {
      nlohmann::json stepWeights = nlohmann::json::object();
      for (NamedAttribute weight : named) {
        auto global = symbols.lookup<GlobalOp>(
            cast<FlatSymbolRefAttr>(weight.getValue()).getValue());
        stepWeights[weight.getName().str()] = tensorName(global);
        weights.push_back(global);
      }
      entry["weights"] = stepWeights;
    }
    nlohmann::json attrs = nlohmann::json::object();
    for (NamedAttribute attr : step.getKernelAttrs())
      attrs[attr.getName().str()] = attrValue(variant, step, attr);
    if (!attrs.empty())
      entry["attrs"] = attrs;
    steps.push_back(entry);
    flops += stepFlops(step);
  }
  return {{"name", variant.name},
          {"budget", variant.budget},
          {"flops", flops},
          {"lengths", lengths.getLengths()},
          {"arena_bytes_per_sample", arena.getInt()},
          {"buffers", buffers},
          {"steps", steps}};
}

} // namespace tailor::artifact::detail
