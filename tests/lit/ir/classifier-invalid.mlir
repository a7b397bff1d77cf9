// Every verifier rule of tailor.classifier.
// RUN: tailor-opt %s -split-input-file -verify-diagnostics

func.func @f(%x: tensor<?x96xf32>, %w: tensor<10x96xf32>, %b: tensor<10xf32>) {
  // expected-error @+1 {{'tailor.classifier' op x must have rank 3 [batch, seq, hidden], got 'tensor<?x96xf32>'}}
  %y = tailor.classifier %x, %w, %b : (tensor<?x96xf32>, tensor<10x96xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<10xf32>, %b: tensor<10xf32>) {
  // expected-error @+1 {{'tailor.classifier' op weight must have rank 2 [classes, hidden], got 'tensor<10xf32>'}}
  %y = tailor.classifier %x, %w, %b : (tensor<?x?x96xf32>, tensor<10xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<10x95xf32>, %b: tensor<10xf32>) {
  // expected-error @+1 {{'tailor.classifier' op weight shape [10, 95] does not match hidden size 96}}
  %y = tailor.classifier %x, %w, %b : (tensor<?x?x96xf32>, tensor<10x95xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<10x96xf32>, %b: tensor<1x10xf32>) {
  // expected-error @+1 {{'tailor.classifier' op bias must have rank 1 [classes], got 'tensor<1x10xf32>'}}
  %y = tailor.classifier %x, %w, %b : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<1x10xf32>) -> tensor<?x10xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<10x96xf32>, %b: tensor<11xf32>) {
  // expected-error @+1 {{'tailor.classifier' op bias shape [11] does not match classes 10}}
  %y = tailor.classifier %x, %w, %b : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<11xf32>) -> tensor<?x10xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<10x96xf32>, %b: tensor<10xf32>, %pw: tensor<96x96xf32>, %pb: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.classifier' op a pooler needs cls or mean pooling; token pooling pools nothing}}
  %y = tailor.classifier %x, %w, %b, %pw, %pb {pooling = #tailor<pooling token>} : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>, tensor<96x96xf32>, tensor<96xf32>) -> tensor<?x?x10xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<10x96xf32>, %b: tensor<10xf32>, %pw: tensor<96xf32>, %pb: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.classifier' op pooler_w must have rank 2 [hidden, hidden], got 'tensor<96xf32>'}}
  %y = tailor.classifier %x, %w, %b, %pw, %pb : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<?x10xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<10x96xf32>, %b: tensor<10xf32>, %pw: tensor<95x96xf32>, %pb: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.classifier' op pooler_w shape [95, 96] does not match hidden size 96}}
  %y = tailor.classifier %x, %w, %b, %pw, %pb : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>, tensor<95x96xf32>, tensor<96xf32>) -> tensor<?x10xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<10x96xf32>, %b: tensor<10xf32>, %pw: tensor<96x95xf32>, %pb: tensor<96xf32>) {
  // expected-error @+1 {{'tailor.classifier' op pooler_w shape [96, 95] does not match hidden size 96}}
  %y = tailor.classifier %x, %w, %b, %pw, %pb : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>, tensor<96x95xf32>, tensor<96xf32>) -> tensor<?x10xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<10x96xf32>, %b: tensor<10xf32>, %pw: tensor<96x96xf32>, %pb: tensor<1x96xf32>) {
  // expected-error @+1 {{'tailor.classifier' op pooler_b must have rank 1 [hidden], got 'tensor<1x96xf32>'}}
  %y = tailor.classifier %x, %w, %b, %pw, %pb : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>, tensor<96x96xf32>, tensor<1x96xf32>) -> tensor<?x10xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<10x96xf32>, %b: tensor<10xf32>, %pw: tensor<96x96xf32>, %pb: tensor<95xf32>) {
  // expected-error @+1 {{'tailor.classifier' op pooler_b shape [95] does not match hidden size 96}}
  %y = tailor.classifier %x, %w, %b, %pw, %pb : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>, tensor<96x96xf32>, tensor<95xf32>) -> tensor<?x10xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<10x96xf32>, %b: tensor<10xf32>) {
  // expected-error @+1 {{'tailor.classifier' op logits shape [?, 11] does not match the expected [?, 10]}}
  %y = tailor.classifier %x, %w, %b : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>) -> tensor<?x11xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<10x96xf32>, %b: tensor<10xf32>) {
  // expected-error @+1 {{'tailor.classifier' op logits shape [?, ?, 10] does not match the expected [?, 10]}}
  %y = tailor.classifier %x, %w, %b : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>) -> tensor<?x?x10xf32>
  return
}

// -----

func.func @f(%x: tensor<?x50x96xf32>, %w: tensor<10x96xf32>, %b: tensor<10xf32>) {
  // expected-error @+1 {{'tailor.classifier' op logits shape [?, 10] does not match the expected [?, 50, 10]}}
  %y = tailor.classifier %x, %w, %b {pooling = #tailor<pooling token>} : (tensor<?x50x96xf32>, tensor<10x96xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<10x96xf32>, %b: tensor<10xf32>) {
  // expected-error @+1 {{'tailor.classifier' op attribute 'pooling' failed to satisfy constraint: how a classifier reduces the sequence}}
  %y = tailor.classifier %x, %w, %b {pooling = #tailor<activation gelu>} : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<10x96xf32>, %b: tensor<10xf16>) {
  // expected-error @+1 {{'tailor.classifier' op float tensors must share one element type: operand #2 has 'f16' but operand #0 has 'f32'}}
  %y = tailor.classifier %x, %w, %b : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf16>) -> tensor<?x10xf32>
  return
}

// -----

func.func @f(%x: tensor<?x?x96xf32>, %w: tensor<10x96xf32>, %b: tensor<10xf32>, %pw: tensor<96x96xf32>) {
  // expected-error @+1 {{'tailor.classifier' op pooler_w and pooler_b come together: give both or neither}}
  %y = "tailor.classifier"(%x, %w, %b, %pw) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 0>, pooling = #tailor<pooling cls>}> : (tensor<?x?x96xf32>, tensor<10x96xf32>, tensor<10xf32>, tensor<96x96xf32>) -> tensor<?x10xf32>
  return
}
