//===- error.h - The checkpoint library's one exception type ----*- C++ -*-===//
#ifndef TAILOR_CHECKPOINT_ERROR_H
#define TAILOR_CHECKPOINT_ERROR_H

#include <stdexcept>

namespace tailor::checkpoint {

/// Every bad checkpoint, bad config and misuse of the API throws this. The
/// message names the file and the key, tensor or layer that is wrong.
class CheckpointError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace tailor::checkpoint

#endif // TAILOR_CHECKPOINT_ERROR_H
