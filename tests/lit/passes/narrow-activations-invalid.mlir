// narrow-activations refuses a type other than bf16 or f16, and a module
// that lower-to-kernels has not lowered.
// RUN: not tailor-opt %s -narrow-activations=type=f64 2>&1 | FileCheck %s --check-prefix=TYPE
// RUN: not tailor-opt %S/fold-length-config.mlir -fold-length-config=budget=1.0 -narrow-activations 2>&1 | FileCheck %s --check-prefix=UNLOWERED

// TYPE: error: narrow-activations: type 'f64' is neither bf16 nor f16
// UNLOWERED: error: narrow-activations: @forward has no kernel steps (run lower-to-kernels first)
module {
  func.func @forward() {
    %x = tailor.buffer "x" {input = 0 : i64} : memref<?x4xf32>
    %y = tailor.buffer "y" {output = 0 : i64} : memref<?x4xf32>
    tailor.step.add ins(a = %x : memref<?x4xf32>, b = %x : memref<?x4xf32>) outs(y = %y : memref<?x4xf32>)
    return
  }
}
