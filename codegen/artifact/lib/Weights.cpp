//===- Weights.cpp - Weight values from the checkpoint --------------------===//
//
// A global holds a checkpoint tensor (its `source`, or its name), or a
// derived weight: `<tensor>@heads=h0,h1,...` (prune-heads), the rows or
// columns of those heads of the tensor, along the one dimension where the
// global's shape and the tensor's differ; or `<name>@concat=<a>|<b>|...`
// (pack-qkv), the parts (tensors or derived weights, of one shape)
// stacked along dim 0.
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
                        "': the derived weights are <tensor>@heads=... and "
                        "<name>@concat=...");
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

std::vector<float> values(const checkpoint::Checkpoint &checkpoint,
                          const std::string &name, const std::string &source,
                          ArrayRef<int64_t> shape);

/// `<name>@concat=<a>|<b>|...`: the parts, each of `shape` with dim 0 split
/// evenly among them, one after the other.
std::vector<float> concatValues(const checkpoint::Checkpoint &checkpoint,
                                const std::string &name, StringRef parts,
                                ArrayRef<int64_t> shape) {
  SmallVector<StringRef> names;
  parts.split(names, '|');
  const std::int64_t count = static_cast<std::int64_t>(names.size());
  if (shape.empty() || shape[0] % count != 0)
    throw ArtifactError("weight '" + name + "' of shape " + formatShape(shape) +
                        " is not " + std::to_string(count) +
                        " equal parts along dim 0");
  SmallVector<int64_t> partShape(shape);
  partShape[0] /= count;
  std::vector<float> stacked;
  for (StringRef part : names) {
    std::vector<float> partValues =
        values(checkpoint, part.str(), part.split('@').first.str(), partShape);
    stacked.insert(stacked.end(), partValues.begin(), partValues.end());
  }
  return stacked;
}

std::vector<float> values(const checkpoint::Checkpoint &checkpoint,
                          const std::string &name, const std::string &source,
                          ArrayRef<int64_t> shape) {
  if (StringRef(name).split('@').second.starts_with("concat="))
    return concatValues(checkpoint, name,
                        StringRef(name).split('@').second.drop_front(
                            StringRef("concat=").size()),
                        shape);
  std::vector<std::int64_t> full = checkpoint.shape(source);
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

} // namespace

std::vector<float> weightValues(const checkpoint::Checkpoint &checkpoint,
                                GlobalOp global) {
  return values(checkpoint, tensorName(global), global.getSourceName().str(),
                cast<RankedTensorType>(global.getType()).getShape());
}

} // namespace tailor::artifact::detail
