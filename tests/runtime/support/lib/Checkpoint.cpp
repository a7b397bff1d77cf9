//===- Checkpoint.cpp - A tiny model as a checkpoint ----------------------===//
//
// The same model as buildArtifact, in the form the compiler reads
// (docs/checkpoint-format.md), so that the compiler's tests can compile it and
// compare their artifact with this one.
//
//===----------------------------------------------------------------------===//

#include "tailor/testing/TinyModel.h"

#include "tailor/safetensors/safetensors.h"

#include <fstream>
#include <stdexcept>

namespace tailor::testing {

void writeCheckpoint(const ModelConfig &config, const Weights &weights,
                     const std::string &directory) {
  if (config.pooling != "cls")
    throw std::invalid_argument(
        "writeCheckpoint: a checkpoint classifies from the CLS token; "
        "pooling '" +
        config.pooling + "' has no checkpoint form");
  nlohmann::json architecture = {{"kind", config.kind},
                                 {"layers", config.layers},
                                 {"hidden", config.hidden},
                                 {"heads", config.heads},
                                 {"intermediate", config.intermediate},
                                 {"norm", config.norm},
                                 {"activation", config.activation},
                                 {"layer_norm_eps", config.layerNormEps},
                                 {"classes", config.classes},
                                 {"task", config.task}};
  if (config.kind == "encoder") {
    architecture["vocab_size"] = config.vocabSize;
    architecture["max_positions"] = config.maxPositions;
    architecture["type_vocab_size"] = config.typeVocabSize;
    architecture["pooler"] = config.pooler;
  } else {
    architecture["image_size"] = config.imageSize;
    architecture["patch_size"] = config.patchSize;
    architecture["channels"] = config.channels;
  }
  nlohmann::json lengthConfigs = nlohmann::json::array();
  for (const VariantConfig &variant : config.variants)
    lengthConfigs.push_back({{"budget", variant.budget},
                             {"lengths", config.lengthsOf(variant)},
                             {"flops", countFlops(config, variant)}});
  nlohmann::json model = {{"format", "tailor-checkpoint"},
                          {"version", 1},
                          {"architecture", architecture},
                          {"adaptive",
                           {{"drop_and_restore", config.task == "token"},
                            {"length_configs", lengthConfigs}}}};

  safetensors::Writer writer;
  for (const auto &[name, array] : weights)
    writer.addFloat32(name, array.shape, array.toFloat32());
  writer.write(directory + "/model.safetensors");
  std::ofstream json(directory + "/model.json");
  json << model.dump(2) << "\n";
  if (!json)
    throw std::runtime_error("writeCheckpoint: cannot write " + directory +
                             "/model.json");
}

} // namespace tailor::testing
