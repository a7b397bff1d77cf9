// Round trip of tailor.layer_norm, tailor.linear, tailor.mlp and tailor.acm.
// RUN: tailor-opt %s | tailor-opt | FileCheck %s
// RUN: tailor-opt %s --mlir-print-op-generic | tailor-opt | FileCheck %s
// RUN: tailor-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func.func @layer_norm
func.func @layer_norm(%x: tensor<?x?x96xf32>, %gamma: tensor<96xf32>, %beta: tensor<96xf32>) -> tensor<?x?x96xf32> {
  // CHECK: tailor.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 9.99999996E-13 : f32} : (tensor<?x?x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  // GENERIC: "tailor.layer_norm"(%{{.*}}, %{{.*}}, %{{.*}}) <{epsilon = 9.99999996E-13 : f32}>
  %y = tailor.layer_norm %x, %gamma, %beta {epsilon = 1.0e-12 : f32} : (tensor<?x?x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return %y : tensor<?x?x96xf32>
}

// CHECK-LABEL: func.func @linear
func.func @linear(%x: tensor<?x?x96xf32>, %w: tensor<80x96xf32>, %b: tensor<80xf32>, %pooled: tensor<?x96xf32>)
    -> (tensor<?x?x80xf32>, tensor<?x?x80xf32>, tensor<?x80xf32>) {
  // The default activation (none) is not printed.
  // CHECK: tailor.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x?x96xf32>, tensor<80x96xf32>, tensor<80xf32>) -> tensor<?x?x80xf32>
  // GENERIC: "tailor.linear"(%{{.*}}, %{{.*}}, %{{.*}}) <{activation = #tailor<activation none>}>
  %a = tailor.linear %x, %w, %b : (tensor<?x?x96xf32>, tensor<80x96xf32>, tensor<80xf32>) -> tensor<?x?x80xf32>
  // CHECK: tailor.linear %{{.*}}, %{{.*}} {activation = #tailor<activation relu>} : (tensor<?x?x96xf32>, tensor<80x96xf32>) -> tensor<?x?x80xf32>
  %c = tailor.linear %x, %w {activation = #tailor<activation relu>} : (tensor<?x?x96xf32>, tensor<80x96xf32>) -> tensor<?x?x80xf32>
  // CHECK: tailor.linear %{{.*}}, %{{.*}}, %{{.*}} {activation = #tailor<activation tanh>} : (tensor<?x96xf32>, tensor<80x96xf32>, tensor<80xf32>) -> tensor<?x80xf32>
  %d = tailor.linear %pooled, %w, %b {activation = #tailor<activation tanh>} : (tensor<?x96xf32>, tensor<80x96xf32>, tensor<80xf32>) -> tensor<?x80xf32>
  return %a, %c, %d : tensor<?x?x80xf32>, tensor<?x?x80xf32>, tensor<?x80xf32>
}

// CHECK-LABEL: func.func @mlp
func.func @mlp(%x: tensor<?x?x96xf32>, %up_w: tensor<384x96xf32>, %up_b: tensor<384xf32>,
               %down_w: tensor<96x384xf32>, %down_b: tensor<96xf32>) -> tensor<?x?x96xf32> {
  // CHECK: tailor.mlp %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<384x96xf32>, tensor<384xf32>, tensor<96x384xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  %y = tailor.mlp %x, %up_w, %up_b, %down_w, %down_b {activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<384x96xf32>, tensor<384xf32>, tensor<96x384xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return %y : tensor<?x?x96xf32>
}

// CHECK-LABEL: func.func @acm
func.func @acm(%x: tensor<?x?x96xf32>, %gate_w: tensor<2x96xf32>, %gate_b: tensor<2xf32>,
               %up_w0: tensor<48x96xf32>, %up_w1: tensor<32x96xf32>,
               %up_b0: tensor<48xf32>, %up_b1: tensor<32xf32>,
               %down_w0: tensor<96x48xf32>, %down_w1: tensor<96x32xf32>,
               %down_b0: tensor<96xf32>, %down_b1: tensor<96xf32>) -> tensor<?x?x96xf32> {
  // CHECK: tailor.acm %{{.*}} gate(%{{.*}}, %{{.*}}) up(%{{.*}}, %{{.*}}) up_bias(%{{.*}}, %{{.*}}) down(%{{.*}}, %{{.*}}) down_bias(%{{.*}}, %{{.*}}) {activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<2x96xf32>, tensor<2xf32>, tensor<48x96xf32>, tensor<32x96xf32>, tensor<48xf32>, tensor<32xf32>, tensor<96x48xf32>, tensor<96x32xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  // GENERIC: "tailor.acm"({{.*}}) <{activation = #tailor<activation gelu>, operandSegmentSizes = array<i32: 1, 1, 1, 2, 2, 2, 2>}>
  %y = tailor.acm %x gate(%gate_w, %gate_b) up(%up_w0, %up_w1) up_bias(%up_b0, %up_b1) down(%down_w0, %down_w1) down_bias(%down_b0, %down_b1) {activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<2x96xf32>, tensor<2xf32>, tensor<48x96xf32>, tensor<32x96xf32>, tensor<48xf32>, tensor<32xf32>, tensor<96x48xf32>, tensor<96x32xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return %y : tensor<?x?x96xf32>
}
