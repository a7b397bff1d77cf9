//===- TokenInputs.cpp - Texts and token ids as an encoder's inputs -------===//
//
// Texts are encoded with tailor_text, the tokenizer and vocabulary the
// trainer encodes its glosses with, so an artifact sees the ids its model
// was trained on.
//
//===----------------------------------------------------------------------===//

#include "ModelData.h"

#include <algorithm>
#include <cstring>

namespace tailor {
namespace {

/// The model inputs token sequences feed: token ids (i32 [-1, S]) and, when
/// the model has one, the key mask (u8 [-1, S]) that marks padding.
struct SequenceInputs {
  const TensorInfo *ids = nullptr;
  const TensorInfo *mask = nullptr;
};

Result<SequenceInputs> sequenceInputs(const Model &model) {
  SequenceInputs found;
  for (const TensorInfo &input : model.inputs()) {
    bool sequence = input.shape.size() == 2;
    if (sequence && input.dtype == DType::I32 && !found.ids)
      found.ids = &input;
    else if (sequence && input.dtype == DType::U8 && !found.mask)
      found.mask = &input;
    else
      return Status::error("model input '" + input.name + "' (" +
                           std::string(dtypeName(input.dtype)) + " " +
                           formatShape(input.shape) +
                           ") is not fed by token sequences");
  }
  if (!found.ids)
    return Status::error("the model takes no token ids (i32 [-1, S])");
  if (found.mask && found.mask->shape != found.ids->shape)
    return Status::error("the model's key mask '" + found.mask->name +
                         "' does not have the shape of its token ids");
  return found;
}

/// `rows` (none longer than S, none empty) padded with [PAD] into the
/// model's `inputs`; `what` names a row in errors ("text", "sequence").
Result<TokenInputs> pack(const SequenceInputs &inputs,
                         const std::vector<std::vector<std::int32_t>> &rows,
                         const std::string &what) {
  const std::int64_t count = static_cast<std::int64_t>(rows.size());
  const std::int64_t seq = inputs.ids->shape[1];
  TokenInputs packed;
  Result<Tensor> ids = Tensor::allocate(DType::I32, {count, seq});
  if (!ids.ok())
    return ids.status();
  for (std::int64_t i = 0; i < count; ++i) {
    const std::int64_t length = static_cast<std::int64_t>(rows[i].size());
    if (length < seq && !inputs.mask)
      return Status::error(
          what + " " + std::to_string(i) + " has " + std::to_string(length) +
          " tokens; the model takes exactly " + std::to_string(seq) +
          " (it has no key mask input for padding)");
    // Tensor::allocate zero-fills: the rest is [PAD] (id 0).
    std::memcpy(ids->dataAs<std::int32_t>() + i * seq, rows[i].data(),
                length * sizeof(std::int32_t));
    packed.lengths.push_back(length);
  }
  packed.tensors[inputs.ids->name] = std::move(*ids);
  if (inputs.mask) {
    Result<Tensor> mask = Tensor::allocate(DType::U8, {count, seq});
    if (!mask.ok())
      return mask.status();
    for (std::int64_t i = 0; i < count; ++i)
      std::memset(mask->dataAs<std::uint8_t>() + i * seq, 1, packed.lengths[i]);
    packed.tensors[inputs.mask->name] = std::move(*mask);
  }
  return packed;
}

} // namespace

Result<TokenInputs>
Model::encodeTexts(const std::vector<std::string> &texts) const {
  const std::optional<text::Vocabulary> &vocabulary = data->manifest.vocabulary;
  if (!vocabulary)
    return Status::error("artifact '" + path() +
                         "' carries no vocabulary (model.vocabulary), so it "
                         "takes token ids, not text; compile a checkpoint "
                         "that has vocab.txt to run text");
  if (texts.empty())
    return Status::error("no texts to encode");
  Result<SequenceInputs> inputs = sequenceInputs(*this);
  if (!inputs.ok())
    return inputs.status();
  const std::int64_t seq = inputs->ids->shape[1];
  std::vector<std::vector<std::int32_t>> rows;
  std::int64_t truncated = 0, unknownWords = 0;
  for (const std::string &one : texts) {
    const std::vector<std::string> words = text::tokenize(one);
    const std::vector<std::int64_t> encoded = vocabulary->encode(words, seq);
    const std::int64_t kept = std::min<std::int64_t>(
        static_cast<std::int64_t>(words.size()) + 1, seq);
    truncated += static_cast<std::int64_t>(words.size()) + 1 > seq;
    std::vector<std::int32_t> &row = rows.emplace_back();
    for (std::int64_t i = 0; i < kept; ++i) {
      row.push_back(static_cast<std::int32_t>(encoded[i]));
      unknownWords += i > 0 && encoded[i] == text::Vocabulary::kUnkId;
    }
  }
  Result<TokenInputs> packed = pack(*inputs, rows, "text");
  if (packed.ok()) {
    packed->truncated = truncated;
    packed->unknownWords = unknownWords;
  }
  return packed;
}

Result<TokenInputs> Model::tokenInputs(
    const std::vector<std::vector<std::int32_t>> &sequences) const {
  if (sequences.empty())
    return Status::error("no token id sequences");
  Result<SequenceInputs> inputs = sequenceInputs(*this);
  if (!inputs.ok())
    return inputs.status();
  const std::int64_t seq = inputs->ids->shape[1];
  for (std::size_t i = 0; i < sequences.size(); ++i) {
    const std::int64_t length = static_cast<std::int64_t>(sequences[i].size());
    if (length == 0)
      return Status::error("sequence " + std::to_string(i) + " is empty");
    if (length > seq)
      return Status::error(
          "sequence " + std::to_string(i) + " has " + std::to_string(length) +
          " token ids; the model takes at most " + std::to_string(seq));
  }
  return pack(*inputs, sequences, "sequence");
}

} // namespace tailor
