//===- TailorDialect.cpp - The tailor dialect -----------------------------===//
//
// Dialect set-up and the checks of the module-level attributes the importer
// sets: tailor.model, tailor.length_configs and tailor.tying.
//
//===----------------------------------------------------------------------===//

#include "tailor/ir/TailorOps.h"

#include "mlir/Transforms/InliningUtils.h"

using namespace mlir;
using namespace mlir::tailor;

#include "tailor/ir/TailorDialect.cpp.inc"

namespace {

/// Tailor ops compute on tensors without side effects, so calls to functions
/// holding them, including calls inside a conditional layer, can be inlined.
struct TailorInlinerInterface : public DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;

  bool isLegalToInline(Operation *, Region *, bool, IRMapping &) const final {
    return true;
  }
  bool isLegalToInline(Region *, Region *, bool, IRMapping &) const final {
    return true;
  }
};

} // namespace

void TailorDialect::initialize() {
  registerAttributes();
  registerOperations();
  registerPlanOperations();
  addInterfaces<TailorInlinerInterface>();
}

namespace {

constexpr llvm::StringLiteral kModelAttr = "tailor.model";
constexpr llvm::StringLiteral kLengthConfigsAttr = "tailor.length_configs";
constexpr llvm::StringLiteral kTyingAttr = "tailor.tying";
// Set by the passes that fold one variant (passes/): which configuration the
// module now computes.
constexpr llvm::StringLiteral kVariantAttr = "tailor.variant";

/// The layer count `tailor.model` declares, when it declares a valid one;
/// the other module attributes must agree with it.
std::optional<int64_t> declaredLayers(Operation *module) {
  auto model = module->getAttrOfType<DictionaryAttr>(kModelAttr);
  if (!model)
    return std::nullopt;
  auto layers = model.getAs<IntegerAttr>("layers");
  if (!layers || layers.getInt() <= 0)
    return std::nullopt;
  return layers.getInt();
}

LogicalResult verifyModel(Operation *op, Attribute value) {
  auto model = dyn_cast<DictionaryAttr>(value);
  if (!model)
    return op->emitError() << "'" << kModelAttr
                           << "' must be a dictionary, got " << value;
  auto kind = model.getAs<StringAttr>("kind");
  if (!kind)
    return op->emitError()
           << "'" << kModelAttr
           << "' needs a string 'kind' (\"encoder\" or \"vit\")";
  if (kind.getValue() != "encoder" && kind.getValue() != "vit")
    return op->emitError() << "'" << kModelAttr << "' kind must be \"encoder\" "
                           << "or \"vit\", got \"" << kind.getValue() << "\"";
  if (Attribute layers = model.get("layers")) {
    auto count = dyn_cast<IntegerAttr>(layers);
    if (!count || count.getInt() <= 0)
      return op->emitError()
             << "'" << kModelAttr << "' layers must be a positive integer, got "
             << layers;
  }
  return success();
}

LogicalResult verifyLengthConfigs(Operation *op, Attribute value) {
  auto configs = dyn_cast<ArrayAttr>(value);
  if (!configs)
    return op->emitError()
           << "'" << kLengthConfigsAttr
           << "' must be an array of #tailor.length_config, got " << value;
  std::optional<int64_t> layers = declaredLayers(op);
  for (auto [index, element] : llvm::enumerate(configs)) {
    auto config = dyn_cast<LengthConfigAttr>(element);
    if (!config)
      return op->emitError()
             << "'" << kLengthConfigsAttr << "' element #" << index
             << " is not a #tailor.length_config: " << element;
    int64_t count = config.getLengths().size();
    if (layers && count != *layers)
      return op->emitError()
             << "'" << kLengthConfigsAttr << "' element #" << index << " has "
             << count << " lengths but the model has " << *layers << " layers";
    auto first = cast<LengthConfigAttr>(configs[0]);
    if (count != static_cast<int64_t>(first.getLengths().size()))
      return op->emitError()
             << "'" << kLengthConfigsAttr << "' element #" << index << " has "
             << count << " lengths but element #0 has "
             << first.getLengths().size();
    for (auto [earlier, other] :
         llvm::enumerate(configs.getValue().take_front(index)))
      if (cast<LengthConfigAttr>(other).getBudget().bitwiseIsEqual(
              config.getBudget()))
        return op->emitError()
               << "'" << kLengthConfigsAttr << "' element #" << index
               << " repeats the budget of element #" << earlier
               << ": each budget selects one configuration";
  }
  return success();
}

LogicalResult verifyTying(Operation *op, Attribute value) {
  auto tying = dyn_cast<TyingAttr>(value);
  if (!tying)
    return op->emitError() << "'" << kTyingAttr
                           << "' must be a #tailor.tying, got " << value;
  std::optional<int64_t> layers = declaredLayers(op);
  int64_t count = tying.getSources().size();
  if (layers && count != *layers)
    return op->emitError() << "'" << kTyingAttr << "' has " << count
                           << " sources but the model has " << *layers
                           << " layers";
  return success();
}

LogicalResult verifyVariant(Operation *op, Attribute value) {
  auto variant = dyn_cast<DictionaryAttr>(value);
  if (!variant)
    return op->emitError() << "'" << kVariantAttr
                           << "' must be a dictionary, got " << value;
  std::optional<int64_t> layers = declaredLayers(op);
  for (NamedAttribute entry : variant) {
    StringRef key = entry.getName().getValue();
    if (key == "length_config") {
      auto config = dyn_cast<LengthConfigAttr>(entry.getValue());
      if (!config)
        return op->emitError() << "'" << kVariantAttr
                               << "' length_config must be a "
                                  "#tailor.length_config, got "
                               << entry.getValue();
      if (layers && static_cast<int64_t>(config.getLengths().size()) != *layers)
        return op->emitError()
               << "'" << kVariantAttr << "' length_config has "
               << config.getLengths().size() << " lengths but the model has "
               << *layers << " layers";
    } else if (key == "skipped_layers") {
      auto skipped = dyn_cast<DenseI64ArrayAttr>(entry.getValue());
      if (!skipped)
        return op->emitError() << "'" << kVariantAttr
                               << "' skipped_layers must be an array<i64>, got "
                               << entry.getValue();
      for (auto [index, layer] : llvm::enumerate(skipped.asArrayRef()))
        if (layer < 0 || (layers && layer >= *layers) ||
            (index > 0 && layer <= skipped[index - 1]))
          return op->emitError()
                 << "'" << kVariantAttr
                 << "' skipped_layers must be increasing layer indices"
                 << (layers ? " below the layer count" : "") << ", got "
                 << entry.getValue();
    } else {
      return op->emitError() << "'" << kVariantAttr << "' has an unknown key '"
                             << key << "' (keys: length_config, "
                             << "skipped_layers)";
    }
  }
  return success();
}

} // namespace

LogicalResult TailorDialect::verifyOperationAttribute(Operation *op,
                                                      NamedAttribute attr) {
  StringRef name = attr.getName().strref();
  if (name != kModelAttr && name != kLengthConfigsAttr && name != kTyingAttr &&
      name != kVariantAttr)
    return op->emitError() << "unknown attribute '" << name
                           << "': the tailor dialect defines '" << kModelAttr
                           << "', '" << kLengthConfigsAttr << "', '"
                           << kTyingAttr << "' and '" << kVariantAttr << "'";
  if (!isa<ModuleOp>(op))
    return op->emitError() << "'" << name << "' belongs on the module, not on '"
                           << op->getName() << "'";
  if (name == kModelAttr)
    return verifyModel(op, attr.getValue());
  if (name == kLengthConfigsAttr)
    return verifyLengthConfigs(op, attr.getValue());
  if (name == kVariantAttr)
    return verifyVariant(op, attr.getValue());
  return verifyTying(op, attr.getValue());
}
