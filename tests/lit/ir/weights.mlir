// Round trip of tailor.global and tailor.weight, custom and generic form.
// RUN: tailor-opt %s | tailor-opt | FileCheck %s
// RUN: tailor-opt %s --mlir-print-op-generic | tailor-opt | FileCheck %s
// RUN: tailor-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK: tailor.global @classifier_w : tensor<10x96xf32> {source = "classifier.weight"}
// GENERIC: "tailor.global"() <{source = "classifier.weight", sym_name = "classifier_w", type = tensor<10x96xf32>}> : () -> ()
tailor.global @classifier_w : tensor<10x96xf32> {source = "classifier.weight"}

// A global without a source names its tensor with its symbol.
// CHECK: tailor.global @classifier.bias : tensor<10xf32>{{$}}
tailor.global @classifier.bias : tensor<10xf32>

// CHECK: tailor.global @half : tensor<4x4xbf16>
tailor.global @half : tensor<4x4xbf16>

// CHECK-LABEL: func.func @reads
func.func @reads() -> (tensor<10x96xf32>, tensor<10xf32>) {
  // CHECK: %[[W:.*]] = tailor.weight @classifier_w : tensor<10x96xf32>
  // GENERIC: "tailor.weight"() <{global = @classifier_w}> : () -> tensor<10x96xf32>
  %w = tailor.weight @classifier_w : tensor<10x96xf32>
  // CHECK: %[[B:.*]] = tailor.weight @classifier.bias : tensor<10xf32>
  %b = tailor.weight @classifier.bias : tensor<10xf32>
  // CHECK: return %[[W]], %[[B]]
  return %w, %b : tensor<10x96xf32>, tensor<10xf32>
}
