//===- main.cpp - tailor-run: run an artifact on a dataset ----------------===//
//
// tailor-run model.tailor --input FILE [--labels FILE] [--token-ids]
//            [--variant NAME | --budget F | --all-variants]
//            [--batch N] [--threads N] [--limit N]
//            [--device cpu|cuda:N] [--precision P] [--summary-csv FILE]
//
// Prints the predictions (without labels) or the accuracy (with labels), and
// the latency of every variant it runs; for a model with ACM layers, how many
// learners its tokens ran.
//
//===----------------------------------------------------------------------===//

#include "Dataset.h"
#include "Evaluate.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>

using namespace tailor;

namespace {

struct Options {
  std::string model;
  std::string input;
  std::string labels;
  bool tokenIds = false;
  std::string variant;
  double budget = 0;
  bool allVariants = false;
  std::int64_t batch = 64;
  int threads = 0;
  std::int64_t limit = 0;
  std::string device = "cpu";
  std::string precision; ///< empty: the artifact's (SessionOptions)
  std::string summaryCsv;
};

int fail(const std::string &message) {
  std::cerr << "tailor-run: error: " << message << "\n";
  return 1;
}

Result<std::vector<VariantInfo>> chooseVariants(const Model &model,
                                                const Options &options,
                                                const CLI::App &app) {
  if (options.allVariants)
    return model.variants();
  Result<VariantInfo> chosen =
      app.count("--variant")  ? model.variant(options.variant)
      : app.count("--budget") ? model.variantForBudget(options.budget)
                              : model.variantForBudget(1.0);
  if (!chosen.ok())
    return chosen.status();
  return std::vector<VariantInfo>{*chosen};
}

std::string joined(const std::vector<std::int32_t> &classes) {
  std::string text;
  for (std::int32_t c : classes)
    text += (text.empty() ? "" : ",") + std::to_string(c);
  return text;
}

void printPredictions(const std::vector<VariantInfo> &variants,
                      const std::vector<run::Evaluation> &evaluations) {
  std::cout << "sample";
  for (const VariantInfo &variant : variants)
    std::cout << "\t" << variant.name;
  std::cout << "\n";
  for (std::size_t i = 0; i < evaluations[0].predictions.size(); ++i) {
    std::cout << i;
    for (const run::Evaluation &evaluation : evaluations)
      std::cout << "\t" << joined(evaluation.predictions[i]);
    std::cout << "\n";
  }
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/// One variant's line of the summary.
struct SummaryRow {
  const VariantInfo *variant;
  std::optional<double> accuracy; ///< with labels
  double msPerBatch;              ///< median
  double msPerSample;             ///< all batches' time over the samples
};

std::vector<SummaryRow>
summarize(const std::vector<VariantInfo> &variants,
          const std::vector<run::Evaluation> &evaluations,
          const run::Dataset &dataset) {
  std::vector<SummaryRow> rows;
  for (std::size_t v = 0; v < variants.size(); ++v) {
    const run::Evaluation &evaluation = evaluations[v];
    double total = 0;
    for (double seconds : evaluation.batchSeconds)
      total += seconds;
    std::optional<double> accuracy;
    if (!dataset.labels.empty())
      accuracy = static_cast<double>(evaluation.correct) / dataset.count;
    rows.push_back({&variants[v], accuracy,
                    1e3 * median(evaluation.batchSeconds),
                    1e3 * total / dataset.count});
  }
  return rows;
}

void printSummary(const std::vector<SummaryRow> &rows, std::int64_t batch) {
  std::printf("%-12s %7s %14s %9s %16s %10s\n", "variant", "budget",
              "flops/sample", "accuracy",
              ("ms/batch(" + std::to_string(batch) + ")").c_str(), "ms/sample");
  for (const SummaryRow &row : rows) {
    char accuracy[16] = "-";
    if (row.accuracy)
      std::snprintf(accuracy, sizeof accuracy, "%.4f", *row.accuracy);
    std::printf("%-12s %7.3f %14lld %9s %16.3f %10.4f\n",
                row.variant->name.c_str(), row.variant->budget,
                static_cast<long long>(row.variant->flops), accuracy,
                row.msPerBatch, row.msPerSample);
  }
}

Status writeSummaryCsv(const std::vector<SummaryRow> &rows,
                       const std::string &path) {
  std::ofstream out(path);
  out << "variant,budget,flops,accuracy,ms_per_batch,ms_per_sample\n";
  for (const SummaryRow &row : rows) {
    out << row.variant->name << ',' << row.variant->budget << ','
        << row.variant->flops << ',';
    if (row.accuracy)
      out << *row.accuracy;
    out << ',' << row.msPerBatch << ',' << row.msPerSample << '\n';
  }
  out.flush();
  if (!out)
    return Status::error("cannot write the summary to '" + path + "'");
  return Status();
}

/// Per ACM layer, the share of tokens that ran k = 1..N learners (a token
/// runs learners 0..k-1), and the mean MLP compute, k / N over the tokens.
void printLearners(const VariantInfo &variant,
                   const run::Evaluation &evaluation) {
  if (evaluation.learnerTokens.empty())
    return;
  const std::size_t learners = evaluation.learnerTokens[0].size();
  std::printf("%s: tokens running k learners, per ACM layer\n",
              variant.name.c_str());
  std::printf("%-6s", "layer");
  for (std::size_t k = 1; k <= learners; ++k)
    std::printf(" %7s", ("k=" + std::to_string(k)).c_str());
  std::printf(" %12s\n", "MLP compute");
  double ran = 0, possible = 0;
  for (std::size_t layer = 0; layer < evaluation.learnerTokens.size();
       ++layer) {
    const std::vector<std::int64_t> &tokens = evaluation.learnerTokens[layer];
    const double all = static_cast<double>(tokens[0]);
    std::printf("%-6zu", layer);
    double layerRan = 0;
    for (std::size_t j = 0; j < tokens.size(); ++j) {
      const std::int64_t next = j + 1 < tokens.size() ? tokens[j + 1] : 0;
      std::printf(" %6.1f%%", 100.0 * (tokens[j] - next) / all);
      layerRan += static_cast<double>(tokens[j]);
    }
    std::printf(" %11.1f%%\n", 100.0 * layerRan / (all * tokens.size()));
    ran += layerRan;
    possible += all * static_cast<double>(tokens.size());
  }
  std::printf("%-6s %*s %11.1f%%\n", "all", static_cast<int>(8 * learners - 1),
              "", 100.0 * ran / possible);
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  CLI::App app{"Runs a Tailor artifact on a dataset: Fashion-MNIST IDX images "
               "for a vit; for an encoder, a text file of one text per line "
               "(encoded with the artifact's vocabulary, as in training) or "
               "of token ids. Prints the predictions, or the accuracy with "
               "--labels, and the latency of each variant.",
               "tailor-run"};
  app.add_option("model", options.model, "The .tailor artifact")->required();
  app.add_option("--input", options.input,
                 "IDX images (gzip or not), or one text (or token id "
                 "sequence) per line")
      ->required();
  app.add_option("--labels", options.labels,
                 "IDX labels (vit) or one class index per line (encoder)");
  app.add_flag("--token-ids", options.tokenIds,
               "The encoder's --input holds space-separated token ids, one "
               "sequence per line (always so for an artifact without a "
               "vocabulary)");
  auto *variant =
      app.add_option("--variant", options.variant, "Run the variant NAME");
  auto *budget = app.add_option("--budget", options.budget,
                                "Run the largest variant whose budget is at "
                                "most F (a fraction of the full model)");
  auto *all =
      app.add_flag("--all-variants", options.allVariants, "Run every variant");
  variant->excludes(budget)->excludes(all);
  budget->excludes(all);
  app.add_option("--batch", options.batch, "Samples per run (default 64)")
      ->check(CLI::PositiveNumber);
  app.add_option("--threads", options.threads,
                 "CPU threads (default 0: one per hardware thread)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--limit", options.limit, "Use only the first N samples")
      ->check(CLI::PositiveNumber);
  app.add_option("--device", options.device,
                 "cpu (default) or cuda:N, where the runtime has CUDA");
  app.add_option("--precision", options.precision,
                 "fp32, or on CUDA also tf32, bf16, fp16 (default: the "
                 "artifact's on CUDA, fp32 on the CPU)");
  app.add_option("--summary-csv", options.summaryCsv,
                 "Also write the summary table to FILE as CSV");
  CLI11_PARSE(app, argc, argv);

  Result<Model> model = Model::load(options.model);
  if (!model.ok())
    return fail(model.status().message());
  Result<std::vector<VariantInfo>> variants =
      chooseVariants(*model, options, app);
  if (!variants.ok())
    return fail(variants.status().message());
  Result<run::Dataset> dataset = run::loadDataset(
      *model, options.input, options.labels, options.limit, options.tokenIds);
  if (!dataset.ok())
    return fail(dataset.status().message());
  if (dataset->truncatedTexts > 0)
    std::cerr << "tailor-run: " << dataset->truncatedTexts << " of "
              << dataset->count
              << " texts have more words than the model's sequence holds: "
                 "their first words are kept, as in training\n";
  if (dataset->unknownWords > 0)
    std::cerr << "tailor-run: " << dataset->unknownWords
              << " words are not in the vocabulary and read as [UNK]\n";
  // The session's threads split every GEMM; the BLAS threading each one as
  // well would only oversubscribe the cores. A BLAS without the setting is
  // left as it is.
  setBlasThreads(1);
  Result<Session> session = Session::create(
      *model, {options.device, options.threads, options.precision});
  if (!session.ok())
    return fail(session.status().message());

  std::vector<run::Evaluation> evaluations;
  for (const VariantInfo &info : *variants) {
    Result<run::Evaluation> evaluation =
        run::evaluate(*session, *model, info, *dataset, options.batch);
    if (!evaluation.ok())
      return fail(evaluation.status().message());
    evaluations.push_back(std::move(*evaluation));
  }
  if (dataset->labels.empty())
    printPredictions(*variants, evaluations);
  std::vector<SummaryRow> rows = summarize(*variants, evaluations, *dataset);
  printSummary(rows, options.batch);
  for (std::size_t v = 0; v < variants->size(); ++v)
    printLearners((*variants)[v], evaluations[v]);
  if (!options.summaryCsv.empty()) {
    Status written = writeSummaryCsv(rows, options.summaryCsv);
    if (!written.ok())
      return fail(written.message());
  }
  return 0;
}
