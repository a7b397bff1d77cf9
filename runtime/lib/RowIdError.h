//===- RowIdError.h - The error of a row id out of range --------*- C++ -*-===//
//
// gather_rows and scatter_add index the rows of a [B, S, H] buffer by flat
// token ids; the CPU and CUDA backends report a bad one with this message.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_RUNTIME_ROWIDERROR_H
#define TAILOR_RUNTIME_ROWIDERROR_H

#include "Manifest.h"

namespace tailor::detail {

/// steps[index] found `id` at `position` of `rows`, outside the batch * S
/// rows of `tokens`.
Status rowIdError(std::size_t index, const Step &step, const Buffer &rows,
                  std::int64_t position, std::int32_t id, const Buffer &tokens,
                  std::int64_t batch);

} // namespace tailor::detail

#endif // TAILOR_RUNTIME_ROWIDERROR_H
