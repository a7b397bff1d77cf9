// Every verifier rule of tailor.select_tokens and tailor.restore_tokens.
// RUN: tailor-opt %s -split-input-file -verify-diagnostics

func.func @f(%x: tensor<?x96xf32>, %s: tensor<?x?xf32>) {
  // expected-error @+1 {{'tailor.select_tokens' op x must have rank 3 [batch, seq, hidden], got 'tensor<?x96xf32>'}}
  %sel, %idx = tailor.select_tokens %x, %s {k = 25} : (tensor<?x96xf32>, tensor<?x?xf32>) -> (tensor<?x25x96xf32>, tensor<?x25xi32>)
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %s: tensor<?xf32>) {
  // expected-error @+1 {{'tailor.select_tokens' op significance must have rank 2 [batch, seq], got 'tensor<?xf32>'}}
  %sel, %idx = tailor.select_tokens %x, %s {k = 25} : (tensor<?x?x96xf32>, tensor<?xf32>) -> (tensor<?x25x96xf32>, tensor<?x25xi32>)
  return
}

// -----

func.func @f(%x: tensor<4x?x96xf32>, %s: tensor<3x?xf32>) {
  // expected-error @+1 {{'tailor.select_tokens' op significance shape [3, ?] does not match batch size 4}}
  %sel, %idx = tailor.select_tokens %x, %s {k = 25} : (tensor<4x?x96xf32>, tensor<3x?xf32>) -> (tensor<4x25x96xf32>, tensor<4x25xi32>)
  return
}

// -----

func.func @f(%x: tensor<?x50x96xf32>, %s: tensor<?x49xf32>) {
  // expected-error @+1 {{'tailor.select_tokens' op significance shape [?, 49] does not match sequence length 50}}
  %sel, %idx = tailor.select_tokens %x, %s {k = 25} : (tensor<?x50x96xf32>, tensor<?x49xf32>) -> (tensor<?x25x96xf32>, tensor<?x25xi32>)
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %s: tensor<?x?xf32>, %k: index) {
  // expected-error @+1 {{'tailor.select_tokens' op takes k as the 'k' attribute or as an index operand, not both}}
  %sel, %idx = tailor.select_tokens %x, %s, %k {k = 25} : (tensor<?x?x96xf32>, tensor<?x?xf32>, index) -> (tensor<?x25x96xf32>, tensor<?x25xi32>)
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %s: tensor<?x?xf32>) {
  // expected-error @+1 {{'tailor.select_tokens' op needs k: a 'k' attribute or an index operand}}
  %sel, %idx = tailor.select_tokens %x, %s : (tensor<?x?x96xf32>, tensor<?x?xf32>) -> (tensor<?x25x96xf32>, tensor<?x25xi32>)
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %s: tensor<?x?xf32>) {
  // expected-error @+1 {{'tailor.select_tokens' op attribute 'k' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %sel, %idx = tailor.select_tokens %x, %s {k = 0} : (tensor<?x?x96xf32>, tensor<?x?xf32>) -> (tensor<?x25x96xf32>, tensor<?x25xi32>)
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %s: tensor<?x?xf32>, %k: i64) {
  // expected-error @+1 {{'tailor.select_tokens' op operand #2 must be index, but got 'i64'}}
  %sel, %idx = tailor.select_tokens %x, %s, %k : (tensor<?x?x96xf32>, tensor<?x?xf32>, i64) -> (tensor<?x?x96xf32>, tensor<?x?xi32>)
  return
}

// -----

func.func @f(%x: tensor<?x50x96xf32>, %s: tensor<?x50xf32>) {
  // expected-error @+1 {{'tailor.select_tokens' op k = 60 exceeds the 50 tokens of x}}
  %sel, %idx = tailor.select_tokens %x, %s {k = 60} : (tensor<?x50x96xf32>, tensor<?x50xf32>) -> (tensor<?x60x96xf32>, tensor<?x60xi32>)
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %s: tensor<?x?xf32>) {
  // expected-error @+1 {{'tailor.select_tokens' op selected shape [?, ?, 96] does not match the expected [?, 25, 96]}}
  %sel, %idx = tailor.select_tokens %x, %s {k = 25} : (tensor<?x?x96xf32>, tensor<?x?xf32>) -> (tensor<?x?x96xf32>, tensor<?x25xi32>)
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %s: tensor<?x?xf32>) {
  // expected-error @+1 {{'tailor.select_tokens' op selected shape [?, 25, 80] does not match the expected [?, 25, 96]}}
  %sel, %idx = tailor.select_tokens %x, %s {k = 25} : (tensor<?x?x96xf32>, tensor<?x?xf32>) -> (tensor<?x25x80xf32>, tensor<?x25xi32>)
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %s: tensor<?x?xf32>) {
  // expected-error @+1 {{'tailor.select_tokens' op indices shape [?, 24] does not match the expected [?, 25]}}
  %sel, %idx = tailor.select_tokens %x, %s {k = 25} : (tensor<?x?x96xf32>, tensor<?x?xf32>) -> (tensor<?x25x96xf32>, tensor<?x24xi32>)
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %s: tensor<?x?xf32>) {
  // expected-error @+1 {{'tailor.select_tokens' op result #1 must be ranked tensor of 32-bit signless integer values, but got 'tensor<?x25xi64>'}}
  %sel, %idx = tailor.select_tokens %x, %s {k = 25} : (tensor<?x?x96xf32>, tensor<?x?xf32>) -> (tensor<?x25x96xf32>, tensor<?x25xi64>)
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %s: tensor<?x?xf16>) {
  // expected-error @+1 {{'tailor.select_tokens' op float tensors must share one element type: operand #1 has 'f16' but operand #0 has 'f32'}}
  %sel, %idx = tailor.select_tokens %x, %s {k = 25} : (tensor<?x?x96xf32>, tensor<?x?xf16>) -> (tensor<?x25x96xf32>, tensor<?x25xi32>)
  return
}

// -----

func.func @f(%full: tensor<?x96xf32>, %s: tensor<?x25x96xf32>, %i: tensor<?x25xi32>) {
  // expected-error @+1 {{'tailor.restore_tokens' op full must have rank 3 [batch, seq, hidden], got 'tensor<?x96xf32>'}}
  %r = tailor.restore_tokens %full, %s, %i : (tensor<?x96xf32>, tensor<?x25x96xf32>, tensor<?x25xi32>) -> tensor<?x96xf32>
  return
}

// -----

func.func @f(%full: tensor<?x?x96xf32>, %s: tensor<?x96xf32>, %i: tensor<?x25xi32>) {
  // expected-error @+1 {{'tailor.restore_tokens' op selected must have rank 3 [batch, k, hidden], got 'tensor<?x96xf32>'}}
  %r = tailor.restore_tokens %full, %s, %i : (tensor<?x?x96xf32>, tensor<?x96xf32>, tensor<?x25xi32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%full: tensor<?x?x96xf32>, %s: tensor<?x25x96xf32>, %i: tensor<?xi32>) {
  // expected-error @+1 {{'tailor.restore_tokens' op indices must have rank 2 [batch, k], got 'tensor<?xi32>'}}
  %r = tailor.restore_tokens %full, %s, %i : (tensor<?x?x96xf32>, tensor<?x25x96xf32>, tensor<?xi32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%full: tensor<4x?x96xf32>, %s: tensor<3x25x96xf32>, %i: tensor<?x25xi32>) {
  // expected-error @+1 {{'tailor.restore_tokens' op selected shape [3, 25, 96] does not match batch size 4}}
  %r = tailor.restore_tokens %full, %s, %i : (tensor<4x?x96xf32>, tensor<3x25x96xf32>, tensor<?x25xi32>) -> tensor<4x?x96xf32>
  return
}

// -----

func.func @f(%full: tensor<?x?x96xf32>, %s: tensor<?x25x80xf32>, %i: tensor<?x25xi32>) {
  // expected-error @+1 {{'tailor.restore_tokens' op selected shape [?, 25, 80] does not match hidden size 96}}
  %r = tailor.restore_tokens %full, %s, %i : (tensor<?x?x96xf32>, tensor<?x25x80xf32>, tensor<?x25xi32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%full: tensor<4x?x96xf32>, %s: tensor<4x25x96xf32>, %i: tensor<3x25xi32>) {
  // expected-error @+1 {{'tailor.restore_tokens' op indices shape [3, 25] does not match batch size 4}}
  %r = tailor.restore_tokens %full, %s, %i : (tensor<4x?x96xf32>, tensor<4x25x96xf32>, tensor<3x25xi32>) -> tensor<4x?x96xf32>
  return
}

// -----

func.func @f(%full: tensor<?x?x96xf32>, %s: tensor<?x25x96xf32>, %i: tensor<?x24xi32>) {
  // expected-error @+1 {{'tailor.restore_tokens' op indices shape [?, 24] does not match selected tokens 25}}
  %r = tailor.restore_tokens %full, %s, %i : (tensor<?x?x96xf32>, tensor<?x25x96xf32>, tensor<?x24xi32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%full: tensor<?x20x96xf32>, %s: tensor<?x25x96xf32>, %i: tensor<?x25xi32>) {
  // expected-error @+1 {{'tailor.restore_tokens' op selected has 25 tokens, more than the 20 of full}}
  %r = tailor.restore_tokens %full, %s, %i : (tensor<?x20x96xf32>, tensor<?x25x96xf32>, tensor<?x25xi32>) -> tensor<?x20x96xf32>
  return
}

// -----

func.func @f(%full: tensor<?x?x96xf32>, %s: tensor<?x25x96xf32>, %i: tensor<?x25xi32>) {
  // expected-error @+1 {{'tailor.restore_tokens' op result shape [?, ?, 80] does not match the expected [?, ?, 96]}}
  %r = tailor.restore_tokens %full, %s, %i : (tensor<?x?x96xf32>, tensor<?x25x96xf32>, tensor<?x25xi32>) -> tensor<?x?x80xf32>
  return
}

// -----

func.func @f(%full: tensor<?x?x96xf32>, %s: tensor<?x25x96xbf16>, %i: tensor<?x25xi32>) {
  // expected-error @+1 {{'tailor.restore_tokens' op float tensors must share one element type: operand #1 has 'bf16' but operand #0 has 'f32'}}
  %r = tailor.restore_tokens %full, %s, %i : (tensor<?x?x96xf32>, tensor<?x25x96xbf16>, tensor<?x25xi32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%m: tensor<?xi1>, %i: tensor<?x25xi32>) {
  // expected-error @+1 {{'tailor.gather_tokens' op x must have rank 2 or more [batch, seq, ...], got 'tensor<?xi1>'}}
  %g = tailor.gather_tokens %m, %i : (tensor<?xi1>, tensor<?x25xi32>) -> tensor<?x25xi1>
  return
}

// -----

func.func @f(%m: tensor<?x50xi1>, %i: tensor<?xi32>) {
  // expected-error @+1 {{'tailor.gather_tokens' op indices must have rank 2 [batch, k], got 'tensor<?xi32>'}}
  %g = tailor.gather_tokens %m, %i : (tensor<?x50xi1>, tensor<?xi32>) -> tensor<?x25xi1>
  return
}

// -----

func.func @f(%m: tensor<4x50xi1>, %i: tensor<3x25xi32>) {
  // expected-error @+1 {{'tailor.gather_tokens' op indices shape [3, 25] does not match batch size 4}}
  %g = tailor.gather_tokens %m, %i : (tensor<4x50xi1>, tensor<3x25xi32>) -> tensor<4x25xi1>
  return
}

// -----

func.func @f(%m: tensor<?x20xi1>, %i: tensor<?x25xi32>) {
  // expected-error @+1 {{'tailor.gather_tokens' op indices select 25 tokens, more than the 20 of x}}
  %g = tailor.gather_tokens %m, %i : (tensor<?x20xi1>, tensor<?x25xi32>) -> tensor<?x25xi1>
  return
}

// -----

func.func @f(%m: tensor<?x50xi1>, %i: tensor<?x25xi32>) {
  // expected-error @+1 {{'tailor.gather_tokens' op result element type 'f32' differs from x's 'i1'}}
  %g = tailor.gather_tokens %m, %i : (tensor<?x50xi1>, tensor<?x25xi32>) -> tensor<?x25xf32>
  return
}

// -----

func.func @f(%m: tensor<?x50x8xf32>, %i: tensor<?x25xi32>) {
  // expected-error @+1 {{'tailor.gather_tokens' op result shape [?, 25, 9] does not match the expected [?, 25, 8]}}
  %g = tailor.gather_tokens %m, %i : (tensor<?x50x8xf32>, tensor<?x25xi32>) -> tensor<?x25x9xf32>
  return
}
