//===- CudaKernels.cpp - The CUDA kernels of a variant, without a GPU -----===//
//
// What tailorc compiles ahead of time (docs/kernels.md). In a runtime built
// without CUDA, an error.
//
//===----------------------------------------------------------------------===//

#include "ModelData.h"
#ifdef TAILOR_WITH_CUDA
#include "cuda/Backend.h"
#include "cuda/VariantKernels.h"
#endif

namespace tailor {

Result<std::vector<CudaKernel>>
Model::cudaKernels(std::string_view variantName, const std::string &precision,
                   const std::string &arch) const {
  const detail::Variant *variant = data->findVariant(variantName);
  if (!variant)
    return data->unknownVariant(variantName);
#ifndef TAILOR_WITH_CUDA
  (void)precision;
  (void)arch;
  return Status::error("this runtime was built without CUDA support");
#else
  if (!detail::cuda::isPrecision(precision))
    return Status::error("unknown precision '" + precision + "' (expected " +
                         detail::cuda::precisionNames() + ")");
  try {
    std::vector<CudaKernel> kernels;
    for (codegen::cuda::Kernel &kernel : detail::cuda::variantKernels(
             data->manifest, *variant, detail::cuda::attentionMath(precision),
             detail::cuda::halfStorage(precision), arch))
      kernels.push_back({std::move(kernel.name), std::move(kernel.source)});
    return kernels;
  } catch (const std::exception &error) {
    return Status::error("variant '" + variant->info.name +
                         "': " + error.what());
  }
#endif
}

} // namespace tailor
