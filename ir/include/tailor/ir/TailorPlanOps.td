//===- TailorPlanOps.td - the low-level plan form ----------*- tablegen -*-===//
//
// What `lower-to-kernels` produces and the artifact writer reads: activation
// buffers (`tailor.buffer`, memrefs whose only dynamic dimension is the
// batch) and kernel steps on them (`tailor.step.*`), one op per step op of
// docs/artifact-format.md. A step names its buffers and weights by the
// manifest's roles, so the writer turns a step into JSON without knowing the
// op; each op's verifier checks the roles and the shape rules of its kernel.
//
//===----------------------------------------------------------------------===//

#ifndef TAILOR_IR_TAILORPLANOPS_TD
#define TAILOR_IR_TAILORPLANOPS_TD

include "tailor/ir/TailorAttrs.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Activations are f32, or bf16 or f16 after narrow-activations.
def Tailor_BufferType : MemRefRankOf<[F32, BF16, F16, I32, I1],
                                     [1, 2, 3, 4, 5]>;

def Tailor_StepActivation
    : DefaultValuedAttr<Tailor_ActivationAttr,
                        "::mlir::tailor::Activation::none">;

//===----------------------------------------------------------------------===//
// Buffers
//===----------------------------------------------------------------------===//

def Tailor_BufferOp : Tailor_Op<"buffer"> {
  let summary = "An activation buffer of the plan, or a model input or output";
  let description = [{
    A buffer in the per-sample arena: its shape is static but for the leading
    batch dimension. `input` / `output` give the position of a model input or
    output (the runtime copies it in or out); `offset` is its byte offset for
    one sample, set by `plan-memory` (a run with batch B places it at
    B * offset). i1 buffers (key masks) hold one byte per element (u8).

    ```mlir
    %images = tailor.buffer "images" {input = 0 : i64} : memref<?x1x28x28xf32>
    %h = tailor.buffer "embeddings" {offset = 0 : i64} : memref<?x50x96xf32>
    ```
  }];
  let arguments = (ins
    StrAttr:$name,
    OptionalAttr<ConfinedAttr<I64Attr, [IntNonNegative]>>:$input,
    OptionalAttr<ConfinedAttr<I64Attr, [IntNonNegative]>>:$output,
    OptionalAttr<ConfinedAttr<I64Attr, [IntNonNegative]>>:$offset
  );
  let results = (outs Tailor_BufferType:$buffer);
  let assemblyFormat = "$name attr-dict `:` type($buffer)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Bytes of one sample (the shape without the batch times the element
    /// size).
    int64_t getBytesPerSample();
  }];
}

//===----------------------------------------------------------------------===//
// Steps
//===----------------------------------------------------------------------===//

def Tailor_StepOpInterface : OpInterface<"StepOpInterface"> {
  let description = [{
    A kernel step: buffers by role (`inputs` with `input_roles`, `outputs`
    with `output_roles`), weights by role (`weights`, role -> @global), and
    the kernel's attributes.
  }];
  let cppNamespace = "::mlir::tailor";
  let methods = [
    InterfaceMethod<"The step's op name in the artifact (`linear`, ...)",
      "::llvm::StringRef", "getKernelName", (ins), [{}], [{
        return $_op->getName().getStringRef().drop_front(
            ::llvm::StringRef("tailor.step.").size());
      }]>,
    InterfaceMethod<"Buffers the step reads", "::mlir::OperandRange",
      "getInputs">,
    InterfaceMethod<"Role of each input", "::mlir::ArrayAttr",
      "getInputRoles">,
    InterfaceMethod<"Buffers the step writes", "::mlir::OperandRange",
      "getOutputs">,
    InterfaceMethod<"Role of each output", "::mlir::ArrayAttr",
      "getOutputRoles">,
    InterfaceMethod<"Weights by role (null: none)", "::mlir::DictionaryAttr",
      "getWeightsAttr">,
    StaticInterfaceMethod<"The roles the op takes", "::mlir::tailor::StepSchema",
      "getSchema">,
    InterfaceMethod<"The kernel's own attributes (not roles or weights)",
      "::llvm::SmallVector<::mlir::NamedAttribute>", "getKernelAttrs", (ins),
      [{}], [{
        ::llvm::SmallVector<::mlir::NamedAttribute> attrs;
        for (::mlir::NamedAttribute attr :
             ::llvm::cast<::mlir::DictionaryAttr>(
                 $_op->getPropertiesAsAttribute()))
          if (!::mlir::tailor::isStepStructureAttr(attr.getName()))
            attrs.push_back(attr);
        return attrs;
      }]>,
  ];
  let verify = [{ return ::mlir::tailor::verifyStepRoles($_op); }];
}

// `inputs`, `outputs` and `weights` are role lists: a role ending in `?` is
// optional. Each op adds its kernel attributes to `arguments` (kernelArgs).
class Tailor_StepOp<string mnemonic, list<string> inputs, list<string> outputs,
                    list<string> weights, dag kernelArgs = (ins)>
    : Tailor_Op<"step." # mnemonic, [
        AttrSizedOperandSegments, Tailor_StepOpInterface,
        DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let arguments = !con((ins
    Variadic<Tailor_BufferType>:$inputs,
    StrArrayAttr:$input_roles,
    Variadic<Tailor_BufferType>:$outputs,
    StrArrayAttr:$output_roles,
    OptionalAttr<DictionaryAttr>:$weights
  ), kernelArgs);
  let assemblyFormat = [{
    `ins` `(` custom<Roles>($inputs, type($inputs), $input_roles) `)`
    `outs` `(` custom<Roles>($outputs, type($outputs), $output_roles) `)`
    attr-dict
  }];
  let extraClassDeclaration = [{
    static ::mlir::tailor::StepSchema getSchema() {
      return {{}] # !interleave(!foreach(role, inputs, "\"" # role # "\""), ", ")
        # [{}, {}] # !interleave(!foreach(role, outputs, "\"" # role # "\""), ", ")
        # [{}, {}] # !interleave(!foreach(role, weights, "\"" # role # "\""), ", ")
        # [{}};
    }
  }];
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verifySymbolUses(
        ::mlir::SymbolTableCollection &symbolTable) {
      return ::mlir::tailor::verifyStepShapes(*this, symbolTable);
    }
  }];
}

def Tailor_TokenEmbeddingsStepOp : Tailor_StepOp<"token_embeddings",
    ["ids"], ["y"], ["word", "position", "token_type?"]> {
  let summary = "word[ids] + position[0..S) (+ token_type[0])";
}

def Tailor_PatchEmbeddingsStepOp : Tailor_StepOp<"patch_embeddings",
    ["images"], ["y"], ["weight", "bias", "cls", "position"],
    (ins ConfinedAttr<I64Attr, [IntPositive]>:$patch_size)> {
  let summary = "ViT patch projection, CLS token and position embeddings";
}

def Tailor_LayerNormStepOp : Tailor_StepOp<"layer_norm",
    ["x"], ["y"], ["gamma", "beta"], (ins F32Attr:$epsilon)> {
  let summary = "Layer normalization over the last dimension";
}

def Tailor_AddStepOp : Tailor_StepOp<"add", ["a", "b"], ["y"], []> {
  let summary = "y = a + b";
}

def Tailor_AddLayerNormStepOp : Tailor_StepOp<"add_layer_norm",
    ["a", "b"], ["sum?", "y"], ["gamma", "beta"], (ins F32Attr:$epsilon)> {
  let summary = "sum = a + b, y = layer_norm(sum) over the last dimension";
  let description = [{
    What `fuse-add-layer-norm` makes of an add and the layer norm of its
    sum: one pass over the rows. `sum` is written only when a step other
    than the norm reads it (or it is a model output).
  }];
}

def Tailor_LinearStepOp : Tailor_StepOp<"linear",
    ["x", "counts?", "residual?"], ["y"], ["weight", "bias?"],
    (ins Tailor_StepActivation:$activation)> {
  let summary = "y = activation(x W^T + b) (+ residual)";
  let description = [{
    With `counts` (an `acm_compact` prefix sum), only the first
    counts[batch - 1] rows of x (flattened to [rows, in]) are computed: an
    ACM learner runs on the tokens compacted for it. With `residual` (y's
    shape, what `fuse-residual-add` folds in), y = (activation(x W^T + b)) +
    residual, added in that order; it does not come with `counts`.
  }];
}

def Tailor_AttentionStepOp : Tailor_StepOp<"attention",
    ["q?", "k?", "v?", "key_mask?", "qkv?"], ["context", "significance?"], [],
    (ins ConfinedAttr<I64Attr, [IntPositive]>:$heads,
         OptionalAttr<Tailor_BlockSparseAttr>:$block_sparse)> {
  let summary = "Multi-head attention of projected q, k, v";
  let description = [{
    With `block_sparse`, query block i attends only to the key blocks its
    mask row keeps (square, rows = ceil(seq / block)); the others get no
    attention, as keys masked out by `key_mask` do. It reads either q, k
    and v, or `qkv` alone: the three packed along the last dimension
    (q | k | v), as `pack-qkv` makes one linear write them.
  }];
}

def Tailor_SelectTokensStepOp : Tailor_StepOp<"select_tokens",
    ["x", "significance"], ["y", "indices"], [],
    (ins DefaultValuedAttr<BoolAttr, "true">:$keep_first)> {
  let summary = "Keeps the tokens with the most significance";
}

def Tailor_RestoreTokensStepOp : Tailor_StepOp<"restore_tokens",
    ["full", "selected", "indices"], ["y"], []> {
  let summary = "y = full with rows indices[j] replaced by selected[j]";
}

def Tailor_GatherTokensStepOp : Tailor_StepOp<"gather_tokens",
    ["x", "indices"], ["y"], []> {
  let summary = "y[b, j] = x[b, indices[b, j]]";
}

// Up to 8 members: the step's roles are a fixed list.
def Tailor_EnsembleMeanStepOp : Tailor_StepOp<"ensemble_mean",
    ["x0", "x1", "x2?", "x3?", "x4?", "x5?", "x6?", "x7?"], ["y"], []> {
  let summary = "y = the mean of the inputs x0, x1, ... present";
}

def Tailor_ClassifierStepOp : Tailor_StepOp<"classifier", ["x"], ["logits"],
    ["weight", "bias", "pooler_weight?", "pooler_bias?"],
    (ins DefaultValuedAttr<Tailor_PoolingAttr,
                           "::mlir::tailor::Pooling::cls">:$pooling)> {
  let summary = "Pooling, optional tanh pooler, classification layer";
}

//===----------------------------------------------------------------------===//
// Adaptive Computation Modules: routing tokens to learners
//===----------------------------------------------------------------------===//

def Tailor_AcmRouteStepOp : Tailor_StepOp<"acm_route", ["logits"],
    ["learners"], []> {
  let summary = "learners = 1 + argmax(logits), ties to the fewest learners";
}

def Tailor_AcmCompactStepOp : Tailor_StepOp<"acm_compact", ["learners"],
    ["rows", "counts"], [],
    (ins ConfinedAttr<I64Attr, [IntPositive]>:$learner)> {
  let summary = "The tokens that run `learner`, packed, and their counts";
  let description = [{
    `rows` lists, ascending and packed from its first entry, the flat token
    ids (b * seq + s) whose `learners` exceed `learner`; `counts[b]` is how
    many of them lie in samples 0..b (an inclusive prefix sum over the batch,
    so the batch's total is its last entry).
  }];
}

def Tailor_GatherRowsStepOp : Tailor_StepOp<"gather_rows",
    ["x", "rows", "counts"], ["y"], []> {
  let summary = "y[i] = x[rows[i]] for the counted rows i";
}

def Tailor_ScatterAddStepOp : Tailor_StepOp<"scatter_add",
    ["x", "rows", "counts"], ["y"], []> {
  let summary = "y[rows[i]] += x[i] for the counted rows i";
  let description = [{
    Accumulates into `y`, which an earlier step wrote: the one step that
    reads the buffer it writes (the rows are distinct, so no two of them add
    into one row).
  }];
}

def Tailor_HasRowsOp : Tailor_Op<"has_rows", [MemoryEffects<[MemRead]>]> {
  let summary = "Whether an acm_compact's counts have any row in the batch";
  let description = [{
    The condition of the `scf.if` that skips an ACM learner no token runs:
    true when the last entry of `counts` (the batch's total) is positive.
    The artifact writer turns the `scf.if` into the `guard` of its steps.

    ```mlir
    %any = tailor.has_rows %counts : memref<?xi32>
    scf.if %any { ... }
    ```
  }];
  let arguments = (ins MemRefRankOf<[I32], [1]>:$counts);
  let results = (outs I1:$any);
  let assemblyFormat = "$counts attr-dict `:` type($counts)";
  let hasVerifier = 1;
}

#endif // TAILOR_IR_TAILORPLANOPS_TD
