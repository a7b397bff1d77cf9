// lower-to-kernels folds an attention's SSA pattern into its step: the
// block_sparse attribute carries the block mask to the kernels; a dense
// attention's step has none.
// RUN: tailor-opt %s -lower-to-kernels | FileCheck %s

module attributes {tailor.model = {kind = "encoder"}} {
  tailor.global @word : tensor<10x6xf32>
  tailor.global @position : tensor<5x6xf32>
  func.func @forward(%ids: tensor<?x5xi32>) -> (tensor<?x5x6xf32>, tensor<?x5x6xf32>) {
    %word = tailor.weight @word : tensor<10x6xf32>
    %position = tailor.weight @position : tensor<5x6xf32>
    %x = tailor.token_embeddings %ids, %word, %position : (tensor<?x5xi32>, tensor<10x6xf32>, tensor<5x6xf32>) -> tensor<?x5x6xf32>
    // CHECK: tailor.step.attention ins(q = {{.*}}) outs(context = {{.*}}) {block_sparse = #tailor.block_sparse<block = 2, rows = 3, cols = 3, mask = [1, 1, 1, 1, 1, 0, 1, 0, 1]>, heads = 3 : i64}
    %sparse, %s0 = tailor.attention %x, %x, %x {heads = 3 : i64, sparsity = #tailor.block_sparse<block = 2, rows = 3, cols = 3, mask = [1, 1, 1, 1, 1, 0, 1, 0, 1]>} : (tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>) -> (tensor<?x5x6xf32>, tensor<?x5xf32>)
    // CHECK: tailor.step.attention ins(q = {{.*}}) outs(context = {{.*}}) {heads = 3 : i64}
    %dense, %s1 = tailor.attention %x, %x, %x {heads = 3 : i64} : (tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>) -> (tensor<?x5x6xf32>, tensor<?x5xf32>)
    return %sparse, %dense : tensor<?x5x6xf32>, tensor<?x5x6xf32>
  }
}
