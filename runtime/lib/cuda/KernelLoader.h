//===- KernelLoader.h - Generated kernels as loaded functions ---*- C++ -*-===//
//
// A kernel's code comes from the first of: the artifact's cubin for this
// GPU's arch (`kernel.<name>.cubin.<arch>`), the artifact's CUDA source
// (`kernel.<name>.cu`) or the generator's source, both compiled by NVRTC
// into an on-disk cache keyed by the source's hash, the arch and NVRTC's
// version (docs/kernels.md).
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_RUNTIME_CUDA_KERNELLOADER_H
#define TAILOR_RUNTIME_CUDA_KERNELLOADER_H

#include "Driver.h"
#include "tailor/codegen/cuda/Kernel.h"
#include "tailor/runtime.h"

#include <map>
#include <string>
#include <vector>

namespace tailor::safetensors {
class File;
} // namespace tailor::safetensors

namespace tailor::detail::cuda {

/// Where the lowering gets each kernel's function: the KernelLoader on a
/// device, or a collector that only lists the kernels (variantKernels).
class KernelSource {
public:
  explicit KernelSource(std::string arch) : arch(std::move(arch)) {}
  virtual ~KernelSource() = default;
  virtual CUfunction load(const codegen::cuda::Kernel &kernel) = 0;

  /// The GPU target the kernels are for ("sm_80", "sm_90a"): some
  /// generators specialize to it (AttentionConfig::arch).
  const std::string arch;
};

class KernelLoader : public KernelSource {
public:
  /// For the current context's device, of arch `arch`.
  KernelLoader(const safetensors::File &artifact, std::string arch);
  ~KernelLoader();
  KernelLoader(const KernelLoader &) = delete;
  KernelLoader &operator=(const KernelLoader &) = delete;

  /// The kernel's function, loaded once; its dynamic shared memory limit
  /// raised when it needs more than 48 KiB. Throws CudaError or
  /// codegen::cuda::CodegenError; an artifact cubin the driver refuses is
  /// an error naming its tensor.
  CUfunction load(const codegen::cuda::Kernel &kernel) override;

  /// Every kernel loaded so far and where its code came from.
  std::map<std::string, KernelOrigin> origins() const;

private:
  struct Loaded {
    CUmodule module = nullptr;
    CUfunction function = nullptr;
    KernelOrigin origin = KernelOrigin::Generated;
  };
  std::vector<std::uint8_t> jitCompile(const codegen::cuda::Kernel &kernel);

  const safetensors::File &artifact;
  std::map<std::string, Loaded> loaded;
};

/// The directory of the JIT cache: $TAILOR_KERNEL_CACHE, else
/// $XDG_CACHE_HOME/tailor/kernels, else ~/.cache/tailor/kernels; empty when
/// none can be named.
std::string kernelCacheDirectory();

} // namespace tailor::detail::cuda

#endif // TAILOR_RUNTIME_CUDA_KERNELLOADER_H
