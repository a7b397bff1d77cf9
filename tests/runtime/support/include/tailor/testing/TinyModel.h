//===- TinyModel.h - Small ViTs and encoders with random weights -*- C++
//-*-===//
//
// A model described by a few numbers, with random weights named as in
// docs/checkpoint-format.md, written three ways: as a checkpoint (what the
// compiler reads), as an artifact with one plan per variant (what the
// compiler should emit), and through a naive reference forward pass (what
// both must compute).
//
// Each layer, on S tokens: attention (on the layer-norm of its input for
// pre-norm models), the output projection added to the input (post-norm:
// then normalized); when the variant's length for the layer is below S, the
// tokens with the most attention are kept (select_tokens); then the MLP and
// its residual (compiler/checkpoint/README.md: selection sits between a
// layer's attention and its MLP). Token models (task "token",
// Drop-and-Restore) put the dropped tokens back before the last layer, with
// the values they had when dropped, innermost selection first
// (restore_tokens); the last layer runs on every token, so every input token
// gets logits. The FLOPs are tailor::checkpoint's count.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TESTING_TINYMODEL_H
#define TAILOR_TESTING_TINYMODEL_H

#include "tailor/checkpoint/model_config.h"
#include "tailor/testing/Artifact.h"

#include <map>
#include <optional>
#include <string>

namespace tailor::testing {

struct VariantConfig {
  std::string name;
  double budget = 1.0;
  /// Tokens kept after each layer, CLS included; empty means all.
  std::vector<std::int64_t> lengths;
};

struct ModelConfig {
  std::string kind = "vit";      ///< "vit" or "encoder"
  std::string task = "sequence"; ///< "sequence" or "token"
  std::int64_t layers = 2, hidden = 16, heads = 2, intermediate = 32;
  std::int64_t classes = 5;
  std::string norm = "pre"; ///< "pre" or "post"
  std::string activation = "gelu";
  double layerNormEps = 1e-6;
  std::string pooling = "cls"; ///< sequence task: "cls" or "mean"
  bool pooler = false;
  // encoder: inputs have maxPositions tokens, CLS included
  std::int64_t vocabSize = 40, maxPositions = 10, typeVocabSize = 0;
  /// A key_mask input; like the trainer's, it follows the tokens a
  /// selection keeps (gather_tokens) and is whole again after a restore.
  bool keyMask = false;
  /// The word vocabulary (vocabSize words, the special tokens first):
  /// vocab.txt in the checkpoint, model.vocabulary in the artifact; none
  /// when empty.
  std::vector<std::string> vocabulary;
  // vit
  std::int64_t imageSize = 8, patchSize = 4, channels = 1;
  std::optional<std::pair<double, double>> inputNormalization; ///< mean, std
  std::vector<VariantConfig> variants = {{"full", 1.0, {}}};
  /// SSA (adaptive.ssa): sparse runs every layer with its block mask,
  /// ensemble averages the logits of each pattern's forward pass.
  std::optional<checkpoint::SsaSettings> ssa;
  std::uint64_t seed = 1;
  /// The activation buffers' dtype in the plan: "f32", or "bf16" or "f16"
  /// as tailorc --precision bf16 / fp16 plans them (inputs, significance
  /// and logits stay f32).
  std::string activations = "f32";

  /// Tokens of an input: maxPositions, or patches + CLS.
  std::int64_t tokens() const;
  /// `variant`'s lengths, filled in when empty; throws
  /// checkpoint::CheckpointError when they break the checkpoint format's
  /// rules (one per layer, never increasing, with Drop-and-Restore the last
  /// one all tokens).
  std::vector<std::int64_t> lengthsOf(const VariantConfig &variant) const;
  /// The same model as the checkpoint library describes it, with one length
  /// configuration per variant.
  checkpoint::ModelConfig toCheckpointConfig() const;
};

/// The small models the runtime, compiler and GPU suites share; each suite
/// adds its own variants (these have only the full one).
/// ViT: 8x8 images in 2x2 patches (16 patches + CLS = 17 tokens).
ModelConfig tinyVitModel();
/// Post-norm encoder with token labels (Drop-and-Restore), 10 tokens.
ModelConfig tinyTokenEncoderModel();
/// BERT-like: post-norm, pooler, token types, a key mask, 4 heads, 12 tokens.
ModelConfig tinySequenceEncoderModel();

/// `base` run with SSA (adaptive.ssa) in blocks of `block` tokens, as
/// `inference` says, with `patterns` patterns (1 for sparse). Each layer's
/// mask keeps block 0 (CLS: its row and column are global), the query's own
/// block and one more that differs between layers and patterns. The one
/// variant is the full "b1.00": a pattern covers every token.
ModelConfig withSsa(ModelConfig base, checkpoint::SsaInference inference,
                    int patterns, std::int64_t block);
/// tinySequenceEncoderModel with a vocabulary: the words of `texts`
/// (tailor::text's tokens, each once), so that it runs text.
ModelConfig tinyTextEncoderModel(const std::vector<std::string> &texts);

using Weights = std::map<std::string, Array>;

/// Every tensor the checkpoint format names for `config`, drawn from `seed`.
Weights randomWeights(const ModelConfig &config);

/// The artifact: manifest (model, inputs, outputs, one plan per variant)
/// and the weights. With SSA, the attention steps carry their layer's
/// block_sparse table; an ensemble runs the layers and head once per
/// pattern on the same embeddings and averages the logits (ensemble_mean),
/// as the compiler emits it.
Artifact buildArtifact(const ModelConfig &config, const Weights &weights);

/// model.safetensors and model.json in `directory` (which must exist).
void writeCheckpoint(const ModelConfig &config, const Weights &weights,
                     const std::string &directory);

/// The FLOPs of one sample of `variant`: checkpoint::modelFlops (with SSA,
/// on the kept blocks of each pattern).
std::int64_t countFlops(const ModelConfig &config,
                        const VariantConfig &variant);

/// A model's inputs: images [B, C, I, I] (vit) or ids and keyMask [B * S]
/// (encoder; keyMask empty unless config.keyMask).
struct Inputs {
  std::int64_t batch = 0;
  Array images;
  std::vector<std::int32_t> ids;
  std::vector<std::uint8_t> keyMask;
};

/// Random inputs: pixels in [0, 1), ids in [1, vocab) after id 0 (CLS), and
/// with a key mask, a random number of padding tokens at the end of each.
Inputs randomInputs(const ModelConfig &config, std::int64_t batch,
                    std::uint64_t seed);

/// `texts` as the trainer encodes its glosses (train/lib/task.cpp) for an
/// encoder of `config` with a vocabulary: tailor::text's tokens, then
/// Vocabulary::encode to config.tokens() ids; the key mask is ids != [PAD].
Inputs trainerTextInputs(const ModelConfig &config,
                         const std::vector<std::string> &texts);

/// The logits of `variant` on `inputs`, by the naive reference ops.
Array referenceForward(const ModelConfig &config, const Weights &weights,
                       const VariantConfig &variant, const Inputs &inputs);

} // namespace tailor::testing

#endif // TAILOR_TESTING_TINYMODEL_H
