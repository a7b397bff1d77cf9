// lower-to-kernels' failure modes.
// RUN: tailor-opt %s -split-input-file -lower-to-kernels -verify-diagnostics

module attributes {tailor.model = {kind = "encoder"}} {
  // expected-error @+1 {{lower-to-kernels needs activations of f32, i32 or i1 with static shapes but for the batch (run fold-length-config first), got 'tensor<?x?xi32>'}}
  func.func @forward(%ids: tensor<?x?xi32>) -> tensor<?x?xi32> {
    return %ids : tensor<?x?xi32>
  }
}

// -----

module attributes {tailor.model = {kind = "encoder"}} {
  // expected-error @+1 {{lower-to-kernels: a encoder @forward takes 1 or 2 inputs (ids, key_mask) but this one has 3 arguments (run fold-length-config first)}}
  func.func @forward(%ids: tensor<?x5xi32>, %mask: tensor<?x5xi1>, %lengths: tensor<1xindex>) -> tensor<?x5xi32> {
    return %ids : tensor<?x5xi32>
  }
}

// -----

module attributes {tailor.model = {kind = "encoder"}} {
  tailor.global @word : tensor<10x6xf32>
  tailor.global @position : tensor<5x6xf32>
  func.func @forward(%ids: tensor<?x5xi32>) -> tensor<?x?x6xf32> {
    %word = tailor.weight @word : tensor<10x6xf32>
    %position = tailor.weight @position : tensor<5x6xf32>
    %x = tailor.token_embeddings %ids, %word, %position : (tensor<?x5xi32>, tensor<10x6xf32>, tensor<5x6xf32>) -> tensor<?x5x6xf32>
    %ctx, %sig = tailor.attention %x, %x, %x {heads = 3 : i64} : (tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>) -> (tensor<?x5x6xf32>, tensor<?x5xf32>)
    %k = arith.constant 3 : index
    // expected-error @+1 {{'tailor.select_tokens' op has a dynamic k; lower-to-kernels needs it static (run fold-length-config first)}}
    %sel, %idx = tailor.select_tokens %ctx, %sig, %k : (tensor<?x5x6xf32>, tensor<?x5xf32>, index) -> (tensor<?x?x6xf32>, tensor<?x?xi32>)
    return %sel : tensor<?x?x6xf32>
  }
}

// -----

module attributes {tailor.model = {kind = "encoder"}} {
  tailor.global @word : tensor<10x6xf32>
  tailor.global @position : tensor<5x6xf32>
  func.func @forward(%ids: tensor<?x5xi32>) -> tensor<?x5x6xf32> {
    %word = tailor.weight @word : tensor<10x6xf32>
    %position = tailor.weight @position : tensor<5x6xf32>
    %x = tailor.token_embeddings %ids, %word, %position : (tensor<?x5xi32>, tensor<10x6xf32>, tensor<5x6xf32>) -> tensor<?x5x6xf32>
    // expected-error @+1 {{'tailor.attention' op has a static head_mask; run prune-heads before lower-to-kernels}}
    %ctx, %sig = tailor.attention %x, %x, %x {heads = 3 : i64, head_mask = #tailor.head_mask<heads = 3, kept = [1]>} : (tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>) -> (tensor<?x5x6xf32>, tensor<?x5xf32>)
    return %ctx : tensor<?x5x6xf32>
  }
}

// -----

// An op of no kernel (a per-sample layer policy) is refused, naming it.
module attributes {tailor.model = {kind = "encoder"}} {
  tailor.global @cw : tensor<4x96xf32>
  tailor.global @cb : tensor<4xf32>
  tailor.global @hw : tensor<24x96xf32>
  tailor.global @hb : tensor<24xf32>
  func.func @forward(%f: tensor<?x96xf32>) -> tensor<?xi32> {
    %cw = tailor.weight @cw : tensor<4x96xf32>
    %cb = tailor.weight @cb : tensor<4xf32>
    %hw = tailor.weight @hw : tensor<24x96xf32>
    %hb = tailor.weight @hb : tensor<24xf32>
    // expected-error @+1 {{'tailor.layer_policy' op has no kernel: lower-to-kernels lowers the ops of the importer's form}}
    %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
    return %count : tensor<?xi32>
  }
}

// -----

// An ACM lowers tokens [batch, tokens, hidden].
module attributes {tailor.model = {kind = "encoder"}} {
  tailor.global @gw : tensor<2x4xf32>
  tailor.global @gb : tensor<2xf32>
  tailor.global @uw : tensor<2x4xf32>
  tailor.global @ub : tensor<2xf32>
  tailor.global @dw : tensor<4x2xf32>
  tailor.global @db : tensor<4xf32>
  func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %gw = tailor.weight @gw : tensor<2x4xf32>
    %gb = tailor.weight @gb : tensor<2xf32>
    %uw = tailor.weight @uw : tensor<2x4xf32>
    %ub = tailor.weight @ub : tensor<2xf32>
    %dw = tailor.weight @dw : tensor<4x2xf32>
    %db = tailor.weight @db : tensor<4xf32>
    // expected-error @+1 {{'tailor.acm' op lowers tokens [batch, tokens, hidden], got 'tensor<?x4xf32>'}}
    %y = tailor.acm %x gate(%gw, %gb) up(%uw, %uw) up_bias(%ub, %ub) down(%dw, %dw) down_bias(%db, %db) : (tensor<?x4xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
    return %y : tensor<?x4xf32>
  }
}

// -----

// expected-error @+1 {{lower-to-kernels: the module has no tailor.model kind}}
module {
  func.func @forward(%x: tensor<?x5x4xf32>) -> tensor<?x5x4xf32> {
    return %x : tensor<?x5x4xf32>
  }
}
