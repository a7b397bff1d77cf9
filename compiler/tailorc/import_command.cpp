//===- import_command.cpp - tailorc import --------------------------------===//

#include "commands.h"

#include "tailor/importer/importer.h"

#include "mlir/IR/MLIRContext.h"

#include <memory>

namespace tailor::tailorc {

namespace {

struct ImportOptions {
  std::string directory;
  std::string output = "-";
  bool locations = false;
};

void runImport(const ImportOptions &options) {
  checkpoint::Checkpoint checkpoint =
      checkpoint::Checkpoint::load(options.directory);
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      importer::importCheckpoint(context, checkpoint);
  writeModule(*module, options.output, options.locations);
}

} // namespace

void addImportCommand(CLI::App &app) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App *command = app.add_subcommand(
      "import", "Import a checkpoint directory into the tailor dialect");
  command->footer(
      "DIR holds model.json (Tailor) or config.json (Hugging Face "
      "BertForSequenceClassification or ViTForImageClassification) and "
      "model.safetensors. The output is the imported form of "
      "docs/dialect.md: weights as tailor.global symbols, token selection "
      "driven by the length configuration argument of @forward.");
  command->add_option("DIR", options->directory, "Checkpoint directory")
      ->required()
      ->check(CLI::ExistingDirectory);
  command
      ->add_option("-o,--output", options->output,
                   "Where to write the IR ('-' for standard output)")
      ->capture_default_str();
  command->add_flag("--locations", options->locations,
                    "Print each op's location (the checkpoint part it "
                    "comes from)");
  command->callback([options] { runImport(*options); });
}

} // namespace tailor::tailorc
