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
func.func @acm(%x: tensor<?x?x96xf32>, %gate_w: tensor<4x96xf32>, %gate_b: tensor<4xf32>,
               %up_w: tensor<4x96x96xf32>, %up_b: tensor<4x96xf32>,
               %down_w: tensor<4x96x96xf32>, %down_b: tensor<4x96xf32>) -> tensor<?x?x96xf32> {
  // CHECK: tailor.acm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {activation = #tailor<activation gelu>, learners = 4 : i64} : (tensor<?x?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<4x96x96xf32>, tensor<4x96xf32>, tensor<4x96x96xf32>, tensor<4x96xf32>) -> tensor<?x?x96xf32>
  // GENERIC: "tailor.acm"({{.*}}) <{activation = #tailor<activation gelu>, learners = 4 : i64}>
  %y = tailor.acm %x, %gate_w, %gate_b, %up_w, %up_b, %down_w, %down_b {learners = 4, activation = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<4x96xf32>, tensor<4xf32>, tensor<4x96x96xf32>, tensor<4x96xf32>, tensor<4x96x96xf32>, tensor<4x96xf32>) -> tensor<?x?x96xf32>
  return %y : tensor<?x?x96xf32>
}
