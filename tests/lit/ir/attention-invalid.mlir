// Every verifier rule of tailor.attention.
// RUN: tailor-opt %s -split-input-file -verify-diagnostics

func.func @f(%q: tensor<?x96xf32>, %k: tensor<?x96xf32>, %v: tensor<?x96xf32>) {
  // expected-error @+1 {{'tailor.attention' op q must have rank 3 [batch, seq, hidden], got 'tensor<?x96xf32>'}}
  %c = tailor.attention %q, %k, %v {heads = 6} : (tensor<?x96xf32>, tensor<?x96xf32>, tensor<?x96xf32>) -> tensor<?x96xf32>
  return
}

// -----

func.func @f(%q: tensor<?x?x96xf32>, %k: tensor<?x?x80xf32>, %v: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.attention' op k type 'tensor<?x?x80xf32>' does not match q type 'tensor<?x?x96xf32>'}}
  %c = tailor.attention %q, %k, %v {heads = 6} : (tensor<?x?x96xf32>, tensor<?x?x80xf32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%q: tensor<?x?x96xf32>, %k: tensor<?x?x96xf32>, %v: tensor<2x?x96xf32>) {
  // expected-error @+1 {{'tailor.attention' op v type 'tensor<2x?x96xf32>' does not match q type 'tensor<?x?x96xf32>'}}
  %c = tailor.attention %q, %k, %v {heads = 6} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<2x?x96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%q: tensor<?x?x96xf32>, %k: tensor<?x?x96xf32>, %v: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.attention' op attribute 'heads' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %c = tailor.attention %q, %k, %v {heads = 0} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%q: tensor<?x?x96xf32>, %k: tensor<?x?x96xf32>, %v: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.attention' op hidden size 96 is not divisible by heads 5}}
  %c = tailor.attention %q, %k, %v {heads = 5} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%q: tensor<?x?x96xf32>, %k: tensor<?x?x96xf32>, %v: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.attention' op head_mask is for 8 heads but the op has heads = 6}}
  %c = tailor.attention %q, %k, %v {heads = 6, head_mask = #tailor.head_mask<heads = 8, kept = [0]>} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%q: tensor<?x?x96xf32>, %k: tensor<?x?x96xf32>, %v: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.attention' op sparsity must be square for self-attention, got 1x2 blocks}}
  %c = tailor.attention %q, %k, %v {heads = 6, sparsity = #tailor.block_sparse<block = 16, rows = 1, cols = 2, mask = [1, 1]>} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%q: tensor<?x50x96xf32>, %k: tensor<?x50x96xf32>, %v: tensor<?x50x96xf32>) {
  // expected-error @+1 {{'tailor.attention' op sparsity has 3x3 blocks of 16 but 50 tokens need 4x4}}
  %c = tailor.attention %q, %k, %v {heads = 6, sparsity = #tailor.block_sparse<block = 16, rows = 3, cols = 3, mask = [1, 0, 0, 0, 1, 0, 0, 0, 1]>} : (tensor<?x50x96xf32>, tensor<?x50x96xf32>, tensor<?x50x96xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%q: tensor<?x?x96xf32>, %k: tensor<?x?x96xf32>, %v: tensor<?x?x96xf32>, %m: tensor<?xi1>) {
  // expected-error @+1 {{'tailor.attention' op key_mask must have rank 2 [batch, seq], got 'tensor<?xi1>'}}
  %c = tailor.attention %q, %k, %v key_mask(%m) {heads = 6} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?xi1>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%q: tensor<?x?x96xf32>, %k: tensor<?x?x96xf32>, %v: tensor<?x?x96xf32>, %m: tensor<?x?xf32>) {
  // expected-error @+1 {{'tailor.attention' op operand #3 must be ranked tensor of 1-bit signless integer values, but got 'tensor<?x?xf32>'}}
  %c = tailor.attention %q, %k, %v key_mask(%m) {heads = 6} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%q: tensor<4x?x96xf32>, %k: tensor<4x?x96xf32>, %v: tensor<4x?x96xf32>, %m: tensor<3x?xi1>) {
  // expected-error @+1 {{'tailor.attention' op key_mask shape [3, ?] does not match batch size 4}}
  %c = tailor.attention %q, %k, %v key_mask(%m) {heads = 6} : (tensor<4x?x96xf32>, tensor<4x?x96xf32>, tensor<4x?x96xf32>, tensor<3x?xi1>) -> tensor<4x?x96xf32>
  return
}

// -----

func.func @f(%q: tensor<?x50x96xf32>, %k: tensor<?x50x96xf32>, %v: tensor<?x50x96xf32>, %m: tensor<?x49xi1>) {
  // expected-error @+1 {{'tailor.attention' op key_mask shape [?, 49] does not match sequence length 50}}
  %c = tailor.attention %q, %k, %v key_mask(%m) {heads = 6} : (tensor<?x50x96xf32>, tensor<?x50x96xf32>, tensor<?x50x96xf32>, tensor<?x49xi1>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%q: tensor<?x?x96xf32>, %k: tensor<?x?x96xf32>, %v: tensor<?x?x96xf32>, %h: tensor<?x6x1xi1>) {
  // expected-error @+1 {{'tailor.attention' op sample_head_mask must have rank 2 [batch, heads], got 'tensor<?x6x1xi1>'}}
  %c = tailor.attention %q, %k, %v sample_head_mask(%h) {heads = 6} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x6x1xi1>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%q: tensor<4x?x96xf32>, %k: tensor<4x?x96xf32>, %v: tensor<4x?x96xf32>, %h: tensor<2x6xi1>) {
  // expected-error @+1 {{'tailor.attention' op sample_head_mask shape [2, 6] does not match batch size 4}}
  %c = tailor.attention %q, %k, %v sample_head_mask(%h) {heads = 6} : (tensor<4x?x96xf32>, tensor<4x?x96xf32>, tensor<4x?x96xf32>, tensor<2x6xi1>) -> tensor<4x?x96xf32>
  return
}

// -----

func.func @f(%q: tensor<?x?x96xf32>, %k: tensor<?x?x96xf32>, %v: tensor<?x?x96xf32>, %h: tensor<?x12xi1>) {
  // expected-error @+1 {{'tailor.attention' op sample_head_mask shape [?, 12] does not match heads 6}}
  %c = tailor.attention %q, %k, %v sample_head_mask(%h) {heads = 6} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x12xi1>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%q: tensor<?x?x96xf32>, %k: tensor<?x?x96xf32>, %v: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.attention' op context_layer shape [?, ?, 80] does not match the expected [?, ?, 96]}}
  %c = tailor.attention %q, %k, %v {heads = 6} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>) -> tensor<?x?x80xf32>
  return
}

// -----

func.func @f(%q: tensor<?x50x96xf32>, %k: tensor<?x50x96xf32>, %v: tensor<?x50x96xf32>) {
  // expected-error @+1 {{'tailor.attention' op significance shape [?, 49] does not match the expected [?, 50]}}
  %c, %s = tailor.attention %q, %k, %v {heads = 6} : (tensor<?x50x96xf32>, tensor<?x50x96xf32>, tensor<?x50x96xf32>) -> (tensor<?x50x96xf32>, tensor<?x49xf32>)
  return
}

// -----

func.func @f(%q: tensor<?x?x96xf32>, %k: tensor<?x?x96xf32>, %v: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.attention' op significance shape [?] does not match the expected [?, ?]}}
  %c, %s = tailor.attention %q, %k, %v {heads = 6} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>) -> (tensor<?x?x96xf32>, tensor<?xf32>)
  return
}

// -----

func.func @f(%q: tensor<?x?x96xf32>, %k: tensor<?x?x96xf32>, %v: tensor<?x?x96xf32>) {
  // expected-error @+1 {{'tailor.attention' op float tensors must share one element type: result #1 has 'f16' but operand #0 has 'f32'}}
  %c, %s = tailor.attention %q, %k, %v {heads = 6} : (tensor<?x?x96xf32>, tensor<?x?x96xf32>, tensor<?x?x96xf32>) -> (tensor<?x?x96xf32>, tensor<?x?xf16>)
  return
}
