//===- TokenSelection.cpp - Selections that keep every token --------------===//

#include "TokenSelection.h"

using namespace mlir;
using namespace mlir::tailor;

LogicalResult mlir::tailor::dropUsersOfKeepAllIndices(SelectTokensOp select,
                                                      StringRef pass) {
  for (Operation *user :
       llvm::make_early_inc_range(select.getIndices().getUsers())) {
    if (auto gather = dyn_cast<GatherTokensOp>(user))
      gather.replaceAllUsesWith(gather.getX());
    else if (auto restore = dyn_cast<RestoreTokensOp>(user))
      restore.replaceAllUsesWith(restore.getSelected());
    else
      return user->emitOpError()
             << "uses the indices of a token selection that keeps every "
                "token; "
             << pass
             << " can only drop gather_tokens and restore_tokens on them";
    user->erase();
  }
  return success();
}
