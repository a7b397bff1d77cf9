//===- images.h - Image inputs for vit artifacts -----------------*- C++
//-*-===//
//
// Reading IDX files (the Fashion-MNIST format) and turning 8-bit images into
// the f32 input a vit artifact takes, with the normalization its manifest
// records. tailor-run and the samples feed images through these.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_IMAGES_H
#define TAILOR_IMAGES_H

#include "tailor/runtime.h"

namespace tailor {

/// Reads an IDX file of unsigned bytes, gzip-compressed or not: images
/// (idx3) become a u8 tensor [N, rows, cols], labels (idx1) a u8 tensor [N].
TAILOR_API Result<Tensor> readIdx(const std::string &path);

/// Converts u8 images [N, rows, cols] (or [N, channels, rows, cols]) into the
/// f32 tensor [N, channels, rows, cols] that `model`'s single image input
/// takes: pixels scaled to [0, 1], then normalized with the manifest's
/// model.input_normalization when it has one.
TAILOR_API Result<Tensor> imagesToInput(const Tensor &images,
                                        const Model &model);

} // namespace tailor

#endif // TAILOR_IMAGES_H
