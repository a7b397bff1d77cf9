// tailorc compile: one variant per budget, each the searched configuration
// of the largest budget not above it; --print-ir-after-all shows every pass.
// RUN: rm -rf %t && write-test-checkpoint %t --model odd-vit --length-config 0.5:8,6,4
// RUN: tailorc compile %t --budgets 1.0,0.75,0.5 -o %t.tailor | FileCheck %s
// RUN: tailorc compile %t --budgets 0.5 --print-ir-after-all -o %t.tailor 2>&1 | FileCheck %s --check-prefix=IR
// RUN: not tailorc compile %t --budgets 0.25 -o %t.tailor 2>&1 | FileCheck %s --check-prefix=NOFIT
// RUN: not tailorc compile %t --budgets 0.5,0.5 -o %t.tailor 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: not tailorc compile %t --budgets 1.5 -o %t.tailor 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: tailorc compile %t --budgets 1.0,0.5 --skip-layers 0.5:1 -o %t.tailor | FileCheck %s --check-prefix=SKIP
// RUN: not tailorc compile %t --budgets 1.0 --skip-layers 0.5:1 -o %t.tailor 2>&1 | FileCheck %s --check-prefix=SKIPBUDGET
// RUN: not tailorc compile %t --budgets 1.0 --skip-layers 1.0:7 -o %t.tailor 2>&1 | FileCheck %s --check-prefix=SKIPLAYER

// The FLOPs, counted from the plan, are the checkpoint library's count (the
// flops of the imported tailor.length_configs).
// CHECK: b1.00: lengths [10,10,10], 4715328 FLOPs, {{[0-9]+}} activation bytes per sample
// CHECK: b0.75: lengths [8,6,4], 3312960 FLOPs
// CHECK: b0.50: lengths [8,6,4], 3312960 FLOPs
// CHECK: wrote {{.*}}.tailor

// IR: IR Dump After FoldLengthConfig (fold-length-config)
// IR: tailor.select_tokens {{.*}} {k = 8 : i64}
// IR: IR Dump After PruneHeads (prune-heads)
// IR: IR Dump After Canonicalizer (canonicalize)
// IR: IR Dump After CSE (cse)
// IR: IR Dump After LowerToKernels (lower-to-kernels)
// IR: tailor.step.select_tokens
// The fusions: the residual adds in the linears before them (no add is left
// for a norm in this pre-norm ViT).
// IR: IR Dump After FuseResidualAdd (fuse-residual-add)
// IR: tailor.step.linear ins(x = %{{.*}} : memref<?x10x96xf32>, residual = %{{.*}} : memref<?x10x96xf32>)
// IR: IR Dump After FuseAddLayerNorm (fuse-add-layer-norm)
// IR-NOT: tailor.step.add
// IR: IR Dump After PlanMemory (plan-memory)
// IR: func.func @forward() attributes {arena_bytes_per_sample =

// NOFIT: tailorc: error: no searched length configuration fits budget 0.25 (the checkpoint has budgets 1.00, 0.50)
// TWICE: tailorc: error: budget 0.50 is given twice
// RANGE: tailorc: error: budget 1.50 is not in (0, 1]

// Layer 1 of the 0.5 variant is skipped: it keeps its 8 input tokens.
// SKIP: b1.00: lengths [10,10,10], 4715328 FLOPs
// SKIP: b0.50: lengths [8,8,4], 2395968 FLOPs
// SKIPBUDGET: tailorc: error: --skip-layers '0.5:1': expected BUDGET:L0,L1,... with BUDGET one of --budgets
// SKIPLAYER: tailorc: error: variant b1.00 (configuration of budget 1.00) failed to compile: fold-layer-config: @forward has no layer 7 of the importer's form
