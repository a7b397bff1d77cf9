// fold-layer-config on the two-layer ViT of fold-length-config.mlir: a
// skipped layer's ops and weights' reads disappear, the next layer reads
// what the skipped one read, and fold-length-config then records the
// skipped layer's length as its input length.
// RUN: tailor-opt %S/fold-length-config.mlir -fold-layer-config=skip=1 | FileCheck %s
// RUN: tailor-opt %S/fold-length-config.mlir -fold-layer-config=skip=0 -fold-length-config=budget=0.5 | FileCheck %s --check-prefix=FIRST
// RUN: tailor-opt %S/fold-length-config.mlir -fold-layer-config=skip=1 -fold-length-config=budget=0.5 | FileCheck %s --check-prefix=LENGTHS

// CHECK: tailor.variant = {skipped_layers = array<i64: 1>}
// CHECK: func.func @forward
// CHECK: tailor.weight @layers.0.attention.query.weight
// CHECK-NOT: tailor.weight @layers.1.
// CHECK: %[[S0:.*]], %{{.*}} = tailor.select_tokens
// CHECK: %[[U0:.*]] = tailor.mlp %[[S0]]
// CHECK: %[[X1:.*]] = arith.addf %[[S0]], %[[U0]]
// CHECK-NOT: tailor.weight @layers.1.
// CHECK: tailor.classifier %[[X1]]

// Layer 0 skipped: layer 1 reads the embeddings, and selects 2 of 5 tokens.
// FIRST: tailor.variant = {length_config = #tailor.length_config<budget = 0.5, lengths = [5, 2], flops = 1000>, skipped_layers = array<i64: 0>}
// FIRST: %[[X0:.*]] = tailor.patch_embeddings
// FIRST-NOT: tailor.weight @layers.0.
// FIRST: tailor.linear %[[X0]]
// FIRST: tailor.select_tokens {{.*}} {k = 2 : i64} : (tensor<?x5x4xf32>, tensor<?x5xf32>) -> (tensor<?x2x4xf32>, tensor<?x2xi32>)

// LENGTHS: tailor.variant = {length_config = #tailor.length_config<budget = 0.5, lengths = [3, 3], flops = 1000>, skipped_layers = array<i64: 1>}
// LENGTHS: tailor.classifier {{.*}} : (tensor<?x3x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x3xf32>
