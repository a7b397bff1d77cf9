//===- Artifact.h - Writing .tailor artifacts in tests ----------*- C++ -*-===//
//
// An artifact as data (manifest JSON and f32 weights) that a test may edit
// before writing it with tailor::safetensors::Writer, and PlanBuilder, which
// lays out the memory plan of a variant from its steps.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TESTING_ARTIFACT_H
#define TAILOR_TESTING_ARTIFACT_H

#include "tailor/testing/Array.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace tailor::testing {

struct Artifact {
  nlohmann::json manifest;
  /// Written as F32 tensors.
  std::map<std::string, Array> weights;
  /// Written as U8 tensors of their bytes (the vocabulary).
  std::map<std::string, std::string> byteTensors;

  /// Writes the safetensors file with the manifest under
  /// __metadata__["tailor.manifest"]; throws safetensors::FormatError.
  void write(const std::string &path) const;
};

/// Builds one variant's "buffers" and "steps". Buffers are placed in the
/// arena by their lifetimes (from the step that writes them, or the start
/// for model inputs, to their last reader, or the end for model outputs):
/// buffers whose lifetimes do not overlap share bytes.
class PlanBuilder {
public:
  /// Declares a buffer; `dims` leaves out the batch. Returns `name`.
  std::string buffer(const std::string &name, const std::string &dtype,
                     std::vector<std::int64_t> dims);
  /// Appends a step; `weights` and `attrs` are left out of the manifest when
  /// empty, and so is `guard` (the counts buffer the step is guarded by,
  /// read by the step as its inputs are).
  void step(const std::string &op, nlohmann::json inputs,
            nlohmann::json outputs, nlohmann::json weights = nlohmann::json(),
            nlohmann::json attrs = nlohmann::json(),
            const std::string &guard = "");

  struct Plan {
    nlohmann::json buffers;
    nlohmann::json steps;
    std::uint64_t arenaBytesPerSample = 0;
    /// The most bytes live at once (at any step): a lower bound of the arena.
    std::uint64_t peakLiveBytesPerSample = 0;
  };
  /// Places the buffers; `inputs` and `outputs` are the model's.
  Plan finish(const std::vector<std::string> &inputs,
              const std::vector<std::string> &outputs) const;

private:
  struct Declared {
    std::string name;
    std::string dtype;
    std::vector<std::int64_t> dims;
    std::uint64_t bytes;
  };
  std::vector<Declared> declared;
  nlohmann::json steps = nlohmann::json::array();
};

} // namespace tailor::testing

#endif // TAILOR_TESTING_ARTIFACT_H
