//===- BlasThreads.cpp - The BLAS's own thread count ----------------------===//

#include "tailor/runtime.h"

#ifdef TAILOR_HAVE_OPENBLAS_THREADS
#include <cblas.h>
#endif

namespace tailor {

Status setBlasThreads(int threads) {
  if (threads < 1)
    return Status::error("BLAS threads = " + std::to_string(threads) +
                         ": expected 1 or more");
#ifdef TAILOR_HAVE_OPENBLAS_THREADS
  openblas_set_num_threads(threads);
  return {};
#else
  return Status::error("the BLAS this runtime was built with has no thread "
                       "count setting (OpenBLAS has)");
#endif
}

} // namespace tailor
