//===- main.cpp - tailorc, the Tailor compiler driver ---------------------===//
//
// Every failure (a bad checkpoint, an unwritable output, an unknown option)
// is one line on standard error starting "tailorc: error:" and exit status
// 1; usage errors print the usage too.
//
//===----------------------------------------------------------------------===//

#include "commands.h"

#include <iostream>

int main(int argc, char **argv) {
  CLI::App app{"tailorc: compiles adaptive transformer checkpoints into "
               "Tailor artifacts",
               "tailorc"};
  app.set_version_flag("--version", "tailorc " TAILOR_VERSION);
  app.require_subcommand(1);
  tailor::tailorc::addImportCommand(app);
  tailor::tailorc::addCompileCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &error) {
    return app.exit(error);
  } catch (const std::exception &error) {
    std::cerr << "tailorc: error: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
