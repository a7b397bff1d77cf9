//===- Array.cpp - Dense arrays for reference computations ----------------===//

#include "tailor/testing/Array.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace tailor::testing {

Array::Array(std::vector<std::int64_t> dims) : shape(std::move(dims)) {
  values.assign(std::accumulate(shape.begin(), shape.end(), std::int64_t(1),
                                std::multiplies<>()),
                0.0);
}

std::vector<float> Array::toFloat32() const {
  return std::vector<float>(values.begin(), values.end());
}

Array Array::fromFloat32(std::vector<std::int64_t> shape, const float *data) {
  Array array(std::move(shape));
  std::copy(data, data + array.size(), array.values.begin());
  return array;
}

Array randomArray(std::vector<std::int64_t> shape, std::mt19937_64 &random,
                  double stddev, double mean) {
  Array array(std::move(shape));
  std::normal_distribution<double> normal(mean, stddev);
  for (double &value : array.values)
    value = static_cast<float>(normal(random));
  return array;
}

double relativeError(const std::vector<double> &actual,
                     const std::vector<double> &expected) {
  if (actual.size() != expected.size())
    return std::numeric_limits<double>::infinity();
  double scale = std::numeric_limits<double>::min(), error = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    scale = std::max(scale, std::abs(expected[i]));
    double difference = std::abs(actual[i] - expected[i]);
    error = std::isnan(difference) ? std::numeric_limits<double>::infinity()
                                   : std::max(error, difference);
  }
  return error / scale;
}

} // namespace tailor::testing
