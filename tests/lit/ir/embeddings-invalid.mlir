// Every verifier rule of tailor.token_embeddings and tailor.patch_embeddings.
// RUN: tailor-opt %s -split-input-file -verify-diagnostics

func.func @f(%ids: tensor<?xi32>, %word: tensor<1000x96xf32>, %pos: tensor<64x96xf32>) {
  // expected-error @+1 {{'tailor.token_embeddings' op ids must have rank 2 [batch, seq], got 'tensor<?xi32>'}}
  %e = tailor.token_embeddings %ids, %word, %pos : (tensor<?xi32>, tensor<1000x96xf32>, tensor<64x96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%ids: tensor<?x?xi64>, %word: tensor<1000x96xf32>, %pos: tensor<64x96xf32>) {
  // expected-error @+1 {{'tailor.token_embeddings' op operand #0 must be ranked tensor of 32-bit signless integer values, but got 'tensor<?x?xi64>'}}
  %e = tailor.token_embeddings %ids, %word, %pos : (tensor<?x?xi64>, tensor<1000x96xf32>, tensor<64x96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%ids: tensor<?x?xi32>, %word: tensor<1000x96x1xf32>, %pos: tensor<64x96xf32>) {
  // expected-error @+1 {{'tailor.token_embeddings' op word must have rank 2 [vocab, hidden], got 'tensor<1000x96x1xf32>'}}
  %e = tailor.token_embeddings %ids, %word, %pos : (tensor<?x?xi32>, tensor<1000x96x1xf32>, tensor<64x96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%ids: tensor<?x?xi32>, %word: tensor<1000x96xf32>, %pos: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.token_embeddings' op position must have rank 2 [positions, hidden], got 'tensor<96xf32>'}}
  %e = tailor.token_embeddings %ids, %word, %pos : (tensor<?x?xi32>, tensor<1000x96xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%ids: tensor<?x?xi32>, %word: tensor<1000x96xf32>, %pos: tensor<64x95xf32>) {
  // expected-error @+1 {{'tailor.token_embeddings' op position shape [64, 95] does not match hidden size 96}}
  %e = tailor.token_embeddings %ids, %word, %pos : (tensor<?x?xi32>, tensor<1000x96xf32>, tensor<64x95xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%ids: tensor<?x?xi32>, %word: tensor<1000x96xf32>, %pos: tensor<64x96xf32>, %type: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.token_embeddings' op token_type must have rank 2 [types, hidden], got 'tensor<96xf32>'}}
  %e = tailor.token_embeddings %ids, %word, %pos, %type : (tensor<?x?xi32>, tensor<1000x96xf32>, tensor<64x96xf32>, tensor<96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%ids: tensor<?x?xi32>, %word: tensor<1000x96xf32>, %pos: tensor<64x96xf32>, %type: tensor<2x80xf32>) {
  // expected-error @+1 {{'tailor.token_embeddings' op token_type shape [2, 80] does not match hidden size 96}}
  %e = tailor.token_embeddings %ids, %word, %pos, %type : (tensor<?x?xi32>, tensor<1000x96xf32>, tensor<64x96xf32>, tensor<2x80xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%ids: tensor<?x?xi32>, %word: tensor<1000x96xf32>, %pos: tensor<64x96xf32>, %type: tensor<0x96xf32>) {
  // expected-error @+1 {{'tailor.token_embeddings' op token_type has no rows; inputs use type 0}}
  %e = tailor.token_embeddings %ids, %word, %pos, %type : (tensor<?x?xi32>, tensor<1000x96xf32>, tensor<64x96xf32>, tensor<0x96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%ids: tensor<?x65xi32>, %word: tensor<1000x96xf32>, %pos: tensor<64x96xf32>) {
  // expected-error @+1 {{'tailor.token_embeddings' op ids have 65 tokens but the position table has only 64 positions}}
  %e = tailor.token_embeddings %ids, %word, %pos : (tensor<?x65xi32>, tensor<1000x96xf32>, tensor<64x96xf32>) -> tensor<?x65x96xf32>
  return
}

// -----

func.func @f(%ids: tensor<4x?xi32>, %word: tensor<1000x96xf32>, %pos: tensor<64x96xf32>) {
  // expected-error @+1 {{'tailor.token_embeddings' op result shape [?, ?, 96] does not match the expected [4, ?, 96]}}
  %e = tailor.token_embeddings %ids, %word, %pos : (tensor<4x?xi32>, tensor<1000x96xf32>, tensor<64x96xf32>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%ids: tensor<?x?xi32>, %word: tensor<1000x96xf32>, %pos: tensor<64x96xf32>) {
  // expected-error @+1 {{'tailor.token_embeddings' op result shape [?, ?, 80] does not match the expected [?, ?, 96]}}
  %e = tailor.token_embeddings %ids, %word, %pos : (tensor<?x?xi32>, tensor<1000x96xf32>, tensor<64x96xf32>) -> tensor<?x?x80xf32>
  return
}

// -----

func.func @f(%ids: tensor<?x?xi32>, %word: tensor<1000x96xf32>, %pos: tensor<64x96xf16>) {
  // expected-error @+1 {{'tailor.token_embeddings' op float tensors must share one element type: operand #2 has 'f16' but operand #1 has 'f32'}}
  %e = tailor.token_embeddings %ids, %word, %pos : (tensor<?x?xi32>, tensor<1000x96xf32>, tensor<64x96xf16>) -> tensor<?x?x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x28x28xf32>, %pw: tensor<96x16xf32>, %pb: tensor<96xf32>, %cls: tensor<96xf32>, %pos: tensor<50x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op images must have rank 4 [batch, channels, height, width], got 'tensor<?x28x28xf32>'}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 4} : (tensor<?x28x28xf32>, tensor<96x16xf32>, tensor<96xf32>, tensor<96xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x?x28x28xf32>, %pw: tensor<96x16xf32>, %pb: tensor<96xf32>, %cls: tensor<96xf32>, %pos: tensor<50x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op images must have static channels, height and width, got 'tensor<?x?x28x28xf32>'}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 4} : (tensor<?x?x28x28xf32>, tensor<96x16xf32>, tensor<96xf32>, tensor<96xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x1x28x32xf32>, %pw: tensor<96x16xf32>, %pb: tensor<96xf32>, %cls: tensor<96xf32>, %pos: tensor<50x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op images must be square, got 28x32}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 4} : (tensor<?x1x28x32xf32>, tensor<96x16xf32>, tensor<96xf32>, tensor<96xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x1x28x28xf32>, %pw: tensor<96x25xf32>, %pb: tensor<96xf32>, %cls: tensor<96xf32>, %pos: tensor<50x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op image size 28 is not divisible by patch_size 5}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 5} : (tensor<?x1x28x28xf32>, tensor<96x25xf32>, tensor<96xf32>, tensor<96xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x1x28x28xf32>, %pw: tensor<96x16xf32>, %pb: tensor<96xf32>, %cls: tensor<96xf32>, %pos: tensor<50x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op attribute 'patch_size' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 0} : (tensor<?x1x28x28xf32>, tensor<96x16xf32>, tensor<96xf32>, tensor<96xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x1x28x28xf32>, %pw: tensor<96x4x4xf32>, %pb: tensor<96xf32>, %cls: tensor<96xf32>, %pos: tensor<50x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op patch_w must have rank 2 [hidden, channels * patch_size^2], got 'tensor<96x4x4xf32>'}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 4} : (tensor<?x1x28x28xf32>, tensor<96x4x4xf32>, tensor<96xf32>, tensor<96xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x3x28x28xf32>, %pw: tensor<96x16xf32>, %pb: tensor<96xf32>, %cls: tensor<96xf32>, %pos: tensor<50x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op patch_w shape [96, 16] does not match channels * patch_size^2 = 48}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 4} : (tensor<?x3x28x28xf32>, tensor<96x16xf32>, tensor<96xf32>, tensor<96xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x1x28x28xf32>, %pw: tensor<96x16xf32>, %pb: tensor<1x96xf32>, %cls: tensor<96xf32>, %pos: tensor<50x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op patch_b must have rank 1 [hidden], got 'tensor<1x96xf32>'}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 4} : (tensor<?x1x28x28xf32>, tensor<96x16xf32>, tensor<1x96xf32>, tensor<96xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x1x28x28xf32>, %pw: tensor<96x16xf32>, %pb: tensor<80xf32>, %cls: tensor<96xf32>, %pos: tensor<50x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op patch_b shape [80] does not match hidden size 96}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 4} : (tensor<?x1x28x28xf32>, tensor<96x16xf32>, tensor<80xf32>, tensor<96xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x1x28x28xf32>, %pw: tensor<96x16xf32>, %pb: tensor<96xf32>, %cls: tensor<1x1x96xf32>, %pos: tensor<50x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op cls must have rank 1 [hidden], got 'tensor<1x1x96xf32>'}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 4} : (tensor<?x1x28x28xf32>, tensor<96x16xf32>, tensor<96xf32>, tensor<1x1x96xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x1x28x28xf32>, %pw: tensor<96x16xf32>, %pb: tensor<96xf32>, %cls: tensor<95xf32>, %pos: tensor<50x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op cls shape [95] does not match hidden size 96}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 4} : (tensor<?x1x28x28xf32>, tensor<96x16xf32>, tensor<96xf32>, tensor<95xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x1x28x28xf32>, %pw: tensor<96x16xf32>, %pb: tensor<96xf32>, %cls: tensor<96xf32>, %pos: tensor<1x50x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op position must have rank 2 [tokens, hidden], got 'tensor<1x50x96xf32>'}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 4} : (tensor<?x1x28x28xf32>, tensor<96x16xf32>, tensor<96xf32>, tensor<96xf32>, tensor<1x50x96xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x1x28x28xf32>, %pw: tensor<96x16xf32>, %pb: tensor<96xf32>, %cls: tensor<96xf32>, %pos: tensor<49x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op position shape [49, 96] does not match tokens (image_size / patch_size)^2 + 1 = 50}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 4} : (tensor<?x1x28x28xf32>, tensor<96x16xf32>, tensor<96xf32>, tensor<96xf32>, tensor<49x96xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x1x28x28xf32>, %pw: tensor<96x16xf32>, %pb: tensor<96xf32>, %cls: tensor<96xf32>, %pos: tensor<50x64xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op position shape [50, 64] does not match hidden size 96}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 4} : (tensor<?x1x28x28xf32>, tensor<96x16xf32>, tensor<96xf32>, tensor<96xf32>, tensor<50x64xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x1x28x28xf32>, %pw: tensor<96x16xf32>, %pb: tensor<96xf32>, %cls: tensor<96xf32>, %pos: tensor<50x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op result shape [?, 49, 96] does not match the expected [?, 50, 96]}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 4} : (tensor<?x1x28x28xf32>, tensor<96x16xf32>, tensor<96xf32>, tensor<96xf32>, tensor<50x96xf32>) -> tensor<?x49x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x1x28x28xf32>, %pw: tensor<96x16xf32>, %pb: tensor<96xbf16>, %cls: tensor<96xf32>, %pos: tensor<50x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op float tensors must share one element type: operand #2 has 'bf16' but operand #0 has 'f32'}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 4} : (tensor<?x1x28x28xf32>, tensor<96x16xf32>, tensor<96xbf16>, tensor<96xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
  return
}

// -----

func.func @f(%images: tensor<?x1x4294967296x4294967296xf32>, %pw: tensor<96x1xf32>, %pb: tensor<96xf32>, %cls: tensor<96xf32>, %pos: tensor<50x96xf32>) {
  // expected-error @+1 {{'tailor.patch_embeddings' op token count or patch size overflows 64 bits}}
  %e = tailor.patch_embeddings %images, %pw, %pb, %cls, %pos {patch_size = 1} : (tensor<?x1x4294967296x4294967296xf32>, tensor<96x1xf32>, tensor<96xf32>, tensor<96xf32>, tensor<50x96xf32>) -> tensor<?x50x96xf32>
  return
}
