//===- text_test.cpp - Tokenizer and vocabulary ---------------------------===//

#include "tailor/text/text.h"

#include <gmock/gmock.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

namespace tailor::text {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(Tokenize, WordsArePunctuationSeparatedAndLowerCased) {
  EXPECT_THAT(tokenize("A Dog's  bark, (loud)!"),
              ElementsAre("a", "dog's", "bark", ",", "(", "loud", ")", "!"));
}

TEST(Tokenize, InnerHyphensJoinButOuterOnesStandAlone) {
  EXPECT_THAT(tokenize("well-known -x y- 'z'"),
              ElementsAre("well-known", "-", "x", "y", "-", "'", "z", "'"));
}

TEST(Tokenize, DigitsAndNonAsciiBytesAreWordCharacters) {
  EXPECT_THAT(tokenize("in 1990 caf\xc3\xa9"),
              ElementsAre("in", "1990", "caf\xc3\xa9"));
  EXPECT_TRUE(tokenize(" \t\n").empty());
}

TEST(Vocabulary, BuildOrdersByFrequencyThenAlphabetically) {
  auto vocabulary = Vocabulary::build(
      {{"b", "a", "c", "b"}, {"a", "d", "b", "c"}}, /*minCount=*/2);
  EXPECT_THAT(vocabulary.words(),
              ElementsAre("[PAD]", "[UNK]", "[CLS]", "b", "a", "c"));
  EXPECT_EQ(vocabulary.id("a"), 4);
  EXPECT_EQ(vocabulary.id("d"), Vocabulary::kUnkId);
}

TEST(Vocabulary, EncodeStartsWithClsTruncatesAndPads) {
  auto vocabulary = Vocabulary::build({{"x", "y"}}, 1);
  EXPECT_THAT(vocabulary.encode({"y", "zz"}, 5), ElementsAre(2, 4, 1, 0, 0));
  EXPECT_THAT(vocabulary.encode({"x", "y", "x"}, 3), ElementsAre(2, 3, 4));
}

TEST(Vocabulary, FromWordsNeedsTheSpecialTokensFirst) {
  try {
    Vocabulary::fromWords({"[PAD]", "[CLS]", "[UNK]"}, "vocab.txt");
    FAIL() << "accepted special tokens out of order";
  } catch (const TextError &error) {
    EXPECT_THAT(error.what(), HasSubstr("vocab.txt: entry 2 must be [UNK]"));
  }
}

TEST(Vocabulary, FromWordsRejectsARepeatedWord) {
  try {
    Vocabulary::fromWords({"[PAD]", "[UNK]", "[CLS]", "a", "b", "a"},
                          "manifest");
    FAIL() << "accepted a repeated word";
  } catch (const TextError &error) {
    EXPECT_THAT(error.what(),
                HasSubstr("manifest: entry 6 repeats 'a' of entry 4"));
  }
}

TEST(Vocabulary, FromTextReadsOneWordPerLine) {
  const std::string text = "[PAD]\n[UNK]\n[CLS]\nthe\nof\n";
  auto vocabulary = Vocabulary::fromText(text, "tensor");
  EXPECT_THAT(vocabulary.words(),
              ElementsAre("[PAD]", "[UNK]", "[CLS]", "the", "of"));
  EXPECT_EQ(vocabulary.toText(), text);
  // The last line may go without its newline, as getline reads it.
  EXPECT_EQ(Vocabulary::fromText("[PAD]\n[UNK]\n[CLS]\nthe", "tensor").size(),
            4);
}

TEST(Vocabulary, FromTextNamesWhereItFailed) {
  try {
    Vocabulary::fromText("[PAD]\n[UNK]\n", "manifest.model.vocabulary");
    FAIL() << "accepted a vocabulary without [CLS]";
  } catch (const TextError &error) {
    EXPECT_THAT(error.what(),
                HasSubstr("manifest.model.vocabulary: entry 3 must be [CLS]"));
  }
}

TEST(Vocabulary, SaveAndLoadRoundTrip) {
  std::string path = ::testing::TempDir() + "/text_test_vocab-" +
                     std::to_string(getpid()) + ".txt";
  auto vocabulary = Vocabulary::build({{"b", "a", "b"}}, 1);
  vocabulary.save(path);
  EXPECT_EQ(Vocabulary::load(path).words(), vocabulary.words());
  std::remove(path.c_str());
  EXPECT_THROW(Vocabulary::load(path), TextError);
}

} // namespace
} // namespace tailor::text
