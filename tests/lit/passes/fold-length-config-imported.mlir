// fold-length-config on what tailorc import emits. Encoder: the key mask
// follows the kept tokens (gather_tokens). ViT with Drop-and-Restore: the
// dropped tokens come back before the last layer (restore_tokens). At the
// full length the selections disappear with what used their indices.
// RUN: rm -rf %t.encoder %t.vit
// RUN: write-test-checkpoint %t.encoder --model odd-encoder --length-config 0.5:10,6,4
// RUN: tailorc import %t.encoder -o %t.encoder.mlir
// RUN: tailor-opt %t.encoder.mlir -fold-length-config=budget=0.5 | FileCheck %s --check-prefix=ENCODER
// RUN: tailor-opt %t.encoder.mlir -fold-length-config=budget=1.0 | FileCheck %s --check-prefix=FULL
// RUN: write-test-checkpoint %t.vit --model odd-vit --task token --length-config 0.5:8,6,10
// RUN: tailorc import %t.vit -o %t.vit.mlir
// RUN: tailor-opt %t.vit.mlir -fold-length-config=budget=0.5 | FileCheck %s --check-prefix=TOKEN
// RUN: tailor-opt %t.vit.mlir -fold-length-config=budget=1.0 | FileCheck %s --check-prefix=FULL

// ENCODER: func.func @forward(%[[IDS:.*]]: tensor<?x17xi32>, %[[MASK:.*]]: tensor<?x17xi1>) -> tensor<?x5xf32>
// ENCODER: %{{.*}}, %[[I0:.*]] = tailor.select_tokens {{.*}} {k = 10 : i64} : (tensor<?x17x96xf32>, tensor<?x17xf32>) -> (tensor<?x10x96xf32>, tensor<?x10xi32>)
// ENCODER: %[[M0:.*]] = tailor.gather_tokens %[[MASK]], %[[I0]] : (tensor<?x17xi1>, tensor<?x10xi32>) -> tensor<?x10xi1>
// ENCODER: tailor.attention {{.*}} key_mask(%[[M0]]) {{.*}} -> (tensor<?x10x96xf32>, tensor<?x10xf32>)
// ENCODER: {k = 6 : i64}
// ENCODER: tailor.gather_tokens %[[M0]], {{.*}} -> tensor<?x6xi1>
// ENCODER: {k = 4 : i64}
// ENCODER: tailor.classifier {{.*}} : (tensor<?x4x96xf32>, {{.*}} -> tensor<?x5xf32>

// TOKEN: func.func @forward(%{{.*}}: tensor<?x3x12x12xf32>) -> tensor<?x10x7xf32>
// TOKEN: %{{.*}}, %[[I0:.*]] = tailor.select_tokens {{.*}} {k = 8 : i64} : (tensor<?x10x96xf32>, tensor<?x10xf32>) -> (tensor<?x8x96xf32>, tensor<?x8xi32>)
// TOKEN: %{{.*}}, %[[I1:.*]] = tailor.select_tokens {{.*}} {k = 6 : i64} : (tensor<?x8x96xf32>, tensor<?x8xf32>) -> (tensor<?x6x96xf32>, tensor<?x6xi32>)
// TOKEN: %[[F1:.*]] = tailor.restore_tokens %{{.*}}, %{{.*}}, %[[I1]] : (tensor<?x8x96xf32>, tensor<?x6x96xf32>, tensor<?x6xi32>) -> tensor<?x8x96xf32>
// TOKEN: tailor.restore_tokens %{{.*}}, %[[F1]], %[[I0]] : (tensor<?x10x96xf32>, tensor<?x8x96xf32>, tensor<?x8xi32>) -> tensor<?x10x96xf32>
// The last layer runs on every token and selects nothing.
// TOKEN: tailor.attention {{.*}} -> (tensor<?x10x96xf32>, tensor<?x10xf32>)
// TOKEN-NOT: tailor.select_tokens
// TOKEN: tailor.classifier {{.*}} -> tensor<?x10x7xf32>

// FULL-NOT: tailor.select_tokens
// FULL-NOT: tailor.gather_tokens
// FULL-NOT: tailor.restore_tokens
// FULL: tailor.classifier
