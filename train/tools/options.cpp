//===- options.cpp - tailor-train's command line --------------------------===//

#include "options.h"

namespace tailor::train {

void addOptions(CLI::App &app, ToolOptions &options) {
  app.add_option("--task", options.task,
                 "fashion-mnist | fashion-mnist-patches (Drop-and-Restore, one "
                 "label per patch) | wordnet-pos | wordnet-lex")
      ->capture_default_str();
  app.add_option("-o,--out", options.out,
                 "output directory: model.safetensors, model.json, pareto.csv, "
                 "search.csv, pareto.png, results.json, and state/ (resumable)")
      ->capture_default_str();
  app.add_option("--device", options.device, "cpu or cuda[:N]")
      ->capture_default_str();
  app.add_option("--threads", options.threads,
                 "CPU threads (0: LibTorch's default)")
      ->capture_default_str();
  app.add_flag("--fresh", options.fresh,
               "discard the saved training state in OUT/state and start over");
  app.add_option("--seed", options.train.seed,
                 "seeds the initialisation, the batch order, LengthDrop and "
                 "the search")
      ->capture_default_str();

  auto *model = "Model";
  app.add_option("--layers", options.model.layers)
      ->group(model)
      ->capture_default_str();
  app.add_option("--hidden", options.model.hidden)
      ->group(model)
      ->capture_default_str();
  app.add_option("--heads", options.model.heads)
      ->group(model)
      ->capture_default_str();
  app.add_option("--intermediate", options.model.intermediate, "MLP width")
      ->group(model)
      ->capture_default_str();
  app.add_option("--norm", options.model.norm, "pre or post")
      ->group(model)
      ->capture_default_str();
  app.add_option("--activation", options.model.activation,
                 "gelu, gelu_tanh or relu")
      ->group(model)
      ->capture_default_str();
  app.add_option("--patch-size", options.data.patchSize,
                 "ViT patch side in pixels (7: 16 patches + CLS; 4: 49 + CLS)")
      ->group(model)
      ->capture_default_str();
  app.add_option("--max-length", options.data.maxLength,
                 "text: tokens per gloss, CLS included")
      ->group(model)
      ->capture_default_str();

  auto *training = "Training";
  app.add_option("--epochs", options.train.epochs)
      ->group(training)
      ->capture_default_str();
  app.add_option("--batch-size", options.train.batchSize)
      ->group(training)
      ->capture_default_str();
  app.add_option("--lr", options.train.learningRate,
                 "peak AdamW learning rate (linear warm-up, cosine decay)")
      ->group(training)
      ->capture_default_str();
  app.add_option("--weight-decay", options.train.weightDecay)
      ->group(training)
      ->capture_default_str();
  app.add_option("--length-drop", options.train.lengthDrop,
                 "LengthDrop p: each layer keeps a fraction in [1-p, 1] of "
                 "the previous layer's tokens; 0 trains the full model only")
      ->group(training)
      ->capture_default_str();
  app.add_option("--layer-drop", options.train.layerDrop,
                 "probability that a sub-model skips a layer")
      ->group(training)
      ->capture_default_str();
  app.add_option("--sandwich", options.train.sandwichRandom,
                 "random sub-models per step besides the full and the "
                 "smallest")
      ->group(training)
      ->capture_default_str();
  app.add_option("--checkpoint-every", options.train.checkpointEvery,
                 "steps between resumable checkpoints (each epoch ends with "
                 "one too)")
      ->group(training)
      ->capture_default_str();
  app.add_option("--stop-after", options.train.stopAfter,
                 "stop after N steps and save the state; run again to resume "
                 "(0: train to the end)")
      ->group(training)
      ->capture_default_str();
  app.add_option("--ssa-keep", options.ssaKeep,
                 "SSA: train attention on this fraction of the key blocks "
                 "(1/2 to 1/8), drawn per step and layer with a locality "
                 "bias, plus the CLS block (0: dense attention)")
      ->group(training)
      ->capture_default_str();
  app.add_option("--ssa-block", options.ssaBlock, "SSA: tokens per block")
      ->group(training)
      ->capture_default_str();
  app.add_option("--ssa-locality", options.ssaLocality,
                 "SSA: key block j is drawn for query block i with weight "
                 "exp(-locality |i - j|)")
      ->group(training)
      ->capture_default_str();
  app.add_option("--ssa-dense-finetune", options.train.ssaDenseFinetune,
                 "SSA: fraction of the steps, at the end, trained dense")
      ->group(training)
      ->capture_default_str();
  app.add_option("--ssa-inference", options.ssaInference,
                 "SSA: how model.json runs the model: dense, sparse (one "
                 "pattern) or ensemble (--ssa-ensemble patterns, logits "
                 "averaged); the test accuracy of all three is reported")
      ->group(training)
      ->capture_default_str();
  app.add_option("--ssa-ensemble", options.ssaEnsemble,
                 "SSA: patterns of the ensemble (2 to 8)")
      ->group(training)
      ->capture_default_str();
  app.add_option("--train-examples", options.trainExamples,
                 "train on the first N examples only (0: all)")
      ->group(training)
      ->capture_default_str();

  auto *data = "Data";
  app.add_option("--fashion-mnist-dir", options.data.fashionMnistDir)
      ->group(data)
      ->capture_default_str();
  app.add_option("--wordnet-dir", options.data.wordnetDir)
      ->group(data)
      ->capture_default_str();
  app.add_option("--foreground-threshold", options.data.foregroundThreshold,
                 "fashion-mnist-patches: a patch is foreground above this "
                 "mean intensity")
      ->group(data)
      ->capture_default_str();

  auto *search = "Search";
  app.add_option("--budgets", options.search.budgets,
                 "fractions of the full FLOPs to choose a configuration for")
      ->delimiter(',')
      ->group(search)
      ->capture_default_str();
  app.add_flag("--no-search", options.noSearch, "train and export only")
      ->group(search);
  app.add_option("--population", options.search.population,
                 "random configurations to start from")
      ->group(search)
      ->capture_default_str();
  app.add_option("--generations", options.search.generations)
      ->group(search)
      ->capture_default_str();
  app.add_option("--mutations", options.search.mutations,
                 "children by mutation per generation")
      ->group(search)
      ->capture_default_str();
  app.add_option("--crossovers", options.search.crossovers,
                 "children by crossover per generation")
      ->group(search)
      ->capture_default_str();
  app.add_option("--search-examples", options.searchExamples,
                 "validation examples the fitness is measured on (0: all)")
      ->group(search)
      ->capture_default_str();
  app.add_option("--search-length-drop", options.searchLengthDrop,
                 "LengthDrop range of the search (default: --length-drop, or "
                 "0.3 without it)")
      ->group(search);
  app.add_option("--eval-lengths", options.evalLengths,
                 "also report test accuracy for these length configurations "
                 "(\"40,27,18,12\"; repeatable)")
      ->group(search);
}

} // namespace tailor::train
