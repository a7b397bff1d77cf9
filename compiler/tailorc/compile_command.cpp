//===- compile_command.cpp - tailorc compile ------------------------------===//
//
// Imports the checkpoint once, then for each requested budget folds the
// searched configuration that fits it (the largest budget not above it) and
// lowers it to a memory-planned sequence of kernel steps; the artifact
// writer turns the variants into one .tailor file.
//
//===----------------------------------------------------------------------===//

#include "commands.h"
#include "cuda_kernels.h"

#include "tailor/codegen/artifact/ArtifactWriter.h"
#include "tailor/importer/importer.h"
#include "tailor/ir/TailorOps.h"
#include "tailor/passes/Pipeline.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

namespace tailor::tailorc {

namespace {

struct CompileOptions {
  std::string directory;
  std::vector<double> budgets = {1.0};
  std::string output;
  /// "BUDGET:L0,L1,...": the layers the variant of that budget skips.
  std::vector<std::string> skipLayers;
  bool printIrAfterAll = false;
  /// "cuda:<arch>": archs whose cubins the artifact carries.
  std::vector<std::string> targets;
  std::string precision = "fp32";
};

/// The plan's activation type at a --precision: 16-bit precisions keep
/// activations at 16 bits (narrow-activations).
std::string activationType(const std::string &precision) {
  if (precision == "bf16")
    return "bf16";
  if (precision == "fp16")
    return "f16";
  return "f32";
}

std::string formatBudget(double budget) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", budget);
  return text;
}

/// The searched configuration for `requested`: the largest budget of the
/// imported module's tailor.length_configs not above it.
double configurationBudget(mlir::ModuleOp module, double requested) {
  auto configs =
      module->getAttrOfType<mlir::ArrayAttr>("tailor.length_configs");
  std::optional<double> best;
  std::string available;
  for (auto config : configs.getAsRange<mlir::tailor::LengthConfigAttr>()) {
    double budget = config.getBudget().convertToDouble();
    available += (available.empty() ? "" : ", ") + formatBudget(budget);
    if (budget <= requested && (!best || budget > *best))
      best = budget;
  }
  if (!best)
    throw std::invalid_argument(
        "no searched length configuration fits budget " +
        formatBudget(requested) + " (the checkpoint has budgets " + available +
        ")");
  return *best;
}

/// The skipped layers of each budget's variant, from "BUDGET:L0,L1,...".
std::map<std::string, std::vector<std::int64_t>>
parseSkippedLayers(const CompileOptions &options) {
  std::map<std::string, std::vector<std::int64_t>> skipped;
  for (const std::string &text : options.skipLayers) {
    std::size_t colon = text.find(':');
    std::vector<std::int64_t> layers;
    std::stringstream list(colon == std::string::npos ? std::string()
                                                      : text.substr(colon + 1));
    for (std::string layer; std::getline(list, layer, ',');) {
      std::size_t end = 0;
      long long index = -1;
      try {
        index = std::stoll(layer, &end);
      } catch (const std::exception &) {
      }
      if (index < 0 || end != layer.size())
        throw std::invalid_argument("--skip-layers '" + text + "': '" + layer +
                                    "' is not a layer index");
      layers.push_back(index);
    }
    double budget = 0;
    try {
      budget = std::stod(text.substr(0, colon));
    } catch (const std::exception &) {
    }
    std::string name = "b" + formatBudget(budget);
    bool requested = std::any_of(
        options.budgets.begin(), options.budgets.end(),
        [&](double other) { return "b" + formatBudget(other) == name; });
    if (colon == std::string::npos || layers.empty() || !requested)
      throw std::invalid_argument(
          "--skip-layers '" + text +
          "': expected BUDGET:L0,L1,... with BUDGET one of --budgets");
    skipped[name] = layers;
  }
  return skipped;
}

void runCompile(const CompileOptions &options) {
  for (double budget : options.budgets)
    if (!(budget > 0 && budget <= 1))
      throw std::invalid_argument("budget " + formatBudget(budget) +
                                  " is not in (0, 1]");
  std::map<std::string, std::vector<std::int64_t>> skipped =
      parseSkippedLayers(options);
  const std::vector<std::string> archs = parseCudaTargets(options.targets);
  checkpoint::Checkpoint checkpoint =
      checkpoint::Checkpoint::load(options.directory);
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> imported =
      importer::importCheckpoint(context, checkpoint);

  std::vector<mlir::OwningOpRef<mlir::ModuleOp>> lowered;
  std::vector<artifact::LoweredVariant> variants;
  for (double budget : options.budgets) {
    std::string name = "b" + formatBudget(budget);
    if (std::any_of(variants.begin(), variants.end(),
                    [&](const auto &variant) { return variant.name == name; }))
      throw std::invalid_argument("budget " + formatBudget(budget) +
                                  " is given twice");
    double chosen = configurationBudget(*imported, budget);
    lowered.push_back(mlir::OwningOpRef<mlir::ModuleOp>(imported->clone()));
    mlir::PassManager pm(&context);
    mlir::tailor::buildVariantPipeline(
        pm, {chosen, skipped[name], activationType(options.precision)});
    if (options.printIrAfterAll) {
      context.disableMultithreading();
      pm.enableIRPrinting(
          /*shouldPrintBeforePass=*/[](mlir::Pass *,
                                       mlir::Operation *) { return false; },
          /*shouldPrintAfterPass=*/
          [](mlir::Pass *, mlir::Operation *) { return true; },
          /*printModuleScope=*/true, /*printAfterOnlyOnChange=*/false);
    }
    std::string diagnostics;
    {
      llvm::raw_string_ostream os(diagnostics);
      mlir::ScopedDiagnosticHandler handler(&context,
                                            [&](mlir::Diagnostic &diagnostic) {
                                              os << diagnostic << "\n";
                                              return mlir::success();
                                            });
      if (mlir::failed(pm.run(*lowered.back())))
        throw std::runtime_error("variant " + name +
                                 " (configuration of "
                                 "budget " +
                                 formatBudget(chosen) +
                                 ") failed to compile: " +
                                 llvm::StringRef(diagnostics).rtrim().str());
    }
    variants.push_back({name, budget, *lowered.back()});
  }
  artifact::ArtifactOptions artifactOptions{options.precision, {}};
  if (!archs.empty()) {
    // The runtime lists a variant's kernels from a loaded artifact: one
    // without kernels first.
    const std::string plan = options.output + ".plan";
    artifact::writeArtifact(plan, checkpoint, variants, artifactOptions);
    try {
      artifactOptions.kernels =
          compileCudaKernels(plan, options.precision, archs);
    } catch (...) {
      std::remove(plan.c_str());
      throw;
    }
    std::remove(plan.c_str());
    const auto sources = std::count_if(
        artifactOptions.kernels.begin(), artifactOptions.kernels.end(),
        [](const artifact::KernelTensor &tensor) {
          return tensor.name.size() > 3 &&
                 tensor.name.compare(tensor.name.size() - 3, 3, ".cu") == 0;
        });
    std::cout << sources << " CUDA kernels at " << options.precision
              << ", each as source and a cubin for each of " << archs.size()
              << " arch" << (archs.size() > 1 ? "s" : "")
              << " that launches it\n";
  }
  artifact::writeArtifact(options.output, checkpoint, variants,
                          artifactOptions);
  nlohmann::json manifest =
      artifact::buildManifest(checkpoint, variants, artifactOptions);
  for (const nlohmann::json &variant : manifest["variants"])
    std::cout << variant["name"].get<std::string>() << ": lengths "
              << variant["lengths"].dump() << ", "
              << variant["flops"].get<std::int64_t>() << " FLOPs, "
              << variant["arena_bytes_per_sample"].get<std::int64_t>()
              << " activation bytes per sample\n";
  if (checkpoint.vocabulary())
    std::cout << "vocabulary: " << checkpoint.vocabulary()->size()
              << " words (vocab.txt), so the artifact runs text\n";
  std::cout << "wrote " << options.output << "\n";
}

} // namespace

void addCompileCommand(CLI::App &app) {
  auto options = std::make_shared<CompileOptions>();
  CLI::App *command = app.add_subcommand(
      "compile", "Compile a checkpoint into a .tailor artifact, one variant "
                 "per budget");
  command->footer(
      "Each budget gets the searched length configuration of the largest "
      "budget not above it, folded into static shapes, lowered to kernel "
      "steps and memory-planned (docs/dialect.md, Passes). Weights are "
      "stored once and shared by the variants (docs/artifact-format.md).");
  command->add_option("DIR", options->directory, "Checkpoint directory")
      ->required()
      ->check(CLI::ExistingDirectory);
  command
      ->add_option("--budgets", options->budgets,
                   "Compute budgets, fractions of the full model's FLOPs")
      ->delimiter(',')
      ->capture_default_str();
  command->add_option("-o,--output", options->output, "The .tailor file")
      ->required();
  command->add_option("--skip-layers", options->skipLayers,
                      "BUDGET:L0,L1,...: layers the variant of that budget "
                      "skips (repeatable)");
  command
      ->add_option("--target", options->targets,
                   "cuda:<arch>,...: compile every kernel of every variant "
                   "for these GPU archs (e.g. cuda:sm_80,cuda:sm_90a) and "
                   "store each cubin with the kernel's CUDA source")
      ->delimiter(',');
  command
      ->add_option("--precision", options->precision,
                   "How the CUDA backend multiplies by default, recorded in "
                   "the manifest; --target compiles the kernels for it. bf16 "
                   "and fp16 also keep activations and weight matrices in "
                   "that type: half the arena and half the file")
      ->check(CLI::IsMember({"fp32", "tf32", "bf16", "fp16"}))
      ->capture_default_str();
  command->add_flag("--print-ir-after-all", options->printIrAfterAll,
                    "Print the module after every pass (standard error)");
  command->callback([options] { runCompile(*options); });
}

} // namespace tailor::tailorc
