//===- fill_weights.cpp - Random weights into a benchmark artifact --------===//
//
// Overwrites, in place, every float weight of an artifact (F32, or BF16 and
// F16 in a 16-bit artifact, rounded to nearest) with random values
// drawn from a seed, leaving the header, the manifest and the kernels as the
// compiler wrote them. The benchmark artifacts travel to the GPU machine with
// zero weights (they compress to almost nothing); this gives every system
// the same real weights there. Norm scales get 1, biases and norm shifts
// small values, other weights N(0, 1/fan_in): activations keep unit scale
// and attention is peaked enough that token selection is not decided by
// rounding.
//
//===----------------------------------------------------------------------===//

#include "tailor/safetensors/safetensors.h"

#include <CLI/CLI.hpp>

#include <cmath>
#include <fstream>
#include <iostream>
#include <random>

namespace {

bool endsWith(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<float> drawWeights(const tailor::safetensors::TensorInfo &tensor,
                               std::mt19937_64 &random) {
  std::vector<float> values(tensor.numElements());
  const bool isNorm = tensor.name.find("norm.") != std::string::npos;
  if (isNorm && endsWith(tensor.name, ".weight")) {
    std::fill(values.begin(), values.end(), 1.0f);
    return values;
  }
  double scale = 0.02;
  if (!isNorm && !endsWith(tensor.name, ".bias") && tensor.shape.size() == 2 &&
      tensor.name.find("embeddings.word") == std::string::npos &&
      tensor.name.find("position") == std::string::npos)
    scale = 1.0 / std::sqrt(static_cast<double>(tensor.shape[1]));
  std::normal_distribution<float> normal(0.0f, static_cast<float>(scale));
  for (float &value : values)
    value = normal(random);
  return values;
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"Fills an artifact's float weights with seeded random values, "
               "in place"};
  std::string path;
  std::uint64_t seed = 1;
  app.add_option("ARTIFACT", path, "The .tailor file")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--seed", seed, "Random seed")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    std::vector<tailor::safetensors::TensorInfo> weights;
    std::uint64_t dataOffset = 0;
    {
      auto file = tailor::safetensors::File::open(path);
      dataOffset = file.dataOffset();
      for (const auto &tensor : file.tensors())
        if (tensor.dtype == tailor::safetensors::DType::F32 ||
            tensor.dtype == tailor::safetensors::DType::BF16 ||
            tensor.dtype == tailor::safetensors::DType::F16)
          weights.push_back(tensor);
    }
    std::mt19937_64 random(seed);
    std::fstream stream(path, std::ios::in | std::ios::out | std::ios::binary);
    if (!stream)
      throw std::runtime_error("cannot open " + path + " for writing");
    std::uint64_t bytes = 0;
    for (const auto &tensor : weights) {
      std::vector<float> values = drawWeights(tensor, random);
      std::vector<std::uint16_t> narrowed;
      const char *bytesOut = reinterpret_cast<const char *>(values.data());
      if (tensor.dtype != tailor::safetensors::DType::F32) {
        narrowed = tailor::safetensors::narrowFloats(
            values.data(), values.size(), tensor.dtype);
        bytesOut = reinterpret_cast<const char *>(narrowed.data());
      }
      stream.seekp(static_cast<std::streamoff>(dataOffset + tensor.begin));
      stream.write(bytesOut, static_cast<std::streamsize>(tensor.numBytes()));
      bytes += tensor.numBytes();
    }
    stream.flush();
    if (!stream)
      throw std::runtime_error("writing " + path + " failed");
    std::cout << "bench-fill-weights: " << weights.size() << " tensors, "
              << bytes / (1 << 20) << " MiB of " << path << " (seed " << seed
              << ")\n";
  } catch (const std::exception &error) {
    std::cerr << "bench-fill-weights: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
