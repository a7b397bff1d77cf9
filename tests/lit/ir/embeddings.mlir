// Round trip of tailor.token_embeddings and tailor.patch_embeddings.
// RUN: tailor-opt %s | tailor-opt | FileCheck %s
// RUN: tailor-opt %s --mlir-print-op-generic | tailor-opt | FileCheck %s
// RUN: tailor-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func.func @tokens
// CHECK-SAME: (%[[IDS:.*]]: tensor<?x?xi32>, %[[WORD:.*]]: tensor<1000x96xf32>, %[[POS:.*]]: tensor<64x96xf32>, %[[TYPE:.*]]: tensor<2x96xf32>)
func.func @tokens(%ids: tensor<?x?xi32>, %word: tensor<1000x96xf32>,
                  %position: tensor<64x96xf32>, %type: tensor<2x96xf32>)
    -> (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<2x64x96xf32>) {
  // CHECK: tailor.token_embeddings %[[IDS]], %[[WORD]], %[[POS]] : (tensor<?x?xi32>, tensor<1000x96xf32>, tensor<64x96xf32>) -> tensor<?x?x96xf32>
  %a = tailor.token_embeddings %ids, %word, %position : (tensor<?x?xi32>, tensor<1000x96xf32>, tensor<64x96xf32>) -> tensor<?x?x96xf32>
  // CHECK: tailor.token_embeddings %[[IDS]], %[[WORD]], %[[POS]], %[[TYPE]] : (tensor<?x?xi32>, tensor<1000x96xf32>, tensor<64x96xf32>, tensor<2x96xf32>) -> tensor<?x?x96xf32>
  // GENERIC: "tailor.token_embeddings"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (tensor<?x?xi32>, tensor<1000x96xf32>, tensor<64x96xf32>, tensor<2x96xf32>) -> tensor<?x?x96xf32>
  %b = tailor.token_embeddings %ids, %word, %position, %type : (tensor<?x?xi32>, tensor<1000x96xf32>, tensor<64x96xf32>, tensor<2x96xf32>) -> tensor<?x?x96xf32>
  // A static batch and a sequence as long as the position table.
  %static = tensor.empty() : tensor<2x64xi32>
  // CHECK: tailor.token_embeddings %{{.*}}, %[[WORD]], %[[POS]] : (tensor<2x64xi32>, tensor<1000x96xf32>, tensor<64x96xf32>) -> tensor<2x64x96xf32>
  %c = tailor.token_embeddings %static, %word, %position : (tensor<2x64xi32>, tensor<1000x96xf32>, tensor<64x96xf32>) -> tensor<2x64x96xf32>
  return %a, %b, %c : tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<2x64x96xf32>
}

// CHECK-LABEL: func.func @patches
func.func @patches(%images: tensor<?x1x28x28xf32>, %patch_w: tensor<96x16xf32>,
                   %patch_b: tensor<96xf32>, %cls: tensor<96xf32>,
                   %position: tensor<50x96xf32>) -> tensor<?x50x96xf32> {
  // CHECK: tailor.patch_embeddings %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {patch_size = 4 : i64} : (tensor<?x1x28x28xf32>, tensor<96x16xf32>, tensor<96xf32>, tensor<96xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
  // GENERIC: "tailor.patch_embeddings"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{patch_size = 4 : i64}>
  %e = tailor.patch_embeddings %images, %patch_w, %patch_b, %cls, %position {patch_size = 4} : (tensor<?x1x28x28xf32>, tensor<96x16xf32>, tensor<96xf32>, tensor<96xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
  return %e : tensor<?x50x96xf32>
}

// CHECK-LABEL: func.func @rgb_patches
func.func @rgb_patches(%images: tensor<8x3x32x32xbf16>, %patch_w: tensor<64x192xbf16>,
                       %patch_b: tensor<64xbf16>, %cls: tensor<64xbf16>,
                       %position: tensor<17x64xbf16>) -> tensor<8x17x64xbf16> {
  // CHECK: tailor.patch_embeddings {{.*}} {patch_size = 8 : i64} : (tensor<8x3x32x32xbf16>, tensor<64x192xbf16>, tensor<64xbf16>, tensor<64xbf16>, tensor<17x64xbf16>) -> tensor<8x17x64xbf16>
  %e = tailor.patch_embeddings %images, %patch_w, %patch_b, %cls, %position {patch_size = 8} : (tensor<8x3x32x32xbf16>, tensor<64x192xbf16>, tensor<64xbf16>, tensor<64xbf16>, tensor<17x64xbf16>) -> tensor<8x17x64xbf16>
  return %e : tensor<8x17x64xbf16>
}
