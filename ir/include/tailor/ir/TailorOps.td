//===- TailorOps.td - tailor operations --------------------*- tablegen -*-===//
//
// The ops the importer emits. Activations are ranked tensors whose batch and
// sequence dimensions stay dynamic until a pass folds them; every shape rule
// is checked by the op's C++ verifier (TailorOps.cpp), which names the rule.
//
//===----------------------------------------------------------------------===//

#ifndef TAILOR_IR_TAILOROPS_TD
#define TAILOR_IR_TAILOROPS_TD

include "tailor/ir/TailorAttrs.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Tailor_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Tailor_IntTensor : RankedTensorOf<[I32]>;
def Tailor_MaskTensor : RankedTensorOf<[I1]>;

def Tailor_PositiveI64Attr : ConfinedAttr<I64Attr, [IntPositive]>;

def Tailor_ActivationOrNone
    : DefaultValuedAttr<Tailor_ActivationAttr,
                        "::mlir::tailor::Activation::none">;

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

def Tailor_GlobalOp : Tailor_Op<"global", [
    Symbol, HasParent<"::mlir::ModuleOp">]> {
  let summary = "A weight tensor, named after a checkpoint tensor";
  let description = [{
    Declares a weight at module level. `source` is the checkpoint tensor it
    holds; without it, the symbol name is the tensor name. The shape is
    static and the element type a float type.

    ```mlir
    tailor.global @classifier_w : tensor<10x96xf32> {source = "classifier.weight"}
    ```
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    TypeAttrOf<AnyRankedTensor>:$type,
    OptionalAttr<StrAttr>:$source
  );
  let assemblyFormat = "$sym_name `:` $type attr-dict";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The checkpoint tensor this global holds.
    ::llvm::StringRef getSourceName();
  }];
}

def Tailor_WeightOp : Tailor_Op<"weight", [
    Pure, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Reads a tailor.global";
  let description = [{
    ```mlir
    %w = tailor.weight @classifier_w : tensor<10x96xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$global);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$global attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Embeddings, normalization, dense layers
//===----------------------------------------------------------------------===//

def Tailor_TokenEmbeddingsOp : Tailor_Op<"token_embeddings", [Pure]> {
  let summary = "Word + position (+ token type 0) embeddings of token ids";
  let arguments = (ins
    Tailor_IntTensor:$ids,
    Tailor_FloatTensor:$word,
    Tailor_FloatTensor:$position,
    Optional<Tailor_FloatTensor>:$token_type
  );
  let results = (outs Tailor_FloatTensor:$result);
  let assemblyFormat = [{
    $ids `,` $word `,` $position (`,` $token_type^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tailor_PatchEmbeddingsOp : Tailor_Op<"patch_embeddings", [Pure]> {
  let summary = "ViT patch projection, CLS token and position embeddings";
  let arguments = (ins
    Tailor_FloatTensor:$images,
    Tailor_FloatTensor:$patch_w,
    Tailor_FloatTensor:$patch_b,
    Tailor_FloatTensor:$cls,
    Tailor_FloatTensor:$position,
    Tailor_PositiveI64Attr:$patch_size
  );
  let results = (outs Tailor_FloatTensor:$result);
  let assemblyFormat = [{
    $images `,` $patch_w `,` $patch_b `,` $cls `,` $position attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tailor_LayerNormOp : Tailor_Op<"layer_norm", [Pure]> {
  let summary = "Layer normalization over the last dimension";
  let arguments = (ins
    Tailor_FloatTensor:$x,
    Tailor_FloatTensor:$gamma,
    Tailor_FloatTensor:$beta,
    F32Attr:$epsilon
  );
  let results = (outs Tailor_FloatTensor:$result);
  let assemblyFormat = [{
    $x `,` $gamma `,` $beta attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tailor_LinearOp : Tailor_Op<"linear", [Pure]> {
  let summary = "y = activation(x W^T + b)";
  let arguments = (ins
    Tailor_FloatTensor:$x,
    Tailor_FloatTensor:$w,
    Optional<Tailor_FloatTensor>:$b,
    Tailor_ActivationOrNone:$activation
  );
  let results = (outs Tailor_FloatTensor:$result);
  let assemblyFormat = [{
    $x `,` $w (`,` $b^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tailor_MlpOp : Tailor_Op<"mlp", [Pure]> {
  let summary = "down(activation(up(x))): the transformer's feed-forward block";
  let arguments = (ins
    Tailor_FloatTensor:$x,
    Tailor_FloatTensor:$up_w,
    Tailor_FloatTensor:$up_b,
    Tailor_FloatTensor:$down_w,
    Tailor_FloatTensor:$down_b,
    Tailor_ActivationOrNone:$activation
  );
  let results = (outs Tailor_FloatTensor:$result);
  let assemblyFormat = [{
    $x `,` $up_w `,` $up_b `,` $down_w `,` $down_b attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tailor_AcmOp : Tailor_Op<"acm", [Pure, AttrSizedOperandSegments]> {
  let summary = "Adaptive Computation Module: gated per-token learners";
  let description = [{
    N learners (small MLPs, one entry per learner in each of `up_w`, `up_b`,
    `down_w`, `down_b`) and a linear gate of N logits per token. A token runs
    k = 1 + argmax(gate) learners, the first k, and their outputs are summed
    in order: learner j runs on exactly the tokens whose k exceeds j.
  }];
  let arguments = (ins
    Tailor_FloatTensor:$x,
    Tailor_FloatTensor:$gate_w,
    Tailor_FloatTensor:$gate_b,
    Variadic<Tailor_FloatTensor>:$up_w,
    Variadic<Tailor_FloatTensor>:$up_b,
    Variadic<Tailor_FloatTensor>:$down_w,
    Variadic<Tailor_FloatTensor>:$down_b,
    Tailor_ActivationOrNone:$activation
  );
  let results = (outs Tailor_FloatTensor:$result);
  let assemblyFormat = [{
    $x `gate` `(` $gate_w `,` $gate_b `)` `up` `(` $up_w `)`
    `up_bias` `(` $up_b `)` `down` `(` $down_w `)` `down_bias` `(` $down_b `)`
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

def Tailor_AttentionOp : Tailor_Op<"attention", [
    Pure, AttrSizedOperandSegments]> {
  let summary = "Multi-head scaled dot-product attention";
  let description = [{
    `q`, `k`, `v` are the projected queries, keys and values
    [batch, seq, hidden]; `context_layer` is the per-head attention output
    concatenated back to [batch, seq, hidden]. `key_mask` marks the real
    (non-padding) keys, `sample_head_mask` the heads each sample runs (from
    tailor.layer_policy). `head_mask` and `sparsity` are static: the heads
    the layer keeps and a block-sparse pattern. The optional `significance`
    result is the attention each key token receives, summed over heads and
    queries (the input of tailor.select_tokens).
  }];
  let arguments = (ins
    Tailor_FloatTensor:$q,
    Tailor_FloatTensor:$k,
    Tailor_FloatTensor:$v,
    Optional<Tailor_MaskTensor>:$key_mask,
    Optional<Tailor_MaskTensor>:$sample_head_mask,
    Tailor_PositiveI64Attr:$heads,
    OptionalAttr<Tailor_HeadMaskAttr>:$head_mask,
    OptionalAttr<Tailor_BlockSparseAttr>:$sparsity
  );
  let results = (outs
    Tailor_FloatTensor:$context_layer,
    Optional<Tailor_FloatTensor>:$significance
  );
  let assemblyFormat = [{
    $q `,` $k `,` $v (`key_mask` `(` $key_mask^ `)`)?
    (`sample_head_mask` `(` $sample_head_mask^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Token selection
//===----------------------------------------------------------------------===//

def Tailor_SelectTokensOp : Tailor_Op<"select_tokens", [Pure]> {
  let summary = "Keeps the k most significant tokens, in their original order";
  let description = [{
    `k` is either the static attribute `k` (the result has k tokens) or the
    `index` operand (the result's sequence dimension is dynamic). With
    `keep_first` the first (CLS) token is always kept. `indices` are the
    positions of the kept tokens in `x`, ascending.
  }];
  let arguments = (ins
    Tailor_FloatTensor:$x,
    Tailor_FloatTensor:$significance,
    Optional<Index>:$dynamic_k,
    OptionalAttr<Tailor_PositiveI64Attr>:$k,
    DefaultValuedAttr<BoolAttr, "true">:$keep_first
  );
  let results = (outs Tailor_FloatTensor:$selected, Tailor_IntTensor:$indices);
  let assemblyFormat = [{
    $x `,` $significance (`,` $dynamic_k^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tailor_RestoreTokensOp : Tailor_Op<"restore_tokens", [Pure]> {
  let summary = "Scatters selected tokens back into the full sequence";
  let description = [{
    Drop-and-Restore: row `j` of `selected` replaces row `indices[j]` of
    `full`; the other rows of `full` pass through.
  }];
  let arguments = (ins
    Tailor_FloatTensor:$full,
    Tailor_FloatTensor:$selected,
    Tailor_IntTensor:$indices
  );
  let results = (outs Tailor_FloatTensor:$result);
  let assemblyFormat = [{
    $full `,` $selected `,` $indices attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tailor_GatherTokensOp : Tailor_Op<"gather_tokens", [Pure]> {
  let summary = "Gathers the rows of a per-token tensor that token selection kept";
  let description = [{
    `result[b, j, ...] = x[b, indices[b, j], ...]`: what `select_tokens` does
    to the hidden states, applied to another per-token tensor of any element
    type (the encoder's key mask follows the kept tokens this way).
  }];
  let arguments = (ins AnyRankedTensor:$x, Tailor_IntTensor:$indices);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $x `,` $indices attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tailor_EnsembleMeanOp : Tailor_Op<"ensemble_mean", [Pure]> {
  let summary = "The mean of an ensemble's outputs";
  let description = [{
    `result = (members[0] + ... + members[M-1]) / M`: an SSA model run as
    an ensemble computes its forward body once per sparsity pattern and
    averages the logits. At least 2 members, all of the result's type.

    ```mlir
    %mean = tailor.ensemble_mean %a, %b : tensor<?x10xf32>, tensor<?x10xf32> -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Variadic<Tailor_FloatTensor>:$members);
  let results = (outs Tailor_FloatTensor:$result);
  let assemblyFormat = [{
    $members attr-dict `:` type($members) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Per-sample layer and head selection
//===----------------------------------------------------------------------===//

def Tailor_LayerPolicyOp : Tailor_Op<"layer_policy", [Pure]> {
  let summary = "Contextual-bandit policy: layer count and head mask per sample";
  let description = [{
    Two linear scorers of `features` [batch, F]: `count_w` [layers, F] scores
    running 1..layers layers (the count is the argmax, plus one), `head_w`
    [layers * heads, F] scores each (layer, head) pair, row
    `layer * heads + head`; a head is kept where its score is positive.
  }];
  let arguments = (ins
    Tailor_FloatTensor:$features,
    Tailor_FloatTensor:$count_w,
    Tailor_FloatTensor:$count_b,
    Tailor_FloatTensor:$head_w,
    Tailor_FloatTensor:$head_b,
    Tailor_PositiveI64Attr:$layers,
    Tailor_PositiveI64Attr:$heads
  );
  let results = (outs Tailor_IntTensor:$layer_count, Tailor_MaskTensor:$head_mask);
  let assemblyFormat = [{
    $features `,` $count_w `,` $count_b `,` $head_w `,` $head_b attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tailor_ConditionalLayerOp : Tailor_Op<"conditional_layer", [
    RecursiveMemoryEffects]> {
  let summary = "Runs a layer for the samples whose layer count exceeds it";
  let description = [{
    Samples with `count > layer` run the body on their rows of `x`; the
    others pass `x` through unchanged. The body has one block whose one
    argument has x's type and which ends in `tailor.yield` of x's type.
  }];
  let arguments = (ins
    Tailor_IntTensor:$count,
    Tailor_FloatTensor:$x,
    ConfinedAttr<I64Attr, [IntNonNegative]>:$layer
  );
  let results = (outs Tailor_FloatTensor:$result);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $count `,` $x attr-dict `:` functional-type(operands, results) $body
  }];
  let hasRegionVerifier = 1;
}

def Tailor_YieldOp : Tailor_Op<"yield", [
    Pure, Terminator, ReturnLike, HasParent<"ConditionalLayerOp">]> {
  let summary = "Returns a conditional layer's output";
  let arguments = (ins Tailor_FloatTensor:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

//===----------------------------------------------------------------------===//
// Heads
//===----------------------------------------------------------------------===//

def Tailor_ClassifierOp : Tailor_Op<"classifier", [
    Pure, AttrSizedOperandSegments]> {
  let summary = "Pools the sequence and applies the classification layer";
  let description = [{
    `cls` pools the first token, `mean` averages the tokens, `token`
    classifies every token. With `pooler_w`/`pooler_b` (BERT), the pooled
    vector goes through tanh(pooled W^T + b) first.
  }];
  let arguments = (ins
    Tailor_FloatTensor:$x,
    Tailor_FloatTensor:$w,
    Tailor_FloatTensor:$b,
    Optional<Tailor_FloatTensor>:$pooler_w,
    Optional<Tailor_FloatTensor>:$pooler_b,
    DefaultValuedAttr<Tailor_PoolingAttr, "::mlir::tailor::Pooling::cls">:$pooling
  );
  let results = (outs Tailor_FloatTensor:$logits);
  let assemblyFormat = [{
    $x `,` $w `,` $b (`,` $pooler_w^ `,` $pooler_b)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // TAILOR_IR_TAILOROPS_TD
