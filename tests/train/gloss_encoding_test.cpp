//===- gloss_encoding_test.cpp - The runtime reads glosses as trained -----===//
//
// The WordNet POS test split, as tailor-glosses writes it, encoded by the
// runtime (Model::encodeTexts with the vocabulary an artifact carries) must
// be the token ids the trainer evaluates on (loadTask), so that tailor-run's
// accuracy on glosses is the trainer's.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include "tailor/train/task.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace tailor::train {
namespace {

TEST(GlossEncoding, TheRuntimeEncodesTheTestSplitAsTheTrainer) {
  const DataOptions options;
  const TaskData data = loadTask(Task::WordnetPos, options);
  const Glosses glosses =
      splitGlosses(Task::WordnetPos, options)[static_cast<int>(Split::Test)];
  const std::int64_t count = data.test.size();
  ASSERT_EQ(static_cast<std::int64_t>(glosses.texts.size()), count);
  const torch::Tensor labels = torch::tensor(glosses.labels, torch::kLong);
  EXPECT_TRUE(torch::equal(labels, data.test.labels));

  // A small encoder of the trainer's vocabulary and length, one variant
  // dropping tokens (and so keeping padding of the short glosses).
  testing::ModelConfig config = testing::tinySequenceEncoderModel();
  config.classes = taskClasses(Task::WordnetPos);
  config.maxPositions = options.maxLength;
  config.vocabulary = data.vocabulary->words();
  config.vocabSize = data.vocabulary->size();
  config.variants = {{"b1.00", 1.0, {}}, {"b0.50", 0.5, {20, 10}}};
  testing::TempDir dir;
  testing::buildArtifact(config, testing::randomWeights(config))
      .write(dir.path("pos.tailor"));
  Model model = testing::loadModel(dir.path("pos.tailor"));

  Result<TokenInputs> encoded = model.encodeTexts(glosses.texts);
  ASSERT_TRUE(encoded.ok()) << encoded.status().message();
  const Tensor &ids = encoded->tensors.at("ids");
  const torch::Tensor runtimeIds =
      torch::from_blob(const_cast<void *>(ids.data()),
                       {count, options.maxLength}, torch::kInt)
          .to(torch::kLong);
  EXPECT_TRUE(torch::equal(runtimeIds, data.test.inputs));
  const Tensor &mask = encoded->tensors.at("key_mask");
  const torch::Tensor runtimeMask =
      torch::from_blob(const_cast<void *>(mask.data()),
                       {count, options.maxLength}, torch::kUInt8)
          .to(torch::kBool);
  EXPECT_TRUE(
      torch::equal(runtimeMask, data.test.inputs.ne(text::Vocabulary::kPadId)));

  // The runtime's predictions on the first glosses and on the trainer's ids
  // of them (equal ids make equal predictions; this runs both ways in).
  const std::int64_t run = std::min<std::int64_t>(count, 1000);
  const std::vector<std::int64_t> shape = {run, options.maxLength};
  const torch::Tensor trainerIds = data.test.inputs.to(torch::kInt);
  const torch::Tensor trainerMask =
      data.test.inputs.ne(text::Vocabulary::kPadId).to(torch::kUInt8);
  testing::HostTensors trainerInputs;
  trainerInputs.add("ids", DType::I32, shape, trainerIds.data_ptr());
  trainerInputs.add("key_mask", DType::U8, shape, trainerMask.data_ptr());
  testing::HostTensors textInputs;
  for (const auto &[name, tensor] : encoded->tensors)
    textInputs.add(name, tensor.dtype(), shape, tensor.data());
  for (const VariantInfo &variant : model.variants()) {
    std::vector<std::int32_t> onText = testing::argmaxRows(testing::toArray(
        testing::runModel(model, variant.name, textInputs).at("logits")));
    std::vector<std::int32_t> onIds = testing::argmaxRows(testing::toArray(
        testing::runModel(model, variant.name, trainerInputs).at("logits")));
    EXPECT_EQ(onText, onIds) << variant.name;
  }
  std::printf("%lld test glosses: %lld truncated to %lld tokens, %lld words "
              "outside the vocabulary\n",
              static_cast<long long>(count),
              static_cast<long long>(encoded->truncated),
              static_cast<long long>(options.maxLength),
              static_cast<long long>(encoded->unknownWords));
}

} // namespace
} // namespace tailor::train
