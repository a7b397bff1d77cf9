//===- AheadOfTimeModels.h - Artifacts compiled with tailorc --target -*-===//
//
// gpu-write-aot-artifacts compiles these models here (tailorc, NVRTC, no
// GPU needed) into `<name>.tailor` with cubins for sm_80 and sm_90a; the
// GPU machine builds no compiler, so the directory is carried there and
// gpu-aot-test runs them (docs/kernels.md, Tests).
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TESTS_GPU_AHEADOFTIMEMODELS_H
#define TAILOR_TESTS_GPU_AHEADOFTIMEMODELS_H

#include "tailor/testing/TinyModel.h"

#include <string>
#include <vector>

namespace tailor::testing {

struct AheadOfTimeModel {
  std::string name;
  ModelConfig config;
  /// tailorc compile --precision.
  std::string precision;
};

std::vector<AheadOfTimeModel> aheadOfTimeModels();

/// The archs the artifacts carry cubins for.
const std::vector<std::string> &aheadOfTimeArchs();

/// $TAILOR_GPU_ARTIFACTS, else build/gpu-artifacts of the source tree.
std::string aheadOfTimeDirectory();

} // namespace tailor::testing

#endif // TAILOR_TESTS_GPU_AHEADOFTIMEMODELS_H
