// Calls to functions made of tailor ops inline, also inside a conditional
// layer's body.
// RUN: tailor-opt %s -inline -symbol-dce | FileCheck %s

func.func private @layer(%x: tensor<?x?x96xf32>) -> tensor<?x?x96xf32> {
  %c = tailor.attention %x, %x, %x {heads = 6} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32>
  return %c : tensor<?x?x96xf32>
}

// CHECK-NOT: func.func private @layer
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[COUNT:.*]]: tensor<?xi32>, %[[X:.*]]: tensor<?x?x96xf32>)
func.func @forward(%count: tensor<?xi32>, %x: tensor<?x?x96xf32>) -> tensor<?x?x96xf32> {
  // CHECK-NOT: call
  // CHECK: %[[FIRST:.*]] = tailor.attention %[[X]], %[[X]], %[[X]]
  %first = func.call @layer(%x) : (tensor<?x?x96xf32>) -> tensor<?x?x96xf32>
  // CHECK: tailor.conditional_layer %[[COUNT]], %[[FIRST]] {layer = 1 : i64}
  // CHECK-NEXT: ^bb0(%[[IN:.*]]: tensor<?x?x96xf32>):
  // CHECK-NEXT: %[[C:.*]] = tailor.attention %[[IN]], %[[IN]], %[[IN]]
  // CHECK-NEXT: tailor.yield %[[C]]
  %second = tailor.conditional_layer %count, %first {layer = 1} : (tensor<?xi32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32> {
  ^bb0(%in: tensor<?x?x96xf32>):
    %out = func.call @layer(%in) : (tensor<?x?x96xf32>) -> tensor<?x?x96xf32>
    tailor.yield %out : tensor<?x?x96xf32>
  }
  return %second : tensor<?x?x96xf32>
}
