//===- VariantKernels.h - The kernels a variant launches --------*- C++ -*-===//
//
// The one answer to "which kernels does this variant need": the lowering
// itself, run with a KernelSource that records each kernel instead of
// loading it (its actions are never run). A session and tailorc's
// ahead-of-time compilation therefore always agree. No kernel depends on
// the batch: it is the grid's z at launch.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_RUNTIME_CUDA_VARIANTKERNELS_H
#define TAILOR_RUNTIME_CUDA_VARIANTKERNELS_H

#include "../Manifest.h"
#include "tailor/codegen/cuda/Kernel.h"

#include <string>
#include <vector>

namespace tailor::detail::cuda {

/// The distinct kernels `variant` of `manifest` launches with attention
/// math `attentionMath` and the floats planned at 16 bits kept as
/// `halfStorage` (F32: widened) on a GPU of `arch`, in the order of their
/// first launch. Throws
/// CudaError or codegen::cuda::CodegenError for a step the CUDA backend
/// cannot run.
std::vector<codegen::cuda::Kernel>
variantKernels(const Manifest &manifest, const Variant &variant,
               codegen::cuda::Math attentionMath,
               codegen::cuda::Storage halfStorage, const std::string &arch);

} // namespace tailor::detail::cuda

#endif // TAILOR_RUNTIME_CUDA_VARIANTKERNELS_H
