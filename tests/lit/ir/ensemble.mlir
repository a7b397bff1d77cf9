// tailor.ensemble_mean round-trips.
// RUN: tailor-opt %s | tailor-opt | FileCheck %s

// CHECK-LABEL: func.func @mean
// CHECK: tailor.ensemble_mean %arg0, %arg1, %arg2 : tensor<?x10xf32>, tensor<?x10xf32>, tensor<?x10xf32> -> tensor<?x10xf32>
func.func @mean(%a: tensor<?x10xf32>, %b: tensor<?x10xf32>, %c: tensor<?x10xf32>) -> tensor<?x10xf32> {
  %m = tailor.ensemble_mean %a, %b, %c : tensor<?x10xf32>, tensor<?x10xf32>, tensor<?x10xf32> -> tensor<?x10xf32>
  return %m : tensor<?x10xf32>
}
