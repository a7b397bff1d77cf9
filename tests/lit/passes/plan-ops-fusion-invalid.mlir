// The verifier rules of the fused step forms: a linear's residual, the
// add_layer_norm step.
// RUN: tailor-opt %s -split-input-file -verify-diagnostics

module {
  tailor.global @w : tensor<8x4xf32>
  func.func @f() {
    %x = tailor.buffer "x" : memref<?x4xf32>
    %r = tailor.buffer "r" : memref<?x4xf32>
    %y = tailor.buffer "y" : memref<?x8xf32>
    // expected-error @+1 {{'tailor.step.linear' op input 'residual' is f32 [-1, 4], expected f32 [-1, 8]}}
    tailor.step.linear ins(x = %x : memref<?x4xf32>, residual = %r : memref<?x4xf32>) outs(y = %y : memref<?x8xf32>) {weights = {weight = @w}}
    return
  }
}

// -----

module {
  tailor.global @w : tensor<8x4xf32>
  func.func @f() {
    %x = tailor.buffer "x" : memref<?x4xf32>
    %r = tailor.buffer "r" : memref<?x8xf32>
    %c = tailor.buffer "c" : memref<?xi32>
    %y = tailor.buffer "y" : memref<?x8xf32>
    // expected-error @+1 {{'tailor.step.linear' op takes 'residual' or 'counts', not both}}
    tailor.step.linear ins(x = %x : memref<?x4xf32>, counts = %c : memref<?xi32>, residual = %r : memref<?x8xf32>) outs(y = %y : memref<?x8xf32>) {weights = {weight = @w}}
    return
  }
}

// -----

module {
  tailor.global @g : tensor<4xf32>
  func.func @f() {
    %a = tailor.buffer "a" : memref<?x3x4xf32>
    %s = tailor.buffer "s" : memref<?x4xf32>
    %y = tailor.buffer "y" : memref<?x3x4xf32>
    // expected-error @+1 {{'tailor.step.add_layer_norm' op output 'sum' is f32 [-1, 4], expected f32 [-1, 3, 4]}}
    tailor.step.add_layer_norm ins(a = %a : memref<?x3x4xf32>, b = %a : memref<?x3x4xf32>) outs(sum = %s : memref<?x4xf32>, y = %y : memref<?x3x4xf32>) {epsilon = 1.0e-05 : f32, weights = {gamma = @g, beta = @g}}
    return
  }
}

// -----

module {
  tailor.global @g : tensor<4xf32>
  func.func @f() {
    %a = tailor.buffer "a" : memref<?x3x4xf32>
    %y = tailor.buffer "y" : memref<?x3x4xf32>
    // expected-error @+1 {{'tailor.step.add_layer_norm' op needs output role 'y'}}
    tailor.step.add_layer_norm ins(a = %a : memref<?x3x4xf32>, b = %a : memref<?x3x4xf32>) outs(sum = %y : memref<?x3x4xf32>) {epsilon = 1.0e-05 : f32, weights = {gamma = @g, beta = @g}}
    return
  }
}

// -----

module {
  tailor.global @g : tensor<4xf32>
  func.func @f() {
    %a = tailor.buffer "a" : memref<?x3x4xf32>
    %y = tailor.buffer "y" : memref<?x3x4xf32>
    // expected-error @+1 {{'tailor.step.add_layer_norm' op epsilon must be positive, got 0}}
    tailor.step.add_layer_norm ins(a = %a : memref<?x3x4xf32>, b = %a : memref<?x3x4xf32>) outs(y = %y : memref<?x3x4xf32>) {epsilon = 0.0 : f32, weights = {gamma = @g, beta = @g}}
    return
  }
}
