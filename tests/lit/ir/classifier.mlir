// Round trip of tailor.classifier: each pooling, with and without a pooler.
// RUN: tailor-opt %s | tailor-opt | FileCheck %s
// RUN: tailor-opt %s --mlir-print-op-generic | tailor-opt | FileCheck %s
// RUN: tailor-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func.func @heads
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x96xf32>, %[[W:.*]]: tensor<10x96xf32>, %[[B:.*]]: tensor<10xf32>, %[[PW:.*]]: tensor<96x96xf32>, %[[PB:.*]]: tensor<96xf32>)
func.func @heads(%x: tensor<?x?x96xf32>, %w: tensor<10x96xf32>, %b: tensor<10xf32>,
                 %pooler_w: tensor<96x96xf32>, %pooler_b: tensor<96xf32>)
    -> (tensor<?x10xf32>, tensor<?x10xf32>, tensor<?x10xf32>, tensor<?x?x10xf32>) {
  // cls pooling is the default and is not printed.
  // CHECK: tailor.classifier %[[X]], %[[W]], %[[B]] : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  // GENERIC: "tailor.classifier"(%{{.*}}, %{{.*}}, %{{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>, pooling = #tailor<pooling cls>}>
  %cls = tailor.classifier %x, %w, %b : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  // CHECK: tailor.classifier %[[X]], %[[W]], %[[B]], %[[PW]], %[[PB]] : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>, tensor<96x96xf32>, tensor<96xf32>) -> tensor<?x10xf32>
  // GENERIC: "tailor.classifier"({{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>, pooling = #tailor<pooling cls>}>
  %bert = tailor.classifier %x, %w, %b, %pooler_w, %pooler_b {pooling = #tailor<pooling cls>} : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>, tensor<96x96xf32>, tensor<96xf32>) -> tensor<?x10xf32>
  // CHECK: tailor.classifier %[[X]], %[[W]], %[[B]] {pooling = #tailor<pooling mean>} : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  %mean = tailor.classifier %x, %w, %b {pooling = #tailor<pooling mean>} : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  // CHECK: tailor.classifier %[[X]], %[[W]], %[[B]] {pooling = #tailor<pooling token>} : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>) -> tensor<?x?x10xf32>
  %token = tailor.classifier %x, %w, %b {pooling = #tailor<pooling token>} : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>) -> tensor<?x?x10xf32>
  return %cls, %bert, %mean, %token : tensor<?x10xf32>, tensor<?x10xf32>, tensor<?x10xf32>, tensor<?x?x10xf32>
}
