// narrow-activations: every f32 buffer becomes bf16 (or f16) but the model
// input and output, attention's significance and the classifier's logits;
// plan-memory then places 2-byte elements.
// RUN: tailor-opt %s -narrow-activations | FileCheck %s
// RUN: tailor-opt %s -narrow-activations=type=f16 | FileCheck %s --check-prefix=F16
// RUN: tailor-opt %S/fold-length-config.mlir -tailor-variant="budget=0.5 activations=bf16" | FileCheck %s --check-prefix=PIPELINE

module {
  tailor.global @patch : tensor<4x1xf32>
  tailor.global @bias : tensor<4xf32>
  tailor.global @cls : tensor<4xf32>
  tailor.global @position : tensor<5x4xf32>
  tailor.global @w : tensor<4x4xf32>
  tailor.global @c : tensor<3x4xf32>
  tailor.global @cb : tensor<3xf32>
  func.func @forward() {
    // CHECK: tailor.buffer "images" {input = 0 : i64} : memref<?x1x2x2xf32>
    // F16: tailor.buffer "images" {input = 0 : i64} : memref<?x1x2x2xf32>
    %images = tailor.buffer "images" {input = 0 : i64} : memref<?x1x2x2xf32>
    // CHECK: tailor.buffer "x" : memref<?x5x4xbf16>
    // F16: tailor.buffer "x" : memref<?x5x4xf16>
    %x = tailor.buffer "x" : memref<?x5x4xf32>
    // The steps' operands follow their buffers.
    // CHECK: tailor.step.patch_embeddings ins(images = %{{.*}} : memref<?x1x2x2xf32>) outs(y = %{{.*}} : memref<?x5x4xbf16>)
    tailor.step.patch_embeddings ins(images = %images : memref<?x1x2x2xf32>) outs(y = %x : memref<?x5x4xf32>) {patch_size = 1 : i64, weights = {bias = @bias, cls = @cls, position = @position, weight = @patch}}
    // CHECK: tailor.buffer "q" : memref<?x5x4xbf16>
    %q = tailor.buffer "q" : memref<?x5x4xf32>
    tailor.step.linear ins(x = %x : memref<?x5x4xf32>) outs(y = %q : memref<?x5x4xf32>) {weights = {weight = @w}}
    // CHECK: tailor.buffer "context" : memref<?x5x4xbf16>
    %ctx = tailor.buffer "context" : memref<?x5x4xf32>
    // CHECK: tailor.buffer "significance" : memref<?x5xf32>
    %sig = tailor.buffer "significance" : memref<?x5xf32>
    tailor.step.attention ins(q = %q : memref<?x5x4xf32>, k = %q : memref<?x5x4xf32>, v = %q : memref<?x5x4xf32>) outs(context = %ctx : memref<?x5x4xf32>, significance = %sig : memref<?x5xf32>) {heads = 2 : i64}
    // CHECK: tailor.buffer "kept" : memref<?x3x4xbf16>
    // CHECK: tailor.buffer "indices" : memref<?x3xi32>
    %kept = tailor.buffer "kept" : memref<?x3x4xf32>
    %idx = tailor.buffer "indices" : memref<?x3xi32>
    tailor.step.select_tokens ins(x = %ctx : memref<?x5x4xf32>, significance = %sig : memref<?x5xf32>) outs(y = %kept : memref<?x3x4xf32>, indices = %idx : memref<?x3xi32>)
    // CHECK: tailor.buffer "logits" {output = 0 : i64} : memref<?x3xf32>
    %logits = tailor.buffer "logits" {output = 0 : i64} : memref<?x3xf32>
    // CHECK: tailor.step.classifier ins(x = %{{.*}} : memref<?x3x4xbf16>) outs(logits = %{{.*}} : memref<?x3xf32>)
    tailor.step.classifier ins(x = %kept : memref<?x3x4xf32>) outs(logits = %logits : memref<?x3xf32>) {weights = {bias = @cb, weight = @c}}
    return
  }
}

// The whole pipeline on the folded ViT: the images in, significance and
// logits stay f32, the rest is bf16, and the arena is 164 bytes per sample
// where the f32 plan takes 260 (plan-memory.mlir).
// PIPELINE: func.func @forward() attributes {arena_bytes_per_sample = 164 : i64}
// PIPELINE: tailor.buffer "images" {input = 0 : i64, offset = {{[0-9]+}} : i64} : memref<?x1x2x2xf32>
// PIPELINE: tailor.buffer "embeddings" {offset = {{[0-9]+}} : i64} : memref<?x5x4xbf16>
// PIPELINE: tailor.buffer "attention0.significance" {offset = {{[0-9]+}} : i64} : memref<?x5xf32>
// PIPELINE: tailor.buffer "select_tokens0.y" {offset = {{[0-9]+}} : i64} : memref<?x3x4xbf16>
// PIPELINE: tailor.buffer "layers.1.mlp.up" {offset = {{[0-9]+}} : i64} : memref<?x2x8xbf16>
// PIPELINE: tailor.buffer "logits" {offset = {{[0-9]+}} : i64, output = 0 : i64} : memref<?x3xf32>
