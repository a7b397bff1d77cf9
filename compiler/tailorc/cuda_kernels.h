//===- cuda_kernels.h - tailorc compile --target: kernels ahead of time -*-===//
//
// The kernels come from the runtime (Model::cudaKernels: the CUDA backend's
// own lowering), so the artifact carries exactly what a session launches.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TAILORC_CUDA_KERNELS_H
#define TAILOR_TAILORC_CUDA_KERNELS_H

#include "tailor/codegen/artifact/ArtifactWriter.h"

#include <string>
#include <vector>

namespace tailor::tailorc {

/// The archs of --target values ("cuda:sm_80" -> "sm_80"). Throws
/// std::invalid_argument naming a value that is not cuda:<arch>, an arch
/// NVRTC does not know, one given twice, or any target when tailorc was
/// built without CUDA.
std::vector<std::string>
parseCudaTargets(const std::vector<std::string> &targets);

/// Every kernel that the variants of the artifact at `path` launch at
/// `precision` on a GPU of one of `archs`, each once: its source
/// (`kernel.<name>.cu`) and its cubin for each of those archs that launches
/// it (`kernel.<name>.cubin.<arch>`), compiled by NVRTC on every core. Throws
/// std::runtime_error with the runtime's or NVRTC's message.
std::vector<artifact::KernelTensor>
compileCudaKernels(const std::string &path, const std::string &precision,
                   const std::vector<std::string> &archs);

} // namespace tailor::tailorc

#endif // TAILOR_TAILORC_CUDA_KERNELS_H
