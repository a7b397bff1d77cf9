// Round trip of the tailor attributes and the module-level attributes.
// RUN: tailor-opt %s | tailor-opt | FileCheck %s
// RUN: tailor-opt %s --mlir-print-op-generic | tailor-opt | FileCheck %s

// Decimals print in their shortest exact form, always with a fraction part;
// struct keys may come in any order and print in declaration order.
// CHECK: module attributes {
// CHECK-SAME: tailor.length_configs = [
// CHECK-SAME: #tailor.length_config<budget = 1.0, lengths = [50, 50, 50, 50], flops = 123456789, accuracy = 0.89>,
// CHECK-SAME: #tailor.length_config<budget = 0.5, lengths = [40, 27, 18, 12], flops = 61000000, accuracy = 0.885>,
// CHECK-SAME: #tailor.length_config<budget = 0.001, lengths = [3, 2, 1, 1]>,
// CHECK-SAME: #tailor.length_config<budget = 2.5e-05, lengths = [1, 1, 1, 1], accuracy = 1.0>]
// CHECK-SAME: tailor.model = {classes = 10 : i64, kind = "vit", layers = 4 : i64}
// CHECK-SAME: tailor.tying = #tailor.tying<sources = [0, 1, 1, 3]>
module attributes {
  tailor.model = {kind = "vit", layers = 4, classes = 10},
  tailor.length_configs = [
    #tailor.length_config<budget = 1.0, lengths = [50, 50, 50, 50], flops = 123456789, accuracy = 0.89>,
    #tailor.length_config<lengths = [40, 27, 18, 12], accuracy = 8.85e-01, budget = 0.5, flops = 61000000>,
    #tailor.length_config<budget = 1.0e-3, lengths = [3, 2, 1, 1]>,
    #tailor.length_config<budget = 0.000025, lengths = [1, 1, 1, 1], accuracy = 1.0>
  ],
  tailor.tying = #tailor.tying<sources = [0, 1, 1, 3]>
} {
  // Attributes under names outside the tailor namespace are not checked by
  // the dialect; they show every attribute on its own.
  // CHECK-LABEL: func.func private @standalone
  // CHECK-SAME: activation = #tailor<activation gelu_tanh>
  // CHECK-SAME: head_mask = #tailor.head_mask<heads = 12, kept = [0, 5, 11]>
  // CHECK-SAME: pooling = #tailor<pooling mean>
  // CHECK-SAME: sparsity = #tailor.block_sparse<block = 32, rows = 3, cols = 3, mask = [1, 1, 0, 0, 1, 0, 1, 0, 1]>
  // CHECK-SAME: tying = #tailor.tying<sources = [0]>
  func.func private @standalone() attributes {
    activation = #tailor<activation gelu_tanh>,
    pooling = #tailor<pooling mean>,
    head_mask = #tailor.head_mask<kept = [0, 5, 11], heads = 12>,
    sparsity = #tailor.block_sparse<block = 32, rows = 3, cols = 3, mask = [1, 1, 0, 0, 1, 0, 1, 0, 1]>,
    tying = #tailor.tying<sources = [0]>
  }

  // CHECK-LABEL: func.func private @every_enum_case
  // CHECK-SAME: a = #tailor<activation none>, b = #tailor<activation relu>, c = #tailor<activation gelu>, d = #tailor<activation gelu_tanh>, e = #tailor<activation tanh>
  // CHECK-SAME: f = #tailor<pooling cls>, g = #tailor<pooling mean>, h = #tailor<pooling token>
  func.func private @every_enum_case() attributes {
    a = #tailor<activation none>, b = #tailor<activation relu>,
    c = #tailor<activation gelu>, d = #tailor<activation gelu_tanh>,
    e = #tailor<activation tanh>, f = #tailor<pooling cls>,
    g = #tailor<pooling mean>, h = #tailor<pooling token>
  }
}
