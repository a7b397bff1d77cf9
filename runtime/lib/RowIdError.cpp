//===- RowIdError.cpp - The error of a row id out of range ----------------===//

#include "RowIdError.h"

namespace tailor::detail {

Status rowIdError(std::size_t index, const Step &step, const Buffer &rows,
                  std::int64_t position, std::int32_t id, const Buffer &tokens,
                  std::int64_t batch) {
  const std::int64_t seq = tokens.dims[0];
  return Status::error(
      "steps[" + std::to_string(index) + "] (" +
      std::string(schemaOf(step.op).name) + "): row id " + std::to_string(id) +
      " at position " + std::to_string(position) + " of '" + rows.name +
      "' is outside the " + std::to_string(batch * seq) + " rows of '" +
      tokens.name + "' (" + std::to_string(batch) + " samples of " +
      std::to_string(seq) + ")");
}

} // namespace tailor::detail
