//===- text.h - Tokenizing glosses and the word vocabulary ------*- C++ -*-===//
//
// The one definition of how text becomes token ids in Tailor: the trainer
// builds and saves the vocabulary with it, the compiler stores the
// vocabulary in the artifact, and the runtime encodes text with it, so a
// model sees the same ids in training and in deployment. No dependencies.
//
//===----------------------------------------------------------------------===//
#ifndef TAILOR_TEXT_TEXT_H
#define TAILOR_TEXT_TEXT_H

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tailor::text {

/// A bad vocabulary file or list; the message names the file and line.
class TextError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Lower-cased words (ASCII letters and digits, and bytes >= 128, joined by
/// inner ' or -) and single punctuation characters; whitespace separates.
std::vector<std::string> tokenize(std::string_view text);

/// Word-level vocabulary: [PAD] = 0, [UNK] = 1, [CLS] = 2, then words.
class Vocabulary {
public:
  static constexpr std::int64_t kPadId = 0;
  static constexpr std::int64_t kUnkId = 1;
  static constexpr std::int64_t kClsId = 2;

  /// The words of `texts` seen at least `minCount` times, most frequent
  /// first (ties alphabetical), after the special tokens.
  static Vocabulary build(const std::vector<std::vector<std::string>> &texts,
                          std::int64_t minCount);
  /// `words` must start with the special tokens and hold no word twice;
  /// `where` (a file, a manifest field) starts every error message.
  static Vocabulary fromWords(std::vector<std::string> words,
                              std::string_view where);
  /// `text` holds one word per line, id = line number ('\n' ends each line;
  /// the last one may go without): vocab.txt's contents, or the artifact's
  /// vocabulary tensor.
  static Vocabulary fromText(std::string_view text, std::string_view where);
  /// Every word followed by '\n', in id order: what fromText reads.
  std::string toText() const;
  /// A file of fromText's form.
  static Vocabulary load(const std::string &path);
  void save(const std::string &path) const;

  const std::vector<std::string> &words() const { return wordList; }
  std::int64_t size() const {
    return static_cast<std::int64_t>(wordList.size());
  }
  /// kUnkId for a word outside the vocabulary.
  std::int64_t id(std::string_view word) const;
  /// [CLS], then the ids of the first maxLength - 1 words, padded with
  /// kPadId to maxLength.
  std::vector<std::int64_t> encode(const std::vector<std::string> &text,
                                   std::int64_t maxLength) const;

private:
  explicit Vocabulary(std::vector<std::string> words);
  std::vector<std::string> wordList;
  std::map<std::string, std::int64_t, std::less<>> ids;
};

} // namespace tailor::text

#endif // TAILOR_TEXT_TEXT_H
