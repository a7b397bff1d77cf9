// pack-qkv: an attention's three projections of one x become one linear
// with the stacked weights writing a [.., 3H] buffer the attention reads as
// its qkv; the stacked weights are derived globals @concat of the parts.
// RUN: tailor-opt %s -split-input-file -pack-qkv | FileCheck %s

// Heads pruned before (derived globals as parts) and block-sparse: packed.
module {
  // CHECK-DAG: tailor.global @"layers.0.attention.qkv.weight@concat=layers.0.attention.query.weight@heads=0|layers.0.attention.key.weight@heads=0|layers.0.attention.value.weight@heads=0" : tensor<6x4xf32>
  // CHECK-DAG: tailor.global @"layers.0.attention.qkv.bias@concat=layers.0.attention.query.bias|layers.0.attention.key.bias|layers.0.attention.value.bias" : tensor<6xf32>
  // CHECK-NOT: tailor.global @"layers.0.attention.query.weight@heads=0"
  tailor.global @"layers.0.attention.query.weight@heads=0" : tensor<2x4xf32> {source = "layers.0.attention.query.weight"}
  tailor.global @"layers.0.attention.key.weight@heads=0" : tensor<2x4xf32> {source = "layers.0.attention.key.weight"}
  tailor.global @"layers.0.attention.value.weight@heads=0" : tensor<2x4xf32> {source = "layers.0.attention.value.weight"}
  tailor.global @qb : tensor<2xf32> {source = "layers.0.attention.query.bias"}
  tailor.global @kb : tensor<2xf32> {source = "layers.0.attention.key.bias"}
  tailor.global @vb : tensor<2xf32> {source = "layers.0.attention.value.bias"}
  // CHECK-LABEL: func.func @forward
  func.func @forward() {
    // CHECK-NEXT: %[[X:.*]] = tailor.buffer "x"
    // CHECK-NEXT: %[[M:.*]] = tailor.buffer "mask"
    // CHECK-NEXT: %[[QKV:.*]] = tailor.buffer "layers.0.attention.qkv" : memref<?x4x6xf32>
    // CHECK-NEXT: tailor.step.linear ins(x = %[[X]] : memref<?x4x4xf32>) outs(y = %[[QKV]] : memref<?x4x6xf32>) {weights = {bias = @"layers.0.attention.qkv.bias@concat={{[^"]*}}", weight = @"layers.0.attention.qkv.weight@concat={{[^"]*}}"}}
    // CHECK-NEXT: %[[C:.*]] = tailor.buffer "context"
    // CHECK-NEXT: tailor.step.attention ins(qkv = %[[QKV]] : memref<?x4x6xf32>, key_mask = %[[M]] : memref<?x4xi1>) outs(context = %[[C]] : memref<?x4x2xf32>) {block_sparse = #tailor.block_sparse<block = 2, rows = 2, cols = 2, mask = [1, 0, 1, 1]>, heads = 1 : i64}
    // CHECK-NEXT: return
    %x = tailor.buffer "x" {input = 0 : i64} : memref<?x4x4xf32>
    %mask = tailor.buffer "mask" {input = 1 : i64} : memref<?x4xi1>
    %q = tailor.buffer "q" : memref<?x4x2xf32>
    tailor.step.linear ins(x = %x : memref<?x4x4xf32>) outs(y = %q : memref<?x4x2xf32>) {weights = {weight = @"layers.0.attention.query.weight@heads=0", bias = @qb}}
    %k = tailor.buffer "k" : memref<?x4x2xf32>
    tailor.step.linear ins(x = %x : memref<?x4x4xf32>) outs(y = %k : memref<?x4x2xf32>) {weights = {weight = @"layers.0.attention.key.weight@heads=0", bias = @kb}}
    %v = tailor.buffer "v" : memref<?x4x2xf32>
    tailor.step.linear ins(x = %x : memref<?x4x4xf32>) outs(y = %v : memref<?x4x2xf32>) {weights = {weight = @"layers.0.attention.value.weight@heads=0", bias = @vb}}
    %context = tailor.buffer "context" {output = 0 : i64} : memref<?x4x2xf32>
    tailor.step.attention ins(q = %q : memref<?x4x2xf32>, k = %k : memref<?x4x2xf32>, v = %v : memref<?x4x2xf32>, key_mask = %mask : memref<?x4xi1>) outs(context = %context : memref<?x4x2xf32>) {heads = 1 : i64, block_sparse = #tailor.block_sparse<block = 2, rows = 2, cols = 2, mask = [1, 0, 1, 1]>}
    return
  }
}

// -----

// Not packed: a projection with an activation; q read by another step; k of
// another x; a bias on q alone.
module {
  tailor.global @w : tensor<4x4xf32>
  tailor.global @b : tensor<4xf32>
  // CHECK-LABEL: func.func @forward
  // CHECK-NOT: qkv
  func.func @forward() {
    %x = tailor.buffer "x" {input = 0 : i64} : memref<?x3x4xf32>
    %q = tailor.buffer "q" : memref<?x3x4xf32>
    tailor.step.linear ins(x = %x : memref<?x3x4xf32>) outs(y = %q : memref<?x3x4xf32>) {weights = {weight = @w}, activation = #tailor<activation relu>}
    %k = tailor.buffer "k" : memref<?x3x4xf32>
    tailor.step.linear ins(x = %x : memref<?x3x4xf32>) outs(y = %k : memref<?x3x4xf32>) {weights = {weight = @w}}
    %v = tailor.buffer "v" : memref<?x3x4xf32>
    tailor.step.linear ins(x = %x : memref<?x3x4xf32>) outs(y = %v : memref<?x3x4xf32>) {weights = {weight = @w}}
    %c1 = tailor.buffer "c1" {output = 0 : i64} : memref<?x3x4xf32>
    tailor.step.attention ins(q = %q : memref<?x3x4xf32>, k = %k : memref<?x3x4xf32>, v = %v : memref<?x3x4xf32>) outs(context = %c1 : memref<?x3x4xf32>) {heads = 2 : i64}
    %q2 = tailor.buffer "q2" : memref<?x3x4xf32>
    tailor.step.linear ins(x = %x : memref<?x3x4xf32>) outs(y = %q2 : memref<?x3x4xf32>) {weights = {weight = @w}}
    %k2 = tailor.buffer "k2" : memref<?x3x4xf32>
    tailor.step.linear ins(x = %x : memref<?x3x4xf32>) outs(y = %k2 : memref<?x3x4xf32>) {weights = {weight = @w}}
    %v2 = tailor.buffer "v2" : memref<?x3x4xf32>
    tailor.step.linear ins(x = %x : memref<?x3x4xf32>) outs(y = %v2 : memref<?x3x4xf32>) {weights = {weight = @w}}
    %c2 = tailor.buffer "c2" {output = 1 : i64} : memref<?x3x4xf32>
    tailor.step.attention ins(q = %q2 : memref<?x3x4xf32>, k = %k2 : memref<?x3x4xf32>, v = %v2 : memref<?x3x4xf32>) outs(context = %c2 : memref<?x3x4xf32>) {heads = 2 : i64}
    %r = tailor.buffer "r" {output = 2 : i64} : memref<?x3x4xf32>
    tailor.step.add ins(a = %q2 : memref<?x3x4xf32>, b = %x : memref<?x3x4xf32>) outs(y = %r : memref<?x3x4xf32>)
    %q3 = tailor.buffer "q3" : memref<?x3x4xf32>
    tailor.step.linear ins(x = %x : memref<?x3x4xf32>) outs(y = %q3 : memref<?x3x4xf32>) {weights = {weight = @w, bias = @b}}
    %k3 = tailor.buffer "k3" : memref<?x3x4xf32>
    tailor.step.linear ins(x = %c1 : memref<?x3x4xf32>) outs(y = %k3 : memref<?x3x4xf32>) {weights = {weight = @w}}
    %v3 = tailor.buffer "v3" : memref<?x3x4xf32>
    tailor.step.linear ins(x = %x : memref<?x3x4xf32>) outs(y = %v3 : memref<?x3x4xf32>) {weights = {weight = @w}}
    %c3 = tailor.buffer "c3" {output = 3 : i64} : memref<?x3x4xf32>
    tailor.step.attention ins(q = %q3 : memref<?x3x4xf32>, k = %k3 : memref<?x3x4xf32>, v = %v3 : memref<?x3x4xf32>) outs(context = %c3 : memref<?x3x4xf32>) {heads = 2 : i64}
    %q4 = tailor.buffer "q4" : memref<?x3x4xf32>
    tailor.step.linear ins(x = %x : memref<?x3x4xf32>) outs(y = %q4 : memref<?x3x4xf32>) {weights = {weight = @w, bias = @b}}
    %k4 = tailor.buffer "k4" : memref<?x3x4xf32>
    tailor.step.linear ins(x = %x : memref<?x3x4xf32>) outs(y = %k4 : memref<?x3x4xf32>) {weights = {weight = @w}}
    %v4 = tailor.buffer "v4" : memref<?x3x4xf32>
    tailor.step.linear ins(x = %x : memref<?x3x4xf32>) outs(y = %v4 : memref<?x3x4xf32>) {weights = {weight = @w}}
    %c4 = tailor.buffer "c4" {output = 4 : i64} : memref<?x3x4xf32>
    tailor.step.attention ins(q = %q4 : memref<?x3x4xf32>, k = %k4 : memref<?x3x4xf32>, v = %v4 : memref<?x3x4xf32>) outs(context = %c4 : memref<?x3x4xf32>) {heads = 2 : i64}
    return
  }
}
