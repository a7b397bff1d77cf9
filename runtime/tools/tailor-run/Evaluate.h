//===- Evaluate.h - Running one variant over a dataset ----------*- C++ -*-===//
#ifndef TAILOR_RUN_EVALUATE_H
#define TAILOR_RUN_EVALUATE_H

#include "Dataset.h"

namespace tailor::run {

struct Evaluation {
  /// One class per sample (sequence models) or per real token (token
  /// models), sample by sample.
  std::vector<std::vector<std::int32_t>> predictions;
  /// Samples whose prediction equals their label (with labels).
  std::int64_t correct = 0;
  /// Wall time of each batch.
  std::vector<double> batchSeconds;
  /// RunStats::learnerTokens summed over the batches: per ACM layer, the
  /// tokens each learner ran (empty without ACM layers).
  std::vector<std::vector<std::int64_t>> learnerTokens;
};

/// Runs `variant` over `dataset` in batches of `batch` samples, after one
/// untimed run of the first batch.
Result<Evaluation> evaluate(Session &session, const Model &model,
                            const VariantInfo &variant, const Dataset &dataset,
                            std::int64_t batch);

} // namespace tailor::run

#endif // TAILOR_RUN_EVALUATE_H
