// fold-length-config's failure modes, each with the error it reports.
// RUN: tailor-opt %s -split-input-file -fold-length-config=budget=0.3 -verify-diagnostics

// expected-error @+1 {{fold-length-config: no length configuration has budget 0.3 (budgets: 1, 0.5)}}
module attributes {tailor.model = {kind = "vit", layers = 1 : i64}, tailor.length_configs = [#tailor.length_config<budget = 1.0, lengths = [5]>, #tailor.length_config<budget = 0.5, lengths = [3]>]} {
  func.func @forward(%x: tensor<?x5x4xf32>, %lengths: tensor<1xindex>) -> tensor<?x5x4xf32> {
    return %x : tensor<?x5x4xf32>
  }
}

// -----

// expected-error @+1 {{fold-length-config: the module has no tailor.length_configs}}
module attributes {tailor.model = {kind = "vit", layers = 1 : i64}} {
  func.func @forward(%x: tensor<?x5x4xf32>, %lengths: tensor<1xindex>) -> tensor<?x5x4xf32> {
    return %x : tensor<?x5x4xf32>
  }
}

// -----

// expected-error @+1 {{fold-length-config: the module has no @forward function with a body}}
module attributes {tailor.length_configs = [#tailor.length_config<budget = 0.3, lengths = [5]>]} {
  func.func @main(%x: tensor<?x5x4xf32>) -> tensor<?x5x4xf32> {
    return %x : tensor<?x5x4xf32>
  }
}

// -----

module attributes {tailor.length_configs = [#tailor.length_config<budget = 0.3, lengths = [5, 4]>]} {
  // expected-error @+1 {{fold-length-config: @forward's last argument must be the lengths, tensor<2xindex>, got 'tensor<3xindex>'}}
  func.func @forward(%x: tensor<?x5x4xf32>, %lengths: tensor<3xindex>) -> tensor<?x5x4xf32> {
    return %x : tensor<?x5x4xf32>
  }
}

// -----

module attributes {tailor.length_configs = [#tailor.length_config<budget = 0.3, lengths = [5]>]} {
  func.func @forward(%i: index, %lengths: tensor<1xindex>) -> index {
    // expected-error @+1 {{'tensor.extract' op reads the lengths argument other than by tensor.extract at a constant index; fold-length-config cannot fold it}}
    %k = tensor.extract %lengths[%i] : tensor<1xindex>
    return %k : index
  }
}

// -----

module attributes {tailor.length_configs = [#tailor.length_config<budget = 0.3, lengths = [7]>]} {
  func.func @forward(%x: tensor<?x5x4xf32>, %s: tensor<?x5xf32>, %lengths: tensor<1xindex>) -> tensor<?x?x4xf32> {
    %c0 = arith.constant 0 : index
    %k = tensor.extract %lengths[%c0] : tensor<1xindex>
    // expected-error @+1 {{'tailor.select_tokens' op keeps 7 tokens of 5: the length configuration does not fit the model}}
    %sel, %idx = tailor.select_tokens %x, %s, %k : (tensor<?x5x4xf32>, tensor<?x5xf32>, index) -> (tensor<?x?x4xf32>, tensor<?x?xi32>)
    return %sel : tensor<?x?x4xf32>
  }
}

// -----

module attributes {tailor.length_configs = [#tailor.length_config<budget = 0.3, lengths = [5]>]} {
  func.func @forward(%x: tensor<?x5x4xf32>, %s: tensor<?x5xf32>, %k: index, %lengths: tensor<1xindex>) -> tensor<?x?x4xf32> {
    // expected-error @+1 {{'tailor.select_tokens' op has a k that is not a length of the configuration; fold-length-config cannot fold it}}
    %sel, %idx = tailor.select_tokens %x, %s, %k : (tensor<?x5x4xf32>, tensor<?x5xf32>, index) -> (tensor<?x?x4xf32>, tensor<?x?xi32>)
    return %sel : tensor<?x?x4xf32>
  }
}

// -----

// expected-error @+1 {{fold-length-config: the module already has a folded length configuration}}
module attributes {tailor.length_configs = [#tailor.length_config<budget = 0.3, lengths = [5]>], tailor.variant = {length_config = #tailor.length_config<budget = 0.3, lengths = [5]>}} {
  func.func @forward(%x: tensor<?x5x4xf32>) -> tensor<?x5x4xf32> {
    return %x : tensor<?x5x4xf32>
  }
}
