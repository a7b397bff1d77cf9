//===- Format.cpp - Shapes and numbers in messages ------------------------===//

#include "Format.h"
#include "tailor/runtime.h"

#include <cstdio>
#include <cstdlib>

namespace tailor {

std::string formatShape(const std::vector<std::int64_t> &shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

namespace detail {

std::string formatNumber(double value) {
  char text[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, value);
    if (std::strtod(text, nullptr) == value)
      break;
  }
  return text;
}

} // namespace detail
} // namespace tailor
