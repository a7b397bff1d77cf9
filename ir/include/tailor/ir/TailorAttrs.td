//===- TailorAttrs.td - tailor enums and attributes --------*- tablegen -*-===//
//
// Activation and pooling enums, and the attributes that carry the adaptive
// configuration: length configurations, head masks, block-sparse attention
// patterns and the weight-tying map.
//
//===----------------------------------------------------------------------===//

#ifndef TAILOR_IR_TAILORATTRS_TD
#define TAILOR_IR_TAILORATTRS_TD

include "tailor/ir/TailorDialect.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Tailor_Activation : I32Enum<"Activation",
    "activation applied to the output of a dense layer", [
      I32EnumCase<"none", 0>,
      I32EnumCase<"relu", 1>,
      I32EnumCase<"gelu", 2>,
      I32EnumCase<"gelu_tanh", 3>,
      I32EnumCase<"tanh", 4>
    ]> {
  let cppNamespace = "::mlir::tailor";
}

// Printed as `#tailor<activation gelu>`.
def Tailor_ActivationAttr
    : EnumAttr<Tailor_Dialect, Tailor_Activation, "activation">;

def Tailor_Pooling : I32Enum<"Pooling",
    "how a classifier reduces the sequence", [
      I32EnumCase<"cls", 0>,
      I32EnumCase<"mean", 1>,
      I32EnumCase<"token", 2>
    ]> {
  let cppNamespace = "::mlir::tailor";
}

// Printed as `#tailor<pooling cls>`.
def Tailor_PoolingAttr : EnumAttr<Tailor_Dialect, Tailor_Pooling, "pooling">;

//===----------------------------------------------------------------------===//
// Parameters with their own syntax
//===----------------------------------------------------------------------===//

// A real number, printed in its shortest exact decimal form (0.5, not
// 5.000000e-01).
def Tailor_DecimalParameter
    : AttrParameter<"::llvm::APFloat", "a real number (f64)"> {
  let parser = "parseDecimal($_parser)";
  let printer = "printDecimal($_printer, $_self)";
}

def Tailor_OptionalDecimalParameter
    : OptionalParameter<"std::optional<::llvm::APFloat>",
                        "an optional real number (f64)"> {
  let parser = "parseOptionalDecimal($_parser)";
  let printer = "printDecimal($_printer, *$_self)";
}

// `[1, 2, 3]`; the brackets let an empty list parse, so the verifier (not the
// parser) reports it.
class Tailor_IntListParameter<string desc>
    : ArrayRefParameter<"int64_t", desc> {
  let parser = "parseIntList($_parser)";
  let printer = "printIntList($_printer, $_self)";
}

// `[1, 0, 1]`: a bit per entry.
def Tailor_BitListParameter : ArrayRefParameter<"bool", "bits, 0 or 1"> {
  let parser = "parseBitList($_parser)";
  let printer = "printBitList($_printer, $_self)";
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

def Tailor_LengthConfigAttr : Tailor_Attr<"LengthConfig", "length_config"> {
  let summary = "Tokens kept after each layer for one compute budget";
  let description = [{
    One result of the length search: `lengths[i]` is the number of tokens
    (CLS included) layer `i` keeps after its attention. `budget` is the
    fraction of the full model's FLOPs the configuration was searched for;
    `flops` and `accuracy` are what the search measured.

    ```mlir
    #tailor.length_config<budget = 0.5, lengths = [40, 27, 18, 12],
                          flops = 61000000, accuracy = 0.885>
    ```
  }];
  let parameters = (ins
    Tailor_DecimalParameter:$budget,
    Tailor_IntListParameter<"tokens kept after each layer">:$lengths,
    OptionalParameter<"std::optional<int64_t>", "FLOPs per sample">:$flops,
    Tailor_OptionalDecimalParameter:$accuracy
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Tailor_HeadMaskAttr : Tailor_Attr<"HeadMask", "head_mask"> {
  let summary = "The attention heads a layer keeps";
  let description = [{
    `kept` lists the indices of the heads that run, sorted, out of `heads`.

    ```mlir
    #tailor.head_mask<heads = 6, kept = [0, 2, 3]>
    ```
  }];
  let parameters = (ins
    "int64_t":$heads,
    Tailor_IntListParameter<"indices of the kept heads">:$kept
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Whether head `head` runs.
    bool isKept(int64_t head) const;
  }];
}

def Tailor_BlockSparseAttr : Tailor_Attr<"BlockSparse", "block_sparse"> {
  let summary = "A block-sparse attention pattern";
  let description = [{
    The attention matrix is cut into `rows` x `cols` blocks of `block` x
    `block` query/key tokens; `mask` (row major, one bit per block) says which
    blocks are computed. Every query block row attends to at least one block.

    ```mlir
    #tailor.block_sparse<block = 16, rows = 2, cols = 2, mask = [1, 0, 1, 1]>
    ```
  }];
  let parameters = (ins
    "int64_t":$block,
    "int64_t":$rows,
    "int64_t":$cols,
    Tailor_BitListParameter:$mask
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Whether the block at (`row`, `col`) is computed.
    bool isKept(int64_t row, int64_t col) const;
  }];
}

def Tailor_TyingAttr : Tailor_Attr<"Tying", "tying"> {
  let summary = "Which layer's weights each layer uses";
  let description = [{
    Layer `i` uses the weights of layer `sources[i]`. A layer either owns its
    weights (`sources[i] == i`) or copies an earlier layer that owns its own
    (`sources[i] < i` and `sources[sources[i]] == sources[i]`).

    ```mlir
    #tailor.tying<sources = [0, 1, 1, 3]>
    ```
  }];
  let parameters = (ins
    Tailor_IntListParameter<"source layer of each layer">:$sources
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // TAILOR_IR_TAILORATTRS_TD
