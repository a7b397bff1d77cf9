//===- Lowering.h - A variant's steps as kernel launches and GEMMs -*- C++
//-*-===//
//
// Each step of a plan becomes one or more actions on the stream: launches
// of generated kernels (specialized to the step's shapes), cuBLASLt GEMMs,
// memsets and copies. An add followed by the layer norm of its sum becomes
// one fused kernel. Actions are made for one batch size and one arena
// address: the session captures them as a CUDA graph.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_RUNTIME_CUDA_LOWERING_H
#define TAILOR_RUNTIME_CUDA_LOWERING_H

#include "../Manifest.h"
#include "Gemm.h"
#include "KernelLoader.h"
#include "tailor/codegen/cuda/Kernel.h"

#include <functional>
#include <map>
#include <vector>

namespace tailor::detail::cuda {

using Action = std::function<void(CUstream)>;

struct Lowering {
  const Variant &variant;
  std::int64_t batch;
  /// The arena (batch * arena_bytes_per_sample) and, after it, the scratch
  /// (batch * scratchBytesPerSample).
  CUdeviceptr arena, scratch;
  /// One u64 per step, set to codegen::cuda::kNoError before each run.
  CUdeviceptr errors;
  KernelSource &kernels;
  /// Null when the lowering only lists the kernels (variantKernels).
  Gemm *gemm;
  /// The attention kernels' math (F32 for odd head dims whatever it is).
  codegen::cuda::Math attentionMath;
  const std::map<const Weight *, CUdeviceptr> &weights;
};

/// Loads every kernel and returns the actions, in order.
std::vector<Action> lower(const Lowering &lowering);

/// The scratch memory one sample of `variant` needs beyond its arena.
std::uint64_t scratchBytesPerSample(const Variant &variant);

} // namespace tailor::detail::cuda

#endif // TAILOR_RUNTIME_CUDA_LOWERING_H
