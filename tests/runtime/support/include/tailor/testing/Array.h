//===- Array.h - Dense arrays for reference computations --------*- C++ -*-===//
//
// The test support's one tensor type: a shape and double values. Weights are
// drawn as f32 and kept exactly, so an artifact written from an Array holds
// the very values the reference computes with.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TESTING_ARRAY_H
#define TAILOR_TESTING_ARRAY_H

#include <cstdint>
#include <random>
#include <vector>

namespace tailor::testing {

struct Array {
  std::vector<std::int64_t> shape;
  std::vector<double> values;

  Array() = default;
  /// Zeros.
  explicit Array(std::vector<std::int64_t> shape);

  std::int64_t size() const { return static_cast<std::int64_t>(values.size()); }
  /// The values rounded to f32 (exact for values drawn by randomArray).
  std::vector<float> toFloat32() const;
  static Array fromFloat32(std::vector<std::int64_t> shape, const float *data);
};

/// Values drawn from N(mean, stddev) and rounded to f32.
Array randomArray(std::vector<std::int64_t> shape, std::mt19937_64 &random,
                  double stddev = 1.0, double mean = 0.0);

/// max |a - b| / max(max |b|, tiny): the error of `actual` relative to the
/// size of `expected`. Infinite when the shapes differ.
double relativeError(const std::vector<double> &actual,
                     const std::vector<double> &expected);

} // namespace tailor::testing

#endif // TAILOR_TESTING_ARRAY_H
