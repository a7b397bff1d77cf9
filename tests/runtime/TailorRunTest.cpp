//===- TailorRunTest.cpp - tailor-run: results, exit codes, messages ------===//
//
// Runs the built tailor-run (TAILOR_RUN) on artifacts and data written here
// and checks its output against the reference model, and its exit code and
// message on broken artifacts, inputs and options.
//
//===----------------------------------------------------------------------===//

#include "BrokenArtifacts.h"
#include "Harness.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace tailor::testing {
namespace {

using ::testing::HasSubstr;

struct Outcome {
  int exitCode;
  std::string output; ///< stdout and stderr
};

Outcome tailorRun(const std::string &arguments) {
  std::string command = std::string(TAILOR_RUN) + " " + arguments + " 2>&1";
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe)
    throw std::runtime_error("cannot run " + command);
  std::string output;
  char chunk[4096];
  while (std::size_t got = fread(chunk, 1, sizeof chunk, pipe))
    output.append(chunk, got);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

/// The predictions tailor-run printed for one variant ("i<TAB>class" lines
/// after the "sample" header; notes on stderr may come first).
std::vector<std::int32_t> predictions(const std::string &output) {
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line) && line.rfind("sample\t", 0) != 0) {
  }
  std::vector<std::int32_t> classes;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::int64_t index;
    std::int32_t predicted;
    if (!(fields >> index >> predicted))
      break;
    classes.push_back(predicted);
  }
  return classes;
}

class TailorRunVitTest : public ::testing::Test {
protected:
  static constexpr std::int64_t count = 20;

  TailorRunVitTest() {
    config.imageSize = 8;
    config.patchSize = 2;
    config.inputNormalization = {{0.2860, 0.3530}};
    config.variants = {{"b1.00", 1.0, {}}, {"b0.50", 0.5, {10, 5}}};
    config.seed = 3; // weights whose predictions on random images vary
    weights = randomWeights(config);
    artifact = buildArtifact(config, weights);
    artifact.write(dir.path("vit.tailor"));
    std::vector<std::int32_t> full;
    pixels = imagesOfSeveralClasses(config, weights, config.variants[0], count,
                                    11, full);
    writeIdx(dir.path("images.idx"), {count, 8, 8}, pixels);
    for (const VariantConfig &variant : config.variants)
      expected[variant.name] = argmaxRows(referenceForward(
          config, weights, variant, imageInputs(config, pixels, count)));
    EXPECT_EQ(expected["b1.00"], full);
    EXPECT_GE(std::set<std::int32_t>(full.begin(), full.end()).size(), 3u)
        << "the labels should tell a wrong runtime apart";
    writeIdx(dir.path("labels.idx"), {count},
             std::vector<std::uint8_t>(full.begin(), full.end()));
  }

  std::string model() const { return dir.path("vit.tailor"); }
  std::string images() const { return " --input " + dir.path("images.idx"); }

  TempDir dir;
  ModelConfig config;
  Weights weights;
  Artifact artifact;
  std::vector<std::uint8_t> pixels;
  std::map<std::string, std::vector<std::int32_t>> expected;
};

TEST_F(TailorRunVitTest, PrintsThePredictionsOfTheChosenVariant) {
  Outcome result = tailorRun(model() + images() + " --budget 0.6 --batch 7");
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_EQ(predictions(result.output), expected["b0.50"]);
  EXPECT_THAT(result.output, HasSubstr("b0.50"));
}

TEST_F(TailorRunVitTest, AccuracyWithLabels) {
  // The labels are the full model's own predictions.
  Outcome result = tailorRun(model() + images() + " --labels " +
                             dir.path("labels.idx") + " --variant b1.00");
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("1.0000"));
  EXPECT_THAT(result.output, HasSubstr("ms/sample"));
}

TEST_F(TailorRunVitTest, EveryVariantWithLatency) {
  Outcome result =
      tailorRun(model() + images() + " --labels " + dir.path("labels.idx") +
                " --all-variants --threads 2 --batch 8");
  ASSERT_EQ(result.exitCode, 0) << result.output;
  for (const VariantConfig &variant : config.variants) {
    std::int64_t agree = 0;
    for (std::int64_t i = 0; i < count; ++i)
      agree += expected[variant.name][i] == expected["b1.00"][i];
    char accuracy[16];
    std::snprintf(accuracy, sizeof accuracy, "%.4f",
                  static_cast<double>(agree) / count);
    EXPECT_THAT(result.output, HasSubstr(variant.name));
    EXPECT_THAT(result.output, HasSubstr(accuracy)) << variant.name;
  }
}

TEST_F(TailorRunVitTest, GzipInputAndLimit) {
  writeIdx(dir.path("images.idx.gz"), {count, 8, 8}, pixels, /*gzip=*/true);
  Outcome result = tailorRun(model() + " --input " + dir.path("images.idx.gz") +
                             " --limit 6");
  ASSERT_EQ(result.exitCode, 0) << result.output;
  std::vector<std::int32_t> firstSix(expected["b1.00"].begin(),
                                     expected["b1.00"].begin() + 6);
  EXPECT_EQ(predictions(result.output), firstSix);
}

struct Failure {
  std::string name;
  std::string arguments; ///< after the model path; {dir} is the directory
  std::string message;
};

TEST_F(TailorRunVitTest, BadOptionsAndInputsFailClearly) {
  std::ofstream(dir.path("not-idx.txt")) << "hello\n";
  // An IDX file of one float (element type 0x0d).
  std::ofstream(dir.path("floats.idx"), std::ios::binary)
      << std::string("\0\0\x0d\x01\0\0\0\x01\0\0\0\0", 12);
  writeIdx(dir.path("large.idx"), {2, 10, 10}, std::vector<std::uint8_t>(200));
  writeIdx(dir.path("few-labels.idx"), {3}, {1, 2, 3});
  writeIdx(dir.path("bad-labels.idx"), {count},
           std::vector<std::uint8_t>(count, 9));
  std::string in = images();
  const std::vector<Failure> failures = {
      {"budget below every variant", in + " --budget 0.1",
       "no variant fits budget 0.1: the smallest is 'b0.50'"},
      {"unknown variant", in + " --variant b0.10", "unknown variant 'b0.10'"},
      {"missing input file", " --input {dir}/absent.idx", "cannot open"},
      {"input is not IDX", " --input {dir}/not-idx.txt", "not an IDX file"},
      {"images of the wrong dtype", " --input {dir}/floats.idx",
       "element type 0x0d is not unsigned bytes (0x08)"},
      {"images of the wrong size", " --input {dir}/large.idx",
       "but the model takes 1-channel 8x8 images"},
      {"labels given as images", in + " --labels {dir}/images.idx",
       "not one label per image"},
      {"too few labels", in + " --labels {dir}/few-labels.idx",
       "has 3 labels for 20 inputs"},
      {"label out of range", in + " --labels {dir}/bad-labels.idx",
       "label 9 of sample 0 is not a class of the model (0 to 4)"},
      {"zero batch", in + " --batch 0", "--batch"},
      {"negative threads", in + " --threads -1", "--threads"},
      {"variant and budget", in + " --variant b1.00 --budget 0.5", "excludes"},
      {"unknown option", in + " --frobnicate", "--frobnicate"},
      {"no input", "", "--input is required"},
  };
  for (const Failure &failure : failures) {
    std::string arguments = failure.arguments;
    for (std::size_t at; (at = arguments.find("{dir}")) != std::string::npos;)
      arguments.replace(at, 5, dir.path(""));
    Outcome result = tailorRun(model() + arguments);
    EXPECT_NE(result.exitCode, 0) << failure.name;
    EXPECT_THAT(result.output, HasSubstr(failure.message)) << failure.name;
  }
}

TEST(TailorRun, BrokenArtifactsFailClearly) {
  ModelConfig config = brokenArtifactModel();
  Artifact artifact = buildArtifact(config, randomWeights(config));
  TempDir dir;
  writeIdx(dir.path("images.idx"), {2, 8, 8}, std::vector<std::uint8_t>(128));
  for (const BrokenArtifact &broken : brokenArtifacts()) {
    std::string path = dir.path("broken.tailor");
    std::filesystem::remove(path);
    broken.write(artifact, path);
    Outcome result = tailorRun(path + " --input " + dir.path("images.idx"));
    EXPECT_EQ(result.exitCode, 1) << broken.name;
    EXPECT_THAT(result.output, HasSubstr("tailor-run: error: ")) << broken.name;
    for (const std::string &part : broken.messages)
      EXPECT_THAT(result.output, HasSubstr(part)) << broken.name;
  }
}

TEST(TailorRun, Help) {
  Outcome result = tailorRun("--help");
  EXPECT_EQ(result.exitCode, 0);
  EXPECT_THAT(result.output, HasSubstr("--all-variants"));
  EXPECT_THAT(result.output, HasSubstr("--labels"));
}

TEST(TailorRun, EncoderTextInput) {
  ModelConfig config;
  config.kind = "encoder";
  config.keyMask = true;
  config.vocabSize = 50;
  config.maxPositions = 8;
  config.variants = {{"b1.00", 1.0, {}}};
  Weights weights = randomWeights(config);
  TempDir dir;
  buildArtifact(config, weights).write(dir.path("encoder.tailor"));
  Inputs inputs = randomInputs(config, 6, 4);
  std::ofstream text(dir.path("tokens.txt"));
  for (std::int64_t b = 0; b < inputs.batch; ++b) {
    for (std::int64_t s = 0; s < 8 && inputs.keyMask[b * 8 + s]; ++s)
      text << (s ? " " : "") << inputs.ids[b * 8 + s];
    text << "\n";
  }
  text.close();
  std::vector<std::int32_t> expected =
      argmaxRows(referenceForward(config, weights, config.variants[0], inputs));
  std::string model = dir.path("encoder.tailor");
  Outcome result =
      tailorRun(model + " --input " + dir.path("tokens.txt") + " --batch 4");
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_EQ(predictions(result.output), expected);

  std::ofstream(dir.path("big-id.txt")) << "0 5 7\n0 4 99 3\n";
  std::ofstream(dir.path("word.txt")) << "0 5 seven\n";
  std::ofstream(dir.path("long.txt")) << "0 1 2 3 4 5 6 7 8\n";
  const std::vector<Failure> failures = {
      {"token id out of range", "big-id.txt",
       "samples 0 to 1: variant 'b1.00': steps[0] (token_embeddings): token "
       "id 99 at [1, 2] of 'ids' is out of range"},
      {"not a number", "word.txt", "line 1: 'seven' is not a token id"},
      {"too long", "long.txt",
       "sequence 0 has 9 token ids; the model takes at most 8"},
  };
  for (const Failure &failure : failures) {
    Outcome bad = tailorRun(model + " --input " + dir.path(failure.arguments));
    EXPECT_EQ(bad.exitCode, 1) << failure.name;
    EXPECT_THAT(bad.output, HasSubstr(failure.message)) << failure.name;
  }
}

/// tailor-run on a file of glosses: the artifact's vocabulary encodes them
/// as the trainer does, so its predictions are the reference's on the
/// trainer's ids (TextTest checks the ids themselves).
TEST(TailorRun, EncoderGlossesInput) {
  const std::vector<std::string> glosses = {
      "a young domestic dog; usually a pet",
      "move fast by using one's feet, with one foot off the ground at any "
      "given time",
      "the quality of being well-known",
      "(music) a composition for one instrument",
      "in a careful manner; \"he walked carefully\"",
      "a dog with a careful manner"};
  ModelConfig config = tinyTextEncoderModel(glosses);
  config.variants = {{"b1.00", 1.0, {}}, {"b0.50", 0.5, {9, 5}}};
  config.seed = 5;
  Weights weights = randomWeights(config);
  TempDir dir;
  const std::string model = dir.path("text.tailor");
  buildArtifact(config, weights).write(model);
  std::ofstream text(dir.path("glosses.txt"));
  for (const std::string &gloss : glosses)
    text << gloss << "\n";
  text.close();
  const Inputs inputs = trainerTextInputs(config, glosses);
  std::ofstream ids(dir.path("ids.txt"));
  for (std::int64_t b = 0; b < inputs.batch; ++b) {
    for (std::int64_t s = 0; s < 12 && inputs.keyMask[b * 12 + s]; ++s)
      ids << (s ? " " : "") << inputs.ids[b * 12 + s];
    ids << "\n";
  }
  ids.close();
  std::ofstream labels(dir.path("labels.txt"));
  for (std::int32_t label : argmaxRows(
           referenceForward(config, weights, config.variants[1], inputs)))
    labels << label << "\n";
  labels.close();

  for (const VariantConfig &variant : config.variants) {
    std::vector<std::int32_t> expected =
        argmaxRows(referenceForward(config, weights, variant, inputs));
    for (const char *input : {"glosses.txt", "ids.txt --token-ids"}) {
      Outcome result = tailorRun(model + " --variant " + variant.name +
                                 " --batch 4 --input " + dir.path(input));
      ASSERT_EQ(result.exitCode, 0) << result.output;
      EXPECT_EQ(predictions(result.output), expected)
          << variant.name << ", " << input;
    }
  }
  Outcome scored =
      tailorRun(model + " --variant b0.50 --input " + dir.path("glosses.txt") +
                " --labels " + dir.path("labels.txt"));
  ASSERT_EQ(scored.exitCode, 0) << scored.output;
  EXPECT_THAT(scored.output, HasSubstr(" 1.0000 "));
  EXPECT_THAT(scored.output,
              HasSubstr("1 of 6 texts have more words than the model's "
                        "sequence holds: their first words are kept"));

  ModelConfig idsOnly = config;
  idsOnly.vocabulary.clear();
  buildArtifact(idsOnly, weights).write(dir.path("ids-only.tailor"));
  std::ofstream(dir.path("empty.txt")).close();
  std::ofstream(dir.path("blank-line.txt")) << "a dog\n\nthe dog\n";
  auto expectFailure = [](const std::string &arguments,
                          const std::string &message) {
    Outcome bad = tailorRun(arguments);
    EXPECT_EQ(bad.exitCode, 1) << arguments;
    EXPECT_THAT(bad.output, HasSubstr(message)) << arguments;
  };
  expectFailure(model + " --input " + dir.path("empty.txt"),
                "--input '" + dir.path("empty.txt") + "' is empty");
  expectFailure(model + " --input " + dir.path("blank-line.txt"),
                "--input '" + dir.path("blank-line.txt") + "' line 2 is empty");
  expectFailure(dir.path("ids-only.tailor") + " --input " +
                    dir.path("glosses.txt"),
                "line 1: 'a' is not a token id (this artifact carries no "
                "vocabulary, so it reads token ids only; compile a checkpoint "
                "that has vocab.txt to run text)");
}

} // namespace
} // namespace tailor::testing
