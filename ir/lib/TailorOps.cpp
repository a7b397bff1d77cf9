//===- TailorOps.cpp - tailor operations ----------------------------------===//
//
// The ops' verifiers. Each reports the first shape rule it finds broken and
// names the operand and the rule; dynamic dimensions match any size.
//
//===----------------------------------------------------------------------===//

#include "tailor/ir/TailorOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <utility>

using namespace mlir;
using namespace mlir::tailor;

namespace {

constexpr int64_t kDynamic = ShapedType::kDynamic;

bool isStatic(int64_t size) { return !ShapedType::isDynamic(size); }

/// Formats a shape as `[?, 50, 96]`.
std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(shape, os, [&](int64_t size) {
    if (isStatic(size))
      os << size;
    else
      os << '?';
  });
  os << ']';
  return text;
}

RankedTensorType tensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// The size of dimension `dim` of `value`; a negative `dim` counts from the
/// end. The rank has been checked before.
int64_t dimSize(Value value, int64_t dim) {
  ArrayRef<int64_t> shape = tensorType(value).getShape();
  return shape[dim < 0 ? static_cast<int64_t>(shape.size()) + dim : dim];
}

/// The shape rules of one op. Each check emits the rule it finds broken.
class ShapeRules {
public:
  explicit ShapeRules(Operation *op) : op(op) {}

  /// `value` has rank `rank`; `layout` names its dimensions, as `[out, in]`.
  LogicalResult rank(StringRef name, Value value, int64_t rank,
                     StringRef layout) {
    RankedTensorType type = tensorType(value);
    if (type.getRank() == rank)
      return success();
    return op->emitOpError() << name << " must have rank " << rank << " "
                             << layout << ", got " << type;
  }

  /// `value` has rank `rank` or more.
  LogicalResult minRank(StringRef name, Value value, int64_t rank,
                        StringRef layout) {
    RankedTensorType type = tensorType(value);
    if (type.getRank() >= rank)
      return success();
    return op->emitOpError() << name << " must have rank " << rank
                             << " or more " << layout << ", got " << type;
  }

  /// Dimension `dim` of `value` is `expected`, the size of `meaning`.
  LogicalResult dim(StringRef name, Value value, int64_t dim, int64_t expected,
                    StringRef meaning) {
    int64_t size = dimSize(value, dim);
    if (!isStatic(size) || !isStatic(expected) || size == expected)
      return success();
    return op->emitOpError()
           << name << " shape " << formatShape(tensorType(value).getShape())
           << " does not match " << meaning << " " << expected;
  }

  /// `value` (a result) has the shape its operands imply: the rank of
  /// `expected` and its every static size.
  LogicalResult shape(StringRef name, Value value, ArrayRef<int64_t> expected) {
    ArrayRef<int64_t> actual = tensorType(value).getShape();
    bool matches =
        actual.size() == expected.size() &&
        llvm::all_of(llvm::zip_equal(actual, expected), [](auto sizes) {
          auto [size, want] = sizes;
          return !isStatic(want) || size == want;
        });
    if (matches)
      return success();
    return op->emitOpError()
           << name << " shape " << formatShape(actual)
           << " does not match the expected " << formatShape(expected);
  }

  /// The float tensors among the operands and results share one element
  /// type.
  LogicalResult sameFloatElementType() {
    std::optional<std::pair<std::string, Type>> first;
    auto check = [&](StringRef kind, unsigned index,
                     Type type) -> LogicalResult {
      auto shaped = dyn_cast<ShapedType>(type);
      if (!shaped || !isa<FloatType>(shaped.getElementType()))
        return success();
      Type element = shaped.getElementType();
      std::string label = (kind + " #" + Twine(index)).str();
      if (!first) {
        first.emplace(label, element);
        return success();
      }
      if (element == first->second)
        return success();
      return op->emitOpError()
             << "float tensors must share one element type: " << label
             << " has " << element << " but " << first->first << " has "
             << first->second;
    };
    for (OpOperand &operand : op->getOpOperands())
      if (failed(check("operand", operand.getOperandNumber(),
                       operand.get().getType())))
        return failure();
    for (OpResult result : op->getResults())
      if (failed(check("result", result.getResultNumber(), result.getType())))
        return failure();
    return success();
  }

private:
  Operation *op;
};

} // namespace

#define GET_OP_CLASSES
#include "tailor/ir/TailorOps.cpp.inc"

void TailorDialect::registerOperations() {
  addOperations<
#define GET_OP_LIST
#include "tailor/ir/TailorOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

StringRef GlobalOp::getSourceName() {
  return getSource().value_or(getSymName());
}

LogicalResult GlobalOp::verify() {
  auto type = cast<RankedTensorType>(getType());
  if (!type.hasStaticShape())
    return emitOpError() << "type must have a static shape, got " << type;
  if (!isa<FloatType>(type.getElementType()))
    return emitOpError() << "element type must be a float type, got "
                         << type.getElementType();
  if (std::optional<StringRef> source = getSource(); source && source->empty())
    return emitOpError() << "source must name a checkpoint tensor, got an "
                            "empty string";
  return success();
}

LogicalResult WeightOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  Operation *symbol =
      symbolTable.lookupNearestSymbolFrom(*this, getGlobalAttr());
  if (!symbol)
    return emitOpError() << "'@" << getGlobal()
                         << "' does not name a tailor.global";
  auto global = dyn_cast<GlobalOp>(symbol);
  if (!global)
    return emitOpError() << "'@" << getGlobal() << "' is a '"
                         << symbol->getName() << "', not a tailor.global";
  if (global.getType() != getResult().getType())
    return emitOpError() << "type " << getResult().getType()
                         << " does not match the type " << global.getType()
                         << " of '@" << getGlobal() << "'";
  return success();
}

//===----------------------------------------------------------------------===//
// Embeddings, normalization, dense layers
//===----------------------------------------------------------------------===//

LogicalResult TokenEmbeddingsOp::verify() {
  ShapeRules rules(*this);
  if (failed(rules.sameFloatElementType()) ||
      failed(rules.rank("ids", getIds(), 2, "[batch, seq]")) ||
      failed(rules.rank("word", getWord(), 2, "[vocab, hidden]")) ||
      failed(rules.rank("position", getPosition(), 2, "[positions, hidden]")))
    return failure();
  int64_t hidden = dimSize(getWord(), 1);
  if (failed(rules.dim("position", getPosition(), 1, hidden, "hidden size")))
    return failure();
  if (Value tokenType = getTokenType()) {
    if (failed(rules.rank("token_type", tokenType, 2, "[types, hidden]")) ||
        failed(rules.dim("token_type", tokenType, 1, hidden, "hidden size")))
      return failure();
    if (dimSize(tokenType, 0) == 0)
      return emitOpError() << "token_type has no rows; inputs use type 0";
  }
  int64_t seq = dimSize(getIds(), 1);
  int64_t positions = dimSize(getPosition(), 0);
  if (isStatic(seq) && isStatic(positions) && seq > positions)
    return emitOpError() << "ids have " << seq
                         << " tokens but the position table has only "
                         << positions << " positions";
  return rules.shape("result", getResult(),
                     {dimSize(getIds(), 0), seq, hidden});
}

LogicalResult PatchEmbeddingsOp::verify() {
  ShapeRules rules(*this);
  if (failed(rules.sameFloatElementType()) ||
      failed(rules.rank("images", getImages(), 4,
                        "[batch, channels, height, width]")))
    return failure();
  RankedTensorType images = tensorType(getImages());
  int64_t channels = images.getDimSize(1);
  int64_t height = images.getDimSize(2);
  int64_t width = images.getDimSize(3);
  if (!isStatic(channels) || !isStatic(height) || !isStatic(width))
    return emitOpError() << "images must have static channels, height and "
                            "width, got "
                         << images;
  if (height != width)
    return emitOpError() << "images must be square, got " << height << "x"
                         << width;
  int64_t patch = getPatchSize();
  if (height % patch != 0)
    return emitOpError() << "image size " << height
                         << " is not divisible by patch_size " << patch;
  int64_t side = height / patch;
  int64_t tokens;
  int64_t patchFeatures;
  // Sizes come from the IR, so products of them may overflow.
  if (llvm::MulOverflow(side, side, tokens) ||
      llvm::AddOverflow(tokens, int64_t(1), tokens) ||
      llvm::MulOverflow(channels, patch, patchFeatures) ||
      llvm::MulOverflow(patchFeatures, patch, patchFeatures))
    return emitOpError() << "token count or patch size overflows 64 bits";
  if (failed(rules.rank("patch_w", getPatchW(), 2,
                        "[hidden, channels * patch_size^2]")) ||
      failed(rules.dim("patch_w", getPatchW(), 1, patchFeatures,
                       "channels * patch_size^2 =")))
    return failure();
  int64_t hidden = dimSize(getPatchW(), 0);
  if (failed(rules.rank("patch_b", getPatchB(), 1, "[hidden]")) ||
      failed(rules.dim("patch_b", getPatchB(), 0, hidden, "hidden size")) ||
      failed(rules.rank("cls", getCls(), 1, "[hidden]")) ||
      failed(rules.dim("cls", getCls(), 0, hidden, "hidden size")) ||
      failed(rules.rank("position", getPosition(), 2, "[tokens, hidden]")) ||
      failed(rules.dim("position", getPosition(), 0, tokens,
                       "tokens (image_size / patch_size)^2 + 1 =")) ||
      failed(rules.dim("position", getPosition(), 1, hidden, "hidden size")))
    return failure();
  return rules.shape("result", getResult(),
                     {images.getDimSize(0), tokens, hidden});
}

LogicalResult LayerNormOp::verify() {
  ShapeRules rules(*this);
  if (failed(rules.sameFloatElementType()) ||
      failed(rules.minRank("x", getX(), 1, "[..., hidden]")))
    return failure();
  int64_t hidden = dimSize(getX(), -1);
  if (failed(rules.rank("gamma", getGamma(), 1, "[hidden]")) ||
      failed(rules.dim("gamma", getGamma(), 0, hidden, "hidden size")) ||
      failed(rules.rank("beta", getBeta(), 1, "[hidden]")) ||
      failed(rules.dim("beta", getBeta(), 0, hidden, "hidden size")))
    return failure();
  if (!(getEpsilon().convertToFloat() > 0.0f))
    return emitOpError() << "epsilon must be positive, got "
                         << getEpsilonAttr();
  return rules.shape("result", getResult(), tensorType(getX()).getShape());
}

LogicalResult LinearOp::verify() {
  ShapeRules rules(*this);
  if (failed(rules.sameFloatElementType()) ||
      failed(rules.minRank("x", getX(), 1, "[..., in]")) ||
      failed(rules.rank("weight", getW(), 2, "[out, in]")) ||
      failed(rules.dim("weight", getW(), 1, dimSize(getX(), -1),
                       "input features")))
    return failure();
  int64_t out = dimSize(getW(), 0);
  if (Value bias = getB())
    if (failed(rules.rank("bias", bias, 1, "[out]")) ||
        failed(rules.dim("bias", bias, 0, out, "output features")))
      return failure();
  SmallVector<int64_t> expected(tensorType(getX()).getShape());
  expected.back() = out;
  return rules.shape("result", getResult(), expected);
}

LogicalResult MlpOp::verify() {
  ShapeRules rules(*this);
  if (failed(rules.sameFloatElementType()) ||
      failed(rules.minRank("x", getX(), 1, "[..., hidden]")) ||
      failed(rules.rank("up_w", getUpW(), 2, "[intermediate, hidden]")))
    return failure();
  int64_t hidden = dimSize(getX(), -1);
  int64_t intermediate = dimSize(getUpW(), 0);
  if (failed(rules.dim("up_w", getUpW(), 1, hidden, "hidden size")) ||
      failed(rules.rank("up_b", getUpB(), 1, "[intermediate]")) ||
      failed(
          rules.dim("up_b", getUpB(), 0, intermediate, "intermediate size")) ||
      failed(rules.rank("down_w", getDownW(), 2, "[hidden, intermediate]")) ||
      failed(rules.dim("down_w", getDownW(), 0, hidden, "hidden size")) ||
      failed(rules.dim("down_w", getDownW(), 1, intermediate,
                       "intermediate size")) ||
      failed(rules.rank("down_b", getDownB(), 1, "[hidden]")) ||
      failed(rules.dim("down_b", getDownB(), 0, hidden, "hidden size")))
    return failure();
  return rules.shape("result", getResult(), tensorType(getX()).getShape());
}

LogicalResult AcmOp::verify() {
  ShapeRules rules(*this);
  if (failed(rules.sameFloatElementType()) ||
      failed(rules.minRank("x", getX(), 1, "[..., hidden]")))
    return failure();
  const int64_t learners = static_cast<int64_t>(getUpW().size());
  const std::pair<StringRef, OperandRange> lists[] = {
      {"up_bias", getUpB()}, {"down", getDownW()}, {"down_bias", getDownB()}};
  if (learners == 0)
    return emitOpError() << "has no learners: up lists none";
  for (const auto &[name, list] : lists)
    if (static_cast<int64_t>(list.size()) != learners)
      return emitOpError() << name << " lists " << list.size()
                           << " tensors, expected one per learner (" << learners
                           << ")";
  int64_t hidden = dimSize(getX(), -1);
  if (failed(rules.rank("gate_w", getGateW(), 2, "[learners, hidden]")) ||
      failed(rules.dim("gate_w", getGateW(), 0, learners, "learners")) ||
      failed(rules.dim("gate_w", getGateW(), 1, hidden, "hidden size")) ||
      failed(rules.rank("gate_b", getGateB(), 1, "[learners]")) ||
      failed(rules.dim("gate_b", getGateB(), 0, learners, "learners")))
    return failure();
  for (int64_t j = 0; j < learners; ++j) {
    const std::string suffix = " #" + std::to_string(j);
    const std::string up = "up" + suffix, upBias = "up_bias" + suffix;
    const std::string down = "down" + suffix, downBias = "down_bias" + suffix;
    Value upW = getUpW()[j], upB = getUpB()[j];
    Value downW = getDownW()[j], downB = getDownB()[j];
    if (failed(rules.rank(up, upW, 2, "[width, hidden]")) ||
        failed(rules.dim(up, upW, 1, hidden, "hidden size")))
      return failure();
    int64_t width = dimSize(upW, 0);
    if (failed(rules.rank(upBias, upB, 1, "[width]")) ||
        failed(rules.dim(upBias, upB, 0, width, "learner width")) ||
        failed(rules.rank(down, downW, 2, "[hidden, width]")) ||
        failed(rules.dim(down, downW, 0, hidden, "hidden size")) ||
        failed(rules.dim(down, downW, 1, width, "learner width")) ||
        failed(rules.rank(downBias, downB, 1, "[hidden]")) ||
        failed(rules.dim(downBias, downB, 0, hidden, "hidden size")))
      return failure();
  }
  return rules.shape("result", getResult(), tensorType(getX()).getShape());
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

LogicalResult AttentionOp::verify() {
  ShapeRules rules(*this);
  if (failed(rules.sameFloatElementType()) ||
      failed(rules.rank("q", getQ(), 3, "[batch, seq, hidden]")))
    return failure();
  Type qType = getQ().getType();
  if (getK().getType() != qType)
    return emitOpError() << "k type " << getK().getType()
                         << " does not match q type " << qType;
  if (getV().getType() != qType)
    return emitOpError() << "v type " << getV().getType()
                         << " does not match q type " << qType;
  int64_t batch = dimSize(getQ(), 0);
  int64_t seq = dimSize(getQ(), 1);
  int64_t hidden = dimSize(getQ(), 2);
  int64_t heads = getHeads();
  if (isStatic(hidden) && hidden % heads != 0)
    return emitOpError() << "hidden size " << hidden
                         << " is not divisible by heads " << heads;
  if (std::optional<HeadMaskAttr> mask = getHeadMask();
      mask && mask->getHeads() != heads)
    return emitOpError() << "head_mask is for " << mask->getHeads()
                         << " heads but the op has heads = " << heads;
  if (std::optional<BlockSparseAttr> sparsity = getSparsity()) {
    int64_t rows = sparsity->getRows();
    int64_t cols = sparsity->getCols();
    if (rows != cols)
      return emitOpError() << "sparsity must be square for self-attention, "
                              "got "
                           << rows << "x" << cols << " blocks";
    int64_t block = sparsity->getBlock();
    int64_t needed = !isStatic(seq) ? rows
                     : seq == 0     ? 0
                                    : (seq - 1) / block + 1;
    if (rows != needed)
      return emitOpError() << "sparsity has " << rows << "x" << cols
                           << " blocks of " << block << " but " << seq
                           << " tokens need " << needed << "x" << needed;
  }
  if (Value keyMask = getKeyMask())
    if (failed(rules.rank("key_mask", keyMask, 2, "[batch, seq]")) ||
        failed(rules.dim("key_mask", keyMask, 0, batch, "batch size")) ||
        failed(rules.dim("key_mask", keyMask, 1, seq, "sequence length")))
      return failure();
  if (Value sampleMask = getSampleHeadMask())
    if (failed(
            rules.rank("sample_head_mask", sampleMask, 2, "[batch, heads]")) ||
        failed(rules.dim("sample_head_mask", sampleMask, 0, batch,
                         "batch size")) ||
        failed(rules.dim("sample_head_mask", sampleMask, 1, heads, "heads")))
      return failure();
  if (failed(rules.shape("context_layer", getContextLayer(),
                         tensorType(getQ()).getShape())))
    return failure();
  if (Value significance = getSignificance())
    return rules.shape("significance", significance, {batch, seq});
  return success();
}

//===----------------------------------------------------------------------===//
// Token selection
//===----------------------------------------------------------------------===//

LogicalResult SelectTokensOp::verify() {
  ShapeRules rules(*this);
  if (failed(rules.sameFloatElementType()) ||
      failed(rules.rank("x", getX(), 3, "[batch, seq, hidden]")))
    return failure();
  int64_t batch = dimSize(getX(), 0);
  int64_t seq = dimSize(getX(), 1);
  if (failed(
          rules.rank("significance", getSignificance(), 2, "[batch, seq]")) ||
      failed(rules.dim("significance", getSignificance(), 0, batch,
                       "batch size")) ||
      failed(rules.dim("significance", getSignificance(), 1, seq,
                       "sequence length")))
    return failure();
  std::optional<uint64_t> k = getK();
  if (k && getDynamicK())
    return emitOpError() << "takes k as the 'k' attribute or as an index "
                            "operand, not both";
  if (!k && !getDynamicK())
    return emitOpError() << "needs k: a 'k' attribute or an index operand";
  int64_t kept = k ? static_cast<int64_t>(*k) : kDynamic;
  if (k && isStatic(seq) && kept > seq)
    return emitOpError() << "k = " << kept << " exceeds the " << seq
                         << " tokens of x";
  if (failed(rules.shape("selected", getSelected(),
                         {batch, kept, dimSize(getX(), 2)})))
    return failure();
  return rules.shape("indices", getIndices(), {batch, kept});
}

LogicalResult RestoreTokensOp::verify() {
  ShapeRules rules(*this);
  if (failed(rules.sameFloatElementType()) ||
      failed(rules.rank("full", getFull(), 3, "[batch, seq, hidden]")) ||
      failed(rules.rank("selected", getSelected(), 3, "[batch, k, hidden]")) ||
      failed(rules.rank("indices", getIndices(), 2, "[batch, k]")))
    return failure();
  int64_t batch = dimSize(getFull(), 0);
  int64_t seq = dimSize(getFull(), 1);
  int64_t kept = dimSize(getSelected(), 1);
  if (failed(rules.dim("selected", getSelected(), 0, batch, "batch size")) ||
      failed(rules.dim("selected", getSelected(), 2, dimSize(getFull(), 2),
                       "hidden size")) ||
      failed(rules.dim("indices", getIndices(), 0, batch, "batch size")) ||
      failed(rules.dim("indices", getIndices(), 1, kept, "selected tokens")))
    return failure();
  if (isStatic(kept) && isStatic(seq) && kept > seq)
    return emitOpError() << "selected has " << kept << " tokens, more than the "
                         << seq << " of full";
  return rules.shape("result", getResult(), tensorType(getFull()).getShape());
}

LogicalResult EnsembleMeanOp::verify() {
  if (getMembers().size() < 2)
    return emitOpError() << "needs at least 2 members, got "
                         << getMembers().size();
  for (auto [index, member] : llvm::enumerate(getMembers()))
    if (member.getType() != getResult().getType())
      return emitOpError() << "member " << index << " is " << member.getType()
                           << ", expected the result's type "
                           << getResult().getType();
  return success();
}

LogicalResult GatherTokensOp::verify() {
  ShapeRules rules(*this);
  if (failed(rules.minRank("x", getX(), 2, "[batch, seq, ...]")) ||
      failed(rules.rank("indices", getIndices(), 2, "[batch, k]")))
    return failure();
  RankedTensorType x = tensorType(getX());
  int64_t batch = x.getDimSize(0);
  if (failed(rules.dim("indices", getIndices(), 0, batch, "batch size")))
    return failure();
  int64_t kept = dimSize(getIndices(), 1);
  if (isStatic(kept) && isStatic(x.getDimSize(1)) && kept > x.getDimSize(1))
    return emitOpError() << "indices select " << kept
                         << " tokens, more than the " << x.getDimSize(1)
                         << " of x";
  if (tensorType(getResult()).getElementType() != x.getElementType())
    return emitOpError() << "result element type "
                         << tensorType(getResult()).getElementType()
                         << " differs from x's " << x.getElementType();
  SmallVector<int64_t> expected(x.getShape());
  expected[1] = kept;
  return rules.shape("result", getResult(), expected);
}

//===----------------------------------------------------------------------===//
// Per-sample layer and head selection
//===----------------------------------------------------------------------===//

LogicalResult LayerPolicyOp::verify() {
  ShapeRules rules(*this);
  if (failed(rules.sameFloatElementType()) ||
      failed(rules.rank("features", getFeatures(), 2, "[batch, features]")))
    return failure();
  int64_t batch = dimSize(getFeatures(), 0);
  int64_t features = dimSize(getFeatures(), 1);
  int64_t layers = getLayers();
  int64_t heads = getHeads();
  int64_t scores;
  if (llvm::MulOverflow(layers, heads, scores))
    return emitOpError() << "layers * heads overflows 64 bits";
  if (failed(rules.rank("count_w", getCountW(), 2, "[layers, features]")) ||
      failed(rules.dim("count_w", getCountW(), 0, layers, "layers")) ||
      failed(rules.dim("count_w", getCountW(), 1, features, "features")) ||
      failed(rules.rank("count_b", getCountB(), 1, "[layers]")) ||
      failed(rules.dim("count_b", getCountB(), 0, layers, "layers")) ||
      failed(
          rules.rank("head_w", getHeadW(), 2, "[layers * heads, features]")) ||
      failed(rules.dim("head_w", getHeadW(), 0, scores, "layers * heads =")) ||
      failed(rules.dim("head_w", getHeadW(), 1, features, "features")) ||
      failed(rules.rank("head_b", getHeadB(), 1, "[layers * heads]")) ||
      failed(rules.dim("head_b", getHeadB(), 0, scores, "layers * heads =")) ||
      failed(rules.shape("layer_count", getLayerCount(), {batch})))
    return failure();
  return rules.shape("head_mask", getHeadMask(), {batch, layers, heads});
}

LogicalResult ConditionalLayerOp::verifyRegions() {
  ShapeRules rules(*this);
  if (failed(rules.minRank("x", getX(), 1, "[batch, ...]")) ||
      failed(rules.rank("count", getCount(), 1, "[batch]")) ||
      failed(
          rules.dim("count", getCount(), 0, dimSize(getX(), 0), "batch size")))
    return failure();
  Type xType = getX().getType();
  if (getResult().getType() != xType)
    return emitOpError() << "result type " << getResult().getType()
                         << " does not match x type " << xType;
  Block &body = getBody().front();
  if (body.getNumArguments() != 1 || body.getArgument(0).getType() != xType)
    return emitOpError() << "body must take one argument of x type " << xType
                         << ", got " << body.getNumArguments()
                         << " argument(s) of types " << body.getArgumentTypes();
  auto yield = dyn_cast_or_null<YieldOp>(body.empty() ? nullptr : &body.back());
  if (!yield)
    return emitOpError() << "body must end in tailor.yield";
  if (yield.getValue().getType() != xType)
    return emitOpError() << "body yields " << yield.getValue().getType()
                         << " but x has type " << xType;
  return success();
}

//===----------------------------------------------------------------------===//
// Heads
//===----------------------------------------------------------------------===//

LogicalResult ClassifierOp::verify() {
  ShapeRules rules(*this);
  if (failed(rules.sameFloatElementType()) ||
      failed(rules.rank("x", getX(), 3, "[batch, seq, hidden]")) ||
      failed(rules.rank("weight", getW(), 2, "[classes, hidden]")))
    return failure();
  int64_t batch = dimSize(getX(), 0);
  int64_t seq = dimSize(getX(), 1);
  int64_t hidden = dimSize(getX(), 2);
  int64_t classes = dimSize(getW(), 0);
  if (failed(rules.dim("weight", getW(), 1, hidden, "hidden size")) ||
      failed(rules.rank("bias", getB(), 1, "[classes]")) ||
      failed(rules.dim("bias", getB(), 0, classes, "classes")))
    return failure();
  Value poolerW = getPoolerW();
  Value poolerB = getPoolerB();
  if (static_cast<bool>(poolerW) != static_cast<bool>(poolerB))
    return emitOpError() << "pooler_w and pooler_b come together: give both "
                            "or neither";
  bool perToken = getPooling() == Pooling::token;
  if (poolerW) {
    if (perToken)
      return emitOpError() << "a pooler needs cls or mean pooling; token "
                              "pooling pools nothing";
    if (failed(rules.rank("pooler_w", poolerW, 2, "[hidden, hidden]")) ||
        failed(rules.dim("pooler_w", poolerW, 0, hidden, "hidden size")) ||
        failed(rules.dim("pooler_w", poolerW, 1, hidden, "hidden size")) ||
        failed(rules.rank("pooler_b", poolerB, 1, "[hidden]")) ||
        failed(rules.dim("pooler_b", poolerB, 0, hidden, "hidden size")))
      return failure();
  }
  if (perToken)
    return rules.shape("logits", getLogits(), {batch, seq, classes});
  return rules.shape("logits", getLogits(), {batch, classes});
}
