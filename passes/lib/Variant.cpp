//===- Variant.cpp - The module attribute naming a folded variant ---------===//

#include "tailor/passes/Variant.h"

using namespace mlir;
using namespace mlir::tailor;

namespace {

DictionaryAttr variantOf(ModuleOp module) {
  return module->getAttrOfType<DictionaryAttr>(kVariantAttr);
}

void setEntry(ModuleOp module, StringRef key, Attribute value) {
  NamedAttrList entries(variantOf(module));
  entries.set(key, value);
  module->setAttr(kVariantAttr, entries.getDictionary(module.getContext()));
}

} // namespace

LengthConfigAttr mlir::tailor::getFoldedLengthConfig(ModuleOp module) {
  DictionaryAttr variant = variantOf(module);
  return variant ? variant.getAs<LengthConfigAttr>("length_config") : nullptr;
}

SmallVector<int64_t> mlir::tailor::getSkippedLayers(ModuleOp module) {
  DictionaryAttr variant = variantOf(module);
  auto skipped =
      variant ? variant.getAs<DenseI64ArrayAttr>("skipped_layers") : nullptr;
  return skipped ? SmallVector<int64_t>(skipped.asArrayRef())
                 : SmallVector<int64_t>();
}

void mlir::tailor::setFoldedLengthConfig(ModuleOp module,
                                         LengthConfigAttr config) {
  setEntry(module, "length_config", config);
}

void mlir::tailor::setSkippedLayers(ModuleOp module, ArrayRef<int64_t> layers) {
  setEntry(module, "skipped_layers",
           DenseI64ArrayAttr::get(module.getContext(), layers));
}

FailureOr<func::FuncOp> mlir::tailor::getForward(ModuleOp module,
                                                 StringRef pass) {
  auto forward = module.lookupSymbol<func::FuncOp>("forward");
  if (!forward || forward.isExternal())
    return module.emitError() << pass << ": the module has no @forward "
                              << "function with a body";
  return forward;
}
