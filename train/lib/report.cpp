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
  FILE *gnuplot = popen("gnuplot 2>&1", "w");
  if (!gnuplot) {
    std::cerr << "warning: cannot start gnuplot; no plot\n";
    return false;
  }
  const std::string text = script.str();
  std::fwrite(text.data(), 1, text.size(), gnuplot);
  int status = pclose(gnuplot);
  if (status != 0) {
    std::cerr << "warning: gnuplot failed (status " << status
              << "); no plot at " << pngPath << '\n';
    return false;
  }
  return true;
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
