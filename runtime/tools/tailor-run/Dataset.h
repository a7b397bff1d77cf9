//===- Dataset.h - tailor-run's inputs and labels ---------------*- C++ -*-===//
#ifndef TAILOR_RUN_DATASET_H
#define TAILOR_RUN_DATASET_H

#include "tailor/runtime.h"

#include <map>
#include <string>
#include <vector>

namespace tailor::run {

/// Every sample of the input file as the model's inputs, and the labels.
struct Dataset {
  std::int64_t count = 0;
  /// One tensor per model input, batch dimension = count.
  std::map<std::string, Tensor> inputs;
  /// Empty without a labels file.
  std::vector<std::int32_t> labels;
  /// Tokens of each sample before padding (encoder) or 0 (images).
  std::vector<std::int64_t> lengths;
  /// Texts cut to the model's length, and words encoded as [UNK].
  std::int64_t truncatedTexts = 0;
  std::int64_t unknownWords = 0;

  /// Views of samples [begin, end) of every input.
  std::map<std::string, TensorView> slice(std::int64_t begin,
                                          std::int64_t end) const;
};

/// Reads `inputPath` (IDX images, gzip or not, for a vit; for an encoder,
/// one text per line when the artifact carries a vocabulary and `tokenIds`
/// is false, else one sequence of space-separated token ids per line) and
/// `labelsPath` (empty for none: IDX labels for a vit, one class index per
/// line for an encoder), keeping at most `limit` samples (0: all).
Result<Dataset> loadDataset(const Model &model, const std::string &inputPath,
                            const std::string &labelsPath, std::int64_t limit,
                            bool tokenIds);

} // namespace tailor::run

#endif // TAILOR_RUN_DATASET_H
