//===- report.cpp - The search's results as CSV, plot and table -----------===//

#include "tailor/train/report.h"
#include "tailor/train/error.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace tailor::train {

void writeCandidatesCsv(const std::string &path,
                        const std::vector<Candidate> &candidates,
                        std::int64_t fullFlops) {
  std::ofstream out(path);
  out << "flops,flops_fraction,accuracy,lengths\n";
  char fraction[32], accuracy[32];
  for (const Candidate &candidate : candidates) {
    std::snprintf(fraction, sizeof fraction, "%.6f",
                  double(candidate.flops) / double(fullFlops));
    std::snprintf(accuracy, sizeof accuracy, "%.6f", candidate.accuracy);
    out << candidate.flops << ',' << fraction << ',' << accuracy << ",\""
        << formatLengths(candidate.lengths) << "\"\n";
  }
  if (!out)
    throw Error(path + ": cannot write");
}

namespace {
/// gnuplot's single-quoted string: a quote is doubled.
std::string gnuplotQuoted(const std::string &text) {
  std::string quoted = "'";
  for (char c : text)
    quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

/// Runs `script` through gnuplot; false, with the reason on stderr, when
/// gnuplot is missing or fails.
bool runGnuplot(const std::string &script, const std::string &pngPath) {
  FILE *gnuplot = popen("gnuplot 2>&1", "w");
  if (!gnuplot) {
    std::cerr << "warning: cannot start gnuplot; no plot\n";
    return false;
  }
  std::fwrite(script.data(), 1, script.size(), gnuplot);
  int status = pclose(gnuplot);
  if (status != 0) {
    std::cerr << "warning: gnuplot failed (status " << status
              << "); no plot at " << pngPath << '\n';
    return false;
  }
  return true;
}
} // namespace

bool plotPareto(const std::string &searchCsv, const std::string &paretoCsv,
                const std::string &pngPath, const std::string &title) {
  std::ostringstream script;
  script << "set terminal pngcairo size 800,560\n"
         << "set output " << gnuplotQuoted(pngPath) << "\n"
         << "set datafile separator ','\n"
         << "set key bottom right\n"
         << "set grid\n"
         << "set title " << gnuplotQuoted(title) << " noenhanced\n"
         << "set xlabel 'FLOPs (fraction of the full model)'\n"
         << "set ylabel 'validation accuracy (%)'\n"
         << "plot " << gnuplotQuoted(searchCsv)
         << " skip 1 using 2:($3*100) with points pt 7 ps 0.6 lc rgb "
            "'#9090a0' title 'evaluated', "
         << gnuplotQuoted(paretoCsv)
         << " skip 1 using 2:($3*100) with linespoints pt 7 lw 2 lc rgb "
            "'#c03020' title 'Pareto front'\n";
  return runGnuplot(script.str(), pngPath);
}

void writeAcmHistogramCsv(
    const std::string &path, const std::vector<std::int64_t> &layers,
    const std::vector<std::vector<std::int64_t>> &histogram) {
  std::ofstream out(path);
  out << "learners";
  for (std::int64_t layer : layers)
    out << ",layer_" << layer;
  out << ",all\n";
  const std::size_t learners = histogram.empty() ? 0 : histogram[0].size();
  std::vector<double> layerTokens;
  double allTokens = 0.0;
  for (const std::vector<std::int64_t> &row : histogram) {
    double tokens = 0.0;
    for (std::int64_t count : row)
      tokens += double(count);
    layerTokens.push_back(tokens);
    allTokens += tokens;
  }
  char value[32];
  for (std::size_t k = 0; k < learners; ++k) {
    out << k + 1;
    double all = 0.0;
    for (std::size_t l = 0; l < histogram.size(); ++l) {
      all += double(histogram[l][k]);
      std::snprintf(value, sizeof value, ",%.6f",
                    double(histogram[l][k]) / std::max(layerTokens[l], 1.0));
      out << value;
    }
    std::snprintf(value, sizeof value, ",%.6f\n",
                  all / std::max(allTokens, 1.0));
    out << value;
  }
  if (!out)
    throw Error(path + ": cannot write");
}

bool plotAcmHistogram(const std::string &csv, const std::string &pngPath,
                      std::size_t layers, const std::string &title) {
  std::ostringstream script;
  script << "set terminal pngcairo size 800,560\n"
         << "set output " << gnuplotQuoted(pngPath) << "\n"
         << "set datafile separator ','\n"
         << "set key top right noenhanced\n"
         << "set grid ytics\n"
         << "set title " << gnuplotQuoted(title) << " noenhanced\n"
         << "set xlabel 'learners run'\n"
         << "set ylabel 'tokens (%)'\n"
         << "set yrange [0:*]\n"
         << "set style data histogram\n"
         << "set style histogram clustered gap 1\n"
         << "set style fill solid 0.85 border -1\n"
         << "plot for [column=2:" << layers + 2 << "] " << gnuplotQuoted(csv)
         << " using (column(column)*100):xtic(1) title columnhead(column)\n";
  return runGnuplot(script.str(), pngPath);
}

std::string formatResultTable(const std::vector<ResultRow> &rows,
                              std::int64_t fullFlops) {
  std::ostringstream table;
  char line[256];
  std::snprintf(line, sizeof line, "%-12s %-24s %12s %7s %9s %9s\n", "config",
                "lengths", "FLOPs", "% full", "val acc", "test acc");
  table << line;
  for (const ResultRow &row : rows) {
    char validation[16] = "-";
    if (row.validationAccuracy)
      std::snprintf(validation, sizeof validation, "%.2f%%",
                    100.0 * *row.validationAccuracy);
    std::snprintf(line, sizeof line, "%-12s %-24s %12lld %6.1f%% %9s %8.2f%%\n",
                  row.name.c_str(), formatLengths(row.lengths).c_str(),
                  static_cast<long long>(row.flops),
                  100.0 * double(row.flops) / double(fullFlops), validation,
                  100.0 * row.testAccuracy);
    table << line;
  }
  return table.str();
}

} // namespace tailor::train
