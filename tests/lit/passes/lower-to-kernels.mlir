// lower-to-kernels on the folded ViT of fold-length-config.mlir: every value
// gets a buffer (the argument is the model input, the result the output),
// mlp becomes two linear steps, arith.addf an add step; significance gets a
// buffer only where a selection reads it.
// RUN: tailor-opt %S/fold-length-config.mlir -fold-length-config=budget=0.5 -canonicalize -lower-to-kernels | FileCheck %s
// RUN: tailor-opt %S/fold-length-config.mlir -fold-length-config=budget=1.0 -canonicalize -lower-to-kernels | FileCheck %s --check-prefix=FULL

// CHECK: func.func @forward() {
// CHECK: %[[IMAGES:.*]] = tailor.buffer "images" {input = 0 : i64} : memref<?x1x2x2xf32>
// CHECK: %[[X0:.*]] = tailor.buffer "embeddings" : memref<?x5x4xf32>
// CHECK: tailor.step.patch_embeddings ins(images = %[[IMAGES]] : memref<?x1x2x2xf32>) outs(y = %[[X0]] : memref<?x5x4xf32>) {patch_size = 1 : i64, weights = {bias = @embeddings.patch.bias, cls = @embeddings.cls, position = @embeddings.position, weight = @embeddings.patch.weight}}
// CHECK: %[[Q:.*]] = tailor.buffer "layers.0.attention.query" : memref<?x5x4xf32>
// CHECK: tailor.step.linear ins(x = %[[X0]] : memref<?x5x4xf32>) outs(y = %[[Q]] : memref<?x5x4xf32>) {weights = {weight = @layers.0.attention.query.weight}}
// CHECK: %[[SIG:.*]] = tailor.buffer "attention0.significance" : memref<?x5xf32>
// CHECK: tailor.step.attention ins(q = %[[Q]] : {{.*}}, k = %[[Q]] : {{.*}}, v = %[[Q]] : {{.*}}) outs(context = %{{.*}} : memref<?x5x4xf32>, significance = %[[SIG]] : memref<?x5xf32>) {heads = 2 : i64}
// CHECK: %[[R:.*]] = tailor.buffer "add0" : memref<?x5x4xf32>
// CHECK: tailor.step.add ins(a = %[[X0]] : memref<?x5x4xf32>, b = %{{.*}} : memref<?x5x4xf32>) outs(y = %[[R]] : memref<?x5x4xf32>)
// CHECK: %[[KEPT:.*]] = tailor.buffer "select_tokens0.y" : memref<?x3x4xf32>
// CHECK: %[[IDX:.*]] = tailor.buffer "select_tokens0.indices" : memref<?x3xi32>
// CHECK: tailor.step.select_tokens ins(x = %[[R]] : memref<?x5x4xf32>, significance = %[[SIG]] : memref<?x5xf32>) outs(y = %[[KEPT]] : memref<?x3x4xf32>, indices = %[[IDX]] : memref<?x3xi32>)
// CHECK: %[[UP:.*]] = tailor.buffer "layers.0.mlp.up" : memref<?x3x8xf32>
// CHECK: tailor.step.linear ins(x = %[[KEPT]] : memref<?x3x4xf32>) outs(y = %[[UP]] : memref<?x3x8xf32>) {activation = #tailor<activation gelu>, weights = {bias = @layers.0.mlp.up.bias, weight = @layers.0.mlp.up.weight}}
// CHECK: %[[DOWN:.*]] = tailor.buffer "layers.0.mlp.down" : memref<?x3x4xf32>
// CHECK: tailor.step.linear ins(x = %[[UP]] : memref<?x3x8xf32>) outs(y = %[[DOWN]] : memref<?x3x4xf32>) {weights = {bias = @layers.0.mlp.down.bias, weight = @layers.0.mlp.down.weight}}
// CHECK: tailor.step.add ins(a = %[[KEPT]] : memref<?x3x4xf32>, b = %[[DOWN]] : memref<?x3x4xf32>)
// CHECK: %[[LOGITS:.*]] = tailor.buffer "logits" {output = 0 : i64} : memref<?x3xf32>
// CHECK: tailor.step.classifier ins(x = %{{.*}} : memref<?x2x4xf32>) outs(logits = %[[LOGITS]] : memref<?x3xf32>) {weights = {bias = @classifier.bias, weight = @classifier.weight}}
// CHECK-NEXT: return

// FULL-NOT: significance
// FULL-NOT: select_tokens
// FULL: tailor.step.classifier ins(x = %{{.*}} : memref<?x5x4xf32>)
