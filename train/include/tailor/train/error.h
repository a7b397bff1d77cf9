//===- error.h - The trainer's error type -----------------------*- C++ -*-===//
//
// Every bad input the trainer meets (a missing or malformed data file, a bad
// option, a checkpoint that does not fit the model) throws this. The message
// names the file, key, tensor or option and says what was wrong.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TRAIN_ERROR_H
#define TAILOR_TRAIN_ERROR_H

#include <stdexcept>

namespace tailor::train {

class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace tailor::train

#endif // TAILOR_TRAIN_ERROR_H
