// tailor.ensemble_mean's rules.
// RUN: tailor-opt %s -split-input-file -verify-diagnostics

func.func @one(%a: tensor<?x10xf32>) -> tensor<?x10xf32> {
  // expected-error @+1 {{'tailor.ensemble_mean' op needs at least 2 members, got 1}}
  %m = tailor.ensemble_mean %a : tensor<?x10xf32> -> tensor<?x10xf32>
  return %m : tensor<?x10xf32>
}

// -----

func.func @types(%a: tensor<?x10xf32>, %b: tensor<?x9xf32>) -> tensor<?x10xf32> {
  // expected-error @+1 {{'tailor.ensemble_mean' op member 1 is 'tensor<?x9xf32>', expected the result's type 'tensor<?x10xf32>'}}
  %m = tailor.ensemble_mean %a, %b : tensor<?x10xf32>, tensor<?x9xf32> -> tensor<?x10xf32>
  return %m : tensor<?x10xf32>
}
