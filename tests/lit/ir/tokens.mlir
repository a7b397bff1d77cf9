// Round trip of tailor.select_tokens (static and dynamic k) and
// tailor.restore_tokens.
// RUN: tailor-opt %s | tailor-opt | FileCheck %s
// RUN: tailor-opt %s --mlir-print-op-generic | tailor-opt | FileCheck %s
// RUN: tailor-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func.func @static_k
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x96xf32>, %[[S:.*]]: tensor<?x?xf32>)
func.func @static_k(%x: tensor<?x?x96xf32>, %significance: tensor<?x?xf32>)
    -> (tensor<?x25x96xf32>, tensor<?x25xi32>, tensor<?x?x96xf32>) {
  // keep_first = true is the default and is not printed.
  // CHECK: %[[SEL:.*]], %[[IDX:.*]] = tailor.select_tokens %[[X]], %[[S]] {k = 25 : i64} : (tensor<?x?x96xf32>, tensor<?x?xf32>) -> (tensor<?x25x96xf32>, tensor<?x25xi32>)
  // GENERIC: "tailor.select_tokens"(%{{.*}}, %{{.*}}) <{k = 25 : i64, keep_first = true}>
  %selected, %indices = tailor.select_tokens %x, %significance {k = 25} : (tensor<?x?x96xf32>, tensor<?x?xf32>) -> (tensor<?x25x96xf32>, tensor<?x25xi32>)
  // CHECK: tailor.select_tokens %[[X]], %[[S]] {k = 25 : i64, keep_first = false}
  %other, %other_indices = tailor.select_tokens %x, %significance {k = 25, keep_first = false} : (tensor<?x?x96xf32>, tensor<?x?xf32>) -> (tensor<?x25x96xf32>, tensor<?x25xi32>)
  // CHECK: %[[FULL:.*]] = tailor.restore_tokens %[[X]], %[[SEL]], %[[IDX]] : (tensor<?x?x96xf32>, tensor<?x25x96xf32>, tensor<?x25xi32>) -> tensor<?x?x96xf32>
  // GENERIC: "tailor.restore_tokens"(%{{.*}}, %{{.*}}, %{{.*}}) : (tensor<?x?x96xf32>, tensor<?x25x96xf32>, tensor<?x25xi32>) -> tensor<?x?x96xf32>
  %full = tailor.restore_tokens %x, %selected, %indices : (tensor<?x?x96xf32>, tensor<?x25x96xf32>, tensor<?x25xi32>) -> tensor<?x?x96xf32>
  return %selected, %indices, %full : tensor<?x25x96xf32>, tensor<?x25xi32>, tensor<?x?x96xf32>
}

// CHECK-LABEL: func.func @dynamic_k
// CHECK-SAME: %[[K:[^:]*]]: index
func.func @dynamic_k(%x: tensor<8x50x96xf32>, %significance: tensor<8x50xf32>, %k: index)
    -> tensor<8x50x96xf32> {
  // CHECK: %[[SEL:.*]], %[[IDX:.*]] = tailor.select_tokens %{{.*}}, %{{.*}}, %[[K]] : (tensor<8x50x96xf32>, tensor<8x50xf32>, index) -> (tensor<8x?x96xf32>, tensor<8x?xi32>)
  // GENERIC: "tailor.select_tokens"(%{{.*}}, %{{.*}}, %{{.*}}) <{keep_first = true}> : (tensor<8x50x96xf32>, tensor<8x50xf32>, index)
  %selected, %indices = tailor.select_tokens %x, %significance, %k : (tensor<8x50x96xf32>, tensor<8x50xf32>, index) -> (tensor<8x?x96xf32>, tensor<8x?xi32>)
  // CHECK: tailor.restore_tokens %{{.*}}, %[[SEL]], %[[IDX]] : (tensor<8x50x96xf32>, tensor<8x?x96xf32>, tensor<8x?xi32>) -> tensor<8x50x96xf32>
  %full = tailor.restore_tokens %x, %selected, %indices : (tensor<8x50x96xf32>, tensor<8x?x96xf32>, tensor<8x?xi32>) -> tensor<8x50x96xf32>
  return %full : tensor<8x50x96xf32>
}

// CHECK-LABEL: func.func @gather_mask
func.func @gather_mask(%mask: tensor<?x50xi1>, %indices: tensor<?x25xi32>) -> tensor<?x25xi1> {
  // CHECK: tailor.gather_tokens %{{.*}}, %{{.*}} : (tensor<?x50xi1>, tensor<?x25xi32>) -> tensor<?x25xi1>
  // GENERIC: "tailor.gather_tokens"(%{{.*}}, %{{.*}}) : (tensor<?x50xi1>, tensor<?x25xi32>) -> tensor<?x25xi1>
  %kept = tailor.gather_tokens %mask, %indices : (tensor<?x50xi1>, tensor<?x25xi32>) -> tensor<?x25xi1>
  return %kept : tensor<?x25xi1>
}

// CHECK-LABEL: func.func @gather_hidden
func.func @gather_hidden(%x: tensor<8x?x96xf32>, %indices: tensor<8x?xi32>) -> tensor<8x?x96xf32> {
  // CHECK: tailor.gather_tokens %{{.*}}, %{{.*}} : (tensor<8x?x96xf32>, tensor<8x?xi32>) -> tensor<8x?x96xf32>
  %kept = tailor.gather_tokens %x, %indices : (tensor<8x?x96xf32>, tensor<8x?xi32>) -> tensor<8x?x96xf32>
  return %kept : tensor<8x?x96xf32>
}
