//===- validate.cpp - The rules a model config must follow ----------------===//

#include "checked_math.h"
#include "config_keys.h"

#include "tailor/checkpoint/error.h"

#include <cmath>
#include <sstream>

namespace tailor::checkpoint {
namespace detail {

const ConfigKeys modelJsonKeys = {
    "architecture.layers",          "architecture.hidden",
    "architecture.heads",           "architecture.intermediate",
    "architecture.layer_norm_eps",  "architecture.classes",
    "architecture.vocab_size",      "architecture.max_positions",
    "architecture.type_vocab_size", "architecture.pooler",
    "architecture.image_size",      "architecture.patch_size",
    "architecture.channels"};

const ConfigKeys huggingFaceKeys = {
    "num_hidden_layers",   "hidden_size",
    "num_attention_heads", "intermediate_size",
    "layer_norm_eps",      "id2label (or num_labels)",
    "vocab_size",          "max_position_embeddings",
    "type_vocab_size",     "pooler",
    "image_size",          "patch_size",
    "num_channels"};

namespace {

class Checker {
public:
  explicit Checker(std::string_view where) : where(where) {}

  [[noreturn]] void fail(std::string_view key,
                         const std::string &message) const {
    throw CheckpointError(std::string(where) + ": " + std::string(key) + ": " +
                          message);
  }

  void atLeast(std::string_view key, std::int64_t value,
               std::int64_t minimum) const {
    if (value < minimum)
      fail(key, "must be at least " + std::to_string(minimum) + ", got " +
                    std::to_string(value));
  }

  void fraction(std::string_view key, double value, bool includeOne) const {
    if (!(value >= 0.0 && (includeOne ? value <= 1.0 : value < 1.0)))
      fail(key, std::string("must be in [0, 1") + (includeOne ? "]" : ")") +
                    ", got " + format(value));
  }

  static std::string format(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
  }

private:
  std::string_view where;
};

std::string lengthsText(const std::vector<std::int64_t> &lengths) {
  std::string text = "[";
  for (std::size_t i = 0; i < lengths.size(); ++i)
    text += (i ? ", " : "") + std::to_string(lengths[i]);
  return text + "]";
}

/// One layer's mask: rows x rows entries of 0 or 1, every query block
/// attending somewhere, and with a global first block its row and column
/// all ones.
void checkSsaMask(const Checker &check, const std::string &key,
                  const std::vector<std::int64_t> &mask, std::int64_t rows,
                  bool globalFirstBlock) {
  if (static_cast<std::int64_t>(mask.size()) != rows * rows)
    check.fail(key, std::to_string(mask.size()) + " entries, expected " +
                        std::to_string(rows) + " x " + std::to_string(rows) +
                        " (one per query block and key block)");
  for (std::int64_t row = 0; row < rows; ++row) {
    bool attends = false;
    for (std::int64_t col = 0; col < rows; ++col) {
      const std::int64_t bit = mask[row * rows + col];
      const std::string at =
          "entry (" + std::to_string(row) + ", " + std::to_string(col) + ") ";
      if (bit != 0 && bit != 1)
        check.fail(key, at + "is " + std::to_string(bit) + ", not 0 or 1");
      if (globalFirstBlock && (row == 0 || col == 0) && bit == 0)
        check.fail(key, at + "is 0, but global_first_block makes block 0's "
                             "row and column all ones");
      attends = attends || bit == 1;
    }
    if (!attends)
      check.fail(key, "query block " + std::to_string(row) +
                          " attends to no key block");
  }
}

void validateSsa(const ModelConfig &config, const Checker &check) {
  const SsaSettings &ssa = *config.adaptive.ssa;
  check.atLeast("adaptive.ssa.block", ssa.block, 1);
  if (!(ssa.keep > 0.0 && ssa.keep <= 1.0))
    check.fail("adaptive.ssa.keep",
               "must be in (0, 1], got " + Checker::format(ssa.keep));
  if (!(ssa.locality >= 0.0 && std::isfinite(ssa.locality)))
    check.fail("adaptive.ssa.locality", "must be a finite number >= 0, got " +
                                            Checker::format(ssa.locality));
  const std::size_t count = ssa.patterns.size();
  if (ssa.inference == SsaInference::Sparse && count != 1)
    check.fail("adaptive.ssa.patterns",
               "inference \"sparse\" needs exactly 1 pattern, got " +
                   std::to_string(count));
  if (ssa.inference == SsaInference::Ensemble && count < 2)
    check.fail("adaptive.ssa.patterns",
               "inference \"ensemble\" needs at least 2 patterns, got " +
                   std::to_string(count));
  const std::int64_t rows = ssaBlockRows(config, ssa.block);
  for (std::size_t p = 0; p < count; ++p) {
    const std::string key = "adaptive.ssa.patterns[" + std::to_string(p) + "]";
    const std::vector<std::vector<std::int64_t>> &masks = ssa.patterns[p].masks;
    if (static_cast<std::int64_t>(masks.size()) != config.layers)
      check.fail(key + ".layers", std::to_string(masks.size()) +
                                      " masks for a model of " +
                                      std::to_string(config.layers) +
                                      " layers (one mask per layer)");
    for (std::size_t l = 0; l < masks.size(); ++l)
      checkSsaMask(check, key + ".layers[" + std::to_string(l) + "].mask",
                   masks[l], rows, ssa.globalFirstBlock);
  }
}

void validateAcm(const ModelConfig &config, const Checker &check) {
  const AcmSettings &acm = *config.adaptive.acm;
  if (acm.layers.empty())
    check.fail("adaptive.acm.layers", "lists no layer");
  for (std::size_t i = 0; i < acm.layers.size(); ++i) {
    const std::int64_t layer = acm.layers[i];
    const std::string key = "adaptive.acm.layers[" + std::to_string(i) + "]";
    if (layer < 0 || layer >= config.layers)
      check.fail(key, "layer " + std::to_string(layer) + " is not in [0, " +
                          std::to_string(config.layers) + ")");
    if (i > 0 && layer <= acm.layers[i - 1])
      check.fail(key, "layer " + std::to_string(layer) + " after " +
                          std::to_string(acm.layers[i - 1]) +
                          " (layers are listed once, ascending)");
  }
  check.atLeast("adaptive.acm.learners", acm.learners, 2);
  check.atLeast("adaptive.acm.learner_width", acm.learnerWidth, 1);
  if (std::optional<std::int64_t> width =
          checkedProduct({acm.learners, acm.learnerWidth});
      !width || *width != config.intermediate)
    check.fail("adaptive.acm.learner_width",
               std::to_string(acm.learners) + " learners of width " +
                   std::to_string(acm.learnerWidth) +
                   " do not make up architecture.intermediate " +
                   std::to_string(config.intermediate));
  if (!(acm.budget > 0.0 && acm.budget <= 1.0))
    check.fail("adaptive.acm.budget",
               "must be in (0, 1], got " + Checker::format(acm.budget));
  const double fewest = 1.0 / static_cast<double>(acm.learners);
  // Tolerates the rounding of the mean that was written.
  if (acm.compute &&
      !(*acm.compute >= fewest - 1e-9 && *acm.compute <= 1.0 + 1e-9))
    check.fail("adaptive.acm.compute",
               "must be in [1/learners, 1] = [" + Checker::format(fewest) +
                   ", 1], got " + Checker::format(*acm.compute));
}

} // namespace

void validateArchitecture(const ModelConfig &config, std::string_view where,
                          const ConfigKeys &keys) {
  Checker check(where);
  check.atLeast(keys.layers, config.layers, 1);
  check.atLeast(keys.hidden, config.hidden, 1);
  check.atLeast(keys.heads, config.heads, 1);
  check.atLeast(keys.intermediate, config.intermediate, 1);
  check.atLeast(keys.classes, config.classes, 1);
  if (config.hidden % config.heads != 0)
    check.fail(keys.hidden, std::to_string(config.hidden) +
                                " is not divisible by " +
                                std::string(keys.heads) + " " +
                                std::to_string(config.heads));
  if (!(config.layerNormEps > 0.0 && std::isfinite(config.layerNormEps)))
    check.fail(keys.layerNormEps, "must be a positive number, got " +
                                      Checker::format(config.layerNormEps));
  if (config.kind == ModelKind::Encoder) {
    check.atLeast(keys.vocabSize, config.vocabSize, 1);
    check.atLeast(keys.maxPositions, config.maxPositions, 1);
    check.atLeast(keys.typeVocabSize, config.typeVocabSize, 0);
    return;
  }
  if (config.pooler)
    check.fail(keys.pooler, "only an encoder has a pooler, this is a vit");
  check.atLeast(keys.imageSize, config.imageSize, 1);
  check.atLeast(keys.patchSize, config.patchSize, 1);
  check.atLeast(keys.channels, config.channels, 1);
  if (config.imageSize % config.patchSize != 0)
    check.fail(keys.imageSize, std::to_string(config.imageSize) +
                                   " is not divisible by " +
                                   std::string(keys.patchSize) + " " +
                                   std::to_string(config.patchSize));
  const std::int64_t side = config.imageSize / config.patchSize;
  if (!checkedProduct({side, side}) ||
      !checkedProduct({config.channels, config.patchSize, config.patchSize}))
    check.fail(keys.imageSize, "the patch count or the patch size overflows "
                               "64-bit integers");
}

} // namespace detail

void checkLengths(const ModelConfig &config,
                  const std::vector<std::int64_t> &lengths,
                  std::string_view where) {
  auto fail = [&](const std::string &message) {
    throw CheckpointError(std::string(where) + ": " +
                          detail::lengthsText(lengths) + ": " + message);
  };
  if (config.layers < 1 ||
      static_cast<std::int64_t>(lengths.size()) != config.layers)
    fail(std::to_string(lengths.size()) + " entries for a model of " +
         std::to_string(config.layers) + " layers (one entry per layer)");
  const std::int64_t tokens = inputTokens(config);
  const bool restores = restoresBeforeLastLayer(config);
  const std::size_t free = restores ? lengths.size() - 1 : lengths.size();
  std::int64_t previous = tokens;
  for (std::size_t i = 0; i < free; ++i) {
    const std::string layer = "layer " + std::to_string(i) + " keeps " +
                              std::to_string(lengths[i]) + " tokens";
    if (lengths[i] < 1)
      fail(layer + ", every layer keeps at least 1 (the CLS token)");
    if (lengths[i] > previous)
      fail(layer + ", more than " +
           (i == 0
                ? "the " + std::to_string(tokens) + " input tokens"
                : "layer " + std::to_string(i - 1) + "'s " +
                      std::to_string(previous) + " (entries never increase)"));
    previous = lengths[i];
  }
  if (restores && lengths.back() != tokens)
    fail("with Drop-and-Restore (task \"token\") the last layer runs on all " +
         std::to_string(tokens) + " tokens, got " +
         std::to_string(lengths.back()));
}

void validate(const ModelConfig &config, std::string_view where) {
  detail::validateArchitecture(config, where, detail::modelJsonKeys);
  detail::Checker check(where);
  const AdaptiveConfig &adaptive = config.adaptive;
  if (adaptive.lengthDrop) {
    check.fraction("adaptive.length_drop.p", adaptive.lengthDrop->p, false);
    check.fraction("adaptive.length_drop.layer_drop",
                   adaptive.lengthDrop->layerDrop, false);
    check.atLeast("adaptive.length_drop.sandwich_random",
                  adaptive.lengthDrop->sandwichRandom, 0);
  }
  if (adaptive.dropAndRestore && config.task != TaskKind::Token)
    check.fail("adaptive.drop_and_restore",
               "Drop-and-Restore needs token-level outputs, but "
               "architecture.task is \"sequence\"");
  for (std::size_t i = 0; i < adaptive.lengthConfigs.size(); ++i) {
    const LengthConfig &entry = adaptive.lengthConfigs[i];
    const std::string key =
        "adaptive.length_configs[" + std::to_string(i) + "]";
    if (!(entry.budget > 0.0 && entry.budget <= 1.0))
      check.fail(key + ".budget", "must be in (0, 1], got " +
                                      detail::Checker::format(entry.budget));
    checkLengths(config, entry.lengths,
                 std::string(where) + ": " + key + ".lengths");
    check.atLeast(key + ".flops", entry.flops, 0);
    check.fraction(key + ".accuracy", entry.accuracy, true);
  }
  for (std::size_t i = 0; i < adaptive.pareto.size(); ++i) {
    const ParetoPoint &point = adaptive.pareto[i];
    const std::string key = "adaptive.pareto[" + std::to_string(i) + "]";
    checkLengths(config, point.lengths,
                 std::string(where) + ": " + key + ".lengths");
    check.atLeast(key + ".flops", point.flops, 0);
    check.fraction(key + ".accuracy", point.accuracy, true);
  }
  if (adaptive.ssa)
    detail::validateSsa(config, check);
  if (adaptive.acm)
    detail::validateAcm(config, check);
}

} // namespace tailor::checkpoint
