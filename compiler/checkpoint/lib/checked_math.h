//===- checked_math.h - Overflow-checked size arithmetic ------------------===//
#ifndef TAILOR_CHECKPOINT_LIB_CHECKED_MATH_H
#define TAILOR_CHECKPOINT_LIB_CHECKED_MATH_H

#include <cstdint>
#include <initializer_list>
#include <optional>

namespace tailor::checkpoint::detail {

/// The product of `factors`, or nullopt when it overflows int64.
inline std::optional<std::int64_t>
checkedProduct(std::initializer_list<std::int64_t> factors) {
  std::int64_t product = 1;
  for (std::int64_t factor : factors)
    if (__builtin_mul_overflow(product, factor, &product))
      return std::nullopt;
  return product;
}

/// a + b, or nullopt when it overflows int64.
inline std::optional<std::int64_t> checkedSum(std::int64_t a, std::int64_t b) {
  std::int64_t sum;
  if (__builtin_add_overflow(a, b, &sum))
    return std::nullopt;
  return sum;
}

} // namespace tailor::checkpoint::detail

#endif // TAILOR_CHECKPOINT_LIB_CHECKED_MATH_H
