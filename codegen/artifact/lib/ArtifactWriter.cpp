//===- ArtifactWriter.cpp - Lowered variants into a .tailor file ----------===//

#include "Internal.h"

#include "tailor/safetensors/safetensors.h"

#include <map>

using namespace mlir::tailor;

namespace tailor::artifact {
namespace {

/// The U8 tensor holding the checkpoint's word vocabulary (vocab.txt's
/// form), which the runtime encodes text with.
constexpr const char *vocabularyTensor = "text.vocabulary";

nlohmann::json modelJson(const checkpoint::Checkpoint &checkpoint) {
  const checkpoint::ModelConfig &config = checkpoint.config();
  nlohmann::json model = {
      {"kind", std::string(checkpoint::toString(config.kind))},
      {"task", std::string(checkpoint::toString(config.task))},
      {"classes", config.classes},
      {"hidden", config.hidden},
      {"layers", config.layers},
      {"heads", config.heads},
      {"source", checkpoint.directory()}};
  if (checkpoint.vocabulary())
    model["vocabulary"] = vocabularyTensor;
  return model;
}

/// The manifest and, by tensor name, the globals the steps read (one global
/// per tensor: every variant reads the same checkpoint tensors).
std::pair<nlohmann::json, std::map<std::string, GlobalOp>>
compile(const checkpoint::Checkpoint &checkpoint,
        const std::vector<LoweredVariant> &variants,
        const ArtifactOptions &options) {
  if (variants.empty())
    throw ArtifactError("an artifact needs at least one variant");
  nlohmann::json inputs = detail::modelTensors(variants.front(), true);
  nlohmann::json outputs = detail::modelTensors(variants.front(), false);
  nlohmann::json manifestVariants = nlohmann::json::array();
  std::map<std::string, GlobalOp> weights;
  for (const LoweredVariant &variant : variants) {
    if (detail::modelTensors(variant, true) != inputs ||
        detail::modelTensors(variant, false) != outputs)
      throw ArtifactError("variant '" + variant.name +
                          "' has other model inputs or outputs than variant '" +
                          variants.front().name + "'");
    std::vector<GlobalOp> used;
    manifestVariants.push_back(detail::variantManifest(variant, used));
    for (GlobalOp global : used) {
      auto [entry, inserted] =
          weights.emplace(detail::tensorName(global), global);
      if (!inserted && entry->second.getType() != global.getType())
        throw ArtifactError("weight '" + entry->first +
                            "' has different shapes in two variants");
    }
  }
  nlohmann::json manifest = {{"format", "tailor-artifact"},
                             {"version", 1},
                             {"precision", options.precision},
                             {"model", modelJson(checkpoint)},
                             {"inputs", inputs},
                             {"outputs", outputs},
                             {"variants", manifestVariants}};
  return {manifest, weights};
}

} // namespace

nlohmann::json buildManifest(const checkpoint::Checkpoint &checkpoint,
                             const std::vector<LoweredVariant> &variants,
                             const ArtifactOptions &options) {
  return compile(checkpoint, variants, options).first;
}

void writeArtifact(const std::string &path,
                   const checkpoint::Checkpoint &checkpoint,
                   const std::vector<LoweredVariant> &variants,
                   const ArtifactOptions &options) {
  auto [manifest, weights] = compile(checkpoint, variants, options);
  // A 16-bit artifact stores its matrices (and embedding tables) at 16
  // bits, half the bytes; vectors (biases, norms' gamma and beta) stay f32.
  const safetensors::DType matrices =
      options.precision == "bf16"   ? safetensors::DType::BF16
      : options.precision == "fp16" ? safetensors::DType::F16
                                    : safetensors::DType::F32;
  safetensors::Writer writer;
  for (auto &[name, global] : weights) {
    auto shape =
        llvm::cast<mlir::RankedTensorType>(global.getType()).getShape();
    writer.addFloats(
        name, shape.size() >= 2 ? matrices : safetensors::DType::F32,
        {shape.begin(), shape.end()}, detail::weightValues(checkpoint, global));
  }
  if (const auto &vocabulary = checkpoint.vocabulary()) {
    std::string text = vocabulary->toText();
    writer.add(vocabularyTensor, safetensors::DType::U8,
               {static_cast<std::int64_t>(text.size())}, text.data(),
               text.size());
  }
  for (const KernelTensor &kernel : options.kernels)
    writer.add(kernel.name, safetensors::DType::U8,
               {static_cast<std::int64_t>(kernel.bytes.size())},
               kernel.bytes.data(), kernel.bytes.size());
  writer.setMetadata("tailor.manifest", manifest.dump());
  writer.write(path);
}

} // namespace tailor::artifact
