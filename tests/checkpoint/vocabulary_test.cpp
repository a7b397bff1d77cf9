//===- vocabulary_test.cpp - vocab.txt beside a Tailor encoder ------------===//

#include "tailor/checkpoint/checkpoint.h"

#include "tailor/testing/checkpoint_files.h"

#include <gmock/gmock.h>

namespace tailor::checkpoint {
namespace {

using ::testing::HasSubstr;
using testing::TemporaryDirectory;

/// The special tokens, then word3, word4, ... up to `size` entries.
std::string vocabularyText(std::int64_t size) {
  std::string text = "[PAD]\n[UNK]\n[CLS]\n";
  for (std::int64_t i = 3; i < size; ++i)
    text += "word" + std::to_string(i) + "\n";
  return text;
}

/// A Tailor encoder checkpoint (vocabulary 50) with `vocabulary` as vocab.txt
/// (none when empty).
std::string writeEncoder(const TemporaryDirectory &directory,
                         const std::string &vocabulary) {
  const ModelConfig config = testing::oddEncoderConfig();
  testing::writeTailorCheckpoint(directory.path(), config,
                                 testing::randomWeights(config, 1));
  if (!vocabulary.empty())
    testing::writeText(directory.file("vocab.txt"), vocabulary);
  return directory.path();
}

std::string loadError(const std::string &path) {
  try {
    Checkpoint::load(path);
  } catch (const CheckpointError &error) {
    return error.what();
  }
  return "(loaded)";
}

TEST(CheckpointVocabularyTest, AnEncoderReadsItsVocabTxt) {
  TemporaryDirectory directory;
  const Checkpoint checkpoint =
      Checkpoint::load(writeEncoder(directory, vocabularyText(50)));
  ASSERT_TRUE(checkpoint.vocabulary().has_value());
  EXPECT_EQ(checkpoint.vocabulary()->size(), 50);
  EXPECT_EQ(checkpoint.vocabulary()->words()[49], "word49");
  EXPECT_EQ(checkpoint.vocabulary()->id("word7"), 7);
}

TEST(CheckpointVocabularyTest, WithoutVocabTxtThereIsNone) {
  TemporaryDirectory directory;
  EXPECT_FALSE(
      Checkpoint::load(writeEncoder(directory, "")).vocabulary().has_value());
}

TEST(CheckpointVocabularyTest, ItMustHaveVocabSizeWords) {
  TemporaryDirectory directory;
  EXPECT_THAT(loadError(writeEncoder(directory, vocabularyText(49))),
              HasSubstr(directory.file("vocab.txt") +
                        ": 49 words, but the model's vocab_size is 50"));
}

TEST(CheckpointVocabularyTest, ABrokenVocabTxtNamesTheEntry) {
  TemporaryDirectory directory;
  EXPECT_THAT(
      loadError(writeEncoder(directory, "[UNK]\n[PAD]\n[CLS]\n")),
      HasSubstr(directory.file("vocab.txt") + ": entry 1 must be [PAD]"));
}

TEST(CheckpointVocabularyTest, HuggingFaceVocabTxtIsNotRead) {
  // BERT's vocab.txt is WordPiece's ([PAD], [unused0], ...): not Tailor's.
  TemporaryDirectory directory;
  const ModelConfig config = testing::oddEncoderConfig();
  testing::writeHuggingFaceCheckpoint(directory.path(), config,
                                      testing::randomWeights(config, 1));
  testing::writeText(directory.file("vocab.txt"), "[PAD]\n[unused0]\n");
  EXPECT_FALSE(Checkpoint::load(directory.path()).vocabulary().has_value());
}

} // namespace
} // namespace tailor::checkpoint
