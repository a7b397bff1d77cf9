// fuse-add-layer-norm: an add and a later layer norm of its sum become one
// add_layer_norm in the add's place; the sum stays an output only when
// another step reads it or it is a model output.
// RUN: tailor-opt %s -split-input-file -fuse-add-layer-norm | FileCheck %s

// The sum feeds only the norm: its buffer goes. The second sum is read by a
// linear after the norm too, so it stays (the norm of it is not the next
// step: a step in between does not matter).
module {
  tailor.global @w : tensor<4x4xf32>
  tailor.global @g : tensor<4xf32>
  tailor.global @b : tensor<4xf32>
  // CHECK-LABEL: func.func @forward
  func.func @forward() {
    // CHECK-NEXT: %[[X:.*]] = tailor.buffer "x"
    // CHECK-NEXT: %[[P:.*]] = tailor.buffer "p"
    // CHECK-NEXT: tailor.step.linear
    // CHECK-NEXT: %[[N:.*]] = tailor.buffer "n"
    // CHECK-NEXT: tailor.step.add_layer_norm ins(a = %[[P]] : memref<?x4xf32>, b = %[[X]] : memref<?x4xf32>) outs(y = %[[N]] : memref<?x4xf32>) {epsilon = 9.99999974E-6 : f32, weights = {beta = @b, gamma = @g}}
    %x = tailor.buffer "x" {input = 0 : i64} : memref<?x4xf32>
    %p = tailor.buffer "p" : memref<?x4xf32>
    tailor.step.linear ins(x = %x : memref<?x4xf32>) outs(y = %p : memref<?x4xf32>) {weights = {weight = @w}, activation = #tailor<activation relu>}
    %s = tailor.buffer "s" : memref<?x4xf32>
    tailor.step.add ins(a = %p : memref<?x4xf32>, b = %x : memref<?x4xf32>) outs(y = %s : memref<?x4xf32>)
    %n = tailor.buffer "n" : memref<?x4xf32>
    tailor.step.layer_norm ins(x = %s : memref<?x4xf32>) outs(y = %n : memref<?x4xf32>) {epsilon = 1.0e-05 : f32, weights = {gamma = @g, beta = @b}}
    // CHECK-NEXT: %[[T:.*]] = tailor.buffer "t"
    // CHECK-NEXT: %[[M:.*]] = tailor.buffer "m"
    // CHECK-NEXT: tailor.step.add_layer_norm ins(a = %[[N]] : memref<?x4xf32>, b = %[[X]] : memref<?x4xf32>) outs(sum = %[[T]] : memref<?x4xf32>, y = %[[M]] : memref<?x4xf32>)
    // CHECK-NEXT: %[[Q:.*]] = tailor.buffer "q"
    // CHECK-NEXT: tailor.step.linear ins(x = %[[N]]
    // CHECK-NEXT: %[[Y:.*]] = tailor.buffer "y"
    // CHECK-NEXT: tailor.step.linear ins(x = %[[T]]
    // CHECK-NEXT: return
    %t = tailor.buffer "t" : memref<?x4xf32>
    tailor.step.add ins(a = %n : memref<?x4xf32>, b = %x : memref<?x4xf32>) outs(y = %t : memref<?x4xf32>)
    %q = tailor.buffer "q" : memref<?x4xf32>
    tailor.step.linear ins(x = %n : memref<?x4xf32>) outs(y = %q : memref<?x4xf32>) {weights = {weight = @w}}
    %m = tailor.buffer "m" {output = 1 : i64} : memref<?x4xf32>
    tailor.step.layer_norm ins(x = %t : memref<?x4xf32>) outs(y = %m : memref<?x4xf32>) {epsilon = 1.0e-05 : f32, weights = {gamma = @g, beta = @b}}
    %y = tailor.buffer "y" {output = 0 : i64} : memref<?x4xf32>
    tailor.step.linear ins(x = %t : memref<?x4xf32>) outs(y = %y : memref<?x4xf32>) {weights = {weight = @w}}
    return
  }
}

// -----

// A sum that is a model output stays; a norm of a sum in another block (a
// guarded step) does not fuse; an add whose sum no norm reads stays an add.
module {
  tailor.global @g : tensor<4xf32>
  tailor.global @gate : tensor<2x4xf32>
  // CHECK-LABEL: func.func @forward
  func.func @forward() {
    %x = tailor.buffer "x" {input = 0 : i64} : memref<?x3x4xf32>
    %s = tailor.buffer "s" {output = 0 : i64} : memref<?x3x4xf32>
    // CHECK: tailor.step.add_layer_norm ins(a = %{{.*}}, b = %{{.*}}) outs(sum = %{{.*}} : memref<?x3x4xf32>, y = %{{.*}} : memref<?x3x4xf32>)
    tailor.step.add ins(a = %x : memref<?x3x4xf32>, b = %x : memref<?x3x4xf32>) outs(y = %s : memref<?x3x4xf32>)
    %n = tailor.buffer "n" {output = 1 : i64} : memref<?x3x4xf32>
    tailor.step.layer_norm ins(x = %s : memref<?x3x4xf32>) outs(y = %n : memref<?x3x4xf32>) {epsilon = 1.0e-05 : f32, weights = {gamma = @g, beta = @g}}
    %logits = tailor.buffer "logits" : memref<?x3x2xf32>
    tailor.step.linear ins(x = %x : memref<?x3x4xf32>) outs(y = %logits : memref<?x3x2xf32>) {weights = {weight = @gate}}
    %learners = tailor.buffer "learners" : memref<?x3xi32>
    tailor.step.acm_route ins(logits = %logits : memref<?x3x2xf32>) outs(learners = %learners : memref<?x3xi32>)
    %rows = tailor.buffer "rows" : memref<?x3xi32>
    %counts = tailor.buffer "counts" : memref<?xi32>
    tailor.step.acm_compact ins(learners = %learners : memref<?x3xi32>) outs(rows = %rows : memref<?x3xi32>, counts = %counts : memref<?xi32>) {learner = 1 : i64}
    %u = tailor.buffer "u" : memref<?x3x4xf32>
    // CHECK: tailor.step.add ins
    tailor.step.add ins(a = %n : memref<?x3x4xf32>, b = %x : memref<?x3x4xf32>) outs(y = %u : memref<?x3x4xf32>)
    %any = tailor.has_rows %counts : memref<?xi32>
    %v = tailor.buffer "v" {output = 2 : i64} : memref<?x3x4xf32>
    // CHECK: scf.if
    scf.if %any {
      // CHECK-NEXT: tailor.step.layer_norm
      tailor.step.layer_norm ins(x = %u : memref<?x3x4xf32>) outs(y = %v : memref<?x3x4xf32>) {epsilon = 1.0e-05 : f32, weights = {gamma = @g, beta = @g}}
    }
    %w = tailor.buffer "w" {output = 3 : i64} : memref<?x3x4xf32>
    // CHECK: tailor.step.add ins
    tailor.step.add ins(a = %u : memref<?x3x4xf32>, b = %x : memref<?x3x4xf32>) outs(y = %w : memref<?x3x4xf32>)
    return
  }
}

// -----

// A scatter_add accumulating into the sum between the add and the norm
// changes it: no fusion.
module {
  tailor.global @g : tensor<4xf32>
  // CHECK-LABEL: func.func @forward
  func.func @forward() {
    %x = tailor.buffer "x" {input = 0 : i64} : memref<?x3x4xf32>
    %rows = tailor.buffer "rows" {input = 1 : i64} : memref<?x3xi32>
    %counts = tailor.buffer "counts" {input = 2 : i64} : memref<?xi32>
    %s = tailor.buffer "s" : memref<?x3x4xf32>
    // CHECK: tailor.step.add ins
    tailor.step.add ins(a = %x : memref<?x3x4xf32>, b = %x : memref<?x3x4xf32>) outs(y = %s : memref<?x3x4xf32>)
    // CHECK-NEXT: tailor.step.scatter_add
    tailor.step.scatter_add ins(x = %x : memref<?x3x4xf32>, rows = %rows : memref<?x3xi32>, counts = %counts : memref<?xi32>) outs(y = %s : memref<?x3x4xf32>)
    %n = tailor.buffer "n" {output = 0 : i64} : memref<?x3x4xf32>
    // CHECK: tailor.step.layer_norm
    tailor.step.layer_norm ins(x = %s : memref<?x3x4xf32>) outs(y = %n : memref<?x3x4xf32>) {epsilon = 1.0e-05 : f32, weights = {gamma = @g, beta = @g}}
    return
  }
}
