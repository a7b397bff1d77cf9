// fuse-residual-add: a linear whose output only an add reads becomes a
// linear with that add's other operand as its residual, writing the add's
// output; the add and the linear's buffer go.
// RUN: tailor-opt %s -split-input-file -fuse-residual-add | FileCheck %s

// The residual is the model input (role b) or a step's earlier output (role
// a): both adds fold into their linears.
module {
  tailor.global @w : tensor<4x4xf32>
  tailor.global @b : tensor<4xf32>
  // CHECK-LABEL: func.func @forward
  func.func @forward() {
    // CHECK-NEXT: %[[X:.*]] = tailor.buffer "x"
    %x = tailor.buffer "x" {input = 0 : i64} : memref<?x4xf32>
    // CHECK-NEXT: %[[H:.*]] = tailor.buffer "h"
    // CHECK-NEXT: tailor.step.linear ins(x = %[[X]] : memref<?x4xf32>, residual = %[[X]] : memref<?x4xf32>) outs(y = %[[H]] : memref<?x4xf32>) {weights = {bias = @b, weight = @w}}
    %p = tailor.buffer "p" : memref<?x4xf32>
    tailor.step.linear ins(x = %x : memref<?x4xf32>) outs(y = %p : memref<?x4xf32>) {weights = {weight = @w, bias = @b}}
    %h = tailor.buffer "h" : memref<?x4xf32>
    tailor.step.add ins(a = %x : memref<?x4xf32>, b = %p : memref<?x4xf32>) outs(y = %h : memref<?x4xf32>)
    // CHECK-NEXT: %[[Y:.*]] = tailor.buffer "y"
    // CHECK-NEXT: tailor.step.linear ins(x = %[[H]] : memref<?x4xf32>, residual = %[[H]] : memref<?x4xf32>) outs(y = %[[Y]] : memref<?x4xf32>) {weights = {weight = @w}}
    // CHECK-NEXT: return
    %q = tailor.buffer "q" : memref<?x4xf32>
    tailor.step.linear ins(x = %h : memref<?x4xf32>) outs(y = %q : memref<?x4xf32>) {weights = {weight = @w}}
    %y = tailor.buffer "y" {output = 0 : i64} : memref<?x4xf32>
    tailor.step.add ins(a = %q : memref<?x4xf32>, b = %h : memref<?x4xf32>) outs(y = %y : memref<?x4xf32>)
    return
  }
}

// -----

// Not fused: a linear with an activation (the residual would come after
// it, which is fine, but the GEMM epilogue adds it before); a linear whose
// output two steps read; a residual written after the linear.
module {
  tailor.global @w : tensor<4x4xf32>
  tailor.global @g : tensor<4xf32>
  // CHECK-LABEL: func.func @forward
  func.func @forward() {
    %x = tailor.buffer "x" {input = 0 : i64} : memref<?x4xf32>
    %p = tailor.buffer "p" : memref<?x4xf32>
    // CHECK: tailor.step.linear ins(x = %{{.*}} : memref<?x4xf32>) outs(y = %{{.*}} : memref<?x4xf32>) {activation = #tailor<activation relu>
    tailor.step.linear ins(x = %x : memref<?x4xf32>) outs(y = %p : memref<?x4xf32>) {weights = {weight = @w}, activation = #tailor<activation relu>}
    %h = tailor.buffer "h" : memref<?x4xf32>
    // CHECK: tailor.step.add
    tailor.step.add ins(a = %x : memref<?x4xf32>, b = %p : memref<?x4xf32>) outs(y = %h : memref<?x4xf32>)
    %q = tailor.buffer "q" : memref<?x4xf32>
    // CHECK: tailor.step.linear ins(x = %{{.*}} : memref<?x4xf32>) outs
    tailor.step.linear ins(x = %h : memref<?x4xf32>) outs(y = %q : memref<?x4xf32>) {weights = {weight = @w}}
    %n = tailor.buffer "n" : memref<?x4xf32>
    tailor.step.layer_norm ins(x = %q : memref<?x4xf32>) outs(y = %n : memref<?x4xf32>) {epsilon = 1.0e-05 : f32, weights = {beta = @g, gamma = @g}}
    %s = tailor.buffer "s" : memref<?x4xf32>
    // CHECK: tailor.step.add
    tailor.step.add ins(a = %q : memref<?x4xf32>, b = %n : memref<?x4xf32>) outs(y = %s : memref<?x4xf32>)
    %r = tailor.buffer "r" : memref<?x4xf32>
    // CHECK: tailor.step.linear ins(x = %{{.*}} : memref<?x4xf32>) outs
    tailor.step.linear ins(x = %s : memref<?x4xf32>) outs(y = %r : memref<?x4xf32>) {weights = {weight = @w}}
    %late = tailor.buffer "late" : memref<?x4xf32>
    tailor.step.layer_norm ins(x = %s : memref<?x4xf32>) outs(y = %late : memref<?x4xf32>) {epsilon = 1.0e-05 : f32, weights = {beta = @g, gamma = @g}}
    %y = tailor.buffer "y" {output = 0 : i64} : memref<?x4xf32>
    // CHECK: tailor.step.add
    tailor.step.add ins(a = %r : memref<?x4xf32>, b = %late : memref<?x4xf32>) outs(y = %y : memref<?x4xf32>)
    return
  }
}

// -----

// Not fused: a linear that is a model output; an add of a linear's output
// to itself; a counted linear; a linear and add under a guard (an ACM
// learner).
module {
  tailor.global @w : tensor<4x4xf32>
  tailor.global @gate : tensor<2x4xf32>
  // CHECK-LABEL: func.func @forward
  func.func @forward() {
    %x = tailor.buffer "x" {input = 0 : i64} : memref<?x3x4xf32>
    %out = tailor.buffer "out" {output = 1 : i64} : memref<?x3x4xf32>
    // CHECK: tailor.step.linear ins(x = %{{.*}} : memref<?x3x4xf32>) outs
    tailor.step.linear ins(x = %x : memref<?x3x4xf32>) outs(y = %out : memref<?x3x4xf32>) {weights = {weight = @w}}
    %twice = tailor.buffer "twice" : memref<?x3x4xf32>
    // CHECK: tailor.step.add
    tailor.step.add ins(a = %out : memref<?x3x4xf32>, b = %x : memref<?x3x4xf32>) outs(y = %twice : memref<?x3x4xf32>)
    %p = tailor.buffer "p" : memref<?x3x4xf32>
    // CHECK: tailor.step.linear ins(x = %{{.*}} : memref<?x3x4xf32>) outs
    tailor.step.linear ins(x = %twice : memref<?x3x4xf32>) outs(y = %p : memref<?x3x4xf32>) {weights = {weight = @w}}
    %d = tailor.buffer "d" : memref<?x3x4xf32>
    // CHECK: tailor.step.add
    tailor.step.add ins(a = %p : memref<?x3x4xf32>, b = %p : memref<?x3x4xf32>) outs(y = %d : memref<?x3x4xf32>)
    %logits = tailor.buffer "logits" : memref<?x3x2xf32>
    tailor.step.linear ins(x = %d : memref<?x3x4xf32>) outs(y = %logits : memref<?x3x2xf32>) {weights = {weight = @gate}}
    %learners = tailor.buffer "learners" : memref<?x3xi32>
    tailor.step.acm_route ins(logits = %logits : memref<?x3x2xf32>) outs(learners = %learners : memref<?x3xi32>)
    %rows = tailor.buffer "rows" : memref<?x3xi32>
    %counts = tailor.buffer "counts" : memref<?xi32>
    tailor.step.acm_compact ins(learners = %learners : memref<?x3xi32>) outs(rows = %rows : memref<?x3xi32>, counts = %counts : memref<?xi32>) {learner = 1 : i64}
    %c = tailor.buffer "c" : memref<?x3x4xf32>
    %cs = tailor.buffer "cs" {output = 0 : i64} : memref<?x3x4xf32>
    // CHECK: tailor.step.linear ins(x = %{{.*}} : memref<?x3x4xf32>, counts = %{{.*}} : memref<?xi32>) outs
    tailor.step.linear ins(x = %d : memref<?x3x4xf32>, counts = %counts : memref<?xi32>) outs(y = %c : memref<?x3x4xf32>) {weights = {weight = @w}}
    // CHECK: tailor.step.add
    tailor.step.add ins(a = %c : memref<?x3x4xf32>, b = %d : memref<?x3x4xf32>) outs(y = %cs : memref<?x3x4xf32>)
    %any = tailor.has_rows %counts : memref<?xi32>
    %g = tailor.buffer "g" : memref<?x3x4xf32>
    %gs = tailor.buffer "gs" {output = 2 : i64} : memref<?x3x4xf32>
    // CHECK: scf.if
    scf.if %any {
      // CHECK-NEXT: tailor.step.linear ins(x = %{{.*}} : memref<?x3x4xf32>) outs
      tailor.step.linear ins(x = %d : memref<?x3x4xf32>) outs(y = %g : memref<?x3x4xf32>) {weights = {weight = @w}}
      // CHECK-NEXT: tailor.step.add
      tailor.step.add ins(a = %g : memref<?x3x4xf32>, b = %d : memref<?x3x4xf32>) outs(y = %gs : memref<?x3x4xf32>)
    }
    return
  }
}
