//===- Harness.h - What the runtime tests share ------------------*- C++
//-*-===//
#ifndef TAILOR_TESTS_RUNTIME_HARNESS_H
#define TAILOR_TESTS_RUNTIME_HARNESS_H

#include "tailor/runtime.h"
#include "tailor/testing/TinyModel.h"

#include <map>
#include <random>
#include <string>

namespace tailor::testing {

/// A fresh directory under $TMPDIR (or /tmp), removed with its contents.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  std::string path(const std::string &name) const { return root + "/" + name; }

private:
  std::string root;
};

/// Named host tensors that own their data, handed to Session::run as views.
class HostTensors {
public:
  void add(const std::string &name, DType dtype,
           std::vector<std::int64_t> shape, const void *data);
  void addF32(const std::string &name, const Array &array);
  std::map<std::string, TensorView> views() const;

private:
  std::map<std::string, Tensor> tensors;
};

/// The model inputs of `inputs` for an artifact of `config`.
HostTensors modelInputs(const ModelConfig &config, const Inputs &inputs);

/// An f32 output as an Array.
Array toArray(const Tensor &tensor);

/// An artifact whose one variant ("only") runs the steps given, with the
/// model inputs and outputs declared here; for testing ops one at a time.
class SmallPlan {
public:
  SmallPlan &input(const std::string &name, const std::string &dtype,
                   std::vector<std::int64_t> dims);
  SmallPlan &output(const std::string &name, const std::string &dtype,
                    std::vector<std::int64_t> dims);
  /// A buffer that is neither a model input nor an output.
  SmallPlan &buffer(const std::string &name, const std::string &dtype,
                    std::vector<std::int64_t> dims);
  SmallPlan &weight(const std::string &name, const Array &array);
  SmallPlan &step(const std::string &op, nlohmann::json inputs,
                  nlohmann::json outputs,
                  nlohmann::json weights = nlohmann::json(),
                  nlohmann::json attrs = nlohmann::json(),
                  const std::string &guard = "");
  Artifact artifact() const;

private:
  PlanBuilder plan;
  nlohmann::json inputs = nlohmann::json::array();
  nlohmann::json outputs = nlohmann::json::array();
  std::vector<std::string> inputNames, outputNames;
  std::map<std::string, Array> weights;
};

/// The compiler's fused steps (a linear on packed q|k|v and the attention
/// reading them, linears with a residual after none and after an erf GELU,
/// add_layer_norm keeping its sum) between token embeddings and two
/// per-token classifiers (outputs `sum_logits` and `normed_logits`, f32
/// [-1, 7, 5]), its activations of `activations` ("f32" or "bf16"); input
/// `ids` i32 [-1, 7] below 50.
SmallPlan fusedStepsPlan(const std::string &activations, std::int64_t hidden,
                         std::mt19937_64 &random);

/// Writes an IDX file of unsigned bytes (gzip-compressed when `gzip`).
void writeIdx(const std::string &path, const std::vector<std::int64_t> &dims,
              const std::vector<std::uint8_t> &bytes, bool gzip = false);

/// The f32 images a vit artifact of `config` gets from 8-bit `pixels`
/// [batch, C, I, I], normalized as tailor::imagesToInput does.
Inputs imageInputs(const ModelConfig &config,
                   const std::vector<std::uint8_t> &pixels, std::int64_t batch);

/// The index of the largest logit of each row of `logits` [rows, classes].
std::vector<std::int32_t> argmaxRows(const Array &logits);

/// `count` random 8-bit images for a vit of `config`, picked from many so
/// that the reference predictions of `variant` (returned in `predictions`)
/// take turns among every class that occurs: a runtime that confuses
/// images cannot match them all.
std::vector<std::uint8_t>
imagesOfSeveralClasses(const ModelConfig &config, const Weights &weights,
                       const VariantConfig &variant, std::int64_t count,
                       std::uint64_t seed,
                       std::vector<std::int32_t> &predictions);

/// Loads `path`; throws std::runtime_error with the runtime's message (a
/// test failure) when it cannot.
Model loadModel(const std::string &path);

/// Runs `variant` of `model` once; throws std::runtime_error on an error.
std::map<std::string, Tensor> runModel(const Model &model,
                                       const std::string &variant,
                                       const HostTensors &inputs,
                                       int threads = 2);
/// The same on a session made with `options` (a device, a precision).
std::map<std::string, Tensor> runModel(const Model &model,
                                       const std::string &variant,
                                       const HostTensors &inputs,
                                       const SessionOptions &options);

} // namespace tailor::testing

#endif // TAILOR_TESTS_RUNTIME_HARNESS_H
