//===- Backend.h - Runs a model's variants on one CUDA device ---*- C++ -*-===//
//
// A session on "cuda:N": the weights copied to the device once, one stream,
// one arena allocation (the plan's activations, then the scratch some
// steps need), the generated kernels and cuBLASLt GEMMs of each variant
// captured as a CUDA graph per batch bucket and replayed on later runs (a
// batch is padded to its bucket: the next power of two up to 256, then the
// next multiple of 256). A variant with ACM steps runs as graphs between the
// actions that read the host, which run eagerly: its learners' GEMMs take
// their row counts from the host.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_RUNTIME_CUDA_BACKEND_H
#define TAILOR_RUNTIME_CUDA_BACKEND_H

#include "../ModelData.h"
#include "tailor/codegen/cuda/Kernel.h"
#include "tailor/runtime.h"

#include <map>
#include <memory>
#include <string>

namespace tailor::detail::cuda {

class Backend {
public:
  /// `ordinal` is the N of "cuda:N"; `precision` one of "fp32", "tf32",
  /// "bf16", "fp16" (checked by the caller). An error when the device
  /// cannot be used.
  static Result<std::unique_ptr<Backend>>
  create(std::shared_ptr<const ModelData> model, int ordinal,
         const std::string &precision);
  ~Backend();

  /// Runs `variant` on `batch` checked inputs; fills outputs and the arena
  /// fields of `stats`.
  Status run(const Variant &variant, std::int64_t batch,
             const std::map<std::string, TensorView> &inputs,
             std::map<std::string, Tensor> &outputs, RunStats &stats);

  /// Every kernel loaded so far and where its code came from.
  std::map<std::string, KernelOrigin> kernelOrigins() const;

  struct State;

private:
  explicit Backend(std::unique_ptr<State> state);
  std::unique_ptr<State> state;
};

/// The precisions the CUDA backend offers, comma-separated, for messages.
const char *precisionNames();
bool isPrecision(const std::string &name);
/// The attention kernels' math at `precision` (one of isPrecision's).
codegen::cuda::Math attentionMath(const std::string &precision);
/// How a session of `precision` keeps the floats an artifact plans at 16
/// bits: BF16 or F16, or F32 (widened) for fp32 and tf32.
codegen::cuda::Storage halfStorage(const std::string &precision);

} // namespace tailor::detail::cuda

#endif // TAILOR_RUNTIME_CUDA_BACKEND_H
