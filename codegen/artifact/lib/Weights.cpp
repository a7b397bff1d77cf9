//===- Weights.cpp - Weight values from the checkpoint --------------------===//
//
// A global holds a checkpoint tensor (its `source`, or its name), or a
// derived weight named `<tensor>@heads=h0,h1,...` (prune-heads): the rows or
// columns of those heads of the tensor, along the one dimension where the
// global's shape and the tensor's differ.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::tailor;

namespace tailor::artifact::detail {

std::string tensorName(GlobalOp global) {
  StringRef symbol = global.getSymName();
  return (symbol.contains('@') ? symbol : global.getSourceName()).str();
}

namespace {

std::vector<std::int64_t> parseHeads(StringRef name) {
  auto [tensor, derivation] = name.split('@');
  if (!derivation.consume_front("heads="))
    throw ArtifactError("weight '" + name.str() +
                        "': the only derived weights are <tensor>@heads=...");
  std::vector<std::int64_t> heads;
  SmallVector<StringRef> parts;
  derivation.split(parts, ',');
  for (StringRef part : parts) {
    std::int64_t head;
    if (part.getAsInteger(10, head) || head < 0)
      throw ArtifactError("weight '" + name.str() + "': '" + part.str() +
                          "' is not a head index");
    heads.push_back(head);
  }
  return heads;
}

std::string formatShape(ArrayRef<int64_t> shape) {
  return "[" +
         llvm::join(
             llvm::map_range(shape,
                             [](int64_t size) { return std::to_string(size); }),
             ", ") +
         "]";
}

} // namespace

std::vector<float> weightValues(const checkpoint::Checkpoint &checkpoint,
                                GlobalOp global) {
  std::string source = global.getSourceName().str();
  std::vector<std::int64_t> full = checkpoint.shape(source);
  ArrayRef<int64_t> shape = cast<RankedTensorType>(global.getType()).getShape();
  std::string name = tensorName(global);
  if (name == source) {
    if (ArrayRef<int64_t>(full) != shape)
      throw ArtifactError("weight '" + name + "' is " + formatShape(shape) +
                          " in the IR but " + formatShape(full) +
                          " in the checkpoint");
    return checkpoint.tensorF32(source);
  }
  std::vector<std::int64_t> heads = parseHeads(name);
  std::optional<size_t> axis;
  for (size_t dim = 0; dim < full.size() && dim < shape.size(); ++dim)
    if (full[dim] != shape[dim])
      axis = dim;
  std::int64_t headCount = checkpoint.config().heads;
  if (full.size() != shape.size() || !axis || full[*axis] % headCount != 0 ||
      shape[*axis] !=
          static_cast<int64_t>(heads.size()) * (full[*axis] / headCount))
    throw ArtifactError("weight '" + name + "' of shape " + formatShape(shape) +
                        " is not " + std::to_string(heads.size()) + " of the " +
                        std::to_string(headCount) + " heads of '" + source +
                        "' " + formatShape(full));
  const std::int64_t headSize = full[*axis] / headCount;
  for (std::int64_t head : heads)
    if (head >= headCount)
      throw ArtifactError("weight '" + name + "': head " +
                          std::to_string(head) + " of " +
                          std::to_string(headCount));
  // Row-major: `outer` blocks of `full[axis] * inner` values each.
  std::int64_t outer = 1, inner = 1;
  for (size_t dim = 0; dim < *axis; ++dim)
    outer *= full[dim];
  for (size_t dim = *axis + 1; dim < full.size(); ++dim)
    inner *= full[dim];
  std::vector<float> values = checkpoint.tensorF32(source);
  std::vector<float> sliced;
  sliced.reserve(outer * heads.size() * headSize * inner);
  for (std::int64_t block = 0; block < outer; ++block)
    for (std::int64_t head : heads) {
      auto begin =
          values.begin() + (block * full[*axis] + head * headSize) * inner;
      sliced.insert(sliced.end(), begin, begin + headSize * inner);
    }
  return sliced;
}

} // namespace tailor::artifact::detail
