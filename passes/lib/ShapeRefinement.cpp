//===- ShapeRefinement.cpp - Static shapes from static operands -----------===//
//
// The result-shape rules of the tailor ops (docs/dialect.md), applied forward:
// once fold-length-config gives select_tokens its k, every shape downstream
// becomes static but for the batch.
//
//===----------------------------------------------------------------------===//

#include "ShapeRefinement.h"

#include "tailor/ir/TailorOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tailor;

namespace {

using Shape = SmallVector<int64_t>;

Shape shapeOf(Value value) {
  return Shape(cast<RankedTensorType>(value.getType()).getShape());
}

/// The static sizes of `a` and `b` together (same rank); nullopt when two
/// static sizes disagree.
std::optional<Shape> merge(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  if (a.size() != b.size())
    return std::nullopt;
  Shape merged(a);
  for (auto [size, other] : llvm::zip_equal(merged, b)) {
    if (ShapedType::isDynamic(size))
      size = other;
    else if (!ShapedType::isDynamic(other) && size != other)
      return std::nullopt;
  }
  return merged;
}

Shape withDim(Shape shape, int64_t dim, int64_t size) {
  shape[dim < 0 ? shape.size() + dim : dim] = size;
  return shape;
}

/// The shape of each result the operands imply (one entry per result;
/// nullopt where the op says nothing about that result).
SmallVector<std::optional<Shape>> impliedShapes(Operation *op) {
  using Result = SmallVector<std::optional<Shape>>;
  return llvm::TypeSwitch<Operation *, Result>(op)
      .Case([](TokenEmbeddingsOp op) {
        Shape ids = shapeOf(op.getIds());
        return Result{Shape{ids[0], ids[1], shapeOf(op.getWord())[1]}};
      })
      .Case<LayerNormOp, MlpOp, AcmOp>(
          [](auto op) { return Result{shapeOf(op.getX())}; })
      .Case([](LinearOp op) {
        return Result{withDim(shapeOf(op.getX()), -1, shapeOf(op.getW())[0])};
      })
      .Case([](AttentionOp op) {
        Shape q = shapeOf(op.getQ());
        Result shapes{q};
        if (op.getSignificance())
          shapes.push_back(Shape{q[0], q[1]});
        return shapes;
      })
      .Case([](SelectTokensOp op) {
        Shape x = shapeOf(op.getX());
        int64_t kept =
            op.getK() ? static_cast<int64_t>(*op.getK()) : ShapedType::kDynamic;
        return Result{Shape{x[0], kept, x[2]}, Shape{x[0], kept}};
      })
      .Case([](RestoreTokensOp op) { return Result{shapeOf(op.getFull())}; })
      .Case([](GatherTokensOp op) {
        return Result{
            withDim(shapeOf(op.getX()), 1, shapeOf(op.getIndices())[1])};
      })
      .Case([](ClassifierOp op) {
        Shape x = shapeOf(op.getX());
        int64_t classes = shapeOf(op.getW())[0];
        if (op.getPooling() == Pooling::token)
          return Result{Shape{x[0], x[1], classes}};
        return Result{Shape{x[0], classes}};
      })
      .Default([](Operation *op) {
        Result shapes(op->getNumResults());
        if (!op->hasTrait<OpTrait::Elementwise>())
          return shapes;
        // Elementwise (arith.addf, ...): the operands' sizes together.
        std::optional<Shape> merged;
        for (Value operand : op->getOperands()) {
          auto type = dyn_cast<RankedTensorType>(operand.getType());
          if (!type)
            return Result(op->getNumResults());
          merged =
              merged ? merge(*merged, type.getShape()) : Shape(type.getShape());
          if (!merged)
            return Result(op->getNumResults());
        }
        for (auto &shape : shapes)
          shape = merged;
        return shapes;
      });
}

} // namespace

LogicalResult mlir::tailor::refineShapes(func::FuncOp function) {
  WalkResult walk = function.walk([](Operation *op) {
    for (auto [result, implied] :
         llvm::zip_equal(op->getResults(), impliedShapes(op))) {
      auto type = dyn_cast<RankedTensorType>(result.getType());
      if (!type || !implied)
        continue;
      std::optional<Shape> refined = merge(type.getShape(), *implied);
      if (!refined) {
        op->emitOpError() << "result #" << result.getResultNumber()
                          << " has type " << type
                          << ", which its folded operands contradict";
        return WalkResult::interrupt();
      }
      result.setType(type.clone(*refined));
    }
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  Operation *terminator = function.getBody().front().getTerminator();
  function.setType(FunctionType::get(function.getContext(),
                                     function.getArgumentTypes(),
                                     terminator->getOperandTypes()));
  return success();
}
