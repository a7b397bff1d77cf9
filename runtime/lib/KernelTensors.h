//===- KernelTensors.h - Checking an artifact's compiled kernels -*- C++
//-*-===//
//
// The driver reads a cubin without being told its size, so a truncated or
// foreign one must never reach it: Model::load checks every kernel tensor
// first, on any machine (docs/artifact-format.md).
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_RUNTIME_KERNELTENSORS_H
#define TAILOR_RUNTIME_KERNELTENSORS_H

namespace tailor::safetensors {
class File;
} // namespace tailor::safetensors

namespace tailor::detail {

/// Every tensor named `kernel.*` is U8 [bytes] and named
/// `kernel.<name>.cu` or `kernel.<name>.cubin.<arch>`; a cubin is a 64-bit
/// little-endian ELF file for CUDA whose headers and sections lie inside
/// it. Throws ArtifactError naming the tensor.
void checkKernelTensors(const safetensors::File &file);

} // namespace tailor::detail

#endif // TAILOR_RUNTIME_KERNELTENSORS_H
