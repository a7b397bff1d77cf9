//===- text.cpp - Tokenizing glosses and the word vocabulary --------------===//

#include "tailor/text/text.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <unordered_map>

namespace tailor::text {

namespace {

const char *const kSpecialTokens[] = {"[PAD]", "[UNK]", "[CLS]"};

bool isWordByte(unsigned char c) { return std::isalnum(c) || c >= 128; }

} // namespace

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    unsigned char c = text[i];
    if (std::isspace(c)) {
      ++i;
      continue;
    }
    if (!isWordByte(c)) {
      tokens.emplace_back(1, static_cast<char>(c));
      ++i;
      continue;
    }
    std::string word;
    while (i < text.size()) {
      unsigned char d = text[i];
      bool joiner = (d == '\'' || d == '-') && i + 1 < text.size() &&
                    isWordByte(text[i + 1]) && !word.empty();
      if (!isWordByte(d) && !joiner)
        break;
      word += static_cast<char>(std::tolower(d));
      ++i;
    }
    tokens.push_back(std::move(word));
  }
  return tokens;
}

Vocabulary::Vocabulary(std::vector<std::string> words)
    : wordList(std::move(words)) {
  for (std::size_t i = 0; i < wordList.size(); ++i)
    ids.emplace(wordList[i], static_cast<std::int64_t>(i));
}

Vocabulary Vocabulary::build(const std::vector<std::vector<std::string>> &texts,
                             std::int64_t minCount) {
  std::unordered_map<std::string, std::int64_t> counts;
  for (const auto &text : texts)
    for (const auto &word : text)
      ++counts[word];
  std::vector<std::pair<std::string, std::int64_t>> frequent;
  for (const auto &[word, count] : counts)
    if (count >= minCount)
      frequent.emplace_back(word, count);
  std::sort(frequent.begin(), frequent.end(), [](const auto &a, const auto &b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::vector<std::string> words(std::begin(kSpecialTokens),
                                 std::end(kSpecialTokens));
  for (const auto &entry : frequent)
    words.push_back(entry.first);
  return Vocabulary(std::move(words));
}

Vocabulary Vocabulary::fromWords(std::vector<std::string> words,
                                 std::string_view where) {
  for (std::size_t i = 0; i < std::size(kSpecialTokens); ++i)
    if (words.size() <= i || words[i] != kSpecialTokens[i])
      throw TextError(std::string(where) + ": entry " + std::to_string(i + 1) +
                      " must be " + kSpecialTokens[i]);
  Vocabulary vocabulary(std::move(words));
  if (vocabulary.ids.size() != vocabulary.wordList.size()) {
    std::map<std::string_view, std::size_t> seen;
    for (std::size_t i = 0; i < vocabulary.wordList.size(); ++i) {
      auto [at, fresh] = seen.emplace(vocabulary.wordList[i], i);
      if (!fresh)
        throw TextError(std::string(where) + ": entry " +
                        std::to_string(i + 1) + " repeats '" +
                        vocabulary.wordList[i] + "' of entry " +
                        std::to_string(at->second + 1));
    }
  }
  return vocabulary;
}

Vocabulary Vocabulary::fromText(std::string_view text, std::string_view where) {
  std::vector<std::string> words;
  while (!text.empty()) {
    std::size_t end = std::min(text.find('\n'), text.size());
    words.emplace_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return fromWords(std::move(words), where);
}

std::string Vocabulary::toText() const {
  std::string text;
  for (const auto &word : wordList)
    (text += word) += '\n';
  return text;
}

Vocabulary Vocabulary::load(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw TextError(path + ": cannot open the vocabulary");
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  if (in.bad())
    throw TextError(path + ": cannot read the vocabulary");
  return fromText(text, path);
}

void Vocabulary::save(const std::string &path) const {
  std::ofstream out(path, std::ios::binary);
  out << toText();
  if (!out)
    throw TextError(path + ": cannot write the vocabulary");
}

std::int64_t Vocabulary::id(std::string_view word) const {
  auto found = ids.find(word);
  return found == ids.end() ? kUnkId : found->second;
}

std::vector<std::int64_t>
Vocabulary::encode(const std::vector<std::string> &text,
                   std::int64_t maxLength) const {
  std::vector<std::int64_t> encoded(maxLength, kPadId);
  if (maxLength == 0)
    return encoded;
  encoded[0] = kClsId;
  for (std::int64_t i = 1; i < maxLength && i <= std::int64_t(text.size()); ++i)
    encoded[i] = id(text[i - 1]);
  return encoded;
}

} // namespace tailor::text
