//===- wordnet.h - WordNet glosses and their vocabulary ---------*- C++ -*-===//
#ifndef TAILOR_TRAIN_WORDNET_H
#define TAILOR_TRAIN_WORDNET_H

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

/// Lower-cased words (letters and digits, joined by inner ' or -) and single
/// punctuation characters.
std::vector<std::string> tokenizeGloss(std::string_view gloss);

/// Word-level vocabulary: [PAD] = 0, [UNK] = 1, [CLS] = 2, then the words of
/// the training split seen at least `minCount` times, most frequent first
/// (ties alphabetical).
class Vocabulary {
public:
  /// Padding; the model's key mask is `ids != kPadId`.
  static constexpr std::int64_t kPadId = 0;
  static constexpr std::int64_t kUnkId = 1;
  static constexpr std::int64_t kClsId = 2;

  static Vocabulary build(const std::vector<std::vector<std::string>> &texts,
                          std::int64_t minCount);
  /// One word per line, id = line number; throws Error on a file that does
  /// not start with the three special tokens or repeats a word.
  static Vocabulary load(const std::string &path);
  void save(const std::string &path) const;

  std::int64_t size() const { return static_cast<std::int64_t>(words.size()); }
  std::int64_t id(const std::string &word) const;
  /// [CLS], then the ids of the first maxLength - 1 words, padded with
  /// kPadId to maxLength.
  std::vector<std::int64_t> encode(const std::vector<std::string> &text,
                                   std::int64_t maxLength) const;

private:
  explicit Vocabulary(std::vector<std::string> words);
  std::vector<std::string> words;
  std::map<std::string, std::int64_t, std::less<>> ids;
};

} // namespace tailor::train

#endif // TAILOR_TRAIN_WORDNET_H
