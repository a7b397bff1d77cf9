// fold-length-config on a two-layer ViT of the importer's form (layer norms
// left out): the chosen lengths become static k, shapes turn static
// downstream, the lengths argument goes, and at the full length the
// selections disappear.
// RUN: tailor-opt %s -fold-length-config=budget=0.5 | FileCheck %s
// RUN: tailor-opt %s -fold-length-config=budget=1.0 | FileCheck %s --check-prefix=FULL

// CHECK-LABEL: module attributes
// CHECK-SAME: tailor.variant = {length_config = #tailor.length_config<budget = 0.5, lengths = [3, 2], flops = 1000>}
// FULL-LABEL: module attributes
// FULL-SAME: tailor.variant = {length_config = #tailor.length_config<budget = 1.0, lengths = [5, 5]>}
module attributes {
  tailor.model = {kind = "vit", layers = 2 : i64},
  tailor.length_configs = [#tailor.length_config<budget = 1.0, lengths = [5, 5]>,
                           #tailor.length_config<budget = 0.5, lengths = [3, 2], flops = 1000>]
} {
  tailor.global @embeddings.patch.weight : tensor<4x1xf32>
  tailor.global @embeddings.patch.bias : tensor<4xf32>
  tailor.global @embeddings.cls : tensor<4xf32>
  tailor.global @embeddings.position : tensor<5x4xf32>
  tailor.global @layers.0.attention.query.weight : tensor<4x4xf32>
  tailor.global @layers.0.attention.output.weight : tensor<4x4xf32>
  tailor.global @layers.0.mlp.up.weight : tensor<8x4xf32>
  tailor.global @layers.0.mlp.up.bias : tensor<8xf32>
  tailor.global @layers.0.mlp.down.weight : tensor<4x8xf32>
  tailor.global @layers.0.mlp.down.bias : tensor<4xf32>
  tailor.global @layers.1.attention.query.weight : tensor<4x4xf32>
  tailor.global @layers.1.attention.output.weight : tensor<4x4xf32>
  tailor.global @layers.1.mlp.up.weight : tensor<8x4xf32>
  tailor.global @layers.1.mlp.up.bias : tensor<8xf32>
  tailor.global @layers.1.mlp.down.weight : tensor<4x8xf32>
  tailor.global @layers.1.mlp.down.bias : tensor<4xf32>
  tailor.global @classifier.weight : tensor<3x4xf32>
  tailor.global @classifier.bias : tensor<3xf32>

  // CHECK: func.func @forward(%{{.*}}: tensor<?x1x2x2xf32>) -> tensor<?x3xf32>
  // FULL: func.func @forward(%{{.*}}: tensor<?x1x2x2xf32>) -> tensor<?x3xf32>
  func.func @forward(%images: tensor<?x1x2x2xf32>, %lengths: tensor<2xindex>) -> tensor<?x3xf32> {
    %pw = tailor.weight @embeddings.patch.weight : tensor<4x1xf32>
    %pb = tailor.weight @embeddings.patch.bias : tensor<4xf32>
    %cls = tailor.weight @embeddings.cls : tensor<4xf32>
    %pos = tailor.weight @embeddings.position : tensor<5x4xf32>
    %x0 = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 1 : i64} : (tensor<?x1x2x2xf32>, tensor<4x1xf32>, tensor<4xf32>, tensor<4xf32>, tensor<5x4xf32>) -> tensor<?x5x4xf32>

    // Layer 0 reads 5 tokens and keeps 3.
    %qw0 = tailor.weight @layers.0.attention.query.weight : tensor<4x4xf32>
    %q0 = tailor.linear %x0, %qw0 : (tensor<?x5x4xf32>, tensor<4x4xf32>) -> tensor<?x5x4xf32>
    %ctx0, %sig0 = tailor.attention %q0, %q0, %q0 {heads = 2 : i64} : (tensor<?x5x4xf32>, tensor<?x5x4xf32>, tensor<?x5x4xf32>) -> (tensor<?x5x4xf32>, tensor<?x5xf32>)
    %ow0 = tailor.weight @layers.0.attention.output.weight : tensor<4x4xf32>
    %o0 = tailor.linear %ctx0, %ow0 : (tensor<?x5x4xf32>, tensor<4x4xf32>) -> tensor<?x5x4xf32>
    %r0 = arith.addf %x0, %o0 : tensor<?x5x4xf32>
    %c0 = arith.constant 0 : index
    %k0 = tensor.extract %lengths[%c0] : tensor<2xindex>
    // CHECK: tailor.select_tokens %{{.*}}, %{{.*}} {k = 3 : i64} : (tensor<?x5x4xf32>, tensor<?x5xf32>) -> (tensor<?x3x4xf32>, tensor<?x3xi32>)
    // FULL-NOT: tailor.select_tokens
    %s0, %idx0 = tailor.select_tokens %r0, %sig0, %k0 : (tensor<?x5x4xf32>, tensor<?x5xf32>, index) -> (tensor<?x?x4xf32>, tensor<?x?xi32>)
    %uw0 = tailor.weight @layers.0.mlp.up.weight : tensor<8x4xf32>
    %ub0 = tailor.weight @layers.0.mlp.up.bias : tensor<8xf32>
    %dw0 = tailor.weight @layers.0.mlp.down.weight : tensor<4x8xf32>
    %db0 = tailor.weight @layers.0.mlp.down.bias : tensor<4xf32>
    // CHECK: tailor.mlp {{.*}} -> tensor<?x3x4xf32>
    // FULL: tailor.mlp {{.*}} -> tensor<?x5x4xf32>
    %u0 = tailor.mlp %s0, %uw0, %ub0, %dw0, %db0 {activation = #tailor<activation gelu>} : (tensor<?x?x4xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<?x?x4xf32>
    // CHECK: arith.addf %{{.*}} : tensor<?x3x4xf32>
    %x1 = arith.addf %s0, %u0 : tensor<?x?x4xf32>

    // Layer 1 reads 3 tokens and keeps 2.
    %qw1 = tailor.weight @layers.1.attention.query.weight : tensor<4x4xf32>
    // CHECK: tailor.linear {{.*}} -> tensor<?x3x4xf32>
    %q1 = tailor.linear %x1, %qw1 : (tensor<?x?x4xf32>, tensor<4x4xf32>) -> tensor<?x?x4xf32>
    // CHECK: tailor.attention {{.*}} -> (tensor<?x3x4xf32>, tensor<?x3xf32>)
    %ctx1, %sig1 = tailor.attention %q1, %q1, %q1 {heads = 2 : i64} : (tensor<?x?x4xf32>, tensor<?x?x4xf32>, tensor<?x?x4xf32>) -> (tensor<?x?x4xf32>, tensor<?x?xf32>)
    %ow1 = tailor.weight @layers.1.attention.output.weight : tensor<4x4xf32>
    %o1 = tailor.linear %ctx1, %ow1 : (tensor<?x?x4xf32>, tensor<4x4xf32>) -> tensor<?x?x4xf32>
    %r1 = arith.addf %x1, %o1 : tensor<?x?x4xf32>
    %c1 = arith.constant 1 : index
    %k1 = tensor.extract %lengths[%c1] : tensor<2xindex>
    // CHECK: tailor.select_tokens %{{.*}}, %{{.*}} {k = 2 : i64} : (tensor<?x3x4xf32>, tensor<?x3xf32>) -> (tensor<?x2x4xf32>, tensor<?x2xi32>)
    %s1, %idx1 = tailor.select_tokens %r1, %sig1, %k1 : (tensor<?x?x4xf32>, tensor<?x?xf32>, index) -> (tensor<?x?x4xf32>, tensor<?x?xi32>)
    %uw1 = tailor.weight @layers.1.mlp.up.weight : tensor<8x4xf32>
    %ub1 = tailor.weight @layers.1.mlp.up.bias : tensor<8xf32>
    %dw1 = tailor.weight @layers.1.mlp.down.weight : tensor<4x8xf32>
    %db1 = tailor.weight @layers.1.mlp.down.bias : tensor<4xf32>
    %u1 = tailor.mlp %s1, %uw1, %ub1, %dw1, %db1 {activation = #tailor<activation gelu>} : (tensor<?x?x4xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<?x?x4xf32>
    %x2 = arith.addf %s1, %u1 : tensor<?x?x4xf32>

    %cw = tailor.weight @classifier.weight : tensor<3x4xf32>
    %cb = tailor.weight @classifier.bias : tensor<3xf32>
    // CHECK: tailor.classifier {{.*}} : (tensor<?x2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x3xf32>
    // FULL: tailor.classifier {{.*}} : (tensor<?x5x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x3xf32>
    %logits = tailor.classifier %x2, %cw, %cb : (tensor<?x?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x3xf32>
    // CHECK-NOT: tensor.extract
    return %logits : tensor<?x3xf32>
  }
}
