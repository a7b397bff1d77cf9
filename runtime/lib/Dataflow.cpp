//===- Dataflow.cpp - A plan's buffers stay intact while they are live ----===//
//
// Walks the steps in order, tracking which buffers hold the value their last
// writer put there. Writing a buffer invalidates every other buffer sharing
// arena bytes with it; reading an invalid buffer means the memory plan (or
// the step order) is wrong and the run would compute garbage. Offsets scale
// with the batch, so bytes that overlap for one sample overlap for any batch.
//
// A guarded step may not run, so what it writes is readable only by steps
// under the same guard (which run exactly when it does); its writes still
// overwrite the bytes they share, as if it ran. scatter_add reads the buffer
// it accumulates into, which stays intact.
//
//===----------------------------------------------------------------------===//

#include "Validate.h"

#include <cstdint>

namespace tailor::detail {
namespace {

bool overlap(const Buffer &a, const Buffer &b) {
  return a.offsetPerSample < b.offsetPerSample + b.bytesPerSample &&
         b.offsetPerSample < a.offsetPerSample + a.bytesPerSample;
}

std::string stepName(const Variant &variant, std::size_t index) {
  return "steps[" + std::to_string(index) + "] (" +
         std::string(schemaOf(variant.steps[index].op).name) + ")";
}

class BufferStates {
public:
  explicit BufferStates(const Variant &variant)
      : variant(variant), writer(variant.buffers.size(), notWritten),
        guardOf(variant.buffers.size(), -1),
        clobberer(variant.buffers.size(), -1),
        clobberStep(variant.buffers.size(), -1) {}

  /// `step` is -1 for the copy of the model inputs into the arena. A write
  /// under a guard leaves the buffer readable only under that guard.
  void write(int buffer, int step, int guard) {
    clobberOthers(buffer, step);
    writer[buffer] = step;
    guardOf[buffer] = guard;
  }

  /// An accumulating write (scatter_add): the buffer keeps its value's
  /// writer and guard, the others sharing its bytes are overwritten.
  void clobberOthers(int buffer, int step) {
    for (std::size_t other = 0; other < variant.buffers.size(); ++other)
      if (static_cast<int>(other) != buffer && writer[other] != notWritten &&
          overlap(variant.buffers[other], variant.buffers[buffer])) {
        writer[other] = clobbered;
        clobberer[other] = buffer;
        clobberStep[other] = step;
      }
  }

  /// Empty when `buffer` is intact and readable under `guard` (-1: by an
  /// unguarded step), else why it is not.
  std::string problem(int buffer, int guard) const {
    const std::string &name = variant.buffers[buffer].name;
    if (writer[buffer] == notWritten)
      return "buffer '" + name + "' is read before any step writes it";
    if (writer[buffer] == clobbered) {
      int step = clobberStep[buffer];
      return "buffer '" + name + "' was overwritten by " +
             (step < 0 ? std::string("the copy of the model inputs")
                       : stepName(variant, step)) +
             ", which wrote buffer '" +
             variant.buffers[clobberer[buffer]].name +
             "' over its bytes while it was still to be read";
    }
    if (guardOf[buffer] < 0 || guardOf[buffer] == guard)
      return "";
    return "buffer '" + name + "' was written by " +
           stepName(variant, writer[buffer]) + " under guard '" +
           variant.buffers[guardOf[buffer]].name +
           "', so only steps with that guard may read it, and this read is " +
           (guard < 0 ? std::string("unguarded")
                      : "under guard '" + variant.buffers[guard].name + "'");
  }

  /// Empty when `buffer` holds the counts an acm_compact step wrote over at
  /// most `rowsPerSample` tokens per sample (call once problem() is empty),
  /// else why it does not.
  std::string countsProblem(int buffer, std::int64_t rowsPerSample) const {
    const int step = writer[buffer];
    const std::string &name = variant.buffers[buffer].name;
    if (step < 0 || variant.steps[step].op != Op::AcmCompact ||
        variant.steps[step].outputs[roles::acm_compact::Counts] != buffer)
      return "buffer '" + name +
             "' must hold the counts of an acm_compact step, but " +
             (step < 0 ? std::string("the copy of the model inputs")
                       : stepName(variant, step)) +
             " wrote it";
    const Buffer &learners = variant.buffers[variant.steps[step].inputs[0]];
    if (learners.dims[0] <= rowsPerSample)
      return "";
    return "buffer '" + name + "' counts up to " +
           std::to_string(learners.dims[0]) + " tokens per sample (" +
           stepName(variant, step) + " over '" + learners.name +
           "'), more than the " + std::to_string(rowsPerSample) +
           " rows per sample of the step's input 'x'";
  }

private:
  static constexpr int notWritten = -2;
  static constexpr int clobbered = -3;
  const Variant &variant;
  std::vector<int> writer;
  std::vector<int> guardOf;
  std::vector<int> clobberer;
  std::vector<int> clobberStep;
};

/// When input `role` of `step` is a counts buffer: the rows per sample of
/// the step's x, which the counts may not exceed; else 0.
std::int64_t countedRows(const Variant &variant, const Step &step,
                         std::size_t role) {
  const Buffer &x = variant.buffers[step.inputs[0]];
  if (step.op == Op::Linear && role == roles::linear::Counts)
    return x.elementsPerSample / x.dims.back();
  if ((step.op == Op::GatherRows || step.op == Op::ScatterAdd) &&
      role == roles::compact_rows::Counts)
    return x.dims[0];
  return 0;
}

/// Fails unless every buffer `step` reads (its inputs, its guard, the
/// output scatter_add accumulates into) is intact and readable under its
/// guard, and its counts come from an acm_compact step.
void checkReads(const Variant &variant, std::size_t index,
                const BufferStates &states, const JsonNode &where) {
  const Step &step = variant.steps[index];
  const OpSchema &schema = schemaOf(step.op);
  const std::string name = stepName(variant, index);
  // rowsPerSample > 0: the buffer holds counts of at most that many rows.
  auto check = [&](int buffer, const std::string &what,
                   std::int64_t rowsPerSample) {
    std::string problem = states.problem(buffer, step.guard);
    if (problem.empty() && rowsPerSample > 0)
      problem = states.countsProblem(buffer, rowsPerSample);
    if (!problem.empty())
      where.fail(name + " " + what + ": " + problem);
  };
  if (step.guard >= 0)
    check(step.guard,
          "is guarded by buffer '" + variant.buffers[step.guard].name + "'",
          INT64_MAX);
  for (std::size_t role = 0; role < step.inputs.size(); ++role)
    if (step.inputs[role] >= 0)
      check(step.inputs[role],
            "reads input '" + std::string(schema.inputs[role].name) + "'",
            countedRows(variant, step, role));
  if (step.op == Op::ScatterAdd)
    check(step.outputs[0], "accumulates into output 'y'", 0);
}

} // namespace

void checkDataflow(const Variant &variant, const JsonNode &where) {
  BufferStates states(variant);
  for (int input : variant.inputBuffers)
    states.write(input, -1, -1);
  for (std::size_t index = 0; index < variant.steps.size(); ++index) {
    const Step &step = variant.steps[index];
    const OpSchema &schema = schemaOf(step.op);
    std::string name = stepName(variant, index);
    checkReads(variant, index, states, where);
    for (std::size_t role = 0; role < step.outputs.size(); ++role) {
      int output = step.outputs[role];
      if (output < 0)
        continue;
      const Buffer &written = variant.buffers[output];
      auto check = [&](int other, std::string_view kind,
                       std::string_view otherRole) {
        if (other < 0)
          return;
        if (other == output || overlap(written, variant.buffers[other]))
          where.fail(name + " writes buffer '" + written.name + "' (output '" +
                     std::string(schema.outputs[role].name) +
                     "') over the bytes of buffer '" +
                     variant.buffers[other].name + "', its " +
                     std::string(kind) + " '" + std::string(otherRole) + "'");
      };
      for (std::size_t in = 0; in < step.inputs.size(); ++in)
        check(step.inputs[in], "input", schema.inputs[in].name);
      for (std::size_t out = 0; out < step.outputs.size(); ++out)
        if (out != role)
          check(step.outputs[out], "output", schema.outputs[out].name);
    }
    // A guarded step clobbers what shares its outputs' bytes as if it ran.
    for (int output : step.outputs) {
      if (output < 0)
        continue;
      if (step.op == Op::ScatterAdd)
        states.clobberOthers(output, static_cast<int>(index));
      else
        states.write(output, static_cast<int>(index), step.guard);
    }
  }
  for (std::size_t i = 0; i < variant.outputBuffers.size(); ++i) {
    std::string problem = states.problem(variant.outputBuffers[i], -1);
    if (!problem.empty())
      where.fail("model output '" +
                 variant.buffers[variant.outputBuffers[i]].name +
                 "' is not intact at the end of the plan: " + problem);
  }
}

} // namespace tailor::detail
