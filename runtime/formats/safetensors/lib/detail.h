//===- detail.h - Helpers shared by the safetensors reader and writer -----===//
//
// Not installed: dtype names, shape arithmetic and float conversion used by
// both File and Writer.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_SAFETENSORS_LIB_DETAIL_H
#define TAILOR_SAFETENSORS_LIB_DETAIL_H

#include "tailor/safetensors/safetensors.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tailor::safetensors::detail {

/// The dtype the format calls `name`, or nullopt for a name Tailor does not
/// read.
std::optional<DType> dtypeFromName(std::string_view name);
/// "F64, F32, ..., BOOL", for error messages.
std::string knownDtypeNames();

/// "[200, 96]".
std::string formatShape(const std::vector<std::int64_t> &shape);

/// Bytes of a tensor of `shape` and `dtype`: nullopt when the product does not
/// fit in 64 bits. Every dimension must be non-negative.
std::optional<std::uint64_t>
tensorBytes(DType dtype, const std::vector<std::int64_t> &shape);

/// IEEE 754 half and bfloat16 bit patterns to float (exact: every value of
/// both formats is a float).
float halfToFloat(std::uint16_t bits);
float bfloat16ToFloat(std::uint16_t bits);

} // namespace tailor::safetensors::detail

#endif // TAILOR_SAFETENSORS_LIB_DETAIL_H
