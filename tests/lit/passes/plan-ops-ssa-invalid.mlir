// The SSA steps' rules: an attention step's block_sparse pattern covers its
// tokens (square, ceil(seq / block) blocks a side); ensemble_mean's shapes.
// RUN: tailor-opt %s -split-input-file -verify-diagnostics

func.func @f() {
  %q = tailor.buffer "q" : memref<?x5x6xf32>
  %c = tailor.buffer "c" : memref<?x5x6xf32>
  // expected-error @+1 {{'tailor.step.attention' op block_sparse is 2 x 2 blocks of 2, but 5 tokens need 3 x 3}}
  tailor.step.attention ins(q = %q : memref<?x5x6xf32>, k = %q : memref<?x5x6xf32>, v = %q : memref<?x5x6xf32>) outs(context = %c : memref<?x5x6xf32>) {heads = 2 : i64, block_sparse = #tailor.block_sparse<block = 2, rows = 2, cols = 2, mask = [1, 1, 1, 1]>}
  return
}

// -----

func.func @f() {
  %q = tailor.buffer "q" : memref<?x5x6xf32>
  %c = tailor.buffer "c" : memref<?x5x6xf32>
  // expected-error @+1 {{'tailor.step.attention' op block_sparse is 3 x 1 blocks of 2, but 5 tokens need 3 x 3}}
  tailor.step.attention ins(q = %q : memref<?x5x6xf32>, k = %q : memref<?x5x6xf32>, v = %q : memref<?x5x6xf32>) outs(context = %c : memref<?x5x6xf32>) {heads = 2 : i64, block_sparse = #tailor.block_sparse<block = 2, rows = 3, cols = 1, mask = [1, 1, 1]>}
  return
}

// -----

// The ensemble_mean step's members and output share one shape.
func.func @f() {
  %a = tailor.buffer "a" : memref<?x5xf32>
  %b = tailor.buffer "b" : memref<?x4xf32>
  %y = tailor.buffer "y" : memref<?x5xf32>
  // expected-error @+1 {{'tailor.step.ensemble_mean' op input 'x1' is f32 [-1, 4], expected f32 [-1, 5]}}
  tailor.step.ensemble_mean ins(x0 = %a : memref<?x5xf32>, x1 = %b : memref<?x4xf32>) outs(y = %y : memref<?x5xf32>)
  return
}
