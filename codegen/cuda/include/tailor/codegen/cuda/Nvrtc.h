//===- Nvrtc.h - Compiling generated kernels with NVRTC ---------*- C++ -*-===//
#ifndef TAILOR_CODEGEN_CUDA_NVRTC_H
#define TAILOR_CODEGEN_CUDA_NVRTC_H

#include "tailor/codegen/cuda/Kernel.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tailor::codegen::cuda {

/// Compiles `kernel` for `target`: "sm_80", "sm_90a", ... give a cubin,
/// "compute_80", ... PTX text. Throws CodegenError naming the kernel and
/// the target, with NVRTC's log, when NVRTC refuses it.
std::vector<std::uint8_t> compile(const Kernel &kernel,
                                  std::string_view target);

/// "13.0": NVRTC's version, part of every JIT cache key.
std::string nvrtcVersion();

/// Throws CodegenError unless `arch` ("sm_80", "sm_90a", ...) is a cubin
/// target this NVRTC compiles for; the message lists the ones it knows.
void checkArch(std::string_view arch);

/// The targets the compiler emits cubins for ahead of time.
const std::vector<std::string> &defaultTargets();

} // namespace tailor::codegen::cuda

#endif // TAILOR_CODEGEN_CUDA_NVRTC_H
