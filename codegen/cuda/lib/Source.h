//===- Source.h - Assembling a kernel's CUDA source -------------*- C++ -*-===//
//
// A kernel's source is the common prelude (conversions, warp reductions),
// its specialized constants, and its body, a fixed text that reads only
// those constants. The entry is declared as TAILOR_KERNEL, which the
// source #defines to the kernel's name.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_CODEGEN_CUDA_SOURCE_H
#define TAILOR_CODEGEN_CUDA_SOURCE_H

#include "tailor/codegen/cuda/Kernel.h"

#include <cstdint>
#include <string>

namespace tailor::codegen::cuda {

class Source {
public:
  /// For `kernel`, whose name the generator has set: appends the generator
  /// version to it (see kGeneratorVersion).
  explicit Source(Kernel &kernel);

  /// constexpr int (or long long when it does not fit) `name` = value.
  Source &constant(const char *name, std::int64_t value);
  /// constexpr float, exact (hexadecimal literal).
  Source &constant(const char *name, float value);
  Source &flag(const char *name, bool value);
  /// elem_t and load_elem/store_elem/load_pair/store_pair for `storage`,
  /// pairs packed for `math` (F32 math: pairs unused).
  Source &storage(Storage storage, Math math = Math::F32);
  /// Any other declaration (tables).
  Source &text(const std::string &declarations);

  std::string finish(const char *body) const;

private:
  std::string name;
  std::string declarations;
};

/// Throws CodegenError "<kind>: <what>" unless `condition`.
void require(bool condition, const std::string &kind, const std::string &what);

/// Rounds `value` up to a multiple of `step`.
inline std::int64_t roundUp(std::int64_t value, std::int64_t step) {
  return (value + step - 1) / step * step;
}

inline std::int64_t ceilDiv(std::int64_t value, std::int64_t step) {
  return (value + step - 1) / step;
}

} // namespace tailor::codegen::cuda

#endif // TAILOR_CODEGEN_CUDA_SOURCE_H
