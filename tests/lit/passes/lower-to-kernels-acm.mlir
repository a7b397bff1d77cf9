// lower-to-kernels turns an ACM into gated control flow: the gate's linear,
// acm_route (learners per token), learner 0 on every token, one acm_compact
// per further learner (its tokens packed by prefix sums), then for each of
// those learners an scf.if on tailor.has_rows: gather its rows, its two
// linears on the counted rows only, scatter-add into the ACM's output.
// plan-memory keeps the output live from learner 0 to the last scatter_add
// and plans the guarded steps in place.
// RUN: tailor-opt %s -lower-to-kernels | FileCheck %s
// RUN: tailor-opt %s -lower-to-kernels -plan-memory | FileCheck %s --check-prefix=PLAN

module attributes {tailor.model = {kind = "encoder"}} {
  tailor.global @word : tensor<10x4xf32>
  tailor.global @position : tensor<5x4xf32>
  tailor.global @layers.0.mlp.gate.weight : tensor<3x4xf32>
  tailor.global @layers.0.mlp.gate.bias : tensor<3xf32>
  tailor.global @layers.0.mlp.learners.0.up.weight : tensor<2x4xf32>
  tailor.global @layers.0.mlp.learners.0.up.bias : tensor<2xf32>
  tailor.global @layers.0.mlp.learners.0.down.weight : tensor<4x2xf32>
  tailor.global @layers.0.mlp.learners.0.down.bias : tensor<4xf32>
  tailor.global @layers.0.mlp.learners.1.up.weight : tensor<2x4xf32>
  tailor.global @layers.0.mlp.learners.1.up.bias : tensor<2xf32>
  tailor.global @layers.0.mlp.learners.1.down.weight : tensor<4x2xf32>
  tailor.global @layers.0.mlp.learners.1.down.bias : tensor<4xf32>
  tailor.global @layers.0.mlp.learners.2.up.weight : tensor<2x4xf32>
  tailor.global @layers.0.mlp.learners.2.up.bias : tensor<2xf32>
  tailor.global @layers.0.mlp.learners.2.down.weight : tensor<4x2xf32>
  tailor.global @layers.0.mlp.learners.2.down.bias : tensor<4xf32>
  func.func @forward(%ids: tensor<?x5xi32>) -> tensor<?x5x4xf32> {
    %word = tailor.weight @word : tensor<10x4xf32>
    %position = tailor.weight @position : tensor<5x4xf32>
    %x = tailor.token_embeddings %ids, %word, %position : (tensor<?x5xi32>, tensor<10x4xf32>, tensor<5x4xf32>) -> tensor<?x5x4xf32>
    %gw = tailor.weight @layers.0.mlp.gate.weight : tensor<3x4xf32>
    %gb = tailor.weight @layers.0.mlp.gate.bias : tensor<3xf32>
    %u0 = tailor.weight @layers.0.mlp.learners.0.up.weight : tensor<2x4xf32>
    %ub0 = tailor.weight @layers.0.mlp.learners.0.up.bias : tensor<2xf32>
    %d0 = tailor.weight @layers.0.mlp.learners.0.down.weight : tensor<4x2xf32>
    %db0 = tailor.weight @layers.0.mlp.learners.0.down.bias : tensor<4xf32>
    %u1 = tailor.weight @layers.0.mlp.learners.1.up.weight : tensor<2x4xf32>
    %ub1 = tailor.weight @layers.0.mlp.learners.1.up.bias : tensor<2xf32>
    %d1 = tailor.weight @layers.0.mlp.learners.1.down.weight : tensor<4x2xf32>
    %db1 = tailor.weight @layers.0.mlp.learners.1.down.bias : tensor<4xf32>
    %u2 = tailor.weight @layers.0.mlp.learners.2.up.weight : tensor<2x4xf32>
    %ub2 = tailor.weight @layers.0.mlp.learners.2.up.bias : tensor<2xf32>
    %d2 = tailor.weight @layers.0.mlp.learners.2.down.weight : tensor<4x2xf32>
    %db2 = tailor.weight @layers.0.mlp.learners.2.down.bias : tensor<4xf32>
    %acm = tailor.acm %x gate(%gw, %gb) up(%u0, %u1, %u2) up_bias(%ub0, %ub1, %ub2) down(%d0, %d1, %d2) down_bias(%db0, %db1, %db2) {activation = #tailor<activation gelu>} : (tensor<?x5x4xf32>, tensor<3x4xf32>, tensor<3xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x5x4xf32>
    %y = arith.addf %x, %acm : tensor<?x5x4xf32>
    return %y : tensor<?x5x4xf32>
  }
}

// CHECK: %[[X:.*]] = tailor.buffer "embeddings" : memref<?x5x4xf32>
// CHECK: %[[GATE:.*]] = tailor.buffer "layers.0.mlp.gate" : memref<?x5x3xf32>
// CHECK: %[[ROUTE:.*]] = tailor.buffer "layers.0.mlp.learners" : memref<?x5xi32>
// CHECK: %[[OUT:.*]] = tailor.buffer "layers.0.mlp" : memref<?x5x4xf32>
// CHECK: %[[H0:.*]] = tailor.buffer "layers.0.mlp.learners.0.up" : memref<?x5x2xf32>
// CHECK: tailor.step.linear ins(x = %[[X]] : memref<?x5x4xf32>) outs(y = %[[GATE]] : memref<?x5x3xf32>) {weights = {bias = @layers.0.mlp.gate.bias, weight = @layers.0.mlp.gate.weight}}
// CHECK: tailor.step.acm_route ins(logits = %[[GATE]] : memref<?x5x3xf32>) outs(learners = %[[ROUTE]] : memref<?x5xi32>)
// CHECK: tailor.step.linear ins(x = %[[X]] : memref<?x5x4xf32>) outs(y = %[[H0]] : memref<?x5x2xf32>) {activation = #tailor<activation gelu>, weights = {bias = @layers.0.mlp.learners.0.up.bias, weight = @layers.0.mlp.learners.0.up.weight}}
// CHECK: tailor.step.linear ins(x = %[[H0]] : memref<?x5x2xf32>) outs(y = %[[OUT]] : memref<?x5x4xf32>) {weights = {bias = @layers.0.mlp.learners.0.down.bias, weight = @layers.0.mlp.learners.0.down.weight}}
// CHECK: %[[ROWS1:.*]] = tailor.buffer "layers.0.mlp.learners.1.rows" : memref<?x5xi32>
// CHECK: %[[COUNTS1:.*]] = tailor.buffer "layers.0.mlp.learners.1.counts" : memref<?xi32>
// CHECK: tailor.step.acm_compact ins(learners = %[[ROUTE]] : memref<?x5xi32>) outs(rows = %[[ROWS1]] : memref<?x5xi32>, counts = %[[COUNTS1]] : memref<?xi32>) {learner = 1 : i64}
// CHECK: %[[ROWS2:.*]] = tailor.buffer "layers.0.mlp.learners.2.rows" : memref<?x5xi32>
// CHECK: %[[COUNTS2:.*]] = tailor.buffer "layers.0.mlp.learners.2.counts" : memref<?xi32>
// CHECK: tailor.step.acm_compact ins(learners = %[[ROUTE]] : memref<?x5xi32>) outs(rows = %[[ROWS2]] : memref<?x5xi32>, counts = %[[COUNTS2]] : memref<?xi32>) {learner = 2 : i64}
// CHECK: %[[X1:.*]] = tailor.buffer "layers.0.mlp.learners.1.x" : memref<?x5x4xf32>
// CHECK: %[[H1:.*]] = tailor.buffer "layers.0.mlp.learners.1.up" : memref<?x5x2xf32>
// CHECK: %[[O1:.*]] = tailor.buffer "layers.0.mlp.learners.1.down" : memref<?x5x4xf32>
// CHECK: %[[ANY1:.*]] = tailor.has_rows %[[COUNTS1]] : memref<?xi32>
// CHECK: scf.if %[[ANY1]] {
// CHECK-NEXT: tailor.step.gather_rows ins(x = %[[X]] : memref<?x5x4xf32>, rows = %[[ROWS1]] : memref<?x5xi32>, counts = %[[COUNTS1]] : memref<?xi32>) outs(y = %[[X1]] : memref<?x5x4xf32>)
// CHECK-NEXT: tailor.step.linear ins(x = %[[X1]] : memref<?x5x4xf32>, counts = %[[COUNTS1]] : memref<?xi32>) outs(y = %[[H1]] : memref<?x5x2xf32>) {activation = #tailor<activation gelu>, weights = {bias = @layers.0.mlp.learners.1.up.bias, weight = @layers.0.mlp.learners.1.up.weight}}
// CHECK-NEXT: tailor.step.linear ins(x = %[[H1]] : memref<?x5x2xf32>, counts = %[[COUNTS1]] : memref<?xi32>) outs(y = %[[O1]] : memref<?x5x4xf32>) {weights = {bias = @layers.0.mlp.learners.1.down.bias, weight = @layers.0.mlp.learners.1.down.weight}}
// CHECK-NEXT: tailor.step.scatter_add ins(x = %[[O1]] : memref<?x5x4xf32>, rows = %[[ROWS1]] : memref<?x5xi32>, counts = %[[COUNTS1]] : memref<?xi32>) outs(y = %[[OUT]] : memref<?x5x4xf32>)
// CHECK-NEXT: }
// CHECK: %[[ANY2:.*]] = tailor.has_rows %[[COUNTS2]] : memref<?xi32>
// CHECK: scf.if %[[ANY2]] {
// CHECK: tailor.step.scatter_add ins(x = %{{.*}} : memref<?x5x4xf32>, rows = %[[ROWS2]] : memref<?x5xi32>, counts = %[[COUNTS2]] : memref<?xi32>) outs(y = %[[OUT]] : memref<?x5x4xf32>)
// CHECK-NEXT: }
// CHECK: tailor.step.add ins(a = %[[X]] : memref<?x5x4xf32>, b = %[[OUT]] : memref<?x5x4xf32>)

// The ACM's output (80 bytes a sample) lives from learner 0's down linear to
// the last scatter_add: no learner's buffer takes its bytes [80, 160).
// Learner 1's buffers are dead when learner 2's run, so both learners'
// x, up and down share [160, 280); the counts and rows, live from the
// compactions to the last guarded step, each keep their own bytes.
// PLAN: func.func @forward() attributes {arena_bytes_per_sample = 372 : i64}
// PLAN: tailor.buffer "layers.0.mlp" {offset = 80 : i64}
// PLAN: tailor.buffer "layers.0.mlp.learners.1.rows" {offset = 288 : i64}
// PLAN: tailor.buffer "layers.0.mlp.learners.1.counts" {offset = 352 : i64}
// PLAN: tailor.buffer "layers.0.mlp.learners.2.rows" {offset = 320 : i64}
// PLAN: tailor.buffer "layers.0.mlp.learners.2.counts" {offset = 368 : i64}
// PLAN: tailor.buffer "layers.0.mlp.learners.1.x" {offset = 160 : i64}
// PLAN: tailor.buffer "layers.0.mlp.learners.1.up" {offset = 240 : i64}
// PLAN: tailor.buffer "layers.0.mlp.learners.1.down" {offset = 160 : i64}
// PLAN: tailor.buffer "layers.0.mlp.learners.2.x" {offset = 160 : i64}
// PLAN: tailor.buffer "layers.0.mlp.learners.2.up" {offset = 240 : i64}
// PLAN: tailor.buffer "layers.0.mlp.learners.2.down" {offset = 160 : i64}
