//===- Flops.cpp - FLOPs of a kernel step ---------------------------------===//
//
// The count of tailor::checkpoint::modelFlops (compiler/checkpoint/README.md)
// taken from the plan itself, so that it stays right for what the passes
// changed: skipped layers, pruned heads, folded lengths.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tailor;

namespace tailor::artifact::detail {
namespace {

/// Per-sample dims of the buffer of role `role`.
ArrayRef<int64_t> dims(OperandRange values, ArrayAttr roles, StringRef role) {
  for (auto [value, name] : llvm::zip_equal(values, roles))
    if (cast<StringAttr>(name).getValue() == role)
      return cast<MemRefType>(value.getType()).getShape().drop_front();
  return {};
}

int64_t product(ArrayRef<int64_t> sizes) {
  int64_t result = 1;
  for (int64_t size : sizes)
    result *= size;
  return result;
}

/// 2 x rows x inner x columns.
int64_t matmul(int64_t rows, int64_t inner, int64_t columns) {
  return 2 * rows * inner * columns;
}

} // namespace

std::int64_t stepFlops(StepOpInterface step) {
  ArrayRef<int64_t> x = dims(step.getInputs(), step.getInputRoles(), "x");
  return llvm::TypeSwitch<Operation *, int64_t>(step)
      .Case([&](PatchEmbeddingsStepOp op) {
        ArrayRef<int64_t> y = dims(op.getOutputs(), op.getOutputRoles(), "y");
        ArrayRef<int64_t> images =
            dims(op.getInputs(), op.getInputRoles(), "images");
        int64_t patch = op.getPatchSize();
        // The CLS row is not projected.
        return matmul(y[0] - 1, images[0] * patch * patch, y[1]);
      })
      .Case([&](LinearStepOp op) {
        ArrayRef<int64_t> y = dims(op.getOutputs(), op.getOutputRoles(), "y");
        return matmul(product(x.drop_back()), x.back(), y.back());
      })
      .Case([&](AttentionStepOp op) {
        // q's dims, or the context's when q is a slice of a packed qkv.
        ArrayRef<int64_t> q =
            dims(op.getOutputs(), op.getOutputRoles(), "context");
        // QK^T and PV over all heads, on the computed blocks only.
        BlockSparseAttr sparsity = op.getBlockSparseAttr();
        if (!sparsity)
          return 2 * matmul(q[0], q[1], q[0]);
        const int64_t block = sparsity.getBlock();
        auto tokensIn = [&](int64_t index) {
          return std::min(block, q[0] - index * block);
        };
        int64_t flops = 0;
        for (int64_t row = 0; row < sparsity.getRows(); ++row)
          for (int64_t col = 0; col < sparsity.getCols(); ++col)
            if (sparsity.isKept(row, col))
              flops += 2 * matmul(tokensIn(row), q[1], tokensIn(col));
        return flops;
      })
      .Case([&](ClassifierStepOp op) {
        ArrayRef<int64_t> logits =
            dims(op.getOutputs(), op.getOutputRoles(), "logits");
        int64_t rows = op.getPooling() == Pooling::token ? x[0] : 1;
        bool pooler = op.getWeightsAttr().contains("pooler_weight");
        return (pooler ? matmul(rows, x[1], x[1]) : 0) +
               matmul(rows, x[1], logits.back());
      })
      .Default([](Operation *) { return 0; });
}

} // namespace tailor::artifact::detail
