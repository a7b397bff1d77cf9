//===- Lowering.h - A variant's steps as kernel launches and GEMMs -*- C++
//-*-===//
//
// Each step of a plan becomes one or more actions on the stream: launches
// of generated kernels (specialized to the step's shapes), cuBLASLt GEMMs,
// memsets and copies. An add followed by the layer norm of its sum becomes
// one fused kernel. Actions are made for one batch size and one arena
// address: the session captures them as a CUDA graph, or, for a variant
// with ACM steps, as one graph per stretch between the actions that read
// the host (see HostCounts), which run eagerly in between.
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
#include <type_traits>
#include <vector>

namespace tailor::detail::cuda {

/// One operation on the stream. `readsHost`: it reads HostCounts when it
/// runs (a counted GEMM, a guard, the wait for the counts), so it runs
/// eagerly; a variant's other actions are captured in CUDA graphs.
struct Action {
  template <typename Run,
            typename = std::enable_if_t<std::is_invocable_v<Run, CUstream>>>
  Action(Run run, bool readsHost = false)
      : run(std::move(run)), readsHost(readsHost) {}
  void operator()(CUstream stream) const { run(stream); }

  std::function<void(CUstream)> run;
  bool readsHost;
};

/// Where the counts of a variant's acm_compact steps ([B] i32 each) land in
/// pinned host memory: cuBLASLt takes a GEMM's row count on the host, so a
/// learner's GEMMs and the guards of its steps read their totals there.
/// Each acm_compact is followed by an asynchronous copy of its counts; the
/// first step that needs a total not yet on the host waits for the stream,
/// once for all the copies enqueued before it, which is one round trip per
/// ACM layer, whose compactions all come before its learners. Such actions
/// run eagerly (Action::readsHost): a CUDA graph cannot branch on a value
/// read mid-run.
class HostCounts {
public:
  /// One region of `batch` counts per acm_compact step of `variant`.
  HostCounts(const Variant &variant, std::int64_t batch);

  /// The region of acm_compact steps[step].
  std::int32_t *of(std::size_t step) const {
    return static_cast<std::int32_t *>(memory.get()) +
           regionOfStep.at(step) * batch;
  }
  /// counts[B - 1] of acm_compact steps[step]: how many rows it listed.
  std::int64_t total(std::size_t step) const { return of(step)[batch - 1]; }

private:
  std::int64_t batch;
  std::vector<std::int64_t> regionOfStep;
  PinnedMemory memory;
};

/// Whether a variant runs eagerly with HostCounts: it has acm_compact steps.
bool needsHostCounts(const Variant &variant);

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
  /// For a variant with acm_compact steps, null when listing kernels.
  HostCounts *hostCounts;
  /// The attention kernels' math (F32 for odd head dims whatever it is).
  codegen::cuda::Math attentionMath;
  const std::map<const Weight *, CUdeviceptr> &weights;
  /// Where the buffers lie: floats planned at 16 bits are kept so when
  /// halfStorage is BF16 or F16, widened to f32 when it is F32.
  Placement placement;
  /// The 16-bit type of the floats planned at 16 bits (F32: widened).
  codegen::cuda::Storage halfStorage;
  /// The storage of the weights on the device but those that stay f32
  /// (staysF32).
  codegen::cuda::Storage weightStorage;
};

/// The storage a session uploads its weights in: 16-bit (halfStorage)
/// when its artifact plans floats at 16 bits, else f32 (a session that
/// widens them passes F32), but for those that stay f32.
codegen::cuda::Storage weightStorage(const Manifest &manifest,
                                     codegen::cuda::Storage halfStorage);

/// Whether `weight` stays f32 on the device whatever the weights' storage:
/// a layer norm's gamma or beta (statistics in f32), or a classifier's bias
/// (its product writes f32 logits, and cuBLASLt adds a bias of the
/// output's type).
bool staysF32(const Manifest &manifest, const Weight &weight);

/// Loads every kernel and returns the actions, in order.
std::vector<Action> lower(const Lowering &lowering);

/// The scratch memory one sample of `variant` needs beyond its arena.
std::uint64_t scratchBytesPerSample(const Variant &variant);

} // namespace tailor::detail::cuda

#endif // TAILOR_RUNTIME_CUDA_LOWERING_H
