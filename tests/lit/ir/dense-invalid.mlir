// Every verifier rule of tailor.layer_norm, tailor.linear, tailor.mlp and
// tailor.acm.
// RUN: tailor-opt %s -split-input-file -verify-diagnostics

func.func @f(%x: tensor<f32>, %g: tensor<96xf32>, %b: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.layer_norm' op x must have rank 1 or more [..., hidden], got 'tensor<f32>'}}
  %y = tailor.layer_norm %x, %g, %b {epsilon = 1.0e-12 : f32} : (tensor<f32>, tensor<96xf32>, tensor<96xf32>) -> tensor<f32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %g: tensor<1x96xf32>, %b: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.layer_norm' op gamma must have rank 1 [hidden], got 'tensor<1x96xf32>'}}
  %y = tailor.layer_norm %x, %g, %b {epsilon = 1.0e-12 : f32} : (tensor<?x?x96xf32>, tensor<1x96xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %g: tensor<95xf32>, %b: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.layer_norm' op gamma shape [95] does not match hidden size 96}}
  %y = tailor.layer_norm %x, %g, %b {epsilon = 1.0e-12 : f32} : (tensor<?x?x96xf32>, tensor<95xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %g: tensor<96xf32>, %b: tensor<1x96xf32>) {
  // expected-error @+1 {{'tailor.layer_norm' op beta must have rank 1 [hidden], got 'tensor<1x96xf32>'}}
  %y = tailor.layer_norm %x, %g, %b {epsilon = 1.0e-12 : f32} : (tensor<?x?x96xf32>, tensor<96xf32>, tensor<1x96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %g: tensor<96xf32>, %b: tensor<97xf32>) {
  // expected-error @+1 {{'tailor.layer_norm' op beta shape [97] does not match hidden size 96}}
  %y = tailor.layer_norm %x, %g, %b {epsilon = 1.0e-12 : f32} : (tensor<?x?x96xf32>, tensor<96xf32>, tensor<97xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %g: tensor<96xf32>, %b: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.layer_norm' op epsilon must be positive, got 0.000000e+00 : f32}}
  %y = tailor.layer_norm %x, %g, %b {epsilon = 0.0 : f32} : (tensor<?x?x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %g: tensor<96xf32>, %b: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.layer_norm' op attribute 'epsilon' failed to satisfy constraint: 32-bit float attribute}}
  %y = tailor.layer_norm %x, %g, %b {epsilon = 1.0e-12 : f64} : (tensor<?x?x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %g: tensor<96xf32>, %b: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.layer_norm' op result shape [?, ?, 80] does not match the expected [?, ?, 96]}}
  %y = tailor.layer_norm %x, %g, %b {epsilon = 1.0e-12 : f32} : (tensor<?x?x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<?x?x80xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %g: tensor<96xf32>, %b: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.layer_norm' op result shape [?, 96] does not match the expected [?, ?, 96]}}
  %y = tailor.layer_norm %x, %g, %b {epsilon = 1.0e-12 : f32} : (tensor<?x?x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %g: tensor<96xf16>, %b: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.layer_norm' op float tensors must share one element type: operand #1 has 'f16' but operand #0 has 'f32'}}
  %y = tailor.layer_norm %x, %g, %b {epsilon = 1.0e-12 : f32} : (tensor<?x?x96xf32>, tensor<96xf16>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %g: tensor<96xf32>, %b: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.layer_norm' op float tensors must share one element type: result #0 has 'bf16' but operand #0 has 'f32'}}
  %y = tailor.layer_norm %x, %g, %b {epsilon = 1.0e-12 : f32} : (tensor<?x?x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<?x?x96xbf16>
  return
}

// -----

func.func @f(%x: tensor<f32>, %w: tensor<80x96xf32>, %b: tensor<80xf32>) {
  // expected-error @+1 {{'tailor.linear' op x must have rank 1 or more [..., in], got 'tensor<f32>'}}
  %y = tailor.linear %x, %w, %b : (tensor<f32>, tensor<80x96xf32>, tensor<80xf32>) -> tensor<?x?x80xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<80x96x1xf32>, %b: tensor<80xf32>) {
  // expected-error @+1 {{'tailor.linear' op weight must have rank 2 [out, in], got 'tensor<80x96x1xf32>'}}
  %y = tailor.linear %x, %w, %b : (tensor<?x?x96xf32>, tensor<80x96x1xf32>, tensor<80xf32>) -> tensor<?x?x80xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<96x80xf32>, %b: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.linear' op weight shape [96, 80] does not match input features 96}}
  %y = tailor.linear %x, %w, %b : (tensor<?x?x96xf32>, tensor<96x80xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<80x96xf32>, %b: tensor<1x80xf32>) {
  // expected-error @+1 {{'tailor.linear' op bias must have rank 1 [out], got 'tensor<1x80xf32>'}}
  %y = tailor.linear %x, %w, %b : (tensor<?x?x96xf32>, tensor<80x96xf32>, tensor<1x80xf32>) -> tensor<?x?x80xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<80x96xf32>, %b: tensor<81xf32>) {
  // expected-error @+1 {{'tailor.linear' op bias shape [81] does not match output features 80}}
  %y = tailor.linear %x, %w, %b : (tensor<?x?x96xf32>, tensor<80x96xf32>, tensor<81xf32>) -> tensor<?x?x80xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<80x96xf32>, %b: tensor<80xf32>) {
  // expected-error @+1 {{'tailor.linear' op result shape [?, ?, 96] does not match the expected [?, ?, 80]}}
  %y = tailor.linear %x, %w, %b : (tensor<?x?x96xf32>, tensor<80x96xf32>, tensor<80xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<80x96xf32>, %b: tensor<80xf32>) {
  // expected-error @+1 {{'tailor.linear' op attribute 'activation' failed to satisfy constraint: activation applied to the output of a dense layer}}
  %y = tailor.linear %x, %w, %b {activation = #tailor<pooling cls>} : (tensor<?x?x96xf32>, tensor<80x96xf32>, tensor<80xf32>) -> tensor<?x?x80xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<80x96xf16>, %b: tensor<80xf32>) {
  // expected-error @+1 {{'tailor.linear' op float tensors must share one element type: operand #1 has 'f16' but operand #0 has 'f32'}}
  %y = tailor.linear %x, %w, %b : (tensor<?x?x96xf32>, tensor<80x96xf16>, tensor<80xf32>) -> tensor<?x?x80xf32>
  return
}

// -----

func.func @f(%x: tensor<f32>, %uw: tensor<384x96xf32>, %ub: tensor<384xf32>, %dw: tensor<96x384xf32>, %db: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.mlp' op x must have rank 1 or more [..., hidden], got 'tensor<f32>'}}
  %y = tailor.mlp %x, %uw, %ub, %dw, %db {activation = #tailor<activation gelu>} : (tensor<f32>, tensor<384x96xf32>, tensor<384xf32>, tensor<96x384xf32>, tensor<96xf32>) -> tensor<f32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %uw: tensor<384xf32>, %ub: tensor<384xf32>, %dw: tensor<96x384xf32>, %db: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.mlp' op up_w must have rank 2 [intermediate, hidden], got 'tensor<384xf32>'}}
  %y = tailor.mlp %x, %uw, %ub, %dw, %db {activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<384xf32>, tensor<384xf32>, tensor<96x384xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %uw: tensor<384x95xf32>, %ub: tensor<384xf32>, %dw: tensor<96x384xf32>, %db: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.mlp' op up_w shape [384, 95] does not match hidden size 96}}
  %y = tailor.mlp %x, %uw, %ub, %dw, %db {activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<384x95xf32>, tensor<384xf32>, tensor<96x384xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %uw: tensor<384x96xf32>, %ub: tensor<1x384xf32>, %dw: tensor<96x384xf32>, %db: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.mlp' op up_b must have rank 1 [intermediate], got 'tensor<1x384xf32>'}}
  %y = tailor.mlp %x, %uw, %ub, %dw, %db {activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<384x96xf32>, tensor<1x384xf32>, tensor<96x384xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %uw: tensor<384x96xf32>, %ub: tensor<383xf32>, %dw: tensor<96x384xf32>, %db: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.mlp' op up_b shape [383] does not match intermediate size 384}}
  %y = tailor.mlp %x, %uw, %ub, %dw, %db {activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<384x96xf32>, tensor<383xf32>, tensor<96x384xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %uw: tensor<384x96xf32>, %ub: tensor<384xf32>, %dw: tensor<96xf32>, %db: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.mlp' op down_w must have rank 2 [hidden, intermediate], got 'tensor<96xf32>'}}
  %y = tailor.mlp %x, %uw, %ub, %dw, %db {activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<384x96xf32>, tensor<384xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %uw: tensor<384x96xf32>, %ub: tensor<384xf32>, %dw: tensor<95x384xf32>, %db: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.mlp' op down_w shape [95, 384] does not match hidden size 96}}
  %y = tailor.mlp %x, %uw, %ub, %dw, %db {activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<384x96xf32>, tensor<384xf32>, tensor<95x384xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %uw: tensor<384x96xf32>, %ub: tensor<384xf32>, %dw: tensor<96x383xf32>, %db: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.mlp' op down_w shape [96, 383] does not match intermediate size 384}}
  %y = tailor.mlp %x, %uw, %ub, %dw, %db {activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<384x96xf32>, tensor<384xf32>, tensor<96x383xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %uw: tensor<384x96xf32>, %ub: tensor<384xf32>, %dw: tensor<96x384xf32>, %db: tensor<1x96xf32>) {
  // expected-error @+1 {{'tailor.mlp' op down_b must have rank 1 [hidden], got 'tensor<1x96xf32>'}}
  %y = tailor.mlp %x, %uw, %ub, %dw, %db {activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<384x96xf32>, tensor<384xf32>, tensor<96x384xf32>, tensor<1x96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %uw: tensor<384x96xf32>, %ub: tensor<384xf32>, %dw: tensor<96x384xf32>, %db: tensor<95xf32>) {
  // expected-error @+1 {{'tailor.mlp' op down_b shape [95] does not match hidden size 96}}
  %y = tailor.mlp %x, %uw, %ub, %dw, %db {activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<384x96xf32>, tensor<384xf32>, tensor<96x384xf32>, tensor<95xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %uw: tensor<384x96xf32>, %ub: tensor<384xf32>, %dw: tensor<96x384xf32>, %db: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.mlp' op result shape [?, ?, 384] does not match the expected [?, ?, 96]}}
  %y = tailor.mlp %x, %uw, %ub, %dw, %db {activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<384x96xf32>, tensor<384xf32>, tensor<96x384xf32>, tensor<96xf32>) -> tensor<?x?x384xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %uw: tensor<384x96xf32>, %ub: tensor<384xf32>, %dw: tensor<96x384xf32>, %db: tensor<96xf64>) {
  // expected-error @+1 {{'tailor.mlp' op float tensors must share one element type: operand #4 has 'f64' but operand #0 has 'f32'}}
  %y = tailor.mlp %x, %uw, %ub, %dw, %db {activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<384x96xf32>, tensor<384xf32>, tensor<96x384xf32>, tensor<96xf64>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x8xf32>, %gw: tensor<2x8xf32>, %gb: tensor<2xf32>) {
  // expected-error @+1 {{'tailor.acm' op has no learners: up lists none}}
  %y = tailor.acm %x gate(%gw, %gb) up() up_bias() down() down_bias() {activation = #tailor<activation gelu>} : (tensor<?x?x8xf32>, tensor<2x8xf32>, tensor<2xf32>) -> tensor<?x?x8xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x8xf32>, %gw: tensor<2x8xf32>, %gb: tensor<2xf32>, %uw0: tensor<4x8xf32>, %uw1: tensor<4x8xf32>, %dw0: tensor<8x4xf32>, %dw1: tensor<8x4xf32>, %db0: tensor<8xf32>, %db1: tensor<8xf32>) {
  // expected-error @+1 {{'tailor.acm' op up_bias lists 0 tensors, expected one per learner (2)}}
  %y = tailor.acm %x gate(%gw, %gb) up(%uw0, %uw1) up_bias() down(%dw0, %dw1) down_bias(%db0, %db1) {activation = #tailor<activation gelu>} : (tensor<?x?x8xf32>, tensor<2x8xf32>, tensor<2xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  return
}

// -----

func.func @f(%x: tensor<f32>, %gw: tensor<2x8xf32>, %gb: tensor<2xf32>, %uw0: tensor<4x8xf32>, %uw1: tensor<4x8xf32>, %ub0: tensor<4xf32>, %ub1: tensor<4xf32>, %dw0: tensor<8x4xf32>, %dw1: tensor<8x4xf32>, %db0: tensor<8xf32>, %db1: tensor<8xf32>) {
  // expected-error @+1 {{'tailor.acm' op x must have rank 1 or more [..., hidden], got 'tensor<f32>'}}
  %y = tailor.acm %x gate(%gw, %gb) up(%uw0, %uw1) up_bias(%ub0, %ub1) down(%dw0, %dw1) down_bias(%db0, %db1) {activation = #tailor<activation gelu>} : (tensor<f32>, tensor<2x8xf32>, tensor<2xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<f32>
  return
}

// -----

func.func @f(%x: tensor<?x?x8xf32>, %gw: tensor<2x8x1xf32>, %gb: tensor<2xf32>, %uw0: tensor<4x8xf32>, %uw1: tensor<4x8xf32>, %ub0: tensor<4xf32>, %ub1: tensor<4xf32>, %dw0: tensor<8x4xf32>, %dw1: tensor<8x4xf32>, %db0: tensor<8xf32>, %db1: tensor<8xf32>) {
  // expected-error @+1 {{'tailor.acm' op gate_w must have rank 2 [learners, hidden], got 'tensor<2x8x1xf32>'}}
  %y = tailor.acm %x gate(%gw, %gb) up(%uw0, %uw1) up_bias(%ub0, %ub1) down(%dw0, %dw1) down_bias(%db0, %db1) {activation = #tailor<activation gelu>} : (tensor<?x?x8xf32>, tensor<2x8x1xf32>, tensor<2xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x8xf32>, %gw: tensor<3x8xf32>, %gb: tensor<2xf32>, %uw0: tensor<4x8xf32>, %uw1: tensor<4x8xf32>, %ub0: tensor<4xf32>, %ub1: tensor<4xf32>, %dw0: tensor<8x4xf32>, %dw1: tensor<8x4xf32>, %db0: tensor<8xf32>, %db1: tensor<8xf32>) {
  // expected-error @+1 {{'tailor.acm' op gate_w shape [3, 8] does not match learners 2}}
  %y = tailor.acm %x gate(%gw, %gb) up(%uw0, %uw1) up_bias(%ub0, %ub1) down(%dw0, %dw1) down_bias(%db0, %db1) {activation = #tailor<activation gelu>} : (tensor<?x?x8xf32>, tensor<3x8xf32>, tensor<2xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x8xf32>, %gw: tensor<2x7xf32>, %gb: tensor<2xf32>, %uw0: tensor<4x8xf32>, %uw1: tensor<4x8xf32>, %ub0: tensor<4xf32>, %ub1: tensor<4xf32>, %dw0: tensor<8x4xf32>, %dw1: tensor<8x4xf32>, %db0: tensor<8xf32>, %db1: tensor<8xf32>) {
  // expected-error @+1 {{'tailor.acm' op gate_w shape [2, 7] does not match hidden size 8}}
  %y = tailor.acm %x gate(%gw, %gb) up(%uw0, %uw1) up_bias(%ub0, %ub1) down(%dw0, %dw1) down_bias(%db0, %db1) {activation = #tailor<activation gelu>} : (tensor<?x?x8xf32>, tensor<2x7xf32>, tensor<2xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x8xf32>, %gw: tensor<2x8xf32>, %gb: tensor<1x2xf32>, %uw0: tensor<4x8xf32>, %uw1: tensor<4x8xf32>, %ub0: tensor<4xf32>, %ub1: tensor<4xf32>, %dw0: tensor<8x4xf32>, %dw1: tensor<8x4xf32>, %db0: tensor<8xf32>, %db1: tensor<8xf32>) {
  // expected-error @+1 {{'tailor.acm' op gate_b must have rank 1 [learners], got 'tensor<1x2xf32>'}}
  %y = tailor.acm %x gate(%gw, %gb) up(%uw0, %uw1) up_bias(%ub0, %ub1) down(%dw0, %dw1) down_bias(%db0, %db1) {activation = #tailor<activation gelu>} : (tensor<?x?x8xf32>, tensor<2x8xf32>, tensor<1x2xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x8xf32>, %gw: tensor<2x8xf32>, %gb: tensor<3xf32>, %uw0: tensor<4x8xf32>, %uw1: tensor<4x8xf32>, %ub0: tensor<4xf32>, %ub1: tensor<4xf32>, %dw0: tensor<8x4xf32>, %dw1: tensor<8x4xf32>, %db0: tensor<8xf32>, %db1: tensor<8xf32>) {
  // expected-error @+1 {{'tailor.acm' op gate_b shape [3] does not match learners 2}}
  %y = tailor.acm %x gate(%gw, %gb) up(%uw0, %uw1) up_bias(%ub0, %ub1) down(%dw0, %dw1) down_bias(%db0, %db1) {activation = #tailor<activation gelu>} : (tensor<?x?x8xf32>, tensor<2x8xf32>, tensor<3xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x8xf32>, %gw: tensor<2x8xf32>, %gb: tensor<2xf32>, %uw0: tensor<4x8xf32>, %uw1: tensor<4xf32>, %ub0: tensor<4xf32>, %ub1: tensor<4xf32>, %dw0: tensor<8x4xf32>, %dw1: tensor<8x4xf32>, %db0: tensor<8xf32>, %db1: tensor<8xf32>) {
  // expected-error @+1 {{'tailor.acm' op up #1 must have rank 2 [width, hidden], got 'tensor<4xf32>'}}
  %y = tailor.acm %x gate(%gw, %gb) up(%uw0, %uw1) up_bias(%ub0, %ub1) down(%dw0, %dw1) down_bias(%db0, %db1) {activation = #tailor<activation gelu>} : (tensor<?x?x8xf32>, tensor<2x8xf32>, tensor<2xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x8xf32>, %gw: tensor<2x8xf32>, %gb: tensor<2xf32>, %uw0: tensor<4x8xf32>, %uw1: tensor<4x7xf32>, %ub0: tensor<4xf32>, %ub1: tensor<4xf32>, %dw0: tensor<8x4xf32>, %dw1: tensor<8x4xf32>, %db0: tensor<8xf32>, %db1: tensor<8xf32>) {
  // expected-error @+1 {{'tailor.acm' op up #1 shape [4, 7] does not match hidden size 8}}
  %y = tailor.acm %x gate(%gw, %gb) up(%uw0, %uw1) up_bias(%ub0, %ub1) down(%dw0, %dw1) down_bias(%db0, %db1) {activation = #tailor<activation gelu>} : (tensor<?x?x8xf32>, tensor<2x8xf32>, tensor<2xf32>, tensor<4x8xf32>, tensor<4x7xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x8xf32>, %gw: tensor<2x8xf32>, %gb: tensor<2xf32>, %uw0: tensor<4x8xf32>, %uw1: tensor<4x8xf32>, %ub0: tensor<5xf32>, %ub1: tensor<4xf32>, %dw0: tensor<8x4xf32>, %dw1: tensor<8x4xf32>, %db0: tensor<8xf32>, %db1: tensor<8xf32>) {
  // expected-error @+1 {{'tailor.acm' op up_bias #0 shape [5] does not match learner width 4}}
  %y = tailor.acm %x gate(%gw, %gb) up(%uw0, %uw1) up_bias(%ub0, %ub1) down(%dw0, %dw1) down_bias(%db0, %db1) {activation = #tailor<activation gelu>} : (tensor<?x?x8xf32>, tensor<2x8xf32>, tensor<2xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<5xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x8xf32>, %gw: tensor<2x8xf32>, %gb: tensor<2xf32>, %uw0: tensor<4x8xf32>, %uw1: tensor<4x8xf32>, %ub0: tensor<4xf32>, %ub1: tensor<4xf32>, %dw0: tensor<8x4xf32>, %dw1: tensor<7x4xf32>, %db0: tensor<8xf32>, %db1: tensor<8xf32>) {
  // expected-error @+1 {{'tailor.acm' op down #1 shape [7, 4] does not match hidden size 8}}
  %y = tailor.acm %x gate(%gw, %gb) up(%uw0, %uw1) up_bias(%ub0, %ub1) down(%dw0, %dw1) down_bias(%db0, %db1) {activation = #tailor<activation gelu>} : (tensor<?x?x8xf32>, tensor<2x8xf32>, tensor<2xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<7x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x8xf32>, %gw: tensor<2x8xf32>, %gb: tensor<2xf32>, %uw0: tensor<4x8xf32>, %uw1: tensor<4x8xf32>, %ub0: tensor<4xf32>, %ub1: tensor<4xf32>, %dw0: tensor<8x5xf32>, %dw1: tensor<8x4xf32>, %db0: tensor<8xf32>, %db1: tensor<8xf32>) {
  // expected-error @+1 {{'tailor.acm' op down #0 shape [8, 5] does not match learner width 4}}
  %y = tailor.acm %x gate(%gw, %gb) up(%uw0, %uw1) up_bias(%ub0, %ub1) down(%dw0, %dw1) down_bias(%db0, %db1) {activation = #tailor<activation gelu>} : (tensor<?x?x8xf32>, tensor<2x8xf32>, tensor<2xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x5xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x8xf32>, %gw: tensor<2x8xf32>, %gb: tensor<2xf32>, %uw0: tensor<4x8xf32>, %uw1: tensor<4x8xf32>, %ub0: tensor<4xf32>, %ub1: tensor<4xf32>, %dw0: tensor<8x4xf32>, %dw1: tensor<8x4xf32>, %db0: tensor<8xf32>, %db1: tensor<7xf32>) {
  // expected-error @+1 {{'tailor.acm' op down_bias #1 shape [7] does not match hidden size 8}}
  %y = tailor.acm %x gate(%gw, %gb) up(%uw0, %uw1) up_bias(%ub0, %ub1) down(%dw0, %dw1) down_bias(%db0, %db1) {activation = #tailor<activation gelu>} : (tensor<?x?x8xf32>, tensor<2x8xf32>, tensor<2xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<7xf32>) -> tensor<?x?x8xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x8xf32>, %gw: tensor<2x8xf32>, %gb: tensor<2xf32>, %uw0: tensor<4x8xf32>, %uw1: tensor<4x8xf32>, %ub0: tensor<4xf32>, %ub1: tensor<4xf32>, %dw0: tensor<8x4xf32>, %dw1: tensor<8x4xf32>, %db0: tensor<8xf32>, %db1: tensor<8xf32>) {
  // expected-error @+1 {{'tailor.acm' op result shape [?, ?, 7] does not match the expected [?, ?, 8]}}
  %y = tailor.acm %x gate(%gw, %gb) up(%uw0, %uw1) up_bias(%ub0, %ub1) down(%dw0, %dw1) down_bias(%db0, %db1) {activation = #tailor<activation gelu>} : (tensor<?x?x8xf32>, tensor<2x8xf32>, tensor<2xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x7xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x8xf32>, %gw: tensor<2x8xf32>, %gb: tensor<2xf16>, %uw0: tensor<4x8xf32>, %uw1: tensor<4x8xf32>, %ub0: tensor<4xf32>, %ub1: tensor<4xf32>, %dw0: tensor<8x4xf32>, %dw1: tensor<8x4xf32>, %db0: tensor<8xf32>, %db1: tensor<8xf32>) {
  // expected-error @+1 {{'tailor.acm' op float tensors must share one element type: operand #2 has 'f16' but operand #0 has 'f32'}}
  %y = tailor.acm %x gate(%gw, %gb) up(%uw0, %uw1) up_bias(%ub0, %ub1) down(%dw0, %dw1) down_bias(%db0, %db1) {activation = #tailor<activation gelu>} : (tensor<?x?x8xf32>, tensor<2x8xf32>, tensor<2xf16>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %g: tensor<96xf32>, %b: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.layer_norm' op requires attribute 'epsilon'}}
  %y = tailor.layer_norm %x, %g, %b : (tensor<?x?x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}
