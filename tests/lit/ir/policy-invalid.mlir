// Every verifier rule of tailor.layer_policy, tailor.conditional_layer and
// tailor.yield.
// RUN: tailor-opt %s -split-input-file -verify-diagnostics -allow-unregistered-dialect

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<4x96xf32>, %cb: tensor<4xf32>, %hw: tensor<24x96xf32>, %hb: tensor<24xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op attribute 'layers' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 0, heads = 6} : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<4x96xf32>, %cb: tensor<4xf32>, %hw: tensor<24x96xf32>, %hb: tensor<24xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op attribute 'heads' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = -1} : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<4x96xf32>, %cb: tensor<4xf32>, %hw: tensor<24x96xf32>, %hb: tensor<24xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op layers * heads overflows 64 bits}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4294967296, heads = 4294967296} : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x?x96xf32>, %cw: tensor<4x96xf32>, %cb: tensor<4xf32>, %hw: tensor<24x96xf32>, %hb: tensor<24xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op features must have rank 2 [batch, features], got 'tensor<?x?x96xf32>'}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<?x?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<4xf32>, %cb: tensor<4xf32>, %hw: tensor<24x96xf32>, %hb: tensor<24xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op count_w must have rank 2 [layers, features], got 'tensor<4xf32>'}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<?x96xf32>, tensor<4xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<3x96xf32>, %cb: tensor<4xf32>, %hw: tensor<24x96xf32>, %hb: tensor<24xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op count_w shape [3, 96] does not match layers 4}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<?x96xf32>, tensor<3x96xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<4x95xf32>, %cb: tensor<4xf32>, %hw: tensor<24x96xf32>, %hb: tensor<24xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op count_w shape [4, 95] does not match features 96}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<?x96xf32>, tensor<4x95xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<4x96xf32>, %cb: tensor<1x4xf32>, %hw: tensor<24x96xf32>, %hb: tensor<24xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op count_b must have rank 1 [layers], got 'tensor<1x4xf32>'}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<1x4xf32>, tensor<24x96xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<4x96xf32>, %cb: tensor<5xf32>, %hw: tensor<24x96xf32>, %hb: tensor<24xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op count_b shape [5] does not match layers 4}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<5xf32>, tensor<24x96xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<4x96xf32>, %cb: tensor<4xf32>, %hw: tensor<4x6x96xf32>, %hb: tensor<24xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op head_w must have rank 2 [layers * heads, features], got 'tensor<4x6x96xf32>'}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<4x6x96xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<4x96xf32>, %cb: tensor<4xf32>, %hw: tensor<23x96xf32>, %hb: tensor<24xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op head_w shape [23, 96] does not match layers * heads = 24}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<23x96xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<4x96xf32>, %cb: tensor<4xf32>, %hw: tensor<24x95xf32>, %hb: tensor<24xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op head_w shape [24, 95] does not match features 96}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<24x95xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<4x96xf32>, %cb: tensor<4xf32>, %hw: tensor<24x96xf32>, %hb: tensor<4x6xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op head_b must have rank 1 [layers * heads], got 'tensor<4x6xf32>'}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<4x6xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<4x96xf32>, %cb: tensor<4xf32>, %hw: tensor<24x96xf32>, %hb: tensor<25xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op head_b shape [25] does not match layers * heads = 24}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<25xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<8x96xf32>, %cw: tensor<4x96xf32>, %cb: tensor<4xf32>, %hw: tensor<24x96xf32>, %hb: tensor<24xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op layer_count shape [7] does not match the expected [8]}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<8x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<24xf32>) -> (tensor<7xi32>, tensor<8x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<4x96xf32>, %cb: tensor<4xf32>, %hw: tensor<24x96xf32>, %hb: tensor<24xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op result #0 must be ranked tensor of 32-bit signless integer values, but got 'tensor<?xi64>'}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<24xf32>) -> (tensor<?xi64>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<4x96xf32>, %cb: tensor<4xf32>, %hw: tensor<24x96xf32>, %hb: tensor<24xf32>) {
  // expected-error @+1 {{'tailor.layer_policy' op head_mask shape [?, 6, 4] does not match the expected [?, 4, 6]}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x6x4xi1>)
  return
}

// -----

func.func @f(%f: tensor<?x96xf32>, %cw: tensor<4x96xf32>, %cb: tensor<4xf32>, %hw: tensor<24x96xf32>, %hb: tensor<24xf16>) {
  // expected-error @+1 {{'tailor.layer_policy' op float tensors must share one element type: operand #4 has 'f16' but operand #0 has 'f32'}}
  %count, %heads = tailor.layer_policy %f, %cw, %cb, %hw, %hb {layers = 4, heads = 6} : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<24xf16>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  return
}

// -----

func.func @f(%count: tensor<?xi32>, %x: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.conditional_layer' op attribute 'layer' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
  %out = tailor.conditional_layer %count, %x {layer = -1} : (tensor<?xi32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32> {
  ^bb0(%in: tensor<?x?x96xf32>):
    tailor.yield %in : tensor<?x?x96xf32>
  }
  return
}

// -----

func.func @f(%count: tensor<?xi32>, %x: tensor<f32>) {
  // expected-error @+1 {{'tailor.conditional_layer' op x must have rank 1 or more [batch, ...], got 'tensor<f32>'}}
  %out = tailor.conditional_layer %count, %x {layer = 3} : (tensor<?xi32>, tensor<f32>) -> tensor<f32> {
  ^bb0(%in: tensor<f32>):
    tailor.yield %in : tensor<f32>
  }
  return
}

// -----

func.func @f(%count: tensor<?x1xi32>, %x: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.conditional_layer' op count must have rank 1 [batch], got 'tensor<?x1xi32>'}}
  %out = tailor.conditional_layer %count, %x {layer = 3} : (tensor<?x1xi32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32> {
  ^bb0(%in: tensor<?x?x96xf32>):
    tailor.yield %in : tensor<?x?x96xf32>
  }
  return
}

// -----

func.func @f(%count: tensor<4xi32>, %x: tensor<3x?x96xf32>) {
  // expected-error @+1 {{'tailor.conditional_layer' op count shape [4] does not match batch size 3}}
  %out = tailor.conditional_layer %count, %x {layer = 3} : (tensor<4xi32>, tensor<3x?x96xf32>) -> tensor<3x?x96xf32> {
  ^bb0(%in: tensor<3x?x96xf32>):
    tailor.yield %in : tensor<3x?x96xf32>
  }
  return
}

// -----

func.func @f(%count: tensor<?xi32>, %x: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.conditional_layer' op result type 'tensor<?x?x80xf32>' does not match x type 'tensor<?x?x96xf32>'}}
  %out = tailor.conditional_layer %count, %x {layer = 3} : (tensor<?xi32>, tensor<?x?x96xf32>) -> tensor<?x?x80xf32> {
  ^bb0(%in: tensor<?x?x96xf32>):
    tailor.yield %in : tensor<?x?x96xf32>
  }
  return
}

// -----

func.func @f(%count: tensor<?xi32>, %x: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.conditional_layer' op body must take one argument of x type 'tensor<?x?x96xf32>', got 2 argument(s) of types 'tensor<?x?x96xf32>', 'tensor<?x?x96xf32>'}}
  %out = tailor.conditional_layer %count, %x {layer = 3} : (tensor<?xi32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32> {
  ^bb0(%in: tensor<?x?x96xf32>, %extra: tensor<?x?x96xf32>):
    tailor.yield %in : tensor<?x?x96xf32>
  }
  return
}

// -----

func.func @f(%count: tensor<?xi32>, %x: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.conditional_layer' op body must take one argument of x type 'tensor<?x?x96xf32>', got 1 argument(s) of types 'tensor<?x?x80xf32>'}}
  %out = tailor.conditional_layer %count, %x {layer = 3} : (tensor<?xi32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32> {
  ^bb0(%in: tensor<?x?x80xf32>):
    tailor.yield %in : tensor<?x?x80xf32>
  }
  return
}

// -----

func.func @f(%count: tensor<?xi32>, %x: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.conditional_layer' op body yields 'tensor<?x?x?xf32>' but x has type 'tensor<?x?x96xf32>'}}
  %out = tailor.conditional_layer %count, %x {layer = 3} : (tensor<?xi32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32> {
  ^bb0(%in: tensor<?x?x96xf32>):
    %c = tensor.cast %in : tensor<?x?x96xf32> to tensor<?x?x?xf32>
    tailor.yield %c : tensor<?x?x?xf32>
  }
  return
}

// -----

func.func @f(%count: tensor<?xi32>, %x: tensor<?x?x96xf32>) {
  // An unregistered terminator could be anything, so the verifier checks it.
  // expected-error @+1 {{'tailor.conditional_layer' op body must end in tailor.yield}}
  %out = tailor.conditional_layer %count, %x {layer = 0} : (tensor<?xi32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32> {
  ^bb0(%in: tensor<?x?x96xf32>):
    "test.terminator"(%in) : (tensor<?x?x96xf32>) -> ()
  }
  return
}

// -----

func.func @f(%count: tensor<?xi32>, %x: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.conditional_layer' op region #0 ('body') failed to verify constraint: region with 1 blocks}}
  %out = tailor.conditional_layer %count, %x {layer = 0} : (tensor<?xi32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32> {
  ^bb0(%in: tensor<?x?x96xf32>):
    "test.branch"(%in)[^bb1] : (tensor<?x?x96xf32>) -> ()
  ^bb1:
    tailor.yield %in : tensor<?x?x96xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.yield' op expects parent op 'tailor.conditional_layer'}}
  tailor.yield %x : tensor<?x?x96xf32>
}
