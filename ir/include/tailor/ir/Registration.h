//===- Registration.h - What tailor tools register --------------*- C++ -*-===//
//
// The dialects and passes a tool working on Tailor IR (tailor-opt, tailorc)
// registers.
//
//===----------------------------------------------------------------------===//

#ifndef TAILOR_IR_REGISTRATION_H
#define TAILOR_IR_REGISTRATION_H

namespace mlir {
class DialectRegistry;

namespace tailor {

/// Adds the dialects Tailor IR is written in: tailor, func, arith, tensor and
/// scf, with the func inliner interface.
void registerDialects(DialectRegistry &registry);

/// Registers the passes tailor-opt runs: the upstream transforms
/// (canonicalize, cse, inline, symbol-dce, sccp, ...). Tailor's own passes
/// (passes/) are registered next to this call in tailor-opt.
void registerPasses();

} // namespace tailor
} // namespace mlir

#endif // TAILOR_IR_REGISTRATION_H
