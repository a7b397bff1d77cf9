//===- TokenSelection.h - Selections that keep every token ------*- C++ -*-===//

#ifndef TAILOR_PASSES_TOKENSELECTION_H
#define TAILOR_PASSES_TOKENSELECTION_H

#include "tailor/ir/TailorOps.h"

namespace mlir::tailor {

/// For a selection that keeps every token (its indices are 0..n-1): replaces
/// each gather_tokens on its indices by the gathered tensor and each
/// restore_tokens by the restored one, and erases them. Any other user of
/// the indices is an error that names `pass`.
LogicalResult dropUsersOfKeepAllIndices(SelectTokensOp select, StringRef pass);

} // namespace mlir::tailor

#endif // TAILOR_PASSES_TOKENSELECTION_H
