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
#include "tailor/train/acm.h"
#include "tailor/train/length_config.h"
#include "tailor/train/ssa.h"

#include <torch/torch.h>

namespace tailor::train {

/// What a forward pass records besides its logits (RunConfig::trace).
struct ForwardTrace {
  /// Record each layer's MLP input (after mlp_norm in a pre-norm model) in
  /// mlpInputs.
  bool recordMlpInputs = false;
  std::vector<torch::Tensor> mlpInputs;
  /// Each ACM layer's choice, in layer order.
  std::vector<AcmDecision> acm;
};

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
  /// Where to record the pass's intermediate results (nullptr: nowhere).
  ForwardTrace *trace = nullptr;
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

  torch::nn::Linear upLayer() const { return up; }
  torch::nn::Linear downLayer() const { return down; }

private:
  checkpoint::Activation activation;
  torch::nn::Linear up{nullptr}, down{nullptr};
};
TORCH_MODULE(Mlp);

/// One transformer layer, split where the token selection goes.
class LayerImpl : public torch::nn::Module {
public:
  /// Layer `index` of `config`: its MLP is an ACM when adaptive.acm lists it.
  LayerImpl(const checkpoint::ModelConfig &config, std::int64_t index);
  /// The attention sub-layer (with its residual and norm): new x and the
  /// significance of each token.
  std::pair<torch::Tensor, torch::Tensor>
  attentionBlock(const torch::Tensor &x, const torch::Tensor &keyMask,
                 const SsaPattern *pattern = nullptr);
  /// The MLP sub-layer (with its residual and norm), recording its MLP's
  /// input and ACM choice in `trace` when given.
  torch::Tensor mlpBlock(const torch::Tensor &x, ForwardTrace *trace = nullptr);

  /// The dense MLP, or nullptr in an ACM layer.
  Mlp denseMlp() const { return mlp; }
  /// The ACM, or nullptr in a dense layer.
  AcmMlp acmMlp() const { return acm; }

private:
  bool preNorm;
  MultiHeadAttention attention{nullptr};
  // One of the two, registered as "mlp".
  Mlp mlp{nullptr};
  AcmMlp acm{nullptr};
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
  LayerImpl &layer(std::int64_t index);

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
