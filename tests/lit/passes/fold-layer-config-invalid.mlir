// fold-layer-config's failure modes.
// RUN: not tailor-opt %S/fold-length-config.mlir -fold-layer-config=skip=2 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not tailor-opt %S/fold-length-config.mlir -fold-layer-config=skip=1,1 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: not tailor-opt %S/fold-length-config.mlir -fold-length-config=budget=0.5 -fold-layer-config=skip=1 2>&1 | FileCheck %s --check-prefix=ORDER

// MISSING: error: fold-layer-config: @forward has no layer 2 of the importer's form (layers.2.attention.output and layers.2.mlp.up, each followed by a residual add)
// TWICE: error: fold-layer-config: a layer is skipped twice
// ORDER: error: fold-layer-config: runs before fold-length-config, which has run
