//===- TextTest.cpp - Text and token ids as an encoder's inputs -----------===//
//
// Model::encodeTexts must give the ids the trainer gives its glosses
// (tailor::text's tokenize, then Vocabulary::encode to the model's length),
// so that the artifact computes what the trained model computed; and an
// artifact's vocabulary is checked when it loads.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include "tailor/text/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor::testing {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> corpus = {
    "a young domestic dog; usually a pet",
    "move fast by using one's feet, with one foot off the ground at any "
    "given time",
    "the quality of being well-known",
    "(music) a composition for one instrument",
    "in a careful manner; \"he walked carefully\""};

/// The text model with a selection (9 then 5 of 12 tokens) that keeps
/// padding of the shorter texts.
ModelConfig textModel() {
  ModelConfig config = tinyTextEncoderModel(corpus);
  config.variants = {{"b1.00", 1.0, {}}, {"b0.50", 0.5, {9, 5}}};
  return config;
}

HostTensors hostTensors(const std::map<std::string, Tensor> &tensors) {
  HostTensors host;
  for (const auto &[name, tensor] : tensors)
    host.add(name, tensor.dtype(), tensor.shape(), tensor.data());
  return host;
}

template <typename T> std::vector<T> values(const Tensor &tensor) {
  return {tensor.dataAs<T>(), tensor.dataAs<T>() + tensor.numElements()};
}

class TextTest : public ::testing::Test {
protected:
  TextTest() : config(textModel()), weights(randomWeights(config)) {
    buildArtifact(config, weights).write(dir.path("text.tailor"));
  }

  /// The model's load error after `edit` broke its artifact.
  std::string loadError(const std::function<void(Artifact &)> &edit) {
    Artifact artifact = buildArtifact(config, weights);
    edit(artifact);
    artifact.write(dir.path("broken.tailor"));
    Result<Model> model = Model::load(dir.path("broken.tailor"));
    return model.ok() ? "(loaded)" : model.status().message();
  }

  ModelConfig config;
  Weights weights;
  TempDir dir;
};

TEST_F(TextTest, TextIsEncodedAsTheTrainerEncodesIt) {
  Model model = loadModel(dir.path("text.tailor"));
  EXPECT_EQ(model.info().vocabularySize, config.vocabSize);
  Result<TokenInputs> encoded = model.encodeTexts(corpus);
  ASSERT_TRUE(encoded.ok()) << encoded.status().message();
  const Inputs expected = trainerTextInputs(config, corpus);
  ASSERT_EQ(encoded->tensors.size(), 2u);
  EXPECT_EQ(encoded->tensors.at("ids").shape(),
            (std::vector<std::int64_t>{5, 12}));
  EXPECT_EQ(values<std::int32_t>(encoded->tensors.at("ids")), expected.ids);
  EXPECT_EQ(values<std::uint8_t>(encoded->tensors.at("key_mask")),
            expected.keyMask);
  // [CLS] and the words; the second text's 17 are cut to 11.
  EXPECT_EQ(encoded->lengths, (std::vector<std::int64_t>{9, 12, 6, 9, 11}));
  EXPECT_EQ(encoded->truncated, 1);
  EXPECT_EQ(encoded->unknownWords, 0);
}

TEST_F(TextTest, UnknownWordsAreTheUnknownToken) {
  Model model = loadModel(dir.path("text.tailor"));
  Result<TokenInputs> encoded =
      model.encodeTexts({"A dog walked into the XYLOPHONE"});
  ASSERT_TRUE(encoded.ok()) << encoded.status().message();
  const auto vocabulary =
      text::Vocabulary::fromWords(config.vocabulary, "test vocabulary");
  std::vector<std::int32_t> ids =
      values<std::int32_t>(encoded->tensors.at("ids"));
  const std::int32_t unk = text::Vocabulary::kUnkId;
  EXPECT_EQ(std::vector<std::int32_t>(ids.begin(), ids.begin() + 7),
            (std::vector<std::int32_t>{
                text::Vocabulary::kClsId,
                static_cast<std::int32_t>(vocabulary.id("a")),
                static_cast<std::int32_t>(vocabulary.id("dog")),
                static_cast<std::int32_t>(vocabulary.id("walked")), unk,
                static_cast<std::int32_t>(vocabulary.id("the")), unk}));
  EXPECT_EQ(encoded->unknownWords, 2);
}

TEST_F(TextTest, EveryVariantOnTextComputesWhatTheReferenceDoesOnTheIds) {
  Model model = loadModel(dir.path("text.tailor"));
  Result<TokenInputs> encoded = model.encodeTexts(corpus);
  ASSERT_TRUE(encoded.ok()) << encoded.status().message();
  const Inputs trainer = trainerTextInputs(config, corpus);
  for (const VariantConfig &variant : config.variants) {
    Array expected = referenceForward(config, weights, variant, trainer);
    Array actual =
        toArray(runModel(model, variant.name, hostTensors(encoded->tensors))
                    .at("logits"));
    EXPECT_LT(relativeError(actual.values, expected.values), 1e-5)
        << variant.name;
  }
}

TEST_F(TextTest, TokenIdsArePaddedWithTheirKeyMask) {
  Model model = loadModel(dir.path("text.tailor"));
  Result<TokenInputs> padded = model.tokenInputs({{2, 7, 9}, {2, 5}});
  ASSERT_TRUE(padded.ok()) << padded.status().message();
  std::vector<std::int32_t> ids(24, 0);
  ids[0] = 2, ids[1] = 7, ids[2] = 9, ids[12] = 2, ids[13] = 5;
  EXPECT_EQ(values<std::int32_t>(padded->tensors.at("ids")), ids);
  std::vector<std::uint8_t> mask(24, 0);
  mask[0] = mask[1] = mask[2] = mask[12] = mask[13] = 1;
  EXPECT_EQ(values<std::uint8_t>(padded->tensors.at("key_mask")), mask);
  EXPECT_EQ(padded->lengths, (std::vector<std::int64_t>{3, 2}));
}

TEST_F(TextTest, BadTextsAndSequencesAreErrors) {
  Model model = loadModel(dir.path("text.tailor"));
  EXPECT_THAT(model.encodeTexts({}).status().message(),
              HasSubstr("no texts to encode"));
  EXPECT_THAT(model.tokenInputs({}).status().message(),
              HasSubstr("no token id sequences"));
  EXPECT_THAT(model.tokenInputs({{2, 3}, {}}).status().message(),
              HasSubstr("sequence 1 is empty"));
  EXPECT_THAT(
      model.tokenInputs({std::vector<std::int32_t>(13, 3)}).status().message(),
      HasSubstr("sequence 0 has 13 token ids; the model takes at "
                "most 12"));
}

TEST_F(TextTest, WithoutAKeyMaskOnlyFullLengthTextsRun) {
  ModelConfig unmasked = config;
  unmasked.keyMask = false;
  buildArtifact(unmasked, weights).write(dir.path("unmasked.tailor"));
  Model model = loadModel(dir.path("unmasked.tailor"));
  EXPECT_TRUE(model.encodeTexts({corpus[1]}).ok());
  EXPECT_THAT(model.encodeTexts({corpus[1], corpus[2]}).status().message(),
              HasSubstr("text 1 has 6 tokens; the model takes exactly 12 (it "
                        "has no key mask input for padding)"));
}

TEST_F(TextTest, AnArtifactWithoutAVocabularyTakesNoText) {
  ModelConfig idsOnly = config;
  idsOnly.vocabulary.clear();
  buildArtifact(idsOnly, weights).write(dir.path("ids.tailor"));
  Model model = loadModel(dir.path("ids.tailor"));
  EXPECT_EQ(model.info().vocabularySize, 0);
  EXPECT_THAT(model.encodeTexts(corpus).status().message(),
              HasSubstr("carries no vocabulary (model.vocabulary), so it "
                        "takes token ids, not text"));
  EXPECT_TRUE(model.tokenInputs({{2, 3}}).ok());
}

TEST_F(TextTest, AVitTakesNoTokenSequences) {
  ModelConfig vit = tinyVitModel();
  buildArtifact(vit, randomWeights(vit)).write(dir.path("vit.tailor"));
  Model model = loadModel(dir.path("vit.tailor"));
  EXPECT_THAT(model.tokenInputs({{2, 3}}).status().message(),
              HasSubstr("model input 'images' (f32 [-1, 1, 8, 8]) is not fed "
                        "by token sequences"));
}

TEST_F(TextTest, BrokenVocabulariesAreLoadErrors) {
  EXPECT_THAT(loadError([](Artifact &a) {
                a.manifest["model"]["vocabulary"] = "words";
              }),
              HasSubstr("manifest.model.vocabulary: names tensor 'words', "
                        "which is not in the file"));
  EXPECT_THAT(loadError([](Artifact &a) {
                a.manifest["model"]["vocabulary"] = "classifier.bias";
              }),
              HasSubstr("manifest.model.vocabulary: tensor 'classifier.bias' "
                        "is F32 [5]; a vocabulary is U8 [bytes]"));
  EXPECT_THAT(
      loadError([](Artifact &a) { a.manifest["model"]["vocabulary"] = 7; }),
      HasSubstr("manifest.model.vocabulary: expected a string"));
  EXPECT_THAT(loadError([](Artifact &a) {
                a.byteTensors["text.vocabulary"] = "[PAD]\n[CLS]\n[UNK]\n";
              }),
              HasSubstr("manifest.model.vocabulary (tensor 'text.vocabulary'): "
                        "entry 2 must be [UNK]"));
  EXPECT_THAT(loadError([](Artifact &a) {
                a.byteTensors["text.vocabulary"] += "dog\n";
              }),
              HasSubstr("repeats 'dog'"));
  const std::int64_t words = config.vocabSize;
  EXPECT_THAT(loadError([](Artifact &a) {
                a.byteTensors["text.vocabulary"] += "zebra\n";
              }),
              HasSubstr("manifest.model.vocabulary: the vocabulary has " +
                        std::to_string(words + 1) +
                        " words but variant 'b1.00' embeds token ids with "
                        "'embeddings.word.weight' of " +
                        std::to_string(words) + " rows"));
}

} // namespace
} // namespace tailor::testing
