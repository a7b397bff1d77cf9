//===- VariantKernels.cpp - The kernels a variant launches ----------------===//

#include "VariantKernels.h"

#include "Lowering.h"

#include <set>

namespace tailor::detail::cuda {
namespace {

/// Lists each kernel once; hands out no function.
class KernelCollector : public KernelSource {
public:
  using KernelSource::KernelSource;

  CUfunction load(const codegen::cuda::Kernel &kernel) override {
    if (names.insert(kernel.name).second)
      kernels.push_back(kernel);
    return nullptr;
  }

  std::vector<codegen::cuda::Kernel> kernels;

private:
  std::set<std::string> names;
};

} // namespace

std::vector<codegen::cuda::Kernel>
variantKernels(const Manifest &manifest, const Variant &variant,
               codegen::cuda::Math attentionMath,
               codegen::cuda::Storage halfStorage, const std::string &arch) {
  KernelCollector collector(arch);
  // No memory behind the lowering. Weights get distinct nonzero addresses:
  // the lowering tests a weight's address for presence (a bias fuses into
  // the GEMM's epilogue, so no epilogue kernel), as a session's would.
  std::map<const Weight *, CUdeviceptr> weights;
  CUdeviceptr placeholder = 0;
  for (const auto &[name, weight] : manifest.weights)
    weights[&weight] = ++placeholder;
  Lowering lowering{
      variant,
      /*batch=*/1,
      /*arena=*/0,
      /*scratch=*/0,
      /*errors=*/0,
      collector,
      /*gemm=*/nullptr,
      /*hostCounts=*/nullptr,
      attentionMath,
      weights,
      Placement(variant, halfStorage != codegen::cuda::Storage::F32),
      halfStorage,
      weightStorage(manifest, halfStorage)};
  lower(lowering);
  return std::move(collector.kernels);
}

} // namespace tailor::detail::cuda
