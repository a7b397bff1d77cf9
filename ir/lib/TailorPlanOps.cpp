//===- TailorPlanOps.cpp - the low-level plan form ------------------------===//
//
// The syntax of step roles, and the verifiers of buffers and steps: the roles
// every step shares (verifyStepRoles) and each kernel's dtype and shape rules
// (verifyStepShapes), those of docs/artifact-format.md's step table. Buffer
// shapes are compared without their batch dimension.
//
//===----------------------------------------------------------------------===//

#include "tailor/ir/TailorPlanOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

using namespace mlir;
using namespace mlir::tailor;

namespace {

/// `x = %0 : memref<...>, y = %1 : memref<...>`
ParseResult parseRoles(OpAsmParser &parser,
                       SmallVectorImpl<OpAsmParser::UnresolvedOperand> &values,
                       SmallVectorImpl<Type> &types, ArrayAttr &roles) {
  SmallVector<Attribute> names;
  auto parseOne = [&]() -> ParseResult {
    std::string role;
    OpAsmParser::UnresolvedOperand value;
    Type type;
    if (parser.parseKeywordOrString(&role) || parser.parseEqual() ||
        parser.parseOperand(value) || parser.parseColonType(type))
      return failure();
    names.push_back(parser.getBuilder().getStringAttr(role));
    values.push_back(value);
    types.push_back(type);
    return success();
  };
  if (parser.parseCommaSeparatedList(parseOne))
    return failure();
  roles = parser.getBuilder().getArrayAttr(names);
  return success();
}

void printRoles(OpAsmPrinter &printer, Operation *, OperandRange values,
                TypeRange types, ArrayAttr roles) {
  llvm::interleaveComma(llvm::zip_equal(roles, values, types), printer,
                        [&](auto entry) {
                          auto [role, value, type] = entry;
                          printer << cast<StringAttr>(role).getValue() << " = "
                                  << value << " : " << type;
                        });
}

} // namespace

#define GET_OP_CLASSES
#include "tailor/ir/TailorPlanOps.cpp.inc"
#include "tailor/ir/TailorPlanOpsInterfaces.cpp.inc"

void TailorDialect::registerPlanOperations() {
  addOperations<
#define GET_OP_LIST
#include "tailor/ir/TailorPlanOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Buffers
//===----------------------------------------------------------------------===//

namespace {

/// Bytes of one element: i1 (a key mask) is stored as one byte, u8.
int64_t elementBytes(Type element) {
  return element.isInteger(1) ? 1 : element.getIntOrFloatBitWidth() / 8;
}

} // namespace

int64_t BufferOp::getBytesPerSample() {
  MemRefType type = getBuffer().getType();
  int64_t bytes = elementBytes(type.getElementType());
  for (int64_t size : type.getShape().drop_front())
    bytes *= size;
  return bytes;
}

LogicalResult BufferOp::verify() {
  MemRefType type = getBuffer().getType();
  if (!type.getLayout().isIdentity())
    return emitOpError() << "must have the identity layout, got " << type;
  if (!ShapedType::isDynamic(type.getDimSize(0)))
    return emitOpError() << "dimension 0 is the batch and must be dynamic, got "
                         << type;
  for (int64_t size : type.getShape().drop_front())
    if (ShapedType::isDynamic(size))
      return emitOpError() << "every dimension but the batch must be static, "
                              "got "
                           << type;
  if (getName().empty())
    return emitOpError() << "needs a non-empty name";
  if (getInput() && getOutput())
    return emitOpError() << "is either a model input or a model output, not "
                            "both";
  if (std::optional<uint64_t> offset = getOffset();
      offset && *offset % elementBytes(type.getElementType()) != 0)
    return emitOpError() << "offset " << *offset
                         << " is not a multiple of the element size";
  return success();
}

LogicalResult HasRowsOp::verify() {
  if (!getCounts().getDefiningOp<BufferOp>())
    return emitOpError() << "reads a counts buffer: its operand must be a "
                            "tailor.buffer";
  return success();
}

//===----------------------------------------------------------------------===//
// Step roles
//===----------------------------------------------------------------------===//

bool mlir::tailor::isStepStructureAttr(StringRef name) {
  return name == "input_roles" || name == "output_roles" || name == "weights" ||
         name == "operandSegmentSizes";
}

namespace {

/// Checks one role list (`kind` = "input", "output" or "weight") against the
/// op's schema.
LogicalResult verifyRoleList(Operation *op, StringRef kind,
                             ArrayRef<StringRef> schema,
                             ArrayRef<StringRef> given) {
  llvm::StringSet<> seen;
  for (StringRef role : given) {
    bool known = llvm::any_of(
        schema, [&](StringRef entry) { return entry.rtrim('?') == role; });
    if (!known) {
      std::string names;
      llvm::raw_string_ostream os(names);
      llvm::interleaveComma(schema, os,
                            [&](StringRef entry) { os << entry.rtrim('?'); });
      return op->emitOpError()
             << "has no " << kind << " role '" << role << "' (" << kind
             << " roles: " << (names.empty() ? "none" : names) << ")";
    }
    if (!seen.insert(role).second)
      return op->emitOpError()
             << "names " << kind << " role '" << role << "' twice";
  }
  for (StringRef entry : schema)
    if (!entry.ends_with("?") && !seen.contains(entry))
      return op->emitOpError() << "needs " << kind << " role '" << entry << "'";
  return success();
}

SmallVector<StringRef> roleNames(ArrayAttr roles) {
  return llvm::to_vector(llvm::map_range(
      roles, [](Attribute role) { return cast<StringAttr>(role).getValue(); }));
}

} // namespace

LogicalResult mlir::tailor::verifyStepRoles(Operation *op) {
  auto step = cast<StepOpInterface>(op);
  StepSchema schema = step.getSchema();
  if (step.getInputRoles().size() != step.getInputs().size())
    return op->emitOpError()
           << "has " << step.getInputs().size() << " inputs but "
           << step.getInputRoles().size() << " input roles";
  if (step.getOutputRoles().size() != step.getOutputs().size())
    return op->emitOpError()
           << "has " << step.getOutputs().size() << " outputs but "
           << step.getOutputRoles().size() << " output roles";
  SmallVector<StringRef> weightRoles;
  if (DictionaryAttr weights = step.getWeightsAttr())
    for (NamedAttribute weight : weights) {
      if (!isa<FlatSymbolRefAttr>(weight.getValue()))
        return op->emitOpError()
               << "weight '" << weight.getName().getValue()
               << "' must be a symbol (@global), got " << weight.getValue();
      weightRoles.push_back(weight.getName().getValue());
    }
  if (failed(verifyRoleList(op, "input", schema.inputs,
                            roleNames(step.getInputRoles()))) ||
      failed(verifyRoleList(op, "output", schema.outputs,
                            roleNames(step.getOutputRoles()))) ||
      failed(verifyRoleList(op, "weight", schema.weights, weightRoles)))
    return failure();
  for (auto [index, output] : llvm::enumerate(step.getOutputs())) {
    if (llvm::is_contained(step.getInputs(), output))
      return op->emitOpError()
             << "writes output '"
             << cast<StringAttr>(step.getOutputRoles()[index]).getValue()
             << "' into a buffer it reads";
    if (llvm::is_contained(step.getOutputs().take_front(index), output))
      return op->emitOpError() << "writes two outputs into one buffer";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Step shapes
//===----------------------------------------------------------------------===//

namespace {

using Dims = SmallVector<int64_t>;

/// Formats a per-sample shape as `[-1, 50, 96]`, as the manifest writes it.
std::string formatBatched(Type element, ArrayRef<int64_t> dims) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << element << " [-1";
  for (int64_t size : dims)
    os << ", " << size;
  os << ']';
  return text;
}

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(shape, os);
  os << ']';
  return text;
}

/// One step's buffers and weights by role, with checks that name the role
/// and the rule they find broken.
class StepRules {
public:
  StepRules(StepOpInterface step, SymbolTableCollection &symbols)
      : step(step), symbols(symbols) {}

  LogicalResult collectWeights() {
    DictionaryAttr weights = step.getWeightsAttr();
    if (!weights)
      return success();
    for (NamedAttribute weight : weights) {
      auto symbol = cast<FlatSymbolRefAttr>(weight.getValue());
      auto global =
          symbols.lookupNearestSymbolFrom<GlobalOp>(step, symbol.getAttr());
      if (!global)
        return step->emitOpError()
               << "weight '" << weight.getName().getValue() << "' names "
               << symbol << ", which is not a tailor.global";
      auto type = cast<RankedTensorType>(global.getType());
      if (!type.getElementType().isF32())
        return step->emitOpError()
               << "weight '" << weight.getName().getValue() << "' (" << symbol
               << ") must be f32, got " << type;
      weightShapes[weight.getName().getValue()] = Dims(type.getShape());
    }
    return success();
  }

  bool hasInput(StringRef role) const {
    return find(step.getInputRoles(), role) >= 0;
  }
  bool hasOutput(StringRef role) const {
    return find(step.getOutputRoles(), role) >= 0;
  }
  bool hasWeight(StringRef role) const { return weightShapes.count(role); }

  /// The input's per-sample dims, after checking its element type and, when
  /// `rank` is given, its rank without the batch.
  FailureOr<Dims> input(StringRef role, Type element,
                        std::optional<size_t> rank) const {
    return checked("input", role,
                   valueOf(step.getInputs(), step.getInputRoles(), role),
                   element, rank);
  }
  FailureOr<Dims> output(StringRef role, Type element,
                         std::optional<size_t> rank) const {
    return checked("output", role,
                   valueOf(step.getOutputs(), step.getOutputRoles(), role),
                   element, rank);
  }
  LogicalResult expectInput(StringRef role, Type element,
                            ArrayRef<int64_t> dims) const {
    return expect("input", role,
                  valueOf(step.getInputs(), step.getInputRoles(), role),
                  element, dims);
  }
  LogicalResult expectOutput(StringRef role, Type element,
                             ArrayRef<int64_t> dims) const {
    return expect("output", role,
                  valueOf(step.getOutputs(), step.getOutputRoles(), role),
                  element, dims);
  }
  /// The weight's shape after checking its rank.
  FailureOr<Dims> weight(StringRef role, size_t rank) const {
    const Dims &shape = weightShapes.find(role)->second;
    if (shape.size() == rank)
      return shape;
    return step->emitOpError()
           << "weight '" << role << "' has shape " << formatShape(shape)
           << ", expected rank " << rank;
  }
  LogicalResult expectWeight(StringRef role, ArrayRef<int64_t> shape) const {
    const Dims &actual = weightShapes.find(role)->second;
    if (ArrayRef<int64_t>(actual) == shape)
      return success();
    return step->emitOpError()
           << "weight '" << role << "' has shape " << formatShape(actual)
           << ", expected " << formatShape(shape);
  }
  InFlightDiagnostic fail() const { return step->emitOpError(); }
  Type inputElement(StringRef role) const {
    return cast<MemRefType>(
               valueOf(step.getInputs(), step.getInputRoles(), role).getType())
        .getElementType();
  }

  Type f32() const { return Float32Type::get(step->getContext()); }
  /// The float type of the step's activations, read off `role`: f32, or
  /// bf16 or f16 in a plan whose activations are 16-bit (narrow-activations).
  /// Any other element type gives f32, against which the role then fails.
  Type activationOf(Value value) const {
    Type element = cast<MemRefType>(value.getType()).getElementType();
    return element.isBF16() || element.isF16() ? element : f32();
  }
  Type inputFloat(StringRef role) const {
    return activationOf(valueOf(step.getInputs(), step.getInputRoles(), role));
  }
  Type outputFloat(StringRef role) const {
    return activationOf(
        valueOf(step.getOutputs(), step.getOutputRoles(), role));
  }
  Type i32() const { return IntegerType::get(step->getContext(), 32); }
  Type mask() const { return IntegerType::get(step->getContext(), 1); }

private:
  static int64_t find(ArrayAttr roles, StringRef role) {
    for (auto [index, name] : llvm::enumerate(roles))
      if (cast<StringAttr>(name).getValue() == role)
        return index;
    return -1;
  }
  static Value valueOf(OperandRange values, ArrayAttr roles, StringRef role) {
    return values[find(roles, role)];
  }

  FailureOr<Dims> checked(StringRef kind, StringRef role, Value value,
                          Type element, std::optional<size_t> rank) const {
    auto type = cast<MemRefType>(value.getType());
    Dims dims(type.getShape().drop_front());
    if (type.getElementType() == element &&
        (rank ? dims.size() == *rank : !dims.empty()))
      return dims;
    InFlightDiagnostic diag = step->emitOpError()
                              << kind << " '" << role << "' is "
                              << formatBatched(type.getElementType(), dims)
                              << ", expected " << element << " of rank ";
    if (rank)
      diag << *rank + 1;
    else
      diag << "2 or more";
    return diag;
  }

  LogicalResult expect(StringRef kind, StringRef role, Value value,
                       Type element, ArrayRef<int64_t> dims) const {
    auto type = cast<MemRefType>(value.getType());
    ArrayRef<int64_t> actual = type.getShape().drop_front();
    if (type.getElementType() == element && actual == dims)
      return success();
    return step->emitOpError() << kind << " '" << role << "' is "
                               << formatBatched(type.getElementType(), actual)
                               << ", expected " << formatBatched(element, dims);
  }

  mutable StepOpInterface step;
  SymbolTableCollection &symbols;
  llvm::StringMap<Dims> weightShapes;
};

LogicalResult verifyTokenEmbeddings(const StepRules &r) {
  FailureOr<Dims> ids = r.input("ids", r.i32(), 1);
  FailureOr<Dims> word = r.weight("word", 2);
  FailureOr<Dims> position = r.weight("position", 2);
  if (failed(ids) || failed(word) || failed(position))
    return failure();
  int64_t seq = (*ids)[0], hidden = (*word)[1];
  if (failed(r.expectWeight("position", {(*position)[0], hidden})) ||
      failed(r.expectOutput("y", r.outputFloat("y"), {seq, hidden})))
    return failure();
  if ((*position)[0] < seq)
    return r.fail() << "weight 'position' has " << (*position)[0]
                    << " rows, fewer than the " << seq << " tokens of 'ids'";
  if (!r.hasWeight("token_type"))
    return success();
  FailureOr<Dims> types = r.weight("token_type", 2);
  if (failed(types) ||
      failed(r.expectWeight("token_type", {(*types)[0], hidden})))
    return failure();
  if ((*types)[0] < 1)
    return r.fail() << "weight 'token_type' has no rows (type 0 is used)";
  return success();
}

LogicalResult verifyPatchEmbeddings(const StepRules &r, int64_t patch) {
  FailureOr<Dims> images = r.input("images", r.f32(), 3);
  FailureOr<Dims> kernel = r.weight("weight", 2);
  if (failed(images) || failed(kernel))
    return failure();
  int64_t channels = (*images)[0], size = (*images)[1];
  if ((*images)[2] != size)
    return r.fail() << "input 'images' is not square: " << size << " x "
                    << (*images)[2];
  if (size % patch != 0)
    return r.fail() << "image size " << size
                    << " is not divisible by patch_size " << patch;
  int64_t tokens = (size / patch) * (size / patch) + 1;
  int64_t hidden = (*kernel)[0];
  if (failed(r.expectWeight("weight", {hidden, channels * patch * patch})) ||
      failed(r.expectWeight("bias", {hidden})) ||
      failed(r.expectWeight("cls", {hidden})) ||
      failed(r.expectWeight("position", {tokens, hidden})))
    return failure();
  return r.expectOutput("y", r.outputFloat("y"), {tokens, hidden});
}

LogicalResult verifyLayerNorm(const StepRules &r, float epsilon) {
  Type act = r.inputFloat("x");
  FailureOr<Dims> x = r.input("x", act, std::nullopt);
  if (failed(x) || failed(r.expectWeight("gamma", {x->back()})) ||
      failed(r.expectWeight("beta", {x->back()})))
    return failure();
  if (!(epsilon > 0.0f))
    return r.fail() << "epsilon must be positive, got " << epsilon;
  return r.expectOutput("y", act, *x);
}

LogicalResult verifyAdd(const StepRules &r) {
  Type act = r.inputFloat("a");
  FailureOr<Dims> a = r.input("a", act, std::nullopt);
  if (failed(a) || failed(r.expectInput("b", act, *a)))
    return failure();
  return r.expectOutput("y", act, *a);
}

LogicalResult verifyAddLayerNorm(const StepRules &r, float epsilon) {
  Type act = r.inputFloat("a");
  FailureOr<Dims> a = r.input("a", act, std::nullopt);
  if (failed(a) || failed(r.expectInput("b", act, *a)) ||
      failed(r.expectWeight("gamma", {a->back()})) ||
      failed(r.expectWeight("beta", {a->back()})) ||
      (r.hasOutput("sum") && failed(r.expectOutput("sum", act, *a))))
    return failure();
  if (!(epsilon > 0.0f))
    return r.fail() << "epsilon must be positive, got " << epsilon;
  return r.expectOutput("y", act, *a);
}

LogicalResult verifyLinear(const StepRules &r) {
  Type act = r.inputFloat("x");
  FailureOr<Dims> x = r.input("x", act, std::nullopt);
  FailureOr<Dims> kernel = r.weight("weight", 2);
  if (failed(x) || failed(kernel) ||
      (r.hasInput("counts") && failed(r.expectInput("counts", r.i32(), {}))))
    return failure();
  int64_t out = (*kernel)[0];
  if (failed(r.expectWeight("weight", {out, x->back()})) ||
      (r.hasWeight("bias") && failed(r.expectWeight("bias", {out}))))
    return failure();
  Dims y = *x;
  y.back() = out;
  if (r.hasInput("residual")) {
    if (r.hasInput("counts"))
      return r.fail() << "takes 'residual' or 'counts', not both (a counted "
                         "linear leaves rows of y unspecified)";
    if (failed(r.expectInput("residual", act, y)))
      return failure();
  }
  return r.expectOutput("y", act, y);
}

LogicalResult verifyAttention(const StepRules &r, int64_t heads,
                              BlockSparseAttr sparsity) {
  const bool packed = r.hasInput("qkv");
  const int separate = r.hasInput("q") + r.hasInput("k") + r.hasInput("v");
  if (packed ? separate != 0 : separate != 3)
    return r.fail() << "takes inputs 'q', 'k' and 'v', or 'qkv' alone (the "
                       "three packed)";
  Type act = r.inputFloat(packed ? "qkv" : "q");
  FailureOr<Dims> q = r.input(packed ? "qkv" : "q", act, 2);
  if (succeeded(q) && packed) {
    if ((*q)[1] % 3 != 0)
      return r.fail() << "input 'qkv' has " << (*q)[1]
                      << " features, not three equal parts q | k | v";
    (*q)[1] /= 3;
  }
  if (failed(q) ||
      (!packed && (failed(r.expectInput("k", act, *q)) ||
                   failed(r.expectInput("v", act, *q)))) ||
      (r.hasInput("key_mask") &&
       failed(r.expectInput("key_mask", r.mask(), {(*q)[0]}))) ||
      failed(r.expectOutput("context", act, *q)) ||
      (r.hasOutput("significance") &&
       failed(r.expectOutput("significance", r.f32(), {(*q)[0]}))))
    return failure();
  if ((*q)[1] % heads != 0)
    return r.fail() << "hidden size " << (*q)[1]
                    << " is not divisible by heads = " << heads;
  if (!sparsity)
    return success();
  const int64_t block = sparsity.getBlock();
  const int64_t rows = ((*q)[0] + block - 1) / block;
  if (sparsity.getRows() != sparsity.getCols() || sparsity.getRows() != rows)
    return r.fail() << "block_sparse is " << sparsity.getRows() << " x "
                    << sparsity.getCols() << " blocks of " << block << ", but "
                    << (*q)[0] << " tokens need " << rows << " x " << rows;
  return success();
}

LogicalResult verifyEnsembleMean(const StepRules &r) {
  FailureOr<Dims> first = r.input("x0", r.f32(), std::nullopt);
  if (failed(first))
    return failure();
  for (StringRef role : {"x1", "x2", "x3", "x4", "x5", "x6", "x7"})
    if (r.hasInput(role) && failed(r.expectInput(role, r.f32(), *first)))
      return failure();
  return r.expectOutput("y", r.f32(), *first);
}

LogicalResult verifySelectTokens(const StepRules &r) {
  Type act = r.inputFloat("x");
  FailureOr<Dims> x = r.input("x", act, 2);
  FailureOr<Dims> y = r.output("y", act, 2);
  if (failed(x) || failed(y) ||
      failed(r.expectInput("significance", r.f32(), {(*x)[0]})) ||
      failed(r.expectOutput("y", act, {(*y)[0], (*x)[1]})) ||
      failed(r.expectOutput("indices", r.i32(), {(*y)[0]})))
    return failure();
  if ((*y)[0] > (*x)[0])
    return r.fail() << "keeps " << (*y)[0] << " tokens out of " << (*x)[0];
  return success();
}

LogicalResult verifyRestoreTokens(const StepRules &r) {
  Type act = r.inputFloat("full");
  FailureOr<Dims> full = r.input("full", act, 2);
  FailureOr<Dims> selected = r.input("selected", act, 2);
  if (failed(full) || failed(selected) ||
      failed(r.expectInput("selected", act, {(*selected)[0], (*full)[1]})) ||
      failed(r.expectInput("indices", r.i32(), {(*selected)[0]})) ||
      failed(r.expectOutput("y", act, *full)))
    return failure();
  if ((*selected)[0] > (*full)[0])
    return r.fail() << "restores " << (*selected)[0] << " tokens into "
                    << (*full)[0];
  return success();
}

LogicalResult verifyGatherTokens(const StepRules &r) {
  Type element = r.inputElement("x");
  FailureOr<Dims> x = r.input("x", element, std::nullopt);
  FailureOr<Dims> indices = r.input("indices", r.i32(), 1);
  if (failed(x) || failed(indices))
    return failure();
  if ((*indices)[0] > (*x)[0])
    return r.fail() << "gathers " << (*indices)[0] << " tokens out of "
                    << (*x)[0];
  Dims y = *x;
  y[0] = (*indices)[0];
  return r.expectOutput("y", element, y);
}

LogicalResult verifyAcmRoute(const StepRules &r) {
  FailureOr<Dims> logits = r.input("logits", r.inputFloat("logits"), 2);
  if (failed(logits))
    return failure();
  return r.expectOutput("learners", r.i32(), {(*logits)[0]});
}

LogicalResult verifyAcmCompact(const StepRules &r) {
  FailureOr<Dims> learners = r.input("learners", r.i32(), 1);
  if (failed(learners) || failed(r.expectOutput("rows", r.i32(), *learners)))
    return failure();
  return r.expectOutput("counts", r.i32(), {});
}

/// gather_rows and scatter_add: rows of x [seq, hidden] moved by `rows`.
LogicalResult verifyRowMove(const StepRules &r) {
  Type act = r.inputFloat("x");
  FailureOr<Dims> x = r.input("x", act, 2);
  if (failed(x) || failed(r.expectInput("rows", r.i32(), {(*x)[0]})) ||
      failed(r.expectInput("counts", r.i32(), {})))
    return failure();
  return r.expectOutput("y", act, *x);
}

LogicalResult verifyClassifier(const StepRules &r, Pooling pooling) {
  FailureOr<Dims> x = r.input("x", r.inputFloat("x"), 2);
  FailureOr<Dims> kernel = r.weight("weight", 2);
  if (failed(x) || failed(kernel))
    return failure();
  int64_t seq = (*x)[0], hidden = (*x)[1], classes = (*kernel)[0];
  if (failed(r.expectWeight("weight", {classes, hidden})) ||
      failed(r.expectWeight("bias", {classes})))
    return failure();
  if (r.hasWeight("pooler_weight") != r.hasWeight("pooler_bias"))
    return r.fail() << "weights 'pooler_weight' and 'pooler_bias' come "
                       "together";
  if (r.hasWeight("pooler_weight")) {
    if (pooling == Pooling::token)
      return r.fail() << "token pooling takes no pooler";
    if (failed(r.expectWeight("pooler_weight", {hidden, hidden})) ||
        failed(r.expectWeight("pooler_bias", {hidden})))
      return failure();
  }
  if (pooling == Pooling::token)
    return r.expectOutput("logits", r.f32(), {seq, classes});
  return r.expectOutput("logits", r.f32(), {classes});
}

} // namespace

LogicalResult mlir::tailor::verifyStepShapes(Operation *op,
                                             SymbolTableCollection &symbols) {
  StepRules rules(cast<StepOpInterface>(op), symbols);
  if (failed(rules.collectWeights()))
    return failure();
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](TokenEmbeddingsStepOp) { return verifyTokenEmbeddings(rules); })
      .Case([&](PatchEmbeddingsStepOp step) {
        return verifyPatchEmbeddings(rules, step.getPatchSize());
      })
      .Case([&](LayerNormStepOp step) {
        return verifyLayerNorm(rules, step.getEpsilon().convertToFloat());
      })
      .Case([&](AddStepOp) { return verifyAdd(rules); })
      .Case([&](AddLayerNormStepOp step) {
        return verifyAddLayerNorm(rules, step.getEpsilon().convertToFloat());
      })
      .Case([&](EnsembleMeanStepOp) { return verifyEnsembleMean(rules); })
      .Case([&](LinearStepOp) { return verifyLinear(rules); })
      .Case([&](AttentionStepOp step) {
        return verifyAttention(rules, step.getHeads(),
                               step.getBlockSparseAttr());
      })
      .Case([&](SelectTokensStepOp) { return verifySelectTokens(rules); })
      .Case([&](RestoreTokensStepOp) { return verifyRestoreTokens(rules); })
      .Case([&](GatherTokensStepOp) { return verifyGatherTokens(rules); })
      .Case([&](ClassifierStepOp step) {
        return verifyClassifier(rules, step.getPooling());
      })
      .Case([&](AcmRouteStepOp) { return verifyAcmRoute(rules); })
      .Case([&](AcmCompactStepOp) { return verifyAcmCompact(rules); })
      .Case<GatherRowsStepOp, ScatterAddStepOp>(
          [&](Operation *) { return verifyRowMove(rules); });
}
