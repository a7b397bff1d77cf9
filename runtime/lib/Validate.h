//===- Validate.h - Checks of a parsed plan ---------------------*- C++ -*-===//
//
// The checks that need a whole step or a whole variant: the shapes and dtypes
// an op requires of its buffers and weights, and that the memory plan keeps
// every buffer intact from its write to its last read.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_RUNTIME_VALIDATE_H
#define TAILOR_RUNTIME_VALIDATE_H

#include "Json.h"
#include "Manifest.h"

namespace tailor::detail {

/// Throws ArtifactError at `where` (the step) when a buffer or weight does
/// not have the dtype and shape the op requires.
void checkStepShapes(const Step &step, const std::vector<Buffer> &buffers,
                     const JsonNode &where);

/// Throws ArtifactError at `where` (the variant) when a step reads a buffer
/// that no step wrote, or whose bytes were overwritten since (buffers that
/// share arena bytes while both are live), when a step writes a buffer it
/// reads or overlaps, or when a model output is not intact at the end.
/// Also when a step reads a buffer a step under another guard wrote, or
/// when a guard or a counts input is not the counts of an acm_compact.
void checkDataflow(const Variant &variant, const JsonNode &where);

} // namespace tailor::detail

#endif // TAILOR_RUNTIME_VALIDATE_H
