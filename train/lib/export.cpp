//===- export.cpp - Writing a trained model as a checkpoint ---------------===//

#include "tailor/train/export.h"
#include "tailor/train/error.h"

#include <filesystem>
#include <fstream>
#include <map>

namespace tailor::train {

void exportCheckpoint(AdaptiveTransformer &model,
                      const checkpoint::ModelConfig &config,
                      const std::string &dir) {
  checkpoint::validate(config, dir + "/model.json");
  checkpoint::ModelConfig architecture = config;
  architecture.adaptive = model->config().adaptive;
  if (architecture != model->config())
    throw Error("export to " + dir +
                ": the config's architecture is not the model's");

  std::map<std::string, torch::Tensor> parameters;
  for (const auto &named : model->named_parameters())
    parameters.emplace(named.key(), named.value());
  safetensors::Writer writer;
  for (const checkpoint::TensorSpec &spec :
       checkpoint::expectedTensors(config)) {
    auto found = parameters.find(spec.name);
    if (found == parameters.end())
      throw Error("export to " + dir + ": the model has no tensor '" +
                  spec.name + "'");
    torch::Tensor values =
        found->second.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    if (values.sizes().vec() != spec.shape)
      throw Error("export to " + dir + ": tensor '" + spec.name + "' is " +
                  c10::str(values.sizes()) + ", the format expects " +
                  c10::str(c10::IntArrayRef(spec.shape)));
    writer.add(spec.name, safetensors::DType::F32, spec.shape,
               values.data_ptr<float>(),
               static_cast<std::size_t>(values.numel()) * sizeof(float));
    parameters.erase(found);
  }
  if (!parameters.empty())
    throw Error("export to " + dir + ": the model has tensor '" +
                parameters.begin()->first +
                "', which the checkpoint format does not know");

  std::filesystem::create_directories(dir);
  writer.write(dir + "/model.safetensors");
  // Through a temporary file, as the safetensors writer does, so a failed
  // write never leaves a half model.json beside the weights.
  const std::string jsonPath = dir + "/model.json";
  {
    std::ofstream out(jsonPath + ".tmp");
    out << checkpoint::toJson(config).dump(2) << '\n';
    if (!out)
      throw Error(jsonPath + ": cannot write");
  }
  std::filesystem::rename(jsonPath + ".tmp", jsonPath);
}

} // namespace tailor::train
