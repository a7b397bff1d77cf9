// prune-heads' failure modes.
// RUN: tailor-opt %s -split-input-file -prune-heads -verify-diagnostics

func.func @q_from_an_argument(%q: tensor<?x5x6xf32>) -> tensor<?x5x6xf32> {
  // expected-error @+1 {{'tailor.attention' op prunes heads only of q, k and v computed by tailor.linear}}
  %ctx, %sig = tailor.attention %q, %q, %q {heads = 3 : i64, head_mask = #tailor.head_mask<heads = 3, kept = [1]>} : (tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>) -> (tensor<?x5x6xf32>, tensor<?x5xf32>)
  return %ctx : tensor<?x5x6xf32>
}

// -----

module {
  tailor.global @w : tensor<6x6xf32>
  func.func @context_returned(%x: tensor<?x5x6xf32>) -> tensor<?x5x6xf32> {
    %w = tailor.weight @w : tensor<6x6xf32>
    %q = tailor.linear %x, %w : (tensor<?x5x6xf32>, tensor<6x6xf32>) -> tensor<?x5x6xf32>
    // expected-error @+1 {{'tailor.attention' op prunes heads only when tailor.linear ops (the output projection) read the context}}
    %ctx, %sig = tailor.attention %q, %q, %q {heads = 3 : i64, head_mask = #tailor.head_mask<heads = 3, kept = [1]>} : (tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>) -> (tensor<?x5x6xf32>, tensor<?x5xf32>)
    return %ctx : tensor<?x5x6xf32>
  }
}

// -----

func.func @weight_from_an_argument(%x: tensor<?x5x6xf32>, %w: tensor<6x6xf32>) -> tensor<?x5x6xf32> {
  %q = tailor.linear %x, %w : (tensor<?x5x6xf32>, tensor<6x6xf32>) -> tensor<?x5x6xf32>
  // expected-error @+1 {{'tailor.attention' op prunes heads only of weights read by tailor.weight}}
  %ctx, %sig = tailor.attention %q, %q, %q {heads = 3 : i64, head_mask = #tailor.head_mask<heads = 3, kept = [1]>} : (tensor<?x5x6xf32>, tensor<?x5x6xf32>, tensor<?x5x6xf32>) -> (tensor<?x5x6xf32>, tensor<?x5xf32>)
  %o = tailor.linear %ctx, %w : (tensor<?x5x6xf32>, tensor<6x6xf32>) -> tensor<?x5x6xf32>
  return %o : tensor<?x5x6xf32>
}
