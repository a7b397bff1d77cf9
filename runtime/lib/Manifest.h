//===- Manifest.h - The validated execution plans of an artifact -*- C++
//-*-===//
//
// What the loader makes of an artifact's manifest once every field, buffer,
// weight and shape has been checked: the backends execute these structures
// without checking them again.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_RUNTIME_MANIFEST_H
#define TAILOR_RUNTIME_MANIFEST_H

#include "Ops.h"
#include "tailor/runtime.h"
#include "tailor/text/text.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tailor::safetensors {
class File;
} // namespace tailor::safetensors

namespace tailor::detail {

/// An activation buffer as the plan places it: a run with batch B places
/// it at B * offsetPerSample in the arena (but see Placement).
struct Buffer {
  std::string name;
  /// F32 for every float buffer, halfFloat or not.
  DType dtype = DType::F32;
  /// A float buffer the compiler planned at 16 bits ("bf16" or "f16" in the
  /// manifest): bytesPerSample counts 2 bytes per element.
  bool halfFloat = false;
  /// The shape without the leading batch dimension.
  std::vector<std::int64_t> dims;
  std::int64_t elementsPerSample = 0;
  std::uint64_t offsetPerSample = 0;
  std::uint64_t bytesPerSample = 0;
};

/// A weight as f32: used in place from the mapping when the file stores it
/// as F32, else converted once into `converted` (BF16 and F16 weights of a
/// 16-bit artifact).
struct Weight {
  std::string name;
  std::vector<std::int64_t> shape;
  const float *data = nullptr;
  std::vector<float> converted;
};

/// A block-sparse attention pattern: blocks of `blockSize` queries and keys;
/// keyBlocks[i] lists, ascending, the key blocks query block i attends to.
struct BlockTable {
  std::int64_t blockSize = 0;
  std::vector<std::vector<std::int64_t>> keyBlocks;
};

/// One step of a plan. Roles are indexed as in the op's schema (Ops.h);
/// an absent optional role is -1 (buffers) or nullptr (weights).
struct Step {
  Op op = Op::Add;
  std::vector<int> inputs;
  std::vector<int> outputs;
  std::vector<const Weight *> weights;
  std::int64_t patchSize = 0;
  float epsilon = 0;
  Activation activation = Activation::None;
  std::int64_t heads = 0;
  /// Block-sparse attention (attrs.block_sparse); blockSize 0 when dense.
  BlockTable blockSparse;
  bool keepFirst = true;
  Pooling pooling = Pooling::Cls;
  /// acm_compact: the learner whose tokens it compacts (attrs.learner).
  std::int64_t learner = 0;
  /// The i32 [B] counts buffer whose batch total must be > 0 for the step
  /// to run (the step's "guard"); -1 when it always runs.
  int guard = -1;
};

/// An acm_route step and the acm_compact steps that count the tokens of its
/// learners, for RunStats::learnerTokens.
struct AcmRoute {
  std::int64_t tokensPerSample = 0;
  /// One entry per learner (the logits' last dimension). Entry j >= 1: the
  /// first acm_compact step with learner j that reads this route's learners
  /// before they are written again, or -1 when there is none (no token runs
  /// learner j). Entry 0 is -1: learner 0 runs on every token.
  std::vector<int> compactSteps;
};

struct Variant {
  VariantInfo info;
  std::vector<Buffer> buffers;
  std::vector<Step> steps;
  /// The buffer of each model input and output, in the manifest's order.
  std::vector<int> inputBuffers;
  std::vector<int> outputBuffers;
  /// The acm_route steps, in plan order.
  std::vector<AcmRoute> acmRoutes;
  /// Whether any buffer is planned at 16 bits (Buffer::halfFloat).
  bool halfFloats = false;
};

struct Manifest {
  ModelInfo info;
  /// model.vocabulary: the words text is encoded with (encoders only).
  std::optional<text::Vocabulary> vocabulary;
  std::vector<TensorInfo> inputs;
  std::vector<TensorInfo> outputs;
  std::vector<Variant> variants;
  /// The weights the steps name, by name (a map: Step::weights point into
  /// it and its nodes never move).
  std::map<std::string, Weight, std::less<>> weights;
};

/// Where a backend keeps a variant's buffers. A backend that computes in 16
/// bits keeps the buffers planned at 16 bits so; one that computes in f32
/// (the CPU, fp32 and tf32 sessions) widens them to f32, and every offset of
/// the plan doubles: buffers that share no bytes in the plan share none
/// widened, and every offset stays aligned.
class Placement {
public:
  Placement(const Variant &variant, bool keepsHalfFloats)
      : keeps(keepsHalfFloats),
        scale(!keepsHalfFloats && variant.halfFloats ? 2 : 1),
        arenaPerSample(scale * variant.info.arenaBytesPerSample) {}

  std::uint64_t offset(const Buffer &buffer) const {
    return scale * buffer.offsetPerSample;
  }
  std::uint64_t bytes(const Buffer &buffer) const {
    return buffer.halfFloat && !keeps ? 2 * buffer.bytesPerSample
                                      : buffer.bytesPerSample;
  }
  /// Whether `buffer` holds 16-bit floats in this backend.
  bool halfFloat(const Buffer &buffer) const {
    return buffer.halfFloat && keeps;
  }
  std::uint64_t arenaBytesPerSample() const { return arenaPerSample; }

private:
  bool keeps;
  std::uint64_t scale;
  std::uint64_t arenaPerSample;
};

/// The dtype the manifest calls `name` ("f32", "i32", "u8").
std::optional<DType> parseDType(std::string_view name);

/// Parses and validates the manifest of `file`, whose weights it points
/// into. Throws ArtifactError (Json.h) naming what was wrong and where.
Manifest parseManifest(const safetensors::File &file);

} // namespace tailor::detail

#endif // TAILOR_RUNTIME_MANIFEST_H
