// Round trip of tailor.attention with and without its optional operands,
// result and attributes.
// RUN: tailor-opt %s | tailor-opt | FileCheck %s
// RUN: tailor-opt %s --mlir-print-op-generic | tailor-opt | FileCheck %s
// RUN: tailor-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func.func @dense
// CHECK-SAME: (%[[Q:.*]]: tensor<?x?x96xf32>, %[[K:.*]]: tensor<?x?x96xf32>, %[[V:.*]]: tensor<?x?x96xf32>)
func.func @dense(%q: tensor<?x?x96xf32>, %k: tensor<?x?x96xf32>, %v: tensor<?x?x96xf32>) -> tensor<?x?x96xf32> {
  // CHECK: %[[C:.*]] = tailor.attention %[[Q]], %[[K]], %[[V]] {heads = 6 : i64} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32>
  // GENERIC: "tailor.attention"(%{{.*}}, %{{.*}}, %{{.*}}) <{heads = 6 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>}>
  %c = tailor.attention %q, %k, %v {heads = 6} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32>
  // CHECK: return %[[C]]
  return %c : tensor<?x?x96xf32>
}

// CHECK-LABEL: func.func @everything
// CHECK-SAME: %[[MASK:[^:]*]]: tensor<?x?xi1>, %[[HEADS:[^:]*]]: tensor<?x6xi1>
func.func @everything(%q: tensor<?x?x96xf32>, %k: tensor<?x?x96xf32>, %v: tensor<?x?x96xf32>,
                      %key_mask: tensor<?x?xi1>, %sample_heads: tensor<?x6xi1>)
    -> (tensor<?x?x96xf32>, tensor<?x?xf32>) {
  // CHECK: %[[C:.*]], %[[S:.*]] = tailor.attention %{{.*}}, %{{.*}}, %{{.*}} key_mask(%[[MASK]]) sample_head_mask(%[[HEADS]])
  // CHECK-SAME: {head_mask = #tailor.head_mask<heads = 6, kept = [0, 2, 3]>, heads = 6 : i64}
  // CHECK-SAME: : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?xi1>, tensor<?x6xi1>) -> (tensor<?x?x96xf32>, tensor<?x?xf32>)
  // GENERIC: "tailor.attention"({{.*}}) <{head_mask = #tailor.head_mask<heads = 6, kept = [0, 2, 3]>, heads = 6 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>}>
  %c, %s = tailor.attention %q, %k, %v key_mask(%key_mask) sample_head_mask(%sample_heads)
      {heads = 6, head_mask = #tailor.head_mask<heads = 6, kept = [0, 2, 3]>}
      : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?xi1>, tensor<?x6xi1>) -> (tensor<?x?x96xf32>, tensor<?x?xf32>)
  // CHECK: return %[[C]], %[[S]]
  return %c, %s : tensor<?x?x96xf32>, tensor<?x?xf32>
}

// CHECK-LABEL: func.func @only_sample_heads
func.func @only_sample_heads(%x: tensor<?x?x96xf32>, %sample_heads: tensor<?x6xi1>) -> tensor<?x?x96xf32> {
  // CHECK: tailor.attention %{{.*}}, %{{.*}}, %{{.*}} sample_head_mask(%{{.*}}) {heads = 6 : i64} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x6xi1>) -> tensor<?x?x96xf32>
  // GENERIC: operandSegmentSizes = array<i32: 1, 1, 1, 0, 1>
  %c = tailor.attention %x, %x, %x sample_head_mask(%sample_heads) {heads = 6} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x6xi1>) -> tensor<?x?x96xf32>
  return %c : tensor<?x?x96xf32>
}

// A static sequence of 50 tokens in blocks of 16 needs 4x4 blocks; a
// dynamic one takes any square pattern.
// CHECK-LABEL: func.func @block_sparse
func.func @block_sparse(%x: tensor<8x50x96xf32>, %y: tensor<?x?x96xf32>) -> (tensor<8x50x96xf32>, tensor<?x?x96xf32>) {
  // CHECK: tailor.attention {{.*}} {heads = 6 : i64, sparsity = #tailor.block_sparse<block = 16, rows = 4, cols = 4, mask = [1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1]>} : (tensor<8x50x96xf32>, tensor<8x50x96xf32>, tensor<8x50x96xf32>) -> tensor<8x50x96xf32>
  %a = tailor.attention %x, %x, %x {heads = 6, sparsity = #tailor.block_sparse<block = 16, rows = 4, cols = 4, mask = [1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1]>} : (tensor<8x50x96xf32>, tensor<8x50x96xf32>, tensor<8x50x96xf32>) -> tensor<8x50x96xf32>
  // CHECK: tailor.attention {{.*}} {heads = 6 : i64, sparsity = #tailor.block_sparse<block = 16, rows = 2, cols = 2, mask = [1, 0, 1, 1]>} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32>
  %b = tailor.attention %y, %y, %y {heads = 6, sparsity = #tailor.block_sparse<block = 16, rows = 2, cols = 2, mask = [1, 0, 1, 1]>} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32>
  return %a, %b : tensor<8x50x96xf32>, tensor<?x?x96xf32>
}
