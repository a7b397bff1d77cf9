// Every rule of the plan form's verifiers: buffers, step roles, kernel
// shapes and weights.
// RUN: tailor-opt %s -split-input-file -verify-diagnostics

func.func @f() {
  // expected-error @+1 {{'tailor.buffer' op dimension 0 is the batch and must be dynamic, got 'memref<2x4xf32>'}}
  %x = tailor.buffer "x" : memref<2x4xf32>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'tailor.buffer' op every dimension but the batch must be static, got 'memref<?x?xf32>'}}
  %x = tailor.buffer "x" : memref<?x?xf32>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'tailor.buffer' op is either a model input or a model output, not both}}
  %x = tailor.buffer "x" {input = 0 : i64, output = 0 : i64} : memref<?x4xf32>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'tailor.buffer' op offset 6 is not a multiple of the element size}}
  %x = tailor.buffer "x" {offset = 6 : i64} : memref<?x4xf32>
  return
}

// -----

func.func @f() {
  %x = tailor.buffer "x" : memref<?x4xf32>
  %y = tailor.buffer "y" : memref<?x4xf32>
  // expected-error @+1 {{'tailor.step.add' op has no input role 'c' (input roles: a, b)}}
  tailor.step.add ins(a = %x : memref<?x4xf32>, c = %x : memref<?x4xf32>) outs(y = %y : memref<?x4xf32>)
  return
}

// -----

func.func @f() {
  %x = tailor.buffer "x" : memref<?x4xf32>
  %y = tailor.buffer "y" : memref<?x4xf32>
  // expected-error @+1 {{'tailor.step.add' op needs input role 'b'}}
  tailor.step.add ins(a = %x : memref<?x4xf32>) outs(y = %y : memref<?x4xf32>)
  return
}

// -----

func.func @f() {
  %x = tailor.buffer "x" : memref<?x4xf32>
  %y = tailor.buffer "y" : memref<?x4xf32>
  // expected-error @+1 {{'tailor.step.add' op names input role 'a' twice}}
  tailor.step.add ins(a = %x : memref<?x4xf32>, a = %x : memref<?x4xf32>) outs(y = %y : memref<?x4xf32>)
  return
}

// -----

func.func @f() {
  %x = tailor.buffer "x" : memref<?x4xf32>
  // expected-error @+1 {{'tailor.step.add' op writes output 'y' into a buffer it reads}}
  tailor.step.add ins(a = %x : memref<?x4xf32>, b = %x : memref<?x4xf32>) outs(y = %x : memref<?x4xf32>)
  return
}

// -----

func.func @f() {
  %x = tailor.buffer "x" : memref<?x4xf32>
  %y = tailor.buffer "y" : memref<?x4xf32>
  // expected-error @+1 {{'tailor.step.add' op has no weight role 'weight' (weight roles: none)}}
  tailor.step.add ins(a = %x : memref<?x4xf32>, b = %x : memref<?x4xf32>) outs(y = %y : memref<?x4xf32>) {weights = {weight = @w}}
  return
}

// -----

func.func @f() {
  %x = tailor.buffer "x" : memref<?x4xf32>
  %y = tailor.buffer "y" : memref<?x8xf32>
  // expected-error @+1 {{'tailor.step.linear' op needs weight role 'weight'}}
  tailor.step.linear ins(x = %x : memref<?x4xf32>) outs(y = %y : memref<?x8xf32>)
  return
}

// -----

module {
  func.func @f() {
    %x = tailor.buffer "x" : memref<?x4xf32>
    %y = tailor.buffer "y" : memref<?x8xf32>
    // expected-error @+1 {{'tailor.step.linear' op weight 'weight' names @missing, which is not a tailor.global}}
    tailor.step.linear ins(x = %x : memref<?x4xf32>) outs(y = %y : memref<?x8xf32>) {weights = {weight = @missing}}
    return
  }
}

// -----

module {
  tailor.global @w : tensor<8x5xf32>
  func.func @f() {
    %x = tailor.buffer "x" : memref<?x4xf32>
    %y = tailor.buffer "y" : memref<?x8xf32>
    // expected-error @+1 {{'tailor.step.linear' op weight 'weight' has shape [8, 5], expected [8, 4]}}
    tailor.step.linear ins(x = %x : memref<?x4xf32>) outs(y = %y : memref<?x8xf32>) {weights = {weight = @w}}
    return
  }
}

// -----

module {
  tailor.global @w : tensor<8x4xf32>
  func.func @f() {
    %x = tailor.buffer "x" : memref<?x4xf32>
    %y = tailor.buffer "y" : memref<?x6xf32>
    // expected-error @+1 {{'tailor.step.linear' op output 'y' is f32 [-1, 6], expected f32 [-1, 8]}}
    tailor.step.linear ins(x = %x : memref<?x4xf32>) outs(y = %y : memref<?x6xf32>) {weights = {weight = @w}}
    return
  }
}

// -----

module {
  func.func @f() {
    %q = tailor.buffer "q" : memref<?x5x6xf32>
    %m = tailor.buffer "m" : memref<?x5xf32>
    %c = tailor.buffer "c" : memref<?x5x6xf32>
    // expected-error @+1 {{'tailor.step.attention' op input 'key_mask' is f32 [-1, 5], expected i1 [-1, 5]}}
    tailor.step.attention ins(q = %q : memref<?x5x6xf32>, k = %q : memref<?x5x6xf32>, v = %q : memref<?x5x6xf32>, key_mask = %m : memref<?x5xf32>) outs(context = %c : memref<?x5x6xf32>) {heads = 2 : i64}
    return
  }
}

// -----

module {
  func.func @f() {
    %q = tailor.buffer "q" : memref<?x5x6xf32>
    %c = tailor.buffer "c" : memref<?x5x6xf32>
    // expected-error @+1 {{'tailor.step.attention' op hidden size 6 is not divisible by heads = 4}}
    tailor.step.attention ins(q = %q : memref<?x5x6xf32>, k = %q : memref<?x5x6xf32>, v = %q : memref<?x5x6xf32>) outs(context = %c : memref<?x5x6xf32>) {heads = 4 : i64}
    return
  }
}

// -----

module {
  func.func @f() {
    %x = tailor.buffer "x" : memref<?x5x4xf32>
    %s = tailor.buffer "s" : memref<?x5xf32>
    %y = tailor.buffer "y" : memref<?x6x4xf32>
    %i = tailor.buffer "i" : memref<?x6xi32>
    // expected-error @+1 {{'tailor.step.select_tokens' op keeps 6 tokens out of 5}}
    tailor.step.select_tokens ins(x = %x : memref<?x5x4xf32>, significance = %s : memref<?x5xf32>) outs(y = %y : memref<?x6x4xf32>, indices = %i : memref<?x6xi32>)
    return
  }
}

// -----

module {
  func.func @f() {
    %x = tailor.buffer "x" : memref<?x5xi1>
    %i = tailor.buffer "i" : memref<?x3xi32>
    %y = tailor.buffer "y" : memref<?x3xf32>
    // expected-error @+1 {{'tailor.step.gather_tokens' op output 'y' is f32 [-1, 3], expected i1 [-1, 3]}}
    tailor.step.gather_tokens ins(x = %x : memref<?x5xi1>, indices = %i : memref<?x3xi32>) outs(y = %y : memref<?x3xf32>)
    return
  }
}

// -----

module {
  tailor.global @w : tensor<3x4xf32>
  tailor.global @b : tensor<3xf32>
  tailor.global @pw : tensor<4x4xf32>
  func.func @f() {
    %x = tailor.buffer "x" : memref<?x5x4xf32>
    %y = tailor.buffer "y" : memref<?x3xf32>
    // expected-error @+1 {{'tailor.step.classifier' op weights 'pooler_weight' and 'pooler_bias' come together}}
    tailor.step.classifier ins(x = %x : memref<?x5x4xf32>) outs(logits = %y : memref<?x3xf32>) {weights = {weight = @w, bias = @b, pooler_weight = @pw}}
    return
  }
}
