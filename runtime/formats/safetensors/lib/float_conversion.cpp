//===- float_conversion.cpp - Half and bfloat16 to and from float ---------===//

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

namespace tailor::safetensors {

std::uint16_t floatToBfloat16(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  if (std::isnan(value)) // quiet, sign kept
    return static_cast<std::uint16_t>((bits >> 16) | 0x40u);
  // Round to nearest even on the 16 bits dropped; a carry into the
  // exponent rounds up to the next binade or to infinity, as it should.
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<std::uint16_t>(bits >> 16);
}

std::uint16_t floatToHalf(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  const std::uint16_t sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  const std::uint32_t magnitude = bits & 0x7fffffffu;
  if (magnitude > 0x7f800000u) // NaN
    return sign | 0x7e00u;
  if (magnitude >= 0x477ff000u) // rounds to at least 65520: infinity
    return sign | 0x7c00u;
  if (magnitude < 0x38800000u) { // below 2^-14: subnormal (or zero)
    // value / 2^-24 rounded to nearest even is the subnormal's mantissa.
    const float scaled = std::fabs(value) * 16777216.0f;
    return sign | static_cast<std::uint16_t>(std::nearbyint(scaled));
  }
  // Rebias the exponent (127 -> 15) and round the 13 dropped bits to even.
  std::uint32_t rebiased = magnitude - (112u << 23);
  rebiased += 0x0fffu + ((rebiased >> 13) & 1u);
  return sign | static_cast<std::uint16_t>(rebiased >> 13);
}

std::vector<std::uint16_t> narrowFloats(const float *values, std::size_t count,
                                        DType dtype) {
  if (dtype != DType::BF16 && dtype != DType::F16)
    throw FormatError("floats cannot be narrowed to " +
                      std::string(dtypeName(dtype)));
  std::vector<std::uint16_t> bits(count);
  for (std::size_t i = 0; i < count; ++i)
    bits[i] = dtype == DType::BF16 ? floatToBfloat16(values[i])
                                   : floatToHalf(values[i]);
  return bits;
}

} // namespace tailor::safetensors
