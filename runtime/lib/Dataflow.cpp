//===- Dataflow.cpp - A plan's buffers stay intact while they are live ----===//
//
// Walks the steps in order, tracking which buffers hold the value their last
// writer put there. Writing a buffer invalidates every other buffer sharing
// arena bytes with it; reading an invalid buffer means the memory plan (or
// the step order) is wrong and the run would compute garbage. Offsets scale
// with the batch, so bytes that overlap for one sample overlap for any batch.
//
//===----------------------------------------------------------------------===//

#include "Validate.h"

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
        clobberer(variant.buffers.size(), -1),
        clobberStep(variant.buffers.size(), -1) {}

  /// `step` is -1 for the copy of the model inputs into the arena.
  void write(int buffer, int step) {
    for (std::size_t other = 0; other < variant.buffers.size(); ++other)
      if (static_cast<int>(other) != buffer && writer[other] != notWritten &&
          overlap(variant.buffers[other], variant.buffers[buffer])) {
        writer[other] = clobbered;
        clobberer[other] = buffer;
        clobberStep[other] = step;
      }
    writer[buffer] = step;
  }

  /// Empty when `buffer` is intact, else why it is not.
  std::string problem(int buffer) const {
    const std::string &name = variant.buffers[buffer].name;
    if (writer[buffer] == notWritten)
      return "buffer '" + name + "' is read before any step writes it";
    if (writer[buffer] != clobbered)
      return "";
    int step = clobberStep[buffer];
    return "buffer '" + name + "' was overwritten by " +
           (step < 0 ? std::string("the copy of the model inputs")
                     : stepName(variant, step)) +
           ", which wrote buffer '" + variant.buffers[clobberer[buffer]].name +
           "' over its bytes while it was still to be read";
  }

private:
  static constexpr int notWritten = -2;
  static constexpr int clobbered = -3;
  const Variant &variant;
  std::vector<int> writer;
  std::vector<int> clobberer;
  std::vector<int> clobberStep;
};

} // namespace

void checkDataflow(const Variant &variant, const JsonNode &where) {
  BufferStates states(variant);
  for (int input : variant.inputBuffers)
    states.write(input, -1);
  for (std::size_t index = 0; index < variant.steps.size(); ++index) {
    const Step &step = variant.steps[index];
    const OpSchema &schema = schemaOf(step.op);
    std::string name = stepName(variant, index);
    for (std::size_t role = 0; role < step.inputs.size(); ++role) {
      int input = step.inputs[role];
      if (input < 0)
        continue;
      std::string problem = states.problem(input);
      if (!problem.empty())
        where.fail(name + " reads input '" +
                   std::string(schema.inputs[role].name) + "': " + problem);
    }
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
    for (int output : step.outputs)
      if (output >= 0)
        states.write(output, static_cast<int>(index));
  }
  for (std::size_t i = 0; i < variant.outputBuffers.size(); ++i) {
    std::string problem = states.problem(variant.outputBuffers[i]);
    if (!problem.empty())
      where.fail("model output '" +
                 variant.buffers[variant.outputBuffers[i]].name +
                 "' is not intact at the end of the plan: " + problem);
  }
}

} // namespace tailor::detail
