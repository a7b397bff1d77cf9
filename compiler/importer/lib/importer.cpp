//===- importer.cpp - Checkpoint to tailor dialect ------------------------===//
//
// Builds the imported form of docs/dialect.md op by op, in the order the
// trainer's forward pass computes (train/lib/model.cpp): embeddings, then per
// layer an attention block, a token selection and an MLP block, then the
// head. Every op carries the location of the checkpoint part it comes from
// ("layers.2.attention"), so later errors point at the model.
//
//===----------------------------------------------------------------------===//

#include "tailor/importer/importer.h"

#include "module_attributes.h"

#include "tailor/ir/Registration.h"
#include "tailor/ir/TailorOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace tailor::importer {
namespace {

using namespace mlir;
namespace dialect = mlir::tailor;
using checkpoint::CheckpointError;
using checkpoint::ModelConfig;
using checkpoint::ModelKind;
using checkpoint::NormPlacement;

constexpr int64_t kDynamic = ShapedType::kDynamic;

dialect::Activation toDialect(checkpoint::Activation activation) {
  switch (activation) {
  case checkpoint::Activation::Gelu:
    return dialect::Activation::gelu;
  case checkpoint::Activation::GeluTanh:
    return dialect::Activation::gelu_tanh;
  case checkpoint::Activation::Relu:
    return dialect::Activation::relu;
  }
  llvm_unreachable("unknown activation");
}

/// The hidden states after a layer's attention block and what token
/// selection needs of it.
struct AttentionResult {
  Value hidden;
  Value significance;
};

/// A token selection's input and choice, kept for Drop-and-Restore.
struct Selection {
  Value full;
  Value indices;
};

class ModelImporter {
public:
  ModelImporter(MLIRContext &context, const checkpoint::Checkpoint &checkpoint)
      : context(context), checkpoint(checkpoint), config(checkpoint.config()),
        builder(&context), f32(builder.getF32Type()) {}

  OwningOpRef<ModuleOp> run();

private:
  void declareGlobals(ModuleOp module);
  func::FuncOp declareForward(ModuleOp module);

  /// Inputs [batch, tokens, hidden], and for an encoder the key mask.
  std::pair<Value, Value> embeddings(func::FuncOp forward);
  /// Every layer, then the classifier; with `pattern`, each layer's
  /// attention is block-sparse by its mask.
  Value layersAndHead(Value x, Value inputMask,
                      const checkpoint::SsaPattern *pattern);
  AttentionResult attentionBlock(int64_t layer, Value x, Value keyMask,
                                 dialect::BlockSparseAttr sparsity);
  /// The MLP block: the norm, the MLP (dense or ACM) and the residual add.
  Value mlpBlock(int64_t layer, Value x);
  Value denseMlp(int64_t layer, Value x);
  Value acm(int64_t layer, Value x);
  /// Puts the tokens the selections dropped back, innermost first.
  Value restore(Value x, const std::vector<Selection> &selections);
  Value head(Value x);

  Value weight(const std::string &name);
  Value layerNorm(Value x, const std::string &prefix);
  Value linear(Value x, const std::string &prefix);
  Value add(Value a, Value b);
  Value lengthOf(int64_t layer);
  /// Layer `layer`'s block mask of `pattern` (null: dense).
  dialect::BlockSparseAttr sparsityOf(int64_t layer,
                                      const checkpoint::SsaPattern *pattern);

  /// Activations [batch, tokens, hidden] (`tokens` may be dynamic).
  RankedTensorType hiddenType(int64_t tokens) const {
    return RankedTensorType::get({kDynamic, tokens, config.hidden}, f32);
  }
  void at(const std::string &part) {
    loc = NameLoc::get(builder.getStringAttr(part));
  }

  MLIRContext &context;
  const checkpoint::Checkpoint &checkpoint;
  const ModelConfig &config;
  OpBuilder builder;
  Type f32;
  Location loc = UnknownLoc::get(&context);
  Value lengths;
};

OwningOpRef<ModuleOp> ModelImporter::run() {
  at(checkpoint.configPath());
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  setModuleAttributes(*module, config, checkpoint.format());
  declareGlobals(*module);
  func::FuncOp forward = declareForward(*module);
  builder.setInsertionPointToStart(forward.addEntryBlock());
  lengths = forward.getArgument(forward.getNumArguments() - 1);

  auto [embedded, inputMask] = embeddings(forward);
  Value logits;
  const std::optional<checkpoint::SsaSettings> &ssa = config.adaptive.ssa;
  if (ssa && ssa->inference == checkpoint::SsaInference::Ensemble) {
    // The layers and the head once per pattern, on the same embeddings.
    SmallVector<Value> members;
    for (const checkpoint::SsaPattern &pattern : ssa->patterns)
      members.push_back(layersAndHead(embedded, inputMask, &pattern));
    at("adaptive.ssa");
    logits = dialect::EnsembleMeanOp::create(
        builder, loc, members.front().getType(), members);
  } else {
    const bool sparse =
        ssa && ssa->inference == checkpoint::SsaInference::Sparse;
    logits = layersAndHead(embedded, inputMask,
                           sparse ? &ssa->patterns.front() : nullptr);
  }
  func::ReturnOp::create(builder, loc, logits);
  return module;
}

Value ModelImporter::layersAndHead(Value x, Value inputMask,
                                   const checkpoint::SsaPattern *pattern) {
  Value keyMask = inputMask;
  const bool restores = checkpoint::restoresBeforeLastLayer(config);
  const int64_t last = config.layers - 1;
  std::vector<Selection> selections;
  for (int64_t layer = 0; layer <= last; ++layer) {
    if (restores && layer == last) {
      x = restore(x, selections);
      keyMask = inputMask;
    }
    AttentionResult attended =
        attentionBlock(layer, x, keyMask, sparsityOf(layer, pattern));
    x = attended.hidden;
    // With Drop-and-Restore the last layer runs on every token: no selection.
    if (!(restores && layer == last)) {
      at("layers." + std::to_string(layer) + ".select_tokens");
      auto select = dialect::SelectTokensOp::create(
          builder, loc, hiddenType(kDynamic),
          RankedTensorType::get({kDynamic, kDynamic}, builder.getI32Type()), x,
          attended.significance, lengthOf(layer), IntegerAttr(),
          builder.getBoolAttr(true));
      if (restores)
        selections.push_back({x, select.getIndices()});
      // The mask follows the kept tokens for the attention of later layers.
      if (keyMask && layer < last)
        keyMask = dialect::GatherTokensOp::create(
            builder, loc,
            RankedTensorType::get({kDynamic, kDynamic}, builder.getI1Type()),
            keyMask, select.getIndices());
      x = select.getSelected();
    }
    x = mlpBlock(layer, x);
  }
  return head(x);
}

void ModelImporter::declareGlobals(ModuleOp module) {
  builder.setInsertionPointToEnd(module.getBody());
  for (const std::string &name : checkpoint.tensorNames()) {
    at(name);
    dialect::GlobalOp::create(
        builder, loc, name, RankedTensorType::get(checkpoint.shape(name), f32),
        StringAttr());
  }
}

func::FuncOp ModelImporter::declareForward(ModuleOp module) {
  const int64_t tokens = checkpoint::inputTokens(config);
  SmallVector<Type> inputs;
  if (config.kind == ModelKind::Vit) {
    inputs.push_back(RankedTensorType::get(
        {kDynamic, config.channels, config.imageSize, config.imageSize}, f32));
  } else {
    inputs.push_back(
        RankedTensorType::get({kDynamic, tokens}, builder.getI32Type()));
    inputs.push_back(
        RankedTensorType::get({kDynamic, tokens}, builder.getI1Type()));
  }
  inputs.push_back(
      RankedTensorType::get({config.layers}, builder.getIndexType()));
  SmallVector<int64_t> logits{kDynamic, config.classes};
  if (config.task == checkpoint::TaskKind::Token)
    logits = {kDynamic, tokens, config.classes};
  builder.setInsertionPointToEnd(module.getBody());
  return func::FuncOp::create(
      builder, loc, "forward",
      builder.getFunctionType(inputs, RankedTensorType::get(logits, f32)));
}

std::pair<Value, Value> ModelImporter::embeddings(func::FuncOp forward) {
  const int64_t tokens = checkpoint::inputTokens(config);
  // Weights are read one statement at a time: the IR's order must not
  // depend on the order C++ evaluates arguments in.
  if (config.kind == ModelKind::Vit) {
    Value patchW = weight("embeddings.patch.weight");
    Value patchB = weight("embeddings.patch.bias");
    Value cls = weight("embeddings.cls");
    Value position = weight("embeddings.position");
    at("embeddings");
    Value x = dialect::PatchEmbeddingsOp::create(
        builder, loc, hiddenType(tokens), forward.getArgument(0), patchW,
        patchB, cls, position, static_cast<uint64_t>(config.patchSize));
    return {x, Value()};
  }
  Value word = weight("embeddings.word.weight");
  Value position = weight("embeddings.position.weight");
  Value tokenType = config.typeVocabSize > 0
                        ? weight("embeddings.token_type.weight")
                        : Value();
  at("embeddings");
  Value x = dialect::TokenEmbeddingsOp::create(builder, loc, hiddenType(tokens),
                                               forward.getArgument(0), word,
                                               position, tokenType);
  if (config.norm == NormPlacement::Post)
    x = layerNorm(x, "embeddings.norm");
  return {x, forward.getArgument(1)};
}

AttentionResult
ModelImporter::attentionBlock(int64_t layer, Value x, Value keyMask,
                              dialect::BlockSparseAttr sparsity) {
  const std::string prefix = "layers." + std::to_string(layer) + ".";
  const bool pre = config.norm == NormPlacement::Pre;
  Value normed = pre ? layerNorm(x, prefix + "attention_norm") : x;
  Value q = linear(normed, prefix + "attention.query");
  Value k = linear(normed, prefix + "attention.key");
  Value v = linear(normed, prefix + "attention.value");
  at(prefix + "attention");
  auto qType = cast<RankedTensorType>(q.getType());
  auto attention = dialect::AttentionOp::create(
      builder, loc, qType,
      RankedTensorType::get({kDynamic, qType.getDimSize(1)}, f32), q, k, v,
      keyMask, Value(), static_cast<uint64_t>(config.heads),
      dialect::HeadMaskAttr(), sparsity);
  Value output =
      linear(attention.getContextLayer(), prefix + "attention.output");
  Value sum = add(x, output);
  Value hidden = pre ? sum : layerNorm(sum, prefix + "attention_norm");
  return {hidden, attention.getSignificance()};
}

dialect::BlockSparseAttr
ModelImporter::sparsityOf(int64_t layer,
                          const checkpoint::SsaPattern *pattern) {
  if (!pattern)
    return {};
  const int64_t block = config.adaptive.ssa->block;
  const int64_t rows = checkpoint::ssaBlockRows(config, block);
  const std::vector<std::int64_t> &mask =
      pattern->masks[static_cast<std::size_t>(layer)];
  SmallVector<bool> bits(mask.begin(), mask.end());
  return dialect::BlockSparseAttr::get(&context, block, rows, rows, bits);
}

Value ModelImporter::mlpBlock(int64_t layer, Value x) {
  const std::string prefix = "layers." + std::to_string(layer) + ".";
  const bool pre = config.norm == NormPlacement::Pre;
  Value normed = pre ? layerNorm(x, prefix + "mlp_norm") : x;
  Value mlp = checkpoint::isAcmLayer(config, layer) ? acm(layer, normed)
                                                    : denseMlp(layer, normed);
  Value sum = add(x, mlp);
  return pre ? sum : layerNorm(sum, prefix + "mlp_norm");
}

Value ModelImporter::denseMlp(int64_t layer, Value x) {
  const std::string prefix = "layers." + std::to_string(layer) + ".mlp.";
  Value upW = weight(prefix + "up.weight");
  Value upB = weight(prefix + "up.bias");
  Value downW = weight(prefix + "down.weight");
  Value downB = weight(prefix + "down.bias");
  at("layers." + std::to_string(layer) + ".mlp");
  return dialect::MlpOp::create(builder, loc, x.getType(), x, upW, upB, downW,
                                downB, toDialect(config.activation));
}

Value ModelImporter::acm(int64_t layer, Value x) {
  const std::string prefix = "layers." + std::to_string(layer) + ".mlp.";
  Value gateW = weight(prefix + "gate.weight");
  Value gateB = weight(prefix + "gate.bias");
  SmallVector<Value> upW, upB, downW, downB;
  for (int64_t j = 0; j < config.adaptive.acm->learners; ++j) {
    const std::string learner = prefix + "learners." + std::to_string(j) + ".";
    upW.push_back(weight(learner + "up.weight"));
    upB.push_back(weight(learner + "up.bias"));
    downW.push_back(weight(learner + "down.weight"));
    downB.push_back(weight(learner + "down.bias"));
  }
  at("layers." + std::to_string(layer) + ".mlp");
  return dialect::AcmOp::create(builder, loc, x.getType(), x, gateW, gateB, upW,
                                upB, downW, downB,
                                toDialect(config.activation));
}

Value ModelImporter::restore(Value x,
                             const std::vector<Selection> &selections) {
  at("layers." + std::to_string(config.layers - 1) + ".restore_tokens");
  for (auto it = selections.rbegin(); it != selections.rend(); ++it)
    x = dialect::RestoreTokensOp::create(builder, loc, it->full.getType(),
                                         it->full, x, it->indices);
  return x;
}

Value ModelImporter::head(Value x) {
  if (config.norm == NormPlacement::Pre)
    x = layerNorm(x, "final_norm");
  Value poolerW = config.pooler ? weight("pooler.weight") : Value();
  Value poolerB = config.pooler ? weight("pooler.bias") : Value();
  Value w = weight("classifier.weight");
  Value b = weight("classifier.bias");
  at("classifier");
  const bool perToken = config.task == checkpoint::TaskKind::Token;
  SmallVector<int64_t> logits{kDynamic, config.classes};
  if (perToken)
    logits = {kDynamic, cast<RankedTensorType>(x.getType()).getDimSize(1),
              config.classes};
  return dialect::ClassifierOp::create(
      builder, loc, RankedTensorType::get(logits, f32), x, w, b, poolerW,
      poolerB, perToken ? dialect::Pooling::token : dialect::Pooling::cls);
}

Value ModelImporter::weight(const std::string &name) {
  at(name);
  return dialect::WeightOp::create(
      builder, loc, RankedTensorType::get(checkpoint.shape(name), f32),
      FlatSymbolRefAttr::get(builder.getStringAttr(name)));
}

Value ModelImporter::layerNorm(Value x, const std::string &prefix) {
  Value gamma = weight(prefix + ".weight");
  Value beta = weight(prefix + ".bias");
  at(prefix);
  return dialect::LayerNormOp::create(
      builder, loc, x.getType(), x, gamma, beta,
      builder.getF32FloatAttr(static_cast<float>(config.layerNormEps)));
}

Value ModelImporter::linear(Value x, const std::string &prefix) {
  Value w = weight(prefix + ".weight");
  Value b = weight(prefix + ".bias");
  at(prefix);
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = cast<RankedTensorType>(w.getType()).getDimSize(0);
  return dialect::LinearOp::create(builder, loc,
                                   RankedTensorType::get(shape, f32), x, w, b,
                                   dialect::Activation::none);
}

Value ModelImporter::add(Value a, Value b) {
  return arith::AddFOp::create(builder, loc, a, b);
}

Value ModelImporter::lengthOf(int64_t layer) {
  Value index = arith::ConstantIndexOp::create(builder, loc, layer);
  return tensor::ExtractOp::create(builder, loc, lengths, ValueRange{index});
}

} // namespace

OwningOpRef<ModuleOp>
importCheckpoint(MLIRContext &context,
                 const checkpoint::Checkpoint &checkpoint) {
  DialectRegistry registry;
  dialect::registerDialects(registry);
  context.appendDialectRegistry(registry);
  context.loadAllAvailableDialects();

  OwningOpRef<ModuleOp> module = ModelImporter(context, checkpoint).run();
  std::string diagnostics;
  llvm::raw_string_ostream stream(diagnostics);
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diagnostic) {
    stream << diagnostic.getLocation() << ": " << diagnostic << "\n";
    return success();
  });
  if (failed(verify(*module)))
    throw CheckpointError(checkpoint.configPath() +
                          ": the imported model does not verify:\n" +
                          diagnostics);
  return module;
}

} // namespace tailor::importer
