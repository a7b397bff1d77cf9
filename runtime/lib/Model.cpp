//===- Model.cpp - Loading an artifact and choosing a variant -------------===//

#include "Format.h"
#include "Json.h"
#include "KernelTensors.h"
#include "ModelData.h"

#include <cmath>

namespace tailor {

const detail::Variant *
detail::ModelData::findVariant(std::string_view name) const {
  for (const detail::Variant &variant : manifest.variants)
    if (variant.info.name == name)
      return &variant;
  return nullptr;
}

Status detail::ModelData::unknownVariant(std::string_view name) const {
  std::string names;
  for (const VariantInfo &variant : variants)
    names += (names.empty() ? "'" : ", '") + variant.name + "'";
  return Status::error("unknown variant '" + std::string(name) +
                       "' (the artifact has " + names + ")");
}

Model::Model(std::shared_ptr<const detail::ModelData> data)
    : data(std::move(data)) {}

Result<Model> Model::load(const std::string &path) {
  try {
    // The manifest points into the mapping, so it is parsed only once the
    // file sits where it will stay.
    auto data = std::make_shared<detail::ModelData>(
        detail::ModelData{path, safetensors::File::open(path), {}, {}});
    data->manifest = detail::parseManifest(data->file);
    detail::checkKernelTensors(data->file);
    for (const detail::Variant &variant : data->manifest.variants)
      data->variants.push_back(variant.info);
    return Model(std::move(data));
  } catch (const safetensors::FormatError &error) {
    return Status::error("cannot load artifact '" + path +
                         "': " + std::string(error.what()));
  } catch (const detail::ArtifactError &error) {
    return Status::error("artifact '" + path + "': " + error.what());
  } catch (const std::exception &error) {
    return Status::error("cannot load artifact '" + path +
                         "': " + error.what());
  }
}

const std::string &Model::path() const { return data->path; }
const ModelInfo &Model::info() const { return data->manifest.info; }
const std::vector<TensorInfo> &Model::inputs() const {
  return data->manifest.inputs;
}
const std::vector<TensorInfo> &Model::outputs() const {
  return data->manifest.outputs;
}
const std::vector<VariantInfo> &Model::variants() const {
  return data->variants;
}

Result<VariantInfo> Model::variant(std::string_view name) const {
  if (const detail::Variant *variant = data->findVariant(name))
    return variant->info;
  return data->unknownVariant(name);
}

Result<VariantInfo> Model::variantForBudget(double fraction) const {
  if (!(fraction > 0))
    return Status::error("budget " + detail::formatNumber(fraction) +
                         " is not a positive fraction of the full model");
  // Budgets written as decimals (0.75) must match themselves.
  const double tolerance = 1e-9;
  const VariantInfo *best = nullptr;
  const VariantInfo *smallest = nullptr;
  for (const VariantInfo &variant : data->variants) {
    if (variant.budget <= fraction + tolerance &&
        (!best || variant.budget > best->budget))
      best = &variant;
    if (!smallest || variant.budget < smallest->budget)
      smallest = &variant;
  }
  if (!best)
    return Status::error(
        "no variant fits budget " + detail::formatNumber(fraction) +
        ": the smallest is '" + smallest->name + "' with budget " +
        detail::formatNumber(smallest->budget));
  return *best;
}

Result<VariantInfo> Model::variantForFlops(std::int64_t maxFlops) const {
  const VariantInfo *best = nullptr;
  const VariantInfo *smallest = nullptr;
  for (const VariantInfo &variant : data->variants) {
    if (variant.flops <= maxFlops && (!best || variant.flops > best->flops))
      best = &variant;
    if (!smallest || variant.flops < smallest->flops)
      smallest = &variant;
  }
  if (!best)
    return Status::error("no variant fits " + std::to_string(maxFlops) +
                         " FLOPs per sample: the smallest is '" +
                         smallest->name + "' with " +
                         std::to_string(smallest->flops));
  return *best;
}

} // namespace tailor
