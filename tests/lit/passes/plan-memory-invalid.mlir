// plan-memory's failure modes: plans a step order could not run.
// RUN: tailor-opt %s -split-input-file -plan-memory -verify-diagnostics

module {
  func.func @forward() {
    %x = tailor.buffer "x" {input = 0 : i64} : memref<?x4xf32>
    %a = tailor.buffer "a" : memref<?x4xf32>
    %y = tailor.buffer "y" {output = 0 : i64} : memref<?x4xf32>
    // expected-error @+1 {{'tailor.step.add' op reads buffer 'a' before any step writes it}}
    tailor.step.add ins(a = %x : memref<?x4xf32>, b = %a : memref<?x4xf32>) outs(y = %y : memref<?x4xf32>)
    return
  }
}

// -----

module {
  func.func @forward() {
    %x = tailor.buffer "x" {input = 0 : i64} : memref<?x4xf32>
    %y = tailor.buffer "y" {output = 0 : i64} : memref<?x4xf32>
    tailor.step.add ins(a = %x : memref<?x4xf32>, b = %x : memref<?x4xf32>) outs(y = %y : memref<?x4xf32>)
    // expected-error @+1 {{'tailor.step.add' op writes buffer 'y', which an earlier step wrote; every buffer has one writer}}
    tailor.step.add ins(a = %x : memref<?x4xf32>, b = %x : memref<?x4xf32>) outs(y = %y : memref<?x4xf32>)
    return
  }
}

// -----

module {
  func.func @forward() {
    %x = tailor.buffer "x" {input = 0 : i64} : memref<?x4xf32>
    %y = tailor.buffer "y" {output = 0 : i64} : memref<?x4xf32>
    tailor.step.add ins(a = %x : memref<?x4xf32>, b = %x : memref<?x4xf32>) outs(y = %y : memref<?x4xf32>)
    // expected-error @+1 {{'tailor.step.add' op writes buffer 'x', which is a model input; every buffer has one writer}}
    tailor.step.add ins(a = %y : memref<?x4xf32>, b = %y : memref<?x4xf32>) outs(y = %x : memref<?x4xf32>)
    return
  }
}

// -----

module {
  func.func @forward() {
    %x = tailor.buffer "x" {input = 0 : i64} : memref<?x4xf32>
    // expected-error @+1 {{'tailor.buffer' op is never written: it is neither a model input nor a step's output}}
    %unused = tailor.buffer "unused" : memref<?x4xf32>
    %y = tailor.buffer "y" {output = 0 : i64} : memref<?x4xf32>
    tailor.step.add ins(a = %x : memref<?x4xf32>, b = %x : memref<?x4xf32>) outs(y = %y : memref<?x4xf32>)
    return
  }
}

// -----

module {
  // expected-error @+1 {{plan-memory: @forward has no kernel steps (run lower-to-kernels first)}}
  func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    return %x : tensor<?x4xf32>
  }
}
