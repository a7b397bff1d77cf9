// Every verifier rule of the tailor attributes; they are checked when parsed.
// RUN: tailor-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{budget must be in (0, 1], got 0.0}}
func.func private @f() attributes {c = #tailor.length_config<budget = 0.0, lengths = [4]>}

// -----

// expected-error @+1 {{budget must be in (0, 1], got 1.5}}
func.func private @f() attributes {c = #tailor.length_config<budget = 1.5, lengths = [4]>}

// -----

// expected-error @+1 {{lengths must have one entry per layer, got none}}
func.func private @f() attributes {c = #tailor.length_config<budget = 0.5, lengths = []>}

// -----

// expected-error @+1 {{lengths[1] must be positive, got 0}}
func.func private @f() attributes {c = #tailor.length_config<budget = 0.5, lengths = [4, 0]>}

// -----

// expected-error @+1 {{lengths must not increase: lengths[2] = 41 > lengths[1] = 40}}
func.func private @f() attributes {c = #tailor.length_config<budget = 0.5, lengths = [50, 40, 41, 30]>}

// -----

// expected-error @+1 {{flops must be positive, got 0}}
func.func private @f() attributes {c = #tailor.length_config<budget = 0.5, lengths = [4], flops = 0>}

// -----

// expected-error @+1 {{accuracy must be in [0, 1], got 1.5}}
func.func private @f() attributes {c = #tailor.length_config<budget = 0.5, lengths = [4], accuracy = 1.5>}

// -----

// expected-error @+1 {{struct is missing required parameter: budget}}
func.func private @f() attributes {c = #tailor.length_config<lengths = [4]>}

// -----

// expected-error @+1 {{duplicate or unknown struct parameter name: layers}}
func.func private @f() attributes {c = #tailor.length_config<budget = 0.5, layers = [4]>}

// -----

// A budget is a float: 1 alone is an integer.
// expected-error @+3 {{unexpected decimal integer literal for a floating point value}}
// expected-note @+2 {{add a trailing dot to make the literal a float}}
// expected-error @+1 {{failed to parse Tailor_LengthConfigAttr parameter 'budget'}}
func.func private @f() attributes {c = #tailor.length_config<budget = 1, lengths = [4]>}

// -----

// expected-error @+1 {{heads must be positive, got 0}}
func.func private @f() attributes {m = #tailor.head_mask<heads = 0, kept = [0]>}

// -----

// expected-error @+1 {{kept must name at least one head}}
func.func private @f() attributes {m = #tailor.head_mask<heads = 6, kept = []>}

// -----

// expected-error @+1 {{kept head 6 is out of range [0, 6)}}
func.func private @f() attributes {m = #tailor.head_mask<heads = 6, kept = [0, 6]>}

// -----

// expected-error @+1 {{kept head -1 is out of range [0, 6)}}
func.func private @f() attributes {m = #tailor.head_mask<heads = 6, kept = [-1]>}

// -----

// expected-error @+1 {{kept must be sorted and unique: 1 follows 2}}
func.func private @f() attributes {m = #tailor.head_mask<heads = 6, kept = [2, 1]>}

// -----

// expected-error @+1 {{kept must be sorted and unique: 1 follows 1}}
func.func private @f() attributes {m = #tailor.head_mask<heads = 6, kept = [1, 1]>}

// -----

// expected-error @+1 {{block, rows and cols must be positive, got block = 0, rows = 2, cols = 2}}
func.func private @f() attributes {s = #tailor.block_sparse<block = 0, rows = 2, cols = 2, mask = [1, 1, 1, 1]>}

// -----

// expected-error @+1 {{block, rows and cols must be positive, got block = 16, rows = 2, cols = -2}}
func.func private @f() attributes {s = #tailor.block_sparse<block = 16, rows = 2, cols = -2, mask = [1, 1, 1, 1]>}

// -----

// expected-error @+1 {{mask must have rows * cols = 4 entries, got 3}}
func.func private @f() attributes {s = #tailor.block_sparse<block = 16, rows = 2, cols = 2, mask = [1, 1, 1]>}

// -----

// expected-error @+1 {{mask row 1 keeps no block: every query block needs a key block}}
func.func private @f() attributes {s = #tailor.block_sparse<block = 16, rows = 2, cols = 2, mask = [1, 1, 0, 0]>}

// -----

// expected-error @+2 {{expected a bit (0 or 1), got 2}}
// expected-error @+1 {{failed to parse Tailor_BlockSparseAttr parameter 'mask'}}
func.func private @f() attributes {s = #tailor.block_sparse<block = 16, rows = 2, cols = 2, mask = [1, 2, 1, 1]>}

// -----

// expected-error @+1 {{sources must have one entry per layer, got none}}
func.func private @f() attributes {t = #tailor.tying<sources = []>}

// -----

// expected-error @+1 {{sources[0] = 1 must be in [0, 0]: a layer ties to itself or an earlier layer}}
func.func private @f() attributes {t = #tailor.tying<sources = [1, 1]>}

// -----

// expected-error @+1 {{sources[1] = -1 must be in [0, 1]: a layer ties to itself or an earlier layer}}
func.func private @f() attributes {t = #tailor.tying<sources = [0, -1]>}

// -----

// expected-error @+1 {{sources[2] = 1 names a layer that is itself tied (sources[1] = 0): tie to the layer that owns the weights}}
func.func private @f() attributes {t = #tailor.tying<sources = [0, 0, 1]>}

// -----

// expected-error @+2 {{expected one of [none, relu, gelu, gelu_tanh, tanh] for activation applied to the output of a dense layer, got: swish}}
// expected-error @+1 {{failed to parse Tailor_ActivationAttr parameter 'value'}}
func.func private @f() attributes {a = #tailor<activation swish>}

// -----

// expected-error @+2 {{expected one of [cls, mean, token] for how a classifier reduces the sequence, got: max}}
// expected-error @+1 {{failed to parse Tailor_PoolingAttr parameter 'value'}}
func.func private @f() attributes {p = #tailor<pooling max>}

// -----

// expected-error @+1 {{rows * cols overflows 64 bits}}
func.func private @f() attributes {s = #tailor.block_sparse<block = 16, rows = 4294967296, cols = 4294967296, mask = [1]>}
