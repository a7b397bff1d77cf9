//===- BrokenArtifacts.cpp - Artifacts broken one way each ----------------===//

#include "BrokenArtifacts.h"

#include "tailor/safetensors/safetensors.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace tailor::testing {
namespace {

using Edit = std::function<void(Artifact &)>;

/// A case that edits the artifact's data before writing it.
BrokenArtifact edited(std::string name, Edit edit,
                      std::vector<std::string> messages) {
  return {std::move(name),
          [edit](const Artifact &artifact, const std::string &path) {
            Artifact broken = artifact;
            edit(broken);
            broken.write(path);
          },
          std::move(messages)};
}

nlohmann::json &step(Artifact &artifact, const std::string &op, int nth = 0) {
  for (nlohmann::json &s : artifact.manifest["variants"][0]["steps"])
    if (s["op"] == op && nth-- == 0)
      return s;
  throw std::runtime_error("no step " + op);
}

nlohmann::json &buffer(Artifact &artifact, const std::string &name) {
  for (nlohmann::json &b : artifact.manifest["variants"][0]["buffers"])
    if (b["name"] == name)
      return b;
  throw std::runtime_error("no buffer " + name);
}

/// The artifact's weights and `manifest` written directly, bypassing
/// Artifact::write, with `bias` as I32.
void writeWithIntBias(const Artifact &artifact, const std::string &path) {
  safetensors::Writer writer;
  for (const auto &[name, array] : artifact.weights)
    if (name != "classifier.bias")
      writer.addFloat32(name, array.shape, array.toFloat32());
  const Array &bias = artifact.weights.at("classifier.bias");
  std::vector<std::int32_t> ints(bias.size(), 1);
  writer.add("classifier.bias", safetensors::DType::I32, bias.shape,
             ints.data(), ints.size() * sizeof(std::int32_t));
  writer.setMetadata("tailor.manifest", artifact.manifest.dump());
  writer.write(path);
}

} // namespace

ModelConfig brokenArtifactModel() {
  ModelConfig config;
  config.variants = {{"full", 1.0, {}}, {"half", 0.5, {4, 3}}};
  return config;
}

std::vector<BrokenArtifact> brokenArtifacts() {
  return {
      {"MissingFile",
       [](const Artifact &, const std::string &) {},
       {"cannot load artifact", "broken.tailor"}},
      {"TruncatedFile",
       [](const Artifact &artifact, const std::string &path) {
         artifact.write(path);
         std::filesystem::resize_file(path,
                                      std::filesystem::file_size(path) / 2);
       },
       {"cannot load artifact", "broken.tailor"}},
      {"NotSafetensors",
       [](const Artifact &, const std::string &path) {
         std::ofstream(path) << "this is not a safetensors file at all\n";
       },
       {"cannot load artifact", "broken.tailor"}},
      {"NoManifest",
       [](const Artifact &, const std::string &path) {
         safetensors::Writer writer;
         writer.addFloat32("w", {2}, {1.0f, 2.0f});
         writer.write(path);
       },
       {"no \"tailor.manifest\" in the safetensors metadata: not a Tailor "
        "artifact"}},
      {"ManifestIsNotJson",
       [](const Artifact &, const std::string &path) {
         safetensors::Writer writer;
         writer.addFloat32("w", {2}, {1.0f, 2.0f});
         writer.setMetadata("tailor.manifest", "{\"format\": ");
         writer.write(path);
       },
       {"the manifest is not valid JSON"}},
      edited("WrongFormat",
             [](Artifact &a) { a.manifest["format"] = "tailor-checkpoint"; },
             {"manifest.format: expected \"tailor-artifact\", got "
              "\"tailor-checkpoint\""}),
      edited("WrongVersion", [](Artifact &a) { a.manifest["version"] = 2; },
             {"manifest.version: version 2 is not supported (this runtime "
              "reads version 1)"}),
      edited("MissingField",
             [](Artifact &a) {
               a.manifest["variants"][1].erase("arena_bytes_per_sample");
             },
             {"manifest.variants[1] ('half'): missing required field "
              "'arena_bytes_per_sample'"}),
      edited("MissingModelField",
             [](Artifact &a) { a.manifest["model"].erase("classes"); },
             {"manifest.model: missing required field 'classes'"}),
      edited("FieldOfTheWrongType",
             [](Artifact &a) { a.manifest["variants"][0]["budget"] = "all"; },
             {"manifest.variants[0] ('full').budget: expected a number, got "
              "string \"all\""}),
      edited("AttributeOfTheWrongType",
             [](Artifact &a) { step(a, "attention")["attrs"]["heads"] = 2.5; },
             {"(attention).attrs.heads: expected an integer, got number 2.5"}),
      edited("UnknownOp",
             [](Artifact &a) { step(a, "add")["op"] = "convolution"; },
             {"manifest.variants[0] ('full').steps[", ".op: unknown op "
                                                      "'convolution'"}),
      edited(
          "StepNamesAnUnknownBuffer",
          [](Artifact &a) { step(a, "linear", 1)["inputs"]["x"] = "h9"; },
          {"(linear).inputs.x: names buffer 'h9', which the variant does not "
           "declare"}),
      edited("StepNamesAnUnknownWeight",
             [](Artifact &a) {
               step(a, "classifier")["weights"]["weight"] = "head.weight";
             },
             {"(classifier).weights.weight: names tensor 'head.weight', which "
              "is not in the file"}),
      edited("StepLacksARequiredRole",
             [](Artifact &a) { step(a, "attention")["inputs"].erase("k"); },
             {"(attention): takes inputs 'q', 'k' and 'v', or 'qkv' alone"}),
      edited("WeightOfTheWrongShape",
             [](Artifact &a) {
               a.weights["classifier.weight"] = Array({5, 17});
             },
             {"weight 'weight' (tensor 'classifier.weight') has shape [5, 17], "
              "expected [5, 16]"}),
      {"WeightOfTheWrongDtype",
       writeWithIntBias,
       {"tensor 'classifier.bias' has dtype I32; weights are F32, BF16 or "
        "F16"}},
      edited(
          "BufferShapeDisagreesWithTheOp",
          [](Artifact &a) {
            buffer(a, "l0.q")["shape"] = {-1, 5, 8};
          },
          {"(linear): output 'y' (buffer 'l0.q') is f32 [-1, 5, 8], expected "
           "f32 [-1, 5, 16]"}),
      edited("StepMixesActivationWidths",
             [](Artifact &a) { buffer(a, "l0.q")["dtype"] = "bf16"; },
             {"(linear): mixes f32 and 16-bit activations: input 'x'",
              "output 'y' (buffer 'l0.q') is 16-bit"}),
      edited("ResidualOfTheWrongShape",
             [](Artifact &a) {
               step(a, "linear", 1)["inputs"]["residual"] = "logits";
             },
             {"steps[", "(linear): input 'residual' (buffer 'logits') is f32 "
                        "[-1, 5], expected f32 [-1, 5, "}),
      edited(
          "AttentionWithQkvAndQ",
          [](Artifact &a) { step(a, "attention")["inputs"]["qkv"] = "l0.q"; },
          {"(attention): takes inputs 'q', 'k' and 'v', or 'qkv' alone"}),
      edited("BufferOutsideTheArena",
             [](Artifact &a) {
               a.manifest["variants"][0]["arena_bytes_per_sample"] = 1024;
             },
             {"manifest.variants[0] ('full').buffers[",
              "lie outside the arena of 1024 bytes per sample"}),
      edited(
          "MisalignedBuffer",
          [](Artifact &a) { buffer(a, "logits")["offset_per_sample"] = 2; },
          {"offset_per_sample: 2 is not a multiple of the f32 element size"}),
      edited("PlanOverlapsBuffersThatAreLiveTogether",
             [](Artifact &a) {
               buffer(a, "l0.k")["offset_per_sample"] =
                   buffer(a, "l0.q")["offset_per_sample"];
             },
             {"(attention) reads input 'q': buffer 'l0.q' was overwritten by",
              "which wrote buffer 'l0.k' over its bytes"}),
      edited("StepReadsABufferBeforeItIsWritten",
             [](Artifact &a) {
               nlohmann::json &steps = a.manifest["variants"][0]["steps"];
               std::swap(steps[0], steps[1]);
             },
             {"steps[0] (layer_norm) reads input 'x': buffer 'embeddings' is "
              "read before any step writes it"}),
      edited("ModelInputWithoutABuffer",
             [](Artifact &a) { a.manifest["inputs"][0]["name"] = "pixels"; },
             {"no buffer for the model input 'pixels'"}),
      edited("LengthsDisagreeWithTheLayers",
             [](Artifact &a) { a.manifest["variants"][1]["lengths"] = {4}; },
             {"manifest.variants[1] ('half').lengths: has 1 entries but the "
              "model has 2 layers"}),
      edited("VitWithAVocabulary",
             [](Artifact &a) {
               a.manifest["model"]["vocabulary"] = "text.vocabulary";
               a.byteTensors["text.vocabulary"] = "[PAD]\n[UNK]\n[CLS]\n";
             },
             {"manifest.model.vocabulary: a vit takes no text; only an encoder "
              "has a vocabulary"}),
  };
}

} // namespace tailor::testing
