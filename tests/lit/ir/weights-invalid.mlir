// Every verifier rule of tailor.global and tailor.weight.
// RUN: tailor-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{'tailor.global' op type must have a static shape, got 'tensor<?x96xf32>'}}
tailor.global @w : tensor<?x96xf32>

// -----

// expected-error @+1 {{'tailor.global' op element type must be a float type, got 'i32'}}
tailor.global @w : tensor<4xi32>

// -----

// expected-error @+1 {{'tailor.global' op source must name a checkpoint tensor, got an empty string}}
tailor.global @w : tensor<4xf32> {source = ""}

// -----

// expected-error @+1 {{'tailor.global' op attribute 'type' failed to satisfy constraint: type attribute of ranked tensor of any type values}}
tailor.global @w : memref<4xf32>

// -----

func.func @nested() {
  // expected-error @+1 {{'tailor.global' op expects parent op 'builtin.module'}}
  tailor.global @w : tensor<4xf32>
  return
}

// -----

func.func @missing() {
  // expected-error @+1 {{'tailor.weight' op '@nope' does not name a tailor.global}}
  %w = tailor.weight @nope : tensor<4xf32>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'tailor.weight' op '@f' is a 'func.func', not a tailor.global}}
  %w = tailor.weight @f : tensor<4xf32>
  return
}

// -----

tailor.global @b : tensor<80xf32>
func.func @wrong_type() {
  // expected-error @+1 {{'tailor.weight' op type 'tensor<96xf32>' does not match the type 'tensor<80xf32>' of '@b'}}
  %w = tailor.weight @b : tensor<96xf32>
  return
}
