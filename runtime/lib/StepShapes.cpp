//===- StepShapes.cpp - The dtypes and shapes each op requires ------------===//
//
// The rules of docs/artifact-format.md's step table. Buffer shapes are
// compared without their batch dimension; messages print them with -1.
//
//===----------------------------------------------------------------------===//

#include "Validate.h"

namespace tailor::detail {
namespace {

using Dims = std::vector<std::int64_t>;

class StepChecker {
public:
  StepChecker(const Step &step, const std::vector<Buffer> &buffers,
              const JsonNode &where)
      : step(step), schema(schemaOf(step.op)), buffers(buffers), where(where) {}

  bool hasInput(int role) const { return step.inputs[role] >= 0; }
  /// An input of any dtype and rank.
  const Buffer &buffer(int role) const { return buffers[step.inputs[role]]; }
  bool hasOutput(int role) const { return step.outputs[role] >= 0; }
  bool hasWeight(int role) const { return step.weights[role] != nullptr; }

  /// The input's dims after checking its dtype and rank.
  const Dims &input(int role, DType dtype, std::size_t rank) const {
    return checked(buffers[step.inputs[role]], describeInput(role), dtype,
                   rank);
  }
  /// An input of any rank with at least one dimension after the batch.
  const Dims &inputFeatures(int role, DType dtype) const {
    const Buffer &buffer = buffers[step.inputs[role]];
    if (buffer.dtype != dtype || buffer.dims.empty())
      where.fail(describeInput(role) + " is " +
                 describe(buffer.dtype, buffer.dims) + ", expected " +
                 std::string(dtypeName(dtype)) + " of rank 2 or more");
    return buffer.dims;
  }
  const Dims &output(int role, DType dtype, std::size_t rank) const {
    return checked(buffers[step.outputs[role]], describeOutput(role), dtype,
                   rank);
  }

  void expectInput(int role, DType dtype, const Dims &dims) const {
    expect(buffers[step.inputs[role]], describeInput(role), dtype, dims);
  }
  void expectOutput(int role, DType dtype, const Dims &dims) const {
    expect(buffers[step.outputs[role]], describeOutput(role), dtype, dims);
  }
  void expectWeight(int role, const Dims &shape) const {
    const Weight &weight = *step.weights[role];
    if (weight.shape != shape)
      where.fail("weight '" + std::string(schema.weights[role].name) +
                 "' (tensor '" + weight.name + "') has shape " +
                 formatShape(weight.shape) + ", expected " +
                 formatShape(shape));
  }
  /// The weight's shape after checking its rank.
  const Dims &weight(int role, std::size_t rank) const {
    const Weight &weight = *step.weights[role];
    if (weight.shape.size() != rank)
      where.fail("weight '" + std::string(schema.weights[role].name) +
                 "' (tensor '" + weight.name + "') has shape " +
                 formatShape(weight.shape) + ", expected rank " +
                 std::to_string(rank));
    return weight.shape;
  }

  [[noreturn]] void fail(const std::string &what) const { where.fail(what); }

private:
  std::string describeInput(int role) const {
    return "input '" + std::string(schema.inputs[role].name) + "' (buffer '" +
           buffers[step.inputs[role]].name + "')";
  }
  std::string describeOutput(int role) const {
    return "output '" + std::string(schema.outputs[role].name) + "' (buffer '" +
           buffers[step.outputs[role]].name + "')";
  }

  static std::string describe(DType dtype, const Dims &dims) {
    Dims shape = dims;
    shape.insert(shape.begin(), -1);
    return std::string(dtypeName(dtype)) + " " + formatShape(shape);
  }

  const Dims &checked(const Buffer &buffer, const std::string &what,
                      DType dtype, std::size_t rank) const {
    if (buffer.dtype != dtype || buffer.dims.size() != rank)
      where.fail(what + " is " + describe(buffer.dtype, buffer.dims) +
                 ", expected " + std::string(dtypeName(dtype)) + " of rank " +
                 std::to_string(rank + 1));
    return buffer.dims;
  }

  void expect(const Buffer &buffer, const std::string &what, DType dtype,
              const Dims &dims) const {
    if (buffer.dtype != dtype || buffer.dims != dims)
      where.fail(what + " is " + describe(buffer.dtype, buffer.dims) +
                 ", expected " + describe(dtype, dims));
  }

  const Step &step;
  const OpSchema &schema;
  const std::vector<Buffer> &buffers;
  const JsonNode &where;
};

void checkTokenEmbeddings(const StepChecker &c) {
  namespace r = roles::token_embeddings;
  std::int64_t seq = c.input(r::Ids, DType::I32, 1)[0];
  const Dims &word = c.weight(r::Word, 2);
  std::int64_t hidden = word[1];
  c.expectOutput(0, DType::F32, {seq, hidden});
  std::int64_t positions = c.weight(r::Position, 2)[0];
  c.expectWeight(r::Position, {positions, hidden});
  if (positions < seq)
    c.fail("weight 'position' has " + std::to_string(positions) +
           " rows, fewer than the " + std::to_string(seq) + " tokens of 'ids'");
  if (c.hasWeight(r::TokenType)) {
    std::int64_t types = c.weight(r::TokenType, 2)[0];
    if (types < 1)
      c.fail("weight 'token_type' has no rows (type 0 is used)");
    c.expectWeight(r::TokenType, {types, hidden});
  }
}

void checkPatchEmbeddings(const StepChecker &c, std::int64_t patch) {
  namespace r = roles::patch_embeddings;
  const Dims &images = c.input(r::Images, DType::F32, 3);
  std::int64_t channels = images[0], size = images[1];
  if (images[2] != size)
    c.fail("input 'images' is not square: " + std::to_string(images[1]) +
           " x " + std::to_string(images[2]));
  if (size % patch != 0)
    c.fail("image size " + std::to_string(size) +
           " is not divisible by patch_size " + std::to_string(patch));
  std::int64_t side = size / patch;
  std::int64_t tokens = side * side + 1;
  std::int64_t hidden = c.weight(r::Kernel, 2)[0];
  c.expectWeight(r::Kernel, {hidden, channels * patch * patch});
  c.expectWeight(r::Bias, {hidden});
  c.expectWeight(r::Cls, {hidden});
  c.expectWeight(r::Position, {tokens, hidden});
  c.expectOutput(0, DType::F32, {tokens, hidden});
}

void checkLayerNorm(const StepChecker &c) {
  namespace r = roles::layer_norm;
  const Dims &x = c.inputFeatures(r::X, DType::F32);
  c.expectWeight(r::Gamma, {x.back()});
  c.expectWeight(r::Beta, {x.back()});
  c.expectOutput(0, DType::F32, x);
}

void checkAdd(const StepChecker &c) {
  namespace r = roles::add;
  const Dims &a = c.inputFeatures(r::A, DType::F32);
  c.expectInput(r::B, DType::F32, a);
  c.expectOutput(0, DType::F32, a);
}

void checkAddLayerNorm(const StepChecker &c) {
  namespace r = roles::add_layer_norm;
  const Dims &a = c.inputFeatures(r::A, DType::F32);
  c.expectInput(r::B, DType::F32, a);
  c.expectWeight(r::Gamma, {a.back()});
  c.expectWeight(r::Beta, {a.back()});
  if (c.hasOutput(r::Sum))
    c.expectOutput(r::Sum, DType::F32, a);
  c.expectOutput(r::Y, DType::F32, a);
}

void checkLinear(const StepChecker &c) {
  namespace r = roles::linear;
  Dims dims = c.inputFeatures(r::X, DType::F32);
  std::int64_t out = c.weight(r::Kernel, 2)[0];
  c.expectWeight(r::Kernel, {out, dims.back()});
  if (c.hasWeight(r::Bias))
    c.expectWeight(r::Bias, {out});
  if (c.hasInput(r::Counts))
    c.expectInput(r::Counts, DType::I32, {});
  dims.back() = out;
  c.expectOutput(0, DType::F32, dims);
  if (c.hasInput(r::Residual)) {
    if (c.hasInput(r::Counts))
      c.fail("takes 'residual' or 'counts', not both (a counted linear leaves "
             "rows of y unspecified)");
    c.expectInput(r::Residual, DType::F32, dims);
  }
}

void checkAcmRoute(const StepChecker &c) {
  const Dims &logits = c.input(0, DType::F32, 2);
  c.expectOutput(0, DType::I32, {logits[0]});
}

void checkAcmCompact(const StepChecker &c) {
  namespace r = roles::acm_compact;
  const Dims &learners = c.input(0, DType::I32, 1);
  c.expectOutput(r::Rows, DType::I32, learners);
  c.expectOutput(r::Counts, DType::I32, {});
}

/// gather_rows and scatter_add: rows hold flat token ids of x.
void checkCompactRows(const StepChecker &c) {
  namespace r = roles::compact_rows;
  const Dims &x = c.input(r::X, DType::F32, 2);
  c.expectInput(r::Rows, DType::I32, {x[0]});
  c.expectInput(r::Counts, DType::I32, {});
  c.expectOutput(0, DType::F32, x);
}

/// rows = ceil(seq / block) query blocks, each attending to a non-empty,
/// ascending list of key blocks in [0, rows).
void checkBlockTable(const StepChecker &c, const BlockTable &table,
                     std::int64_t seq) {
  const std::int64_t block = table.blockSize;
  const std::int64_t rows = (seq + block - 1) / block;
  if (static_cast<std::int64_t>(table.keyBlocks.size()) != rows)
    c.fail("block_sparse.table has " + std::to_string(table.keyBlocks.size()) +
           " rows, but " + std::to_string(seq) + " tokens in blocks of " +
           std::to_string(block) + " make " + std::to_string(rows));
  for (std::size_t row = 0; row < table.keyBlocks.size(); ++row) {
    const std::vector<std::int64_t> &keys = table.keyBlocks[row];
    const std::string at = "block_sparse.table[" + std::to_string(row) + "]";
    if (keys.empty())
      c.fail(at + " is empty: every query block attends to a key block");
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] < 0 || keys[i] >= rows || (i > 0 && keys[i] <= keys[i - 1]))
        c.fail(at + ": key block " + std::to_string(keys[i]) +
               " is not ascending in [0, " + std::to_string(rows) + ")");
  }
}

void checkAttention(const StepChecker &c, std::int64_t heads,
                    const BlockTable &blockSparse) {
  namespace r = roles::attention;
  const bool packed = c.hasInput(r::Qkv);
  const int separate = c.hasInput(r::Q) + c.hasInput(r::K) + c.hasInput(r::V);
  if (packed ? separate != 0 : separate != 3)
    c.fail("takes inputs 'q', 'k' and 'v', or 'qkv' alone (the three "
           "packed)");
  Dims q;
  if (packed) {
    q = c.input(r::Qkv, DType::F32, 2);
    if (q[1] % 3 != 0)
      c.fail("input 'qkv' has " + std::to_string(q[1]) +
             " features, not three equal parts q | k | v");
    q[1] /= 3;
  } else {
    q = c.input(r::Q, DType::F32, 2);
    c.expectInput(r::K, DType::F32, q);
    c.expectInput(r::V, DType::F32, q);
  }
  if (c.hasInput(r::KeyMask))
    c.expectInput(r::KeyMask, DType::U8, {q[0]});
  c.expectOutput(r::Context, DType::F32, q);
  if (c.hasOutput(r::Significance))
    c.expectOutput(r::Significance, DType::F32, {q[0]});
  if (q[1] % heads != 0)
    c.fail("hidden size " + std::to_string(q[1]) +
           " is not divisible by heads = " + std::to_string(heads));
  if (blockSparse.blockSize > 0)
    checkBlockTable(c, blockSparse, q[0]);
}

void checkEnsembleMean(const StepChecker &c) {
  const Dims &first = c.inputFeatures(0, DType::F32);
  for (int member = 1; member < roles::ensemble_mean::kMaxMembers; ++member)
    if (c.hasInput(member))
      c.expectInput(member, DType::F32, first);
  c.expectOutput(0, DType::F32, first);
}

void checkSelectTokens(const StepChecker &c) {
  namespace r = roles::select_tokens;
  const Dims &x = c.input(r::X, DType::F32, 2);
  c.expectInput(r::Significance, DType::F32, {x[0]});
  std::int64_t kept = c.output(r::Selected, DType::F32, 2)[0];
  c.expectOutput(r::Selected, DType::F32, {kept, x[1]});
  c.expectOutput(r::Indices, DType::I32, {kept});
  if (kept > x[0])
    c.fail("keeps " + std::to_string(kept) + " tokens out of " +
           std::to_string(x[0]));
}

void checkRestoreTokens(const StepChecker &c) {
  namespace r = roles::restore_tokens;
  const Dims &full = c.input(r::Full, DType::F32, 2);
  std::int64_t kept = c.input(r::Selected, DType::F32, 2)[0];
  c.expectInput(r::Selected, DType::F32, {kept, full[1]});
  c.expectInput(r::Indices, DType::I32, {kept});
  c.expectOutput(0, DType::F32, full);
  if (kept > full[0])
    c.fail("restores " + std::to_string(kept) + " tokens into " +
           std::to_string(full[0]));
}

void checkGatherTokens(const StepChecker &c) {
  namespace r = roles::gather_tokens;
  const Buffer &x = c.buffer(r::X);
  if (x.dims.empty())
    c.fail("input 'x' (buffer '" + x.name + "') must have a token dimension");
  std::int64_t kept = c.input(r::Indices, DType::I32, 1)[0];
  Dims y = x.dims;
  y[0] = kept;
  c.expectOutput(0, x.dtype, y);
  if (kept > x.dims[0])
    c.fail("gathers " + std::to_string(kept) + " tokens out of " +
           std::to_string(x.dims[0]));
}

void checkClassifier(const StepChecker &c, Pooling pooling) {
  namespace r = roles::classifier;
  const Dims &x = c.input(r::X, DType::F32, 2);
  std::int64_t classes = c.weight(r::Kernel, 2)[0];
  c.expectWeight(r::Kernel, {classes, x[1]});
  c.expectWeight(r::Bias, {classes});
  if (c.hasWeight(r::PoolerKernel) != c.hasWeight(r::PoolerBias))
    c.fail("weights 'pooler_weight' and 'pooler_bias' come together");
  if (c.hasWeight(r::PoolerKernel)) {
    if (pooling == Pooling::Token)
      c.fail("token pooling takes no pooler");
    c.expectWeight(r::PoolerKernel, {x[1], x[1]});
    c.expectWeight(r::PoolerBias, {x[1]});
  }
  if (pooling == Pooling::Token)
    c.expectOutput(0, DType::F32, {x[0], classes});
  else
    c.expectOutput(0, DType::F32, {classes});
}

/// Whether the format keeps `role` of `op` f32 in a 16-bit plan: what the
/// caller gives (images) or gets (logits), and attention's significance,
/// which kernels accumulate in f32.
bool keptF32(Op op, bool output, int role) {
  switch (op) {
  case Op::PatchEmbeddings:
    return !output && role == roles::patch_embeddings::Images;
  case Op::Attention:
    return output && role == roles::attention::Significance;
  case Op::SelectTokens:
    return !output && role == roles::select_tokens::Significance;
  case Op::Classifier:
  case Op::EnsembleMean:
    return output || op == Op::EnsembleMean;
  default:
    return false;
  }
}

/// A step's float activations share one width (docs/artifact-format.md,
/// 16-bit plans): its kernels read and write them in one storage, so a step
/// that mixed f32 and 16-bit buffers would misread one.
void checkActivationWidths(const Step &step, const std::vector<Buffer> &buffers,
                           const JsonNode &where) {
  const OpSchema &schema = schemaOf(step.op);
  const Buffer *first = nullptr;
  std::string firstRole;
  auto visit = [&](const std::vector<int> &indices,
                   const std::vector<Role> &roles, bool output) {
    for (std::size_t role = 0; role < indices.size(); ++role) {
      if (indices[role] < 0 || buffers[indices[role]].dtype != DType::F32)
        continue;
      const Buffer &buffer = buffers[indices[role]];
      const std::string what = std::string(output ? "output '" : "input '") +
                               std::string(roles[role].name) + "' (buffer '" +
                               buffer.name + "')";
      if (keptF32(step.op, output, static_cast<int>(role))) {
        if (buffer.halfFloat)
          where.fail(what + " is 16-bit, but stays f32 in every plan");
        continue;
      }
      if (!first) {
        first = &buffer;
        firstRole = what;
      } else if (buffer.halfFloat != first->halfFloat) {
        where.fail("mixes f32 and 16-bit activations: " + firstRole + " is " +
                   (first->halfFloat ? "16-bit" : "f32") + ", " + what +
                   " is " + (buffer.halfFloat ? "16-bit" : "f32"));
      }
    }
  };
  visit(step.inputs, schema.inputs, false);
  visit(step.outputs, schema.outputs, true);
}

} // namespace

void checkStepShapes(const Step &step, const std::vector<Buffer> &buffers,
                     const JsonNode &where) {
  checkActivationWidths(step, buffers, where);
  StepChecker c(step, buffers, where);
  switch (step.op) {
  case Op::TokenEmbeddings:
    checkTokenEmbeddings(c);
    break;
  case Op::PatchEmbeddings:
    checkPatchEmbeddings(c, step.patchSize);
    break;
  case Op::LayerNorm:
    checkLayerNorm(c);
    break;
  case Op::Add:
    checkAdd(c);
    break;
  case Op::AddLayerNorm:
    checkAddLayerNorm(c);
    break;
  case Op::EnsembleMean:
    checkEnsembleMean(c);
    break;
  case Op::Linear:
    checkLinear(c);
    break;
  case Op::Attention:
    checkAttention(c, step.heads, step.blockSparse);
    break;
  case Op::SelectTokens:
    checkSelectTokens(c);
    break;
  case Op::RestoreTokens:
    checkRestoreTokens(c);
    break;
  case Op::Classifier:
    checkClassifier(c, step.pooling);
    break;
  case Op::GatherTokens:
    checkGatherTokens(c);
    break;
  case Op::AcmRoute:
    checkAcmRoute(c);
    break;
  case Op::AcmCompact:
    checkAcmCompact(c);
    break;
  case Op::GatherRows:
  case Op::ScatterAdd:
    checkCompactRows(c);
    break;
  }
}

} // namespace tailor::detail
