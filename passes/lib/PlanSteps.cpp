//===- PlanSteps.cpp - Building and reading plan steps by role ------------===//

#include "PlanSteps.h"

using namespace mlir;
using namespace mlir::tailor;

Operation *mlir::tailor::buildStep(OpBuilder &builder, Location loc,
                                   StringRef name, RoleValues inputs,
                                   RoleValues outputs, DictionaryAttr weights,
                                   ArrayRef<NamedAttribute> attrs) {
  SmallVector<Attribute> inputRoles, outputRoles;
  OperationState state(loc, name);
  for (auto [role, value] : inputs) {
    state.addOperands(value);
    inputRoles.push_back(builder.getStringAttr(role));
  }
  for (auto [role, value] : outputs) {
    state.addOperands(value);
    outputRoles.push_back(builder.getStringAttr(role));
  }
  state.addAttribute(
      "operandSegmentSizes",
      builder.getDenseI32ArrayAttr({static_cast<int32_t>(inputs.size()),
                                    static_cast<int32_t>(outputs.size())}));
  state.addAttribute("input_roles", builder.getArrayAttr(inputRoles));
  state.addAttribute("output_roles", builder.getArrayAttr(outputRoles));
  if (weights && !weights.empty())
    state.addAttribute("weights", weights);
  state.addAttributes(attrs);
  return builder.create(state);
}

void mlir::tailor::declareBefore(Value buffer, Operation *step) {
  Operation *declaration = buffer.getDefiningOp();
  if (declaration->getBlock() == step->getBlock() &&
      step->isBeforeInBlock(declaration))
    declaration->moveBefore(step);
}

namespace {

SmallVector<std::pair<StringRef, Value>> zipRoles(OperandRange values,
                                                  ArrayAttr roles) {
  SmallVector<std::pair<StringRef, Value>> result;
  for (auto [value, role] : llvm::zip_equal(values, roles))
    result.push_back({cast<StringAttr>(role).getValue(), value});
  return result;
}

Value find(OperandRange values, ArrayAttr roles, StringRef role) {
  for (auto [name, value] : zipRoles(values, roles))
    if (name == role)
      return value;
  return nullptr;
}

} // namespace

Value mlir::tailor::stepInput(StepOpInterface step, StringRef role) {
  return find(step.getInputs(), step.getInputRoles(), role);
}

Value mlir::tailor::stepOutput(StepOpInterface step, StringRef role) {
  return find(step.getOutputs(), step.getOutputRoles(), role);
}

SmallVector<std::pair<StringRef, Value>>
mlir::tailor::stepInputs(StepOpInterface step) {
  return zipRoles(step.getInputs(), step.getInputRoles());
}

SmallVector<std::pair<StringRef, Value>>
mlir::tailor::stepOutputs(StepOpInterface step) {
  return zipRoles(step.getOutputs(), step.getOutputRoles());
}
