//===- Passes.td - Tailor's passes -------------------------*- tablegen -*-===//
//
// The passes that tailor an imported model (docs/dialect.md, "Passes"): fold
// one variant's configuration into static shapes, then lower the high-level
// ops to kernel steps on buffers and plan their memory.
//
//===----------------------------------------------------------------------===//

#ifndef TAILOR_PASSES_PASSES_TD
#define TAILOR_PASSES_PASSES_TD

include "mlir/Pass/PassBase.td"

def FoldLengthConfig : Pass<"fold-length-config", "::mlir::ModuleOp"> {
  let summary = "Folds one searched length configuration into static shapes";
  let description = [{
    Picks the `tailor.length_configs` entry whose budget is `budget`, replaces
    @forward's last argument (the lengths) by it and drops the argument. Every
    select_tokens gets its static k; one whose k is its input length is the
    identity and disappears, with the gather_tokens and restore_tokens on its
    indices. Result types are refined downstream: the batch stays dynamic,
    every other dimension becomes static. Records the configuration as the
    module's `tailor.variant`.
  }];
  let options = [
    Option<"budget", "budget", "double", "-1.0",
           "budget of the tailor.length_configs entry to fold">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

def FoldLayerConfig : Pass<"fold-layer-config", "::mlir::ModuleOp"> {
  let summary = "Removes the layers a configuration skips";
  let description = [{
    Every layer in `skip` becomes the identity: its output is replaced by its
    input, its token selection keeps every token (the key mask and
    Drop-and-Restore follow), and its ops disappear. Runs before
    fold-length-config, which then records the skipped layers' lengths as
    their input lengths. Records the skipped layers in `tailor.variant`.
  }];
  let options = [
    ListOption<"skip", "skip", "int64_t", "indices of the layers to skip">
  ];
}

def PruneHeads : Pass<"prune-heads", "::mlir::ModuleOp"> {
  let summary = "Slices the heads an attention's head_mask drops out of its weights";
  let description = [{
    For each tailor.attention with a static `head_mask`, the kept heads' rows
    of the query, key and value projections and the kept columns of the
    output projection become derived globals named
    `<tensor>@heads=0,2,5` (docs/artifact-format.md); the attention runs the
    kept heads only.
  }];
}

def LowerToKernels : Pass<"lower-to-kernels", "::mlir::ModuleOp"> {
  let summary = "Lowers @forward to kernel steps on buffers";
  let description = [{
    Every value of @forward gets a `tailor.buffer` (the arguments are the
    model inputs, the returned values the outputs) and every op becomes the
    `tailor.step.*` ops of its kernels: mlp becomes linear (with its
    activation) and linear, arith.addf becomes add. An acm becomes gated
    control flow: the gate's linear, acm_route (learners per token), learner
    0 on every token, one acm_compact per further learner (its tokens packed
    by prefix sums), then per learner an scf.if on tailor.has_rows that
    gathers its rows, runs its two linears on just those rows and
    scatter-adds them into the output. Needs static shapes but for the batch
    (run fold-length-config first).
  }];
  let dependentDialects = ["::mlir::tailor::TailorDialect",
                           "::mlir::scf::SCFDialect"];
}

def NarrowActivations : Pass<"narrow-activations", "::mlir::ModuleOp"> {
  let summary = "Keeps a plan's activations in bf16 or f16";
  let description = [{
    Retypes every f32 `tailor.buffer` of @forward to `type` but those the
    caller sees or that accumulate: model inputs and outputs, attention's
    `significance` and the logits of a classifier or an ensemble. Runs
    after lower-to-kernels and before plan-memory, which then places 2-byte
    elements: the arena halves. Weights stay f32 in the IR; the artifact
    writer stores the matrices at the compiled precision.
  }];
  let options = [
    Option<"type", "type", "std::string", "\"bf16\"",
           "the activations' type: bf16 or f16">
  ];
}

def PackQkv : Pass<"pack-qkv", "::mlir::ModuleOp"> {
  let summary = "Computes an attention's q, k and v with one linear";
  let description = [{
    Three tailor.step.linear (no activation, counts or residual) that read
    one x and write the q, k and v of one tailor.step.attention, each
    buffer read by that attention alone, become one linear with the three
    weights (and biases) stacked along dim 0, writing a [.., 3H] buffer the
    attention reads as its `qkv`. The stacked weights are derived globals
    `<prefix>qkv.weight@concat=<q>|<k>|<v>` (docs/artifact-format.md), the
    parts named as the artifact names them (pruned heads' derived names
    too: runs after prune-heads). Globals no step reads any more go.
  }];
}

def FuseResidualAdd : Pass<"fuse-residual-add", "::mlir::ModuleOp"> {
  let summary = "Folds an add of a linear's output into the linear's residual";
  let description = [{
    A tailor.step.linear without activation or counts, whose output buffer
    only one tailor.step.add reads (and is no model output), where the add's
    other operand is a model input or is written before the linear, becomes
    one linear with that operand as its `residual` writing the add's output;
    the add and the linear's buffer disappear. Both steps must be unguarded
    (directly in @forward, not under an scf.if). The sum is (x W^T + b) +
    residual, in that order, as the add computed it.
  }];
}

def FuseAddLayerNorm : Pass<"fuse-add-layer-norm", "::mlir::ModuleOp"> {
  let summary = "Fuses an add with the layer norm of its sum";
  let description = [{
    A tailor.step.add whose sum a tailor.step.layer_norm later in the same
    block (same guard) reads becomes one tailor.step.add_layer_norm in the
    add's place, writing the norm's output; its `sum` output stays only when
    another step reads the sum (or it is a model output), else the sum's
    buffer goes. Runs after fuse-residual-add, which takes the adds that
    follow a linear.
  }];
}

def PlanMemory : Pass<"plan-memory", "::mlir::ModuleOp"> {
  let summary = "Places the buffers of @forward in a per-sample arena";
  let description = [{
    Gives every tailor.buffer its `offset` for one sample: buffers whose
    lifetimes (from the step that writes them to the last that reads them;
    model inputs from the start, outputs to the end) do not overlap share
    bytes. Sets @forward's `arena_bytes_per_sample`, the peak activation
    memory of the variant per sample, and reports it as a remark.
  }];
}

#endif // TAILOR_PASSES_PASSES_TD
