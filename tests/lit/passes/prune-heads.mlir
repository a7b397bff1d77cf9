// prune-heads: the heads a static head_mask keeps become derived weights
// (rows of Q, K and V, columns of O) named <tensor>@heads=..., and the
// attention runs those heads only.
// RUN: tailor-opt %s -split-input-file -prune-heads | FileCheck %s

module attributes {tailor.model = {kind = "vit", layers = 1 : i64}} {
  tailor.global @layers.0.attention.query.weight : tensor<6x6xf32>
  tailor.global @layers.0.attention.query.bias : tensor<6xf32>
  tailor.global @layers.0.attention.key.weight : tensor<6x6xf32>
  tailor.global @layers.0.attention.value.weight : tensor<6x6xf32>
  tailor.global @layers.0.attention.output.weight : tensor<6x6xf32>
  tailor.global @layers.0.attention.output.bias : tensor<6xf32>
  // CHECK-DAG: tailor.global @"layers.0.attention.query.weight@heads=0,2" : tensor<4x6xf32> {source = "layers.0.attention.query.weight"}
  // CHECK-DAG: tailor.global @"layers.0.attention.query.bias@heads=0,2" : tensor<4xf32> {source = "layers.0.attention.query.bias"}
  // CHECK-DAG: tailor.global @"layers.0.attention.key.weight@heads=0,2" : tensor<4x6xf32> {source = "layers.0.attention.key.weight"}
  // CHECK-DAG: tailor.global @"layers.0.attention.value.weight@heads=0,2" : tensor<4x6xf32> {source = "layers.0.attention.value.weight"}
  // CHECK-DAG: tailor.global @"layers.0.attention.output.weight@heads=0,2" : tensor<6x4xf32> {source = "layers.0.attention.output.weight"}
  // CHECK-LABEL: func.func @forward
  func.func @forward(%x: tensor<?x5x6xf32>) -> tensor<?x5x6xf32> {
    %qw = tailor.weight @layers.0.attention.query.weight : tensor<6x6xf32>
    %qb = tailor.weight @layers.0.attention.query.bias : tensor<6xf32>
    %kw = tailor.weight @layers.0.attention.key.weight : tensor<6x6xf32>
    %vw = tailor.weight @layers.0.attention.value.weight : tensor<6x6xf32>
    // CHECK: %[[Q:.*]] = tailor.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x5x6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<?x5x4xf32>
    // CHECK: %[[K:.*]] = tailor.linear %{{.*}}, %{{.*}} : (tensor<?x5x6xf32>, tensor<4x6xf32>) -> tensor<?x5x4xf32>
    // CHECK: %[[V:.*]] = tailor.linear %{{.*}}, %{{.*}} : (tensor<?x5x6xf32>, tensor<4x6xf32>) -> tensor<?x5x4xf32>
    %q = tailor.linear %x, %qw, %qb : (tensor<?x5x6xf32>, tensor<6x6xf32>, tensor<6xf32>) -> tensor<?x5x6xf32>
    %k = tailor.linear %x, %kw : (tensor<?x5x6xf32>, tensor<6x6xf32>) -> tensor<?x5x6xf32>
    %v = tailor.linear %x, %vw : (tensor<?x5x6xf32>, tensor<6x6xf32>) -> tensor<?x5x6xf32>
    // CHECK: %[[CTX:.*]], %{{.*}} = tailor.attention %[[Q]], %[[K]], %[[V]] {heads = 2 : i64} : {{.*}} -> (tensor<?x5x4xf32>, tensor<?x5xf32>)
    %ctx, %sig = tailor.attention %q, %k, %v {heads = 3 : i64, head_mask = #tailor.head_mask<heads = 3, kept = [0, 2]>} : (tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>) -> (tensor<?x5x6xf32>, tensor<?x5xf32>)
    %ow = tailor.weight @layers.0.attention.output.weight : tensor<6x6xf32>
    %ob = tailor.weight @layers.0.attention.output.bias : tensor<6xf32>
    // CHECK: %[[OW:.*]] = tailor.weight @"layers.0.attention.output.weight@heads=0,2" : tensor<6x4xf32>
    // CHECK: tailor.linear %[[CTX]], %[[OW]], %{{.*}} : (tensor<?x5x4xf32>, tensor<6x4xf32>, tensor<6xf32>) -> tensor<?x5x6xf32>
    %o = tailor.linear %ctx, %ow, %ob : (tensor<?x5x6xf32>, tensor<6x6xf32>, tensor<6xf32>) -> tensor<?x5x6xf32>
    return %o : tensor<?x5x6xf32>
  }
}

// -----

// A mask that keeps every head only goes away.
module {
  // CHECK-LABEL: func.func @all_kept
  func.func @all_kept(%q: tensor<?x5x6xf32>) -> tensor<?x5x6xf32> {
    // CHECK: tailor.attention %{{.*}}, %{{.*}}, %{{.*}} {heads = 3 : i64} :
    %ctx, %sig = tailor.attention %q, %q, %q {heads = 3 : i64, head_mask = #tailor.head_mask<heads = 3, kept = [0, 1, 2]>} : (tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>) -> (tensor<?x5x6xf32>, tensor<?x5xf32>)
    return %ctx : tensor<?x5x6xf32>
  }
}
