//===- Format.h - Numbers in messages ---------------------------*- C++ -*-===//
#ifndef TAILOR_RUNTIME_FORMAT_H
#define TAILOR_RUNTIME_FORMAT_H

#include <string>

namespace tailor::detail {

/// The shortest form that reads back as the same double: "0.5", "1e-06".
std::string formatNumber(double value);

} // namespace tailor::detail

#endif // TAILOR_RUNTIME_FORMAT_H
