// The ACM steps' rules: acm_route, acm_compact, gather_rows, scatter_add,
// a linear's counts, and tailor.has_rows.
// RUN: tailor-opt %s -split-input-file -verify-diagnostics

tailor.global @w : tensor<2x4xf32>
func.func @f() {
  %g = tailor.buffer "g" : memref<?x5x3xf32>
  %k = tailor.buffer "k" : memref<?x5xf32>
  // expected-error @+1 {{'tailor.step.acm_route' op output 'learners' is f32 [-1, 5], expected i32 [-1, 5]}}
  tailor.step.acm_route ins(logits = %g : memref<?x5x3xf32>) outs(learners = %k : memref<?x5xf32>)
  return
}

// -----

tailor.global @w : tensor<2x4xf32>
func.func @f() {
  %g = tailor.buffer "g" : memref<?x5x3xf32>
  %k = tailor.buffer "k" : memref<?x4xi32>
  // expected-error @+1 {{'tailor.step.acm_route' op output 'learners' is i32 [-1, 4], expected i32 [-1, 5]}}
  tailor.step.acm_route ins(logits = %g : memref<?x5x3xf32>) outs(learners = %k : memref<?x4xi32>)
  return
}

// -----

tailor.global @w : tensor<2x4xf32>
func.func @f() {
  %k = tailor.buffer "k" : memref<?x5xi32>
  %r = tailor.buffer "r" : memref<?x5xi32>
  %c = tailor.buffer "c" : memref<?xi32>
  // expected-error @+1 {{'tailor.step.acm_compact' op attribute 'learner' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  tailor.step.acm_compact ins(learners = %k : memref<?x5xi32>) outs(rows = %r : memref<?x5xi32>, counts = %c : memref<?xi32>) {learner = 0 : i64}
  return
}

// -----

tailor.global @w : tensor<2x4xf32>
func.func @f() {
  %k = tailor.buffer "k" : memref<?x5xi32>
  %r = tailor.buffer "r" : memref<?x5xi32>
  %c = tailor.buffer "c" : memref<?x1xi32>
  // expected-error @+1 {{'tailor.step.acm_compact' op output 'counts' is i32 [-1, 1], expected i32 [-1]}}
  tailor.step.acm_compact ins(learners = %k : memref<?x5xi32>) outs(rows = %r : memref<?x5xi32>, counts = %c : memref<?x1xi32>) {learner = 1 : i64}
  return
}

// -----

tailor.global @w : tensor<2x4xf32>
func.func @f() {
  %x = tailor.buffer "x" : memref<?x5x4xf32>
  %r = tailor.buffer "r" : memref<?x4xi32>
  %c = tailor.buffer "c" : memref<?xi32>
  %y = tailor.buffer "y" : memref<?x5x4xf32>
  // expected-error @+1 {{'tailor.step.gather_rows' op input 'rows' is i32 [-1, 4], expected i32 [-1, 5]}}
  tailor.step.gather_rows ins(x = %x : memref<?x5x4xf32>, rows = %r : memref<?x4xi32>, counts = %c : memref<?xi32>) outs(y = %y : memref<?x5x4xf32>)
  return
}

// -----

tailor.global @w : tensor<2x4xf32>
func.func @f() {
  %x = tailor.buffer "x" : memref<?x5x4xf32>
  %r = tailor.buffer "r" : memref<?x5xi32>
  %y = tailor.buffer "y" : memref<?x5x4xf32>
  // expected-error @+1 {{'tailor.step.scatter_add' op needs input role 'counts'}}
  tailor.step.scatter_add ins(x = %x : memref<?x5x4xf32>, rows = %r : memref<?x5xi32>) outs(y = %y : memref<?x5x4xf32>)
  return
}

// -----

tailor.global @w : tensor<2x4xf32>
func.func @f() {
  %x = tailor.buffer "x" : memref<?x5x4xf32>
  %r = tailor.buffer "r" : memref<?x5xi32>
  %c = tailor.buffer "c" : memref<?xi32>
  %y = tailor.buffer "y" : memref<?x5x3xf32>
  // expected-error @+1 {{'tailor.step.scatter_add' op output 'y' is f32 [-1, 5, 3], expected f32 [-1, 5, 4]}}
  tailor.step.scatter_add ins(x = %x : memref<?x5x4xf32>, rows = %r : memref<?x5xi32>, counts = %c : memref<?xi32>) outs(y = %y : memref<?x5x3xf32>)
  return
}

// -----

tailor.global @w : tensor<2x4xf32>
func.func @f() {
  %x = tailor.buffer "x" : memref<?x5x4xf32>
  %c = tailor.buffer "c" : memref<?xf32>
  %y = tailor.buffer "y" : memref<?x5x2xf32>
  // expected-error @+1 {{'tailor.step.linear' op input 'counts' is f32 [-1], expected i32 [-1]}}
  tailor.step.linear ins(x = %x : memref<?x5x4xf32>, counts = %c : memref<?xf32>) outs(y = %y : memref<?x5x2xf32>) {weights = {weight = @w}}
  return
}

// -----

func.func @f(%c: memref<?xi32>) {
  // expected-error @+1 {{'tailor.has_rows' op reads a counts buffer: its operand must be a tailor.buffer}}
  %any = tailor.has_rows %c : memref<?xi32>
  return
}
