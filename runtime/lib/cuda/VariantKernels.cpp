//===- VariantKernels.cpp - The kernels a variant launches ----------------===//

#include "VariantKernels.h"

#include "Lowering.h"

#include <set>

namespace tailor::detail::cuda {
namespace {

/// Lists each kernel once; hands out no function.
class KernelCollector : public KernelSource {
public:
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
               codegen::cuda::Math attentionMath) {
  KernelCollector collector;
  // No memory behind the lowering: every address is 0.
  std::map<const Weight *, CUdeviceptr> weights;
  for (const auto &[name, weight] : manifest.weights)
    weights[&weight] = 0;
  Lowering lowering{variant,      /*batch=*/1, /*arena=*/0,      /*scratch=*/0,
                    /*errors=*/0, collector,   /*gemm=*/nullptr, attentionMath,
                    weights};
  lower(lowering);
  return std::move(collector.kernels);
}

} // namespace tailor::detail::cuda
