//===- wordnet.h - WordNet glosses and their vocabulary ---------*- C++ -*-===//
#ifndef TAILOR_TRAIN_WORDNET_H
#define TAILOR_TRAIN_WORDNET_H

#include "tailor/text/text.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tailor::train {

/// Parts of speech as the POS task's classes: the data file a synset is in
/// (adjective satellites "s" are in data.adj, so they count as adjectives).
enum class PartOfSpeech { Noun, Verb, Adjective, Adverb };
constexpr std::int64_t kPartsOfSpeech = 4;
/// WordNet's lexicographer files: lex_filenum is in [0, 45).
constexpr std::int64_t kLexicographerFiles = 45;

struct Synset {
  PartOfSpeech pos;
  std::uint32_t offset;
  std::int64_t lexFile;
  std::string gloss;
};

/// Every synset of data.noun, data.verb, data.adj and data.adv in `dir`;
/// throws Error naming the file and line of a malformed entry.
std::vector<Synset> readWordnet(const std::string &dir);

enum class Split { Train, Validation, Test };
/// Deterministic 80/10/10 split by an FNV-1a hash of the file's POS letter
/// and the synset offset (offsets are unique only within one file).
Split splitOf(const Synset &synset);

/// The gloss's tokens: tailor::text's tokenizer, which the runtime shares.
inline std::vector<std::string> tokenizeGloss(std::string_view gloss) {
  return text::tokenize(gloss);
}

/// The word vocabulary ([PAD] = 0, [UNK] = 1, [CLS] = 2, then words), shared
/// with the compiler and the runtime.
using text::Vocabulary;

} // namespace tailor::train

#endif // TAILOR_TRAIN_WORDNET_H
