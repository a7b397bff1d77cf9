//===- Checkpoint.cpp - A tiny model as a checkpoint ----------------------===//
//
// The same model as buildArtifact, in the form the compiler reads
// (docs/checkpoint-format.md; vocab.txt with a vocabulary), so that the
// compiler's tests can compile it and compare their artifact with this one.
//
//===----------------------------------------------------------------------===//

#include "tailor/testing/TinyModel.h"

#include "tailor/checkpoint/model_config.h"

#include "tailor/safetensors/safetensors.h"
#include "tailor/text/text.h"

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
  nlohmann::json model = checkpoint::toJson(config.toCheckpointConfig());
  safetensors::Writer writer;
  for (const auto &[name, array] : weights)
    writer.addFloat32(name, array.shape, array.toFloat32());
  writer.write(directory + "/model.safetensors");
  std::ofstream json(directory + "/model.json");
  json << model.dump(2) << "\n";
  if (!json)
    throw std::runtime_error("writeCheckpoint: cannot write " + directory +
                             "/model.json");
  if (!config.vocabulary.empty())
    text::Vocabulary::fromWords(config.vocabulary, "test vocabulary")
        .save(directory + "/vocab.txt");
}

} // namespace tailor::testing
