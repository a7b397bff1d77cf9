//===- KernelGrid.h - Every kernel kind over a grid of shapes ---*- C++ -*-===//
#ifndef TAILOR_TESTS_KERNELS_KERNELGRID_H
#define TAILOR_TESTS_KERNELS_KERNELGRID_H

#include "tailor/codegen/cuda/Generators.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tailor::testing {

/// The odd sequence lengths and head dims every kernel kind is generated
/// for.
const std::vector<std::int64_t> &gridSeqs();
const std::vector<std::int64_t> &gridHeadDims();

/// A block table for `seq` tokens in blocks of `block`: each query block
/// attends to itself and the block before it (a locality pattern, as SSA
/// folds).
std::vector<std::vector<int>>
localBlockTable(std::int64_t seq,
                std::int64_t block = codegen::cuda::kSparseBlock);

struct GridKernel {
  std::string
      kind; ///< the generator and its variant, e.g. "attention bf16 mask sig"
  codegen::cuda::Kernel kernel;
  /// The one target the kernel is generated for (AttentionConfig::arch);
  /// empty: every target.
  std::string arch;
};

/// Every variant of every generator over the grid's shapes.
std::vector<GridKernel> kernelGrid();

} // namespace tailor::testing

#endif // TAILOR_TESTS_KERNELS_KERNELGRID_H
