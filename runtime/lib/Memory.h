//===- Memory.h - Refusing allocations the machine cannot hold --*- C++ -*-===//
#ifndef TAILOR_RUNTIME_MEMORY_H
#define TAILOR_RUNTIME_MEMORY_H

#include "tailor/runtime.h"

#include <cstdint>

namespace tailor::detail {

/// An error naming `what` when `bytes` exceed the machine's physical memory:
/// a size read from a file must not make the host allocate (and touch)
/// more than it has, which would end in the OOM killer or a sanitizer's
/// abort rather than an error.
Status checkAllocation(std::uint64_t bytes, const std::string &what);

} // namespace tailor::detail

#endif // TAILOR_RUNTIME_MEMORY_H
