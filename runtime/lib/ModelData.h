//===- ModelData.h - What a Model handle shares ------------------*- C++
//-*-===//
#ifndef TAILOR_RUNTIME_MODELDATA_H
#define TAILOR_RUNTIME_MODELDATA_H

#include "Manifest.h"
#include "tailor/runtime.h"
#include "tailor/safetensors/safetensors.h"

namespace tailor::detail {

/// What Model handles share: the mapping and the plans that point into it.
struct ModelData {
  std::string path;
  safetensors::File file;
  Manifest manifest;
  std::vector<VariantInfo> variants;

  /// nullptr when there is no variant of that name.
  const Variant *findVariant(std::string_view name) const;
  /// The error for a variant name that findVariant does not know.
  Status unknownVariant(std::string_view name) const;
};

} // namespace tailor::detail

#endif // TAILOR_RUNTIME_MODELDATA_H
