//===- Memory.cpp - Refusing allocations the machine cannot hold ----------===//

#include "Memory.h"

#include <unistd.h>

namespace tailor::detail {

Status checkAllocation(std::uint64_t bytes, const std::string &what) {
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || pageSize <= 0)
    return {};
  std::uint64_t physical = static_cast<std::uint64_t>(pages) * pageSize;
  if (bytes <= physical)
    return {};
  return Status::error(what + " needs " + std::to_string(bytes) +
                       " bytes, more than the machine's " +
                       std::to_string(physical) + " bytes of memory");
}

} // namespace tailor::detail
