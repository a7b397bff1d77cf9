//===- AheadOfTimeModels.cpp - Artifacts compiled with tailorc --target ---===//

#include "AheadOfTimeModels.h"

#include "Models.h"

#include <cstdlib>

namespace tailor::testing {

std::vector<AheadOfTimeModel> aheadOfTimeModels() {
  const std::vector<ModelConfig> tiny = tinyModels();
  return {{"aot-vit-fp32", tiny[0], "fp32"},
          {"aot-sequence-encoder-bf16", tiny[2], "bf16"}};
}

const std::vector<std::string> &aheadOfTimeArchs() {
  static const std::vector<std::string> archs = {"sm_80", "sm_90a"};
  return archs;
}

std::string aheadOfTimeDirectory() {
  if (const char *directory = std::getenv("TAILOR_GPU_ARTIFACTS");
      directory && *directory)
    return directory;
  return TAILOR_SOURCE_DIR "/build/gpu-artifacts";
}

} // namespace tailor::testing
