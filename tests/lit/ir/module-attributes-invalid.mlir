// Every rule of the module-level tailor.* attributes (the dialect's
// verifyOperationAttribute).
// RUN: tailor-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{unknown attribute 'tailor.budget': the tailor dialect defines 'tailor.model', 'tailor.length_configs', 'tailor.tying' and 'tailor.variant'}}
module attributes {tailor.budget = 0.5} {}

// -----

module {
  // expected-error @+1 {{'tailor.tying' belongs on the module, not on 'func.func'}}
  func.func private @f() attributes {tailor.tying = #tailor.tying<sources = [0]>}
}

// -----

// expected-error @+1 {{'tailor.model' must be a dictionary, got "vit"}}
module attributes {tailor.model = "vit"} {}

// -----

// expected-error @+1 {{'tailor.model' needs a string 'kind' ("encoder" or "vit")}}
module attributes {tailor.model = {layers = 4}} {}

// -----

// expected-error @+1 {{'tailor.model' kind must be "encoder" or "vit", got "gpt"}}
module attributes {tailor.model = {kind = "gpt"}} {}

// -----

// expected-error @+1 {{'tailor.model' layers must be a positive integer, got 0 : i64}}
module attributes {tailor.model = {kind = "vit", layers = 0}} {}

// -----

// expected-error @+1 {{'tailor.length_configs' must be an array of #tailor.length_config, got #tailor.length_config<budget = 0.5, lengths = [4]>}}
module attributes {tailor.length_configs = #tailor.length_config<budget = 0.5, lengths = [4]>} {}

// -----

// expected-error @+1 {{'tailor.length_configs' element #1 is not a #tailor.length_config: 4 : i64}}
module attributes {tailor.length_configs = [#tailor.length_config<budget = 0.5, lengths = [4]>, 4]} {}

// -----

// expected-error @+1 {{'tailor.length_configs' element #0 has 3 lengths but the model has 4 layers}}
module attributes {
  tailor.model = {kind = "encoder", layers = 4},
  tailor.length_configs = [#tailor.length_config<budget = 0.5, lengths = [4, 3, 2]>]
} {}

// -----

// expected-error @+1 {{'tailor.length_configs' element #1 has 3 lengths but element #0 has 4}}
module attributes {
  tailor.length_configs = [
    #tailor.length_config<budget = 1.0, lengths = [4, 4, 4, 4]>,
    #tailor.length_config<budget = 0.5, lengths = [4, 3, 2]>
  ]
} {}

// -----

// expected-error @+1 {{'tailor.length_configs' element #2 repeats the budget of element #0: each budget selects one configuration}}
module attributes {
  tailor.length_configs = [
    #tailor.length_config<budget = 0.5, lengths = [4, 4]>,
    #tailor.length_config<budget = 0.25, lengths = [4, 2]>,
    #tailor.length_config<budget = 0.5, lengths = [4, 1]>
  ]
} {}

// -----

// expected-error @+1 {{'tailor.tying' must be a #tailor.tying, got [0, 1]}}
module attributes {tailor.tying = [0, 1]} {}

// -----

// expected-error @+1 {{'tailor.tying' has 3 sources but the model has 4 layers}}
module attributes {
  tailor.model = {kind = "vit", layers = 4},
  tailor.tying = #tailor.tying<sources = [0, 0, 0]>
} {}
