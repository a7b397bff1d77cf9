//===- module_attributes.cpp - The imported module's attributes -----------===//

#include "module_attributes.h"

#include "tailor/ir/TailorAttrs.h"

#include "mlir/IR/Builders.h"

#include <algorithm>

namespace tailor::importer {

using namespace mlir;
namespace dialect = mlir::tailor;
using checkpoint::ModelConfig;

namespace {

DictionaryAttr modelAttribute(Builder &builder, const ModelConfig &config,
                              checkpoint::CheckpointFormat format) {
  NamedAttrList entries;
  auto integer = [&](StringRef name, int64_t value) {
    entries.append(name, builder.getI64IntegerAttr(value));
  };
  auto string = [&](StringRef name, std::string_view value) {
    entries.append(name, builder.getStringAttr(value));
  };
  string("kind", checkpoint::toString(config.kind));
  string("task", checkpoint::toString(config.task));
  string("norm", checkpoint::toString(config.norm));
  string("activation", checkpoint::toString(config.activation));
  string("source_format", checkpoint::toString(format));
  integer("layers", config.layers);
  integer("hidden", config.hidden);
  integer("heads", config.heads);
  integer("intermediate", config.intermediate);
  integer("classes", config.classes);
  entries.append("layer_norm_eps",
                 builder.getF64FloatAttr(config.layerNormEps));
  if (config.kind == checkpoint::ModelKind::Vit) {
    integer("image_size", config.imageSize);
    integer("patch_size", config.patchSize);
    integer("channels", config.channels);
  } else {
    integer("vocab_size", config.vocabSize);
    integer("max_positions", config.maxPositions);
    integer("type_vocab_size", config.typeVocabSize);
    entries.append("pooler", builder.getBoolAttr(config.pooler));
  }
  return entries.getDictionary(builder.getContext());
}

Attribute lengthConfigAttribute(MLIRContext *context, const ModelConfig &config,
                                double budget,
                                const std::vector<int64_t> &lengths,
                                std::optional<double> accuracy) {
  // The compiler's FLOPs are always its own count, the one the runtime
  // reports, whatever the checkpoint recorded.
  std::optional<llvm::APFloat> accuracyValue;
  if (accuracy)
    accuracyValue = llvm::APFloat(*accuracy);
  return dialect::LengthConfigAttr::get(context, llvm::APFloat(budget), lengths,
                                        checkpoint::modelFlops(config, lengths),
                                        accuracyValue);
}

} // namespace

void setModuleAttributes(ModuleOp module, const ModelConfig &config,
                         checkpoint::CheckpointFormat format) {
  Builder builder(module.getContext());
  module->setAttr("tailor.model", modelAttribute(builder, config, format));

  const auto &searched = config.adaptive.lengthConfigs;
  SmallVector<Attribute> configs;
  bool hasFull =
      std::any_of(searched.begin(), searched.end(),
                  [](const auto &entry) { return entry.budget == 1.0; });
  if (!hasFull)
    configs.push_back(lengthConfigAttribute(builder.getContext(), config, 1.0,
                                            checkpoint::fullLengths(config),
                                            std::nullopt));
  for (const checkpoint::LengthConfig &entry : searched)
    configs.push_back(lengthConfigAttribute(
        builder.getContext(), config, entry.budget, entry.lengths,
        entry.accuracy > 0 ? std::optional<double>(entry.accuracy)
                           : std::nullopt));
  module->setAttr("tailor.length_configs", builder.getArrayAttr(configs));
}

} // namespace tailor::importer
