//===- token_selection.cpp - PoWER-BERT token selection -------------------===//

#include "tailor/train/token_selection.h"
#include "tailor/train/error.h"

#include <limits>

namespace tailor::train {

torch::Tensor tokenSignificance(const torch::Tensor &probabilities,
                                const torch::Tensor &queryMask) {
  auto perQuery = probabilities.sum(/*dim=*/1); // [batch, queries, keys]
  if (queryMask.defined())
    perQuery = perQuery * queryMask.unsqueeze(-1).to(perQuery.dtype());
  return perQuery.sum(/*dim=*/1);
}

torch::Tensor selectTokens(const torch::Tensor &significance, std::int64_t k) {
  if (k < 1)
    throw Error("select_tokens: k = " + std::to_string(k) +
                ", must keep at least the CLS token");
  const std::int64_t batch = significance.size(0);
  const std::int64_t seq = significance.size(1);
  auto options = significance.options().dtype(torch::kLong);
  if (k >= seq)
    return torch::arange(seq, options).expand({batch, seq});
  // A stable descending sort keeps equal scores in position order, so ties
  // go to the lower position; CLS is taken out and put back first. Sorting
  // puts NaN above everything, so it becomes -inf (tied with -inf, in
  // position order, which no softmax output reaches).
  auto others = significance.slice(/*dim=*/1, /*start=*/1);
  others = others.masked_fill(others.isnan(),
                              -std::numeric_limits<double>::infinity());
  auto order = std::get<1>(torch::sort(others, /*stable=*/true, /*dim=*/1,
                                       /*descending=*/true));
  auto kept = std::get<0>(torch::sort(order.slice(1, 0, k - 1) + 1, 1));
  return torch::cat({torch::zeros({batch, 1}, options), kept}, 1);
}

static torch::Tensor expandPositions(const torch::Tensor &positions,
                                     const torch::Tensor &like) {
  std::vector<std::int64_t> shape = like.sizes().vec();
  shape[1] = positions.size(1);
  auto index = positions;
  for (std::int64_t d = 2; d < like.dim(); ++d)
    index = index.unsqueeze(-1);
  return index.expand(shape);
}

torch::Tensor gatherTokens(const torch::Tensor &x,
                           const torch::Tensor &positions) {
  return x.gather(1, expandPositions(positions, x));
}

torch::Tensor restoreTokens(const torch::Tensor &full,
                            const torch::Tensor &selected,
                            const torch::Tensor &positions) {
  return full.scatter(1, expandPositions(positions, selected), selected);
}

} // namespace tailor::train
