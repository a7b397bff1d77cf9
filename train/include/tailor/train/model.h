//===- model.h - Length-adaptive text encoder and ViT -----------*- C++ -*-===//
//
// One module for both kinds of docs/checkpoint-format.md: its parameter names
// are the checkpoint's tensor names, so export and import are a walk over
// named_parameters(). Every layer can drop tokens after its attention
// sub-layer (train/README.md, "Token selection").
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TRAIN_MODEL_H
#define TAILOR_TRAIN_MODEL_H

#include "tailor/checkpoint/checkpoint.h"
#include "tailor/train/length_config.h"
#include "tailor/train/ssa.h"

#include <torch/torch.h>

namespace tailor::train {

/// How one forward pass runs.
struct RunConfig {
  /// Tokens each layer keeps; empty keeps every token everywhere.
  Lengths lengths;
  /// LayerDrop: true skips the layer (its token selection too); empty skips
  /// none.
  std::vector<bool> skipLayers;
  /// SSA: one block-sparse pattern per layer; empty runs dense attention.
  /// Does not combine with token dropping (lengths below the input's).
  std::vector<SsaPattern> ssaPatterns;
};

class MultiHeadAttentionImpl : public torch::nn::Module {
public:
  MultiHeadAttentionImpl(std::int64_t hidden, std::int64_t heads);
  /// x [batch, seq, hidden], keyMask [batch, seq] bool (undefined: all
  /// real) -> output projection [batch, seq, hidden] and the significance
  /// [batch, seq] of each token. With `pattern`, attention runs on its
  /// blocks only and the significance is undefined.
  std::pair<torch::Tensor, torch::Tensor>
  forward(const torch::Tensor &x, const torch::Tensor &keyMask,
          const SsaPattern *pattern = nullptr);

private:
  std::int64_t heads;
  torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr},
      output{nullptr};
};
TORCH_MODULE(MultiHeadAttention);

class MlpImpl : public torch::nn::Module {
public:
  MlpImpl(std::int64_t hidden, std::int64_t intermediate,
          checkpoint::Activation activation);
  torch::Tensor forward(const torch::Tensor &x);

private:
  checkpoint::Activation activation;
  torch::nn::Linear up{nullptr}, down{nullptr};
};
TORCH_MODULE(Mlp);

/// One transformer layer, split where the token selection goes.
class LayerImpl : public torch::nn::Module {
public:
  explicit LayerImpl(const checkpoint::ModelConfig &config);
  /// The attention sub-layer (with its residual and norm): new x and the
  /// significance of each token.
  std::pair<torch::Tensor, torch::Tensor>
  attentionBlock(const torch::Tensor &x, const torch::Tensor &keyMask,
                 const SsaPattern *pattern = nullptr);
  /// The MLP sub-layer (with its residual and norm).
  torch::Tensor mlpBlock(const torch::Tensor &x);

private:
  bool preNorm;
  MultiHeadAttention attention{nullptr};
  Mlp mlp{nullptr};
  torch::nn::LayerNorm attention_norm{nullptr}, mlp_norm{nullptr};
};
TORCH_MODULE(Layer);

class AdaptiveTransformerImpl : public torch::nn::Module {
public:
  /// Throws Error on a configuration the model cannot be built from.
  explicit AdaptiveTransformerImpl(checkpoint::ModelConfig config);

  /// Images [batch, channels, size, size] (vit) or token ids [batch, seq]
  /// (encoder, CLS first, padding last) -> logits [batch, classes]
  /// (sequence task) or [batch, seq, classes] (token task).
  torch::Tensor forward(const torch::Tensor &inputs, const RunConfig &run = {});

  const checkpoint::ModelConfig &config() const { return modelConfig; }
  /// The lengths a configuration may take for this model.
  LengthSpace lengthSpace() const;

private:
  /// Tokens [batch, seq, hidden] and the key mask (undefined for images).
  std::pair<torch::Tensor, torch::Tensor> embed(const torch::Tensor &inputs);
  torch::Tensor head(const torch::Tensor &x);
  void initialize();

  checkpoint::ModelConfig modelConfig;
  std::int64_t tokens;
  torch::nn::ModuleList layers;
  torch::nn::LayerNorm final_norm{nullptr};
  torch::nn::Linear pooler{nullptr}, classifier{nullptr};
  // Text embeddings (encoder) or patch embeddings (vit): see
  // docs/checkpoint-format.md for which exist.
  std::shared_ptr<torch::nn::Module> embeddings;
  torch::nn::Embedding word{nullptr}, position{nullptr}, token_type{nullptr};
  torch::nn::LayerNorm embeddings_norm{nullptr};
  torch::nn::Linear patch{nullptr};
  torch::Tensor cls, patchPosition;
};
TORCH_MODULE(AdaptiveTransformer);

} // namespace tailor::train

#endif // TAILOR_TRAIN_MODEL_H
