//===- LearnerTokens.h - How many tokens each ACM learner ran ---*- C++ -*-===//
//
// RunStats::learnerTokens: for each acm_route step, the tokens of the run's
// batch that ran each learner. Learner 0 runs on every token; learner j >= 1
// on those its acm_compact step counted, whose prefix sum over the batch
// gives the caller's samples alone even when a backend pads the batch.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_RUNTIME_LEARNERTOKENS_H
#define TAILOR_RUNTIME_LEARNERTOKENS_H

#include "Manifest.h"

#include <functional>

namespace tailor::detail {

/// Variant::acmRoutes of a variant whose steps are parsed.
std::vector<AcmRoute> findAcmRoutes(const Variant &variant);

/// RunStats::learnerTokens of a run of `batch` samples; `total(step)` is
/// counts[batch - 1] of the acm_compact steps[step] as that step wrote it.
std::vector<std::vector<std::int64_t>>
learnerTokens(const Variant &variant, std::int64_t batch,
              const std::function<std::int64_t(int step)> &total);

} // namespace tailor::detail

#endif // TAILOR_RUNTIME_LEARNERTOKENS_H
