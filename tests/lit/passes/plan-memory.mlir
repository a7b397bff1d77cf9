// plan-memory: buffers whose lifetimes do not overlap share bytes; a step's
// inputs and outputs never do; the model input lives from the start, the
// output to the end.
// RUN: tailor-opt %s -split-input-file -plan-memory | FileCheck %s
// RUN: tailor-opt %S/fold-length-config.mlir -tailor-variant=budget=0.5 | FileCheck %s --check-prefix=PIPELINE

// Steps: 0 x->a, 1 a->b, 2 b->c, 3 c+x->y. Largest first: a at 0, b at 32
// (a is read by step 1, which writes b), x at 64 (live throughout), c at 0
// (a is dead by step 2), y at 16 (c and x are read by the step writing y).
module {
  tailor.global @w1 : tensor<8x4xf32>
  tailor.global @w2 : tensor<8x8xf32>
  tailor.global @w3 : tensor<4x8xf32>
  // CHECK: func.func @forward() attributes {arena_bytes_per_sample = 80 : i64}
  func.func @forward() {
    // CHECK: tailor.buffer "x" {input = 0 : i64, offset = 64 : i64}
    %x = tailor.buffer "x" {input = 0 : i64} : memref<?x4xf32>
    // CHECK: tailor.buffer "a" {offset = 0 : i64}
    %a = tailor.buffer "a" : memref<?x8xf32>
    tailor.step.linear ins(x = %x : memref<?x4xf32>) outs(y = %a : memref<?x8xf32>) {weights = {weight = @w1}}
    // CHECK: tailor.buffer "b" {offset = 32 : i64}
    %b = tailor.buffer "b" : memref<?x8xf32>
    tailor.step.linear ins(x = %a : memref<?x8xf32>) outs(y = %b : memref<?x8xf32>) {weights = {weight = @w2}}
    // CHECK: tailor.buffer "c" {offset = 0 : i64}
    %c = tailor.buffer "c" : memref<?x4xf32>
    tailor.step.linear ins(x = %b : memref<?x8xf32>) outs(y = %c : memref<?x4xf32>) {weights = {weight = @w3}}
    // CHECK: tailor.buffer "y" {offset = 16 : i64, output = 0 : i64}
    %y = tailor.buffer "y" {output = 0 : i64} : memref<?x4xf32>
    tailor.step.add ins(a = %c : memref<?x4xf32>, b = %x : memref<?x4xf32>) outs(y = %y : memref<?x4xf32>)
    return
  }
}

// The whole variant pipeline on the two-layer ViT: every buffer placed.
// PIPELINE: func.func @forward() attributes {arena_bytes_per_sample = 260 : i64}
// PIPELINE-NOT: tailor.buffer "{{[^"]*}}" :
// PIPELINE: tailor.step.classifier

// -----

// An add_layer_norm step: its outputs share no bytes with its inputs (a
// step's inputs and outputs never do), though a and b are dead after it:
// x at 64, s at 0, a at 16, b at 32, y at 48.
module {
  tailor.global @w : tensor<4x4xf32>
  tailor.global @g : tensor<4xf32>
  func.func @forward() {
    %x = tailor.buffer "x" {input = 0 : i64} : memref<?x4xf32>
    // CHECK: tailor.buffer "a" {offset = 16 : i64}
    %a = tailor.buffer "a" : memref<?x4xf32>
    tailor.step.linear ins(x = %x : memref<?x4xf32>) outs(y = %a : memref<?x4xf32>) {weights = {weight = @w}}
    // CHECK: tailor.buffer "b" {offset = 32 : i64}
    %b = tailor.buffer "b" : memref<?x4xf32>
    tailor.step.linear ins(x = %x : memref<?x4xf32>) outs(y = %b : memref<?x4xf32>) {weights = {weight = @w}}
    // CHECK: tailor.buffer "s" {offset = 0 : i64, output = 1 : i64}
    %s = tailor.buffer "s" {output = 1 : i64} : memref<?x4xf32>
    // CHECK: tailor.buffer "y" {offset = 48 : i64, output = 0 : i64}
    %y = tailor.buffer "y" {output = 0 : i64} : memref<?x4xf32>
    tailor.step.add_layer_norm ins(a = %a : memref<?x4xf32>, b = %b : memref<?x4xf32>) outs(sum = %s : memref<?x4xf32>, y = %y : memref<?x4xf32>) {epsilon = 1.0e-05 : f32, weights = {beta = @g, gamma = @g}}
    return
  }
}
