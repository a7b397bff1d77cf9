// lower-to-kernels turns an SSA ensemble's tailor.ensemble_mean into the
// ensemble_mean step, one input role per member; more than 8 members is an
// error.
// RUN: tailor-opt %s -split-input-file -lower-to-kernels -verify-diagnostics | FileCheck %s

module attributes {tailor.model = {kind = "encoder"}} {
  tailor.global @word : tensor<10x6xf32>
  tailor.global @position : tensor<5x6xf32>
  func.func @forward(%ids: tensor<?x5xi32>) -> tensor<?x5x6xf32> {
    %word = tailor.weight @word : tensor<10x6xf32>
    %position = tailor.weight @position : tensor<5x6xf32>
    %x = tailor.token_embeddings %ids, %word, %position : (tensor<?x5xi32>, tensor<10x6xf32>, tensor<5x6xf32>) -> tensor<?x5x6xf32>
    %a, %s0 = tailor.attention %x, %x, %x {heads = 3 : i64, sparsity = #tailor.block_sparse<block = 4, rows = 2, cols = 2, mask = [1, 1, 1, 0]>} : (tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>) -> (tensor<?x5x6xf32>, tensor<?x5xf32>)
    %b, %s1 = tailor.attention %x, %x, %x {heads = 3 : i64, sparsity = #tailor.block_sparse<block = 4, rows = 2, cols = 2, mask = [1, 1, 0, 1]>} : (tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>) -> (tensor<?x5x6xf32>, tensor<?x5xf32>)
    %m = tailor.ensemble_mean %a, %b : tensor<?x5x6xf32>, tensor<?x5x6xf32> -> tensor<?x5x6xf32>
    return %m : tensor<?x5x6xf32>
  }
}

// CHECK: tailor.step.attention ins({{.*}}) outs(context = %[[A:[^ ]*]] : memref<?x5x6xf32>) {block_sparse = #tailor.block_sparse<block = 4, rows = 2, cols = 2, mask = [1, 1, 1, 0]>, heads = 3 : i64}
// CHECK: tailor.step.attention ins({{.*}}) outs(context = %[[B:[^ ]*]] : memref<?x5x6xf32>) {block_sparse = #tailor.block_sparse<block = 4, rows = 2, cols = 2, mask = [1, 1, 0, 1]>, heads = 3 : i64}
// CHECK: %[[Y:.*]] = tailor.buffer "logits" {output = 0 : i64} : memref<?x5x6xf32>
// CHECK: tailor.step.ensemble_mean ins(x0 = %[[A]] : memref<?x5x6xf32>, x1 = %[[B]] : memref<?x5x6xf32>) outs(y = %[[Y]] : memref<?x5x6xf32>)

// -----

module attributes {tailor.model = {kind = "encoder"}} {
  tailor.global @word : tensor<10x6xf32>
  tailor.global @position : tensor<5x6xf32>
  func.func @forward(%ids: tensor<?x5xi32>) -> tensor<?x5x6xf32> {
    %word = tailor.weight @word : tensor<10x6xf32>
    %position = tailor.weight @position : tensor<5x6xf32>
    %x = tailor.token_embeddings %ids, %word, %position : (tensor<?x5xi32>, tensor<10x6xf32>, tensor<5x6xf32>) -> tensor<?x5x6xf32>
    // expected-error @+1 {{'tailor.ensemble_mean' op has 9 members; the ensemble_mean step takes at most 8}}
    %m = tailor.ensemble_mean %x, %x, %x, %x, %x, %x, %x, %x, %x : tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32> -> tensor<?x5x6xf32>
    return %m : tensor<?x5x6xf32>
  }
}
