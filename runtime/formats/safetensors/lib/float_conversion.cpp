//===- float_conversion.cpp - Half and bfloat16 to float ------------------===//

#include "detail.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace tailor::safetensors::detail {
namespace {

float fromBits(std::uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

} // namespace

float halfToFloat(std::uint16_t bits) {
  const bool negative = bits & 0x8000u;
  const unsigned exponent = (bits >> 10) & 0x1fu;
  const unsigned mantissa = bits & 0x3ffu;
  float magnitude;
  if (exponent == 0x1f)
    magnitude = mantissa ? std::numeric_limits<float>::quiet_NaN()
                         : std::numeric_limits<float>::infinity();
  else if (exponent == 0) // zero or subnormal: mantissa * 2^-24
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);
  else
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400u),
                           static_cast<int>(exponent) - 25);
  return negative ? -magnitude : magnitude;
}

float bfloat16ToFloat(std::uint16_t bits) {
  // bfloat16 is the upper half of a float.
  return fromBits(static_cast<std::uint32_t>(bits) << 16);
}

} // namespace tailor::safetensors::detail
