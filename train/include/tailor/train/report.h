//===- report.h - The search's results as CSV, plot and table ---*- C++ -*-===//
#ifndef TAILOR_TRAIN_REPORT_H
#define TAILOR_TRAIN_REPORT_H

#include "tailor/train/search.h"

#include <optional>
#include <string>
#include <vector>

namespace tailor::train {

/// "flops,flops_fraction,accuracy,lengths" rows (lengths quoted, comma
/// separated), one per candidate, in the given order. Throws Error when the
/// file cannot be written.
void writeCandidatesCsv(const std::string &path,
                        const std::vector<Candidate> &candidates,
                        std::int64_t fullFlops);

/// Draws validation accuracy against the fraction of full FLOPs with
/// gnuplot: every evaluated configuration (`searchCsv`) as points, the front
/// (`paretoCsv`) as a line. Returns false, with the reason on stderr, when
/// gnuplot is missing or fails: the plot is a convenience, the CSVs are the
/// result.
bool plotPareto(const std::string &searchCsv, const std::string &paretoCsv,
                const std::string &pngPath, const std::string &title);

/// The ACM gates' choices: "learners,layer_<i>...,all" rows, one per k =
/// 1..N, each the fraction of that layer's tokens (or all layers' tokens)
/// that ran k learners; histogram[l][k - 1] counts tokens of layers[l].
/// Throws Error when the file cannot be written.
void writeAcmHistogramCsv(
    const std::string &path, const std::vector<std::int64_t> &layers,
    const std::vector<std::vector<std::int64_t>> &histogram);

/// Draws the histogram of writeAcmHistogramCsv (`layers` layer columns and
/// the total) with gnuplot; false, with the reason on stderr, when gnuplot
/// is missing or fails.
bool plotAcmHistogram(const std::string &csv, const std::string &pngPath,
                      std::size_t layers, const std::string &title);

/// One row of the table printed at the end of a run.
struct ResultRow {
  std::string name; ///< "full", "budget 0.50", "given"
  Lengths lengths;
  std::int64_t flops = 0;
  std::optional<double> validationAccuracy;
  double testAccuracy = 0.0;
};

/// A fixed-width text table of `rows`, FLOPs also as a percentage of
/// `fullFlops`.
std::string formatResultTable(const std::vector<ResultRow> &rows,
                              std::int64_t fullFlops);

} // namespace tailor::train

#endif // TAILOR_TRAIN_REPORT_H
