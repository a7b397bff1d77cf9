// The plan form's ops (ir/include/tailor/ir/TailorPlanOps.td) round-trip,
// one step of each kernel.
// RUN: tailor-opt %s | tailor-opt | FileCheck %s

module {
  tailor.global @word : tensor<10x4xf32>
  tailor.global @position : tensor<5x4xf32>
  tailor.global @gamma : tensor<4xf32>
  tailor.global @w : tensor<4x4xf32>
  tailor.global @b : tensor<4xf32>
  tailor.global @cw : tensor<3x4xf32>
  tailor.global @cb : tensor<3xf32>
  // CHECK-LABEL: func.func @forward
  func.func @forward() {
    // CHECK: tailor.buffer "ids" {input = 0 : i64} : memref<?x5xi32>
    %ids = tailor.buffer "ids" {input = 0 : i64} : memref<?x5xi32>
    %mask = tailor.buffer "key_mask" {input = 1 : i64} : memref<?x5xi1>
    %x = tailor.buffer "x" : memref<?x5x4xf32>
    // CHECK: tailor.step.token_embeddings ins(ids = %{{.*}} : memref<?x5xi32>) outs(y = %{{.*}} : memref<?x5x4xf32>) {weights = {position = @position, word = @word}}
    tailor.step.token_embeddings ins(ids = %ids : memref<?x5xi32>) outs(y = %x : memref<?x5x4xf32>) {weights = {word = @word, position = @position}}
    %n = tailor.buffer "n" : memref<?x5x4xf32>
    // CHECK: tailor.step.layer_norm {{.*}} {epsilon = 9.99999997E-7 : f32, weights = {beta = @b, gamma = @gamma}}
    tailor.step.layer_norm ins(x = %x : memref<?x5x4xf32>) outs(y = %n : memref<?x5x4xf32>) {epsilon = 1.0e-6 : f32, weights = {gamma = @gamma, beta = @b}}
    %q = tailor.buffer "q" : memref<?x5x4xf32>
    // CHECK: tailor.step.linear {{.*}} {activation = #tailor<activation relu>, weights = {bias = @b, weight = @w}}
    tailor.step.linear ins(x = %n : memref<?x5x4xf32>) outs(y = %q : memref<?x5x4xf32>) {weights = {weight = @w, bias = @b}, activation = #tailor<activation relu>}
    %ctx = tailor.buffer "ctx" : memref<?x5x4xf32>
    %sig = tailor.buffer "sig" : memref<?x5xf32>
    // CHECK: tailor.step.attention ins(q = {{.*}}, key_mask = %{{.*}} : memref<?x5xi1>) outs(context = {{.*}}, significance = {{.*}}) {heads = 2 : i64}
    tailor.step.attention ins(q = %q : memref<?x5x4xf32>, k = %q : memref<?x5x4xf32>, v = %q : memref<?x5x4xf32>, key_mask = %mask : memref<?x5xi1>) outs(context = %ctx : memref<?x5x4xf32>, significance = %sig : memref<?x5xf32>) {heads = 2 : i64}
    %o = tailor.buffer "o" : memref<?x5x4xf32>
    // CHECK: tailor.step.linear ins(x = %{{.*}} : memref<?x5x4xf32>, residual = %{{.*}} : memref<?x5x4xf32>) outs(y = %{{.*}} : memref<?x5x4xf32>) {weights = {weight = @w}}
    tailor.step.linear ins(x = %ctx : memref<?x5x4xf32>, residual = %x : memref<?x5x4xf32>) outs(y = %o : memref<?x5x4xf32>) {weights = {weight = @w}}
    %o2 = tailor.buffer "o2" : memref<?x5x4xf32>
    // CHECK: tailor.step.add_layer_norm ins(a = %{{.*}} : memref<?x5x4xf32>, b = %{{.*}} : memref<?x5x4xf32>) outs(y = %{{.*}} : memref<?x5x4xf32>) {epsilon = 9.99999997E-7 : f32, weights = {beta = @b, gamma = @gamma}}
    tailor.step.add_layer_norm ins(a = %o : memref<?x5x4xf32>, b = %x : memref<?x5x4xf32>) outs(y = %o2 : memref<?x5x4xf32>) {epsilon = 1.0e-6 : f32, weights = {gamma = @gamma, beta = @b}}
    %r = tailor.buffer "r" : memref<?x5x4xf32>
    %r2 = tailor.buffer "r2" : memref<?x5x4xf32>
    // CHECK: tailor.step.add_layer_norm ins(a = %{{.*}} : memref<?x5x4xf32>, b = %{{.*}} : memref<?x5x4xf32>) outs(sum = %{{.*}} : memref<?x5x4xf32>, y = %{{.*}} : memref<?x5x4xf32>)
    tailor.step.add_layer_norm ins(a = %o2 : memref<?x5x4xf32>, b = %ctx : memref<?x5x4xf32>) outs(sum = %r : memref<?x5x4xf32>, y = %r2 : memref<?x5x4xf32>) {epsilon = 1.0e-6 : f32, weights = {gamma = @gamma, beta = @b}}
    %kept = tailor.buffer "kept" : memref<?x3x4xf32>
    %idx = tailor.buffer "idx" : memref<?x3xi32>
    // CHECK: tailor.step.select_tokens {{.*}} {keep_first = false}
    tailor.step.select_tokens ins(x = %r : memref<?x5x4xf32>, significance = %sig : memref<?x5xf32>) outs(y = %kept : memref<?x3x4xf32>, indices = %idx : memref<?x3xi32>) {keep_first = false}
    %kmask = tailor.buffer "kept_mask" : memref<?x3xi1>
    // CHECK: tailor.step.gather_tokens ins(x = %{{.*}} : memref<?x5xi1>, indices = %{{.*}} : memref<?x3xi32>) outs(y = %{{.*}} : memref<?x3xi1>)
    tailor.step.gather_tokens ins(x = %mask : memref<?x5xi1>, indices = %idx : memref<?x3xi32>) outs(y = %kmask : memref<?x3xi1>)
    %full = tailor.buffer "full" : memref<?x5x4xf32>
    tailor.step.restore_tokens ins(full = %r : memref<?x5x4xf32>, selected = %kept : memref<?x3x4xf32>, indices = %idx : memref<?x3xi32>) outs(y = %full : memref<?x5x4xf32>)
    %logits = tailor.buffer "logits" {output = 0 : i64} : memref<?x5x3xf32>
    // CHECK: tailor.step.classifier {{.*}} {pooling = #tailor<pooling token>, weights = {bias = @cb, weight = @cw}}
    tailor.step.classifier ins(x = %full : memref<?x5x4xf32>) outs(logits = %logits : memref<?x5x3xf32>) {weights = {weight = @cw, bias = @cb}, pooling = #tailor<pooling token>}
    return
  }
}
