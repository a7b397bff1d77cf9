//===- model_config.h - A model's architecture and adaptive data -*- C++
//-*-===//
//
// The in-memory form of model.json (docs/checkpoint-format.md): the trainer
// writes it with toJson, the importer reads it with parseModelJson, and
// Hugging Face config.json files are translated into it.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_CHECKPOINT_MODEL_CONFIG_H
#define TAILOR_CHECKPOINT_MODEL_CONFIG_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace tailor::checkpoint {

enum class ModelKind { Encoder, Vit };
enum class NormPlacement { Post, Pre };
enum class Activation { Gelu, GeluTanh, Relu };
enum class TaskKind { Sequence, Token };
/// How a model trained with SSA runs at inference (adaptive.ssa.inference).
enum class SsaInference { Dense, Sparse, Ensemble };

/// The names model.json uses ("encoder", "pre", "gelu_tanh", "token", ...).
std::string_view toString(ModelKind kind);
std::string_view toString(NormPlacement norm);
std::string_view toString(Activation activation);
std::string_view toString(TaskKind task);
std::string_view toString(SsaInference inference);

/// LengthDrop training settings (adaptive.length_drop).
struct LengthDropSettings {
  /// Each layer drops a fraction in [0, p] of its input tokens.
  double p = 0.0;
  /// Probability of skipping a whole layer (LayerDrop).
  double layerDrop = 0.0;
  /// Random sub-models per step besides the largest and smallest (sandwich
  /// rule).
  std::int64_t sandwichRandom = 0;
};

/// The length configuration the search chose for one budget.
struct LengthConfig {
  /// Fraction of the full model's FLOPs it was searched for, in (0, 1].
  double budget = 1.0;
  /// Tokens (CLS included) each layer keeps after its attention.
  std::vector<std::int64_t> lengths;
  std::int64_t flops = 0;
  double accuracy = 0.0;
};

/// One non-dominated (FLOPs, accuracy) point of the search.
struct ParetoPoint {
  std::vector<std::int64_t> lengths;
  std::int64_t flops = 0;
  double accuracy = 0.0;
};

/// One attention sparsity pattern for every layer: masks[l] is layer l's
/// block mask, rows x rows entries (0 or 1) row major, rows =
/// ceil(inputTokens / block); 1 where query block i attends to key block j.
struct SsaPattern {
  std::vector<std::vector<std::int64_t>> masks;
};

/// Stochastically subsampled self-attention (adaptive.ssa).
struct SsaSettings {
  /// Tokens per block (queries and keys alike).
  std::int64_t block = 16;
  /// Fraction of key blocks a query block keeps while training, in (0, 1].
  double keep = 1.0;
  /// How fast the keep probability falls with block distance (0: uniform).
  double locality = 0.0;
  /// Block 0 (CLS) attends to every block and every block attends to it.
  bool globalFirstBlock = true;
  SsaInference inference = SsaInference::Dense;
  /// sparse: exactly one; ensemble: two or more, outputs averaged.
  std::vector<SsaPattern> patterns;
};

/// Adaptive Computation Modules (adaptive.acm): in each listed layer the MLP
/// is `learners` small MLPs of `learnerWidth` hidden units and a linear gate
/// that picks, per token, how many of them run (their outputs are summed).
struct AcmSettings {
  /// Ascending layer indices whose MLP is an ACM.
  std::vector<std::int64_t> layers;
  /// N, at least 2.
  std::int64_t learners = 0;
  /// Each learner's hidden width; learners * learnerWidth == intermediate.
  std::int64_t learnerWidth = 0;
  /// The mean fraction of learners per token training aimed at, in (0, 1].
  double budget = 1.0;
  /// The mean fraction measured at inference (argmax gates) on the test
  /// split, in [1/learners, 1]; absent when not measured.
  std::optional<double> compute;
};

struct AdaptiveConfig {
  /// Absent when the model was trained without LengthDrop.
  std::optional<LengthDropSettings> lengthDrop;
  bool dropAndRestore = false;
  std::vector<LengthConfig> lengthConfigs;
  /// Ascending FLOPs.
  std::vector<ParetoPoint> pareto;
  /// Absent when the model was trained with dense attention.
  std::optional<SsaSettings> ssa;
  /// Absent when every MLP is dense.
  std::optional<AcmSettings> acm;
};

struct ModelConfig {
  ModelKind kind = ModelKind::Encoder;
  std::int64_t layers = 0;
  std::int64_t hidden = 0;
  std::int64_t heads = 0;
  std::int64_t intermediate = 0;
  NormPlacement norm = NormPlacement::Post;
  Activation activation = Activation::Gelu;
  double layerNormEps = 1e-12;
  std::int64_t classes = 0;
  TaskKind task = TaskKind::Sequence;

  // Encoder only.
  std::int64_t vocabSize = 0;
  /// Longest input, CLS included.
  std::int64_t maxPositions = 0;
  /// 0: no token-type embeddings.
  std::int64_t typeVocabSize = 0;
  /// A tanh dense layer on CLS before the classifier (BERT).
  bool pooler = false;

  // ViT only.
  std::int64_t imageSize = 0;
  std::int64_t patchSize = 0;
  std::int64_t channels = 0;

  AdaptiveConfig adaptive;
};

bool operator==(const LengthDropSettings &a, const LengthDropSettings &b);
bool operator==(const LengthConfig &a, const LengthConfig &b);
bool operator==(const ParetoPoint &a, const ParetoPoint &b);
bool operator==(const SsaPattern &a, const SsaPattern &b);
bool operator==(const SsaSettings &a, const SsaSettings &b);
bool operator==(const AcmSettings &a, const AcmSettings &b);
bool operator==(const AdaptiveConfig &a, const AdaptiveConfig &b);
bool operator==(const ModelConfig &a, const ModelConfig &b);
inline bool operator!=(const ModelConfig &a, const ModelConfig &b) {
  return !(a == b);
}

/// layer_norm_eps when model.json leaves it out: 1e-12 post-norm, 1e-6 pre.
double defaultLayerNormEps(NormPlacement norm);

/// Tokens the first layer reads, CLS included: max_positions for an encoder,
/// (image_size / patch_size)^2 + 1 for a ViT.
std::int64_t inputTokens(const ModelConfig &config);
/// The length configuration that drops nothing.
std::vector<std::int64_t> fullLengths(const ModelConfig &config);
/// With Drop-and-Restore (task "token") the dropped tokens come back before
/// the last layer, which then runs on every token.
bool restoresBeforeLastLayer(const ModelConfig &config);

/// Whether layer `layer`'s MLP is an ACM (listed in adaptive.acm.layers).
bool isAcmLayer(const ModelConfig &config, std::int64_t layer);

/// Key blocks per row of an SSA mask: ceil(inputTokens / block).
std::int64_t ssaBlockRows(const ModelConfig &config, std::int64_t block);

/// Parses model.json's object; `where` (the file) starts every error message.
/// Validates as `validate` does. Throws CheckpointError.
ModelConfig parseModelJson(const nlohmann::json &modelJson,
                           std::string_view where);
/// model.json's object for `config` (not validated: call `validate` first
/// when the config comes from elsewhere than parseModelJson).
nlohmann::json toJson(const ModelConfig &config);

/// Checks every rule of docs/checkpoint-format.md: positive sizes, hidden
/// divisible by heads, image_size by patch_size, kind-specific keys, and
/// the adaptive section. Throws CheckpointError naming `where` and the key.
void validate(const ModelConfig &config, std::string_view where);
/// Checks one length configuration against the model: one entry per layer,
/// each in [1, the previous layer's], the first no more than inputTokens,
/// and with Drop-and-Restore the last one equal to inputTokens. `where`
/// names it in the error ("model.json: adaptive.length_configs[1].lengths").
void checkLengths(const ModelConfig &config,
                  const std::vector<std::int64_t> &lengths,
                  std::string_view where);

} // namespace tailor::checkpoint

#endif // TAILOR_CHECKPOINT_MODEL_CONFIG_H
