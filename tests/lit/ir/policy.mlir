// Round trip of tailor.layer_policy, tailor.conditional_layer and
// tailor.yield.
// RUN: tailor-opt %s | tailor-opt | FileCheck %s
// RUN: tailor-opt %s --mlir-print-op-generic | tailor-opt | FileCheck %s
// RUN: tailor-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func.func @per_sample_layers
func.func @per_sample_layers(%cls: tensor<?x96xf32>, %count_w: tensor<4x96xf32>, %count_b: tensor<4xf32>,
                             %head_w: tensor<24x96xf32>, %head_b: tensor<24xf32>,
                             %x: tensor<?x?x96xf32>) -> (tensor<?x?x96xf32>, tensor<?x4x6xi1>) {
  // CHECK: %[[COUNT:.*]], %[[HEADS:.*]] = tailor.layer_policy %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {heads = 6 : i64, layers = 4 : i64} : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  // GENERIC: "tailor.layer_policy"({{.*}}) <{heads = 6 : i64, layers = 4 : i64}>
  %count, %heads = tailor.layer_policy %cls, %count_w, %count_b, %head_w, %head_b {layers = 4, heads = 6}
      : (tensor<?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<24x96xf32>, tensor<24xf32>) -> (tensor<?xi32>, tensor<?x4x6xi1>)
  // CHECK: %[[OUT:.*]] = tailor.conditional_layer %[[COUNT]], %{{.*}} {layer = 3 : i64} : (tensor<?xi32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32> {
  // CHECK-NEXT: ^bb0(%[[IN:.*]]: tensor<?x?x96xf32>):
  // CHECK-NEXT: %[[C:.*]] = tailor.attention %[[IN]], %[[IN]], %[[IN]] {heads = 6 : i64}
  // CHECK-NEXT: tailor.yield %[[C]] : tensor<?x?x96xf32>
  // CHECK-NEXT: }
  // GENERIC: "tailor.conditional_layer"(%{{.*}}, %{{.*}}) <{layer = 3 : i64}> ({
  // GENERIC: "tailor.yield"(%{{.*}}) : (tensor<?x?x96xf32>) -> ()
  // GENERIC-NEXT: }) : (tensor<?xi32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32>
  %out = tailor.conditional_layer %count, %x {layer = 3} : (tensor<?xi32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32> {
  ^bb0(%in: tensor<?x?x96xf32>):
    %c = tailor.attention %in, %in, %in {heads = 6} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32>
    tailor.yield %c : tensor<?x?x96xf32>
  }
  // CHECK: return %[[OUT]], %[[HEADS]]
  return %out, %heads : tensor<?x?x96xf32>, tensor<?x4x6xi1>
}
