// A whole one-layer ViT as the importer emits it: it round-trips, and the
// tailor ops are pure, so cse merges repeated weight reads and canonicalize
// drops unused ops.
// RUN: tailor-opt %s | tailor-opt | FileCheck %s
// RUN: tailor-opt %s -cse -canonicalize | FileCheck %s --check-prefix=OPT

// CHECK: module attributes {tailor.length_configs = [#tailor.length_config<budget = 1.0, lengths = [50]>, #tailor.length_config<budget = 0.5, lengths = [25]>], tailor.model = {hidden = 96 : i64, kind = "vit", layers = 1 : i64}}
module attributes {
  tailor.model = {kind = "vit", layers = 1, hidden = 96},
  tailor.length_configs = [
    #tailor.length_config<budget = 1.0, lengths = [50]>,
    #tailor.length_config<budget = 0.5, lengths = [25]>
  ]
} {
  tailor.global @patch_w : tensor<96x16xf32> {source = "embeddings.patch.weight"}
  tailor.global @patch_b : tensor<96xf32> {source = "embeddings.patch.bias"}
  tailor.global @cls : tensor<96xf32> {source = "embeddings.cls"}
  tailor.global @position : tensor<50x96xf32> {source = "embeddings.position"}
  tailor.global @norm_w : tensor<96xf32> {source = "layers.0.attention_norm.weight"}
  tailor.global @norm_b : tensor<96xf32> {source = "layers.0.attention_norm.bias"}
  tailor.global @q_w : tensor<96x96xf32> {source = "layers.0.attention.query.weight"}
  tailor.global @q_b : tensor<96xf32> {source = "layers.0.attention.query.bias"}
  tailor.global @up_w : tensor<384x96xf32> {source = "layers.0.mlp.up.weight"}
  tailor.global @up_b : tensor<384xf32> {source = "layers.0.mlp.up.bias"}
  tailor.global @down_w : tensor<96x384xf32> {source = "layers.0.mlp.down.weight"}
  tailor.global @down_b : tensor<96xf32> {source = "layers.0.mlp.down.bias"}
  tailor.global @classifier_w : tensor<10x96xf32> {source = "classifier.weight"}
  tailor.global @classifier_b : tensor<10xf32> {source = "classifier.bias"}

  // CHECK-LABEL: func.func @forward
  // OPT-LABEL: func.func @forward
  func.func @forward(%images: tensor<?x1x28x28xf32>) -> tensor<?x10xf32> {
    %patch_w = tailor.weight @patch_w : tensor<96x16xf32>
    %patch_b = tailor.weight @patch_b : tensor<96xf32>
    %cls = tailor.weight @cls : tensor<96xf32>
    %position = tailor.weight @position : tensor<50x96xf32>
    // CHECK: tailor.patch_embeddings
    %x = tailor.patch_embeddings %images, %patch_w, %patch_b, %cls, %position {patch_size = 4} : (tensor<?x1x28x28xf32>, tensor<96x16xf32>, tensor<96xf32>, tensor<96xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
    %norm_w = tailor.weight @norm_w : tensor<96xf32>
    %norm_b = tailor.weight @norm_b : tensor<96xf32>
    // CHECK: tailor.layer_norm
    %h = tailor.layer_norm %x, %norm_w, %norm_b {epsilon = 1.0e-6 : f32} : (tensor<?x50x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<?x50x96xf32>
    // The same weight read three times: cse keeps one read, and then one of
    // the three identical projections.
    // OPT: %[[QW:.*]] = tailor.weight @q_w
    // OPT-NOT: tailor.weight @q_w
    %q_w = tailor.weight @q_w : tensor<96x96xf32>
    %q_b = tailor.weight @q_b : tensor<96xf32>
    %k_w = tailor.weight @q_w : tensor<96x96xf32>
    %v_w = tailor.weight @q_w : tensor<96x96xf32>
    // CHECK-COUNT-3: tailor.linear
    // OPT: %[[Q:.*]] = tailor.linear %{{.*}}, %[[QW]], %{{.*}}
    // OPT-NOT: tailor.linear
    // OPT: tailor.attention %[[Q]], %[[Q]], %[[Q]]
    %q = tailor.linear %h, %q_w, %q_b : (tensor<?x50x96xf32>, tensor<96x96xf32>, tensor<96xf32>) -> tensor<?x50x96xf32>
    %k = tailor.linear %h, %k_w, %q_b : (tensor<?x50x96xf32>, tensor<96x96xf32>, tensor<96xf32>) -> tensor<?x50x96xf32>
    %v = tailor.linear %h, %v_w, %q_b : (tensor<?x50x96xf32>, tensor<96x96xf32>, tensor<96xf32>) -> tensor<?x50x96xf32>
    // CHECK: tailor.attention
    %context, %significance = tailor.attention %q, %k, %v {heads = 6} : (tensor<?x50x96xf32>, tensor<?x50x96xf32>, tensor<?x50x96xf32>) -> (tensor<?x50x96xf32>, tensor<?x50xf32>)
    // CHECK: tailor.select_tokens
    %kept, %indices = tailor.select_tokens %context, %significance {k = 25} : (tensor<?x50x96xf32>, tensor<?x50xf32>) -> (tensor<?x25x96xf32>, tensor<?x25xi32>)
    %up_w = tailor.weight @up_w : tensor<384x96xf32>
    %up_b = tailor.weight @up_b : tensor<384xf32>
    %down_w = tailor.weight @down_w : tensor<96x384xf32>
    %down_b = tailor.weight @down_b : tensor<96xf32>
    // CHECK: tailor.mlp
    %y = tailor.mlp %kept, %up_w, %up_b, %down_w, %down_b {activation = #tailor<activation gelu>} : (tensor<?x25x96xf32>, tensor<384x96xf32>, tensor<384xf32>, tensor<96x384xf32>, tensor<96xf32>) -> tensor<?x25x96xf32>
    // Nothing uses this restore: canonicalize removes it.
    // CHECK: tailor.restore_tokens
    // OPT-NOT: tailor.restore_tokens
    %unused = tailor.restore_tokens %x, %y, %indices : (tensor<?x50x96xf32>, tensor<?x25x96xf32>, tensor<?x25xi32>) -> tensor<?x50x96xf32>
    %w = tailor.weight @classifier_w : tensor<10x96xf32>
    %b = tailor.weight @classifier_b : tensor<10xf32>
    // CHECK: tailor.classifier
    // OPT: tailor.classifier
    %logits = tailor.classifier %y, %w, %b : (tensor<?x25x96xf32>, tensor<10x96xf32>, tensor<10xf32>) -> tensor<?x10xf32>
    return %logits : tensor<?x10xf32>
  }
}
