//===- fashion_mnist.h - Fashion-MNIST from gzip IDX files ------*- C++ -*-===//
#ifndef TAILOR_TRAIN_FASHION_MNIST_H
#define TAILOR_TRAIN_FASHION_MNIST_H

#include <torch/torch.h>

#include <string>

namespace tailor::train {

/// The contents of one gzip-compressed IDX file (unsigned bytes) with the
/// dimensions its header gives; throws Error naming the file on a bad magic
/// number, a truncated body or trailing bytes.
torch::Tensor readIdxGz(const std::string &path);

struct LabelledImages {
  torch::Tensor images; ///< [N, 1, 28, 28] f32 in [0, 1]
  torch::Tensor labels; ///< [N] i64 in [0, 10)
};

/// `dir`/train-* or `dir`/t10k-*; throws Error when images and labels do not
/// match.
LabelledImages loadFashionMnist(const std::string &dir, bool trainFiles);

/// The patch-level task for Drop-and-Restore: label 1 (foreground) when the
/// patch's mean intensity exceeds `threshold`, else 0, for the patches in
/// row-major order after a kIgnoreLabel column for CLS: [N, 1 + patches].
torch::Tensor patchForegroundLabels(const torch::Tensor &images,
                                    std::int64_t patchSize, double threshold);

} // namespace tailor::train

#endif // TAILOR_TRAIN_FASHION_MNIST_H
