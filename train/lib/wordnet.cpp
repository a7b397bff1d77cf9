//===- wordnet.cpp - WordNet glosses and their vocabulary -----------------===//

#include "tailor/train/wordnet.h"
#include "tailor/train/error.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <unordered_map>

namespace tailor::train {

namespace {
const char *const kSpecialTokens[] = {"[PAD]", "[UNK]", "[CLS]"};

struct DataFile {
  const char *name;
  PartOfSpeech pos;
  char letter;
};
const DataFile kDataFiles[] = {{"data.noun", PartOfSpeech::Noun, 'n'},
                               {"data.verb", PartOfSpeech::Verb, 'v'},
                               {"data.adj", PartOfSpeech::Adjective, 'a'},
                               {"data.adv", PartOfSpeech::Adverb, 'r'}};

char posLetter(PartOfSpeech pos) {
  for (const DataFile &file : kDataFiles)
    if (file.pos == pos)
      return file.letter;
  return '?';
}

bool allDigits(const std::string &text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isdigit(c); });
}

Synset parseLine(const std::string &line, const DataFile &file,
                 const std::string &where) {
  // "offset lex_filenum ss_type w_cnt word lex_id ... p_cnt ... | gloss"
  std::size_t bar = line.find(" | ");
  if (bar == std::string::npos)
    throw Error(where + ": no ' | ' before the gloss");
  std::size_t first = line.find(' ');
  std::size_t second = line.find(' ', first + 1);
  std::size_t third = line.find(' ', second + 1);
  if (third == std::string::npos || third > bar)
    throw Error(where + ": expected 'offset lex_filenum ss_type' first");
  std::string offset = line.substr(0, first);
  std::string lexFile = line.substr(first + 1, second - first - 1);
  std::string type = line.substr(second + 1, third - second - 1);
  if (!allDigits(offset) || offset.size() != 8)
    throw Error(where + ": synset offset '" + offset + "' is not 8 digits");
  if (!allDigits(lexFile) || std::stoll(lexFile) >= kLexicographerFiles)
    throw Error(where + ": lex_filenum '" + lexFile + "' is not in [0, " +
                std::to_string(kLexicographerFiles) + ")");
  bool typeMatches = type.size() == 1 &&
                     (type[0] == file.letter ||
                      (file.pos == PartOfSpeech::Adjective && type[0] == 's'));
  if (!typeMatches)
    throw Error(where + ": ss_type '" + type + "' does not belong in " +
                file.name);
  std::string gloss = line.substr(bar + 3);
  while (!gloss.empty() &&
         std::isspace(static_cast<unsigned char>(gloss.back())))
    gloss.pop_back();
  return Synset{file.pos, static_cast<std::uint32_t>(std::stoul(offset)),
                std::stoll(lexFile), gloss};
}
} // namespace

std::vector<Synset> readWordnet(const std::string &dir) {
  std::vector<Synset> synsets;
  for (const DataFile &file : kDataFiles) {
    std::string path = dir + "/" + file.name;
    std::ifstream in(path);
    if (!in)
      throw Error(path + ": cannot open");
    std::string line;
    std::size_t number = 0;
    std::size_t before = synsets.size();
    while (std::getline(in, line)) {
      ++number;
      if (line.empty() || line[0] == ' ') // the licence header
        continue;
      synsets.push_back(
          parseLine(line, file, path + ":" + std::to_string(number)));
    }
    if (synsets.size() == before)
      throw Error(path + ": no synsets");
  }
  return synsets;
}

Split splitOf(const Synset &synset) {
  std::string key = posLetter(synset.pos) + std::to_string(synset.offset);
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : key)
    hash = (hash ^ c) * 1099511628211ull;
  std::uint64_t bucket = hash % 10;
  return bucket == 0   ? Split::Test
         : bucket == 1 ? Split::Validation
                       : Split::Train;
}

std::vector<std::string> tokenizeGloss(std::string_view gloss) {
  auto isWordChar = [](unsigned char c) { return std::isalnum(c) || c >= 128; };
  std::vector<std::string> tokens;
  std::size_t i = 0;
  while (i < gloss.size()) {
    unsigned char c = gloss[i];
    if (std::isspace(c)) {
      ++i;
      continue;
    }
    if (!isWordChar(c)) {
      tokens.emplace_back(1, static_cast<char>(c));
      ++i;
      continue;
    }
    std::string word;
    while (i < gloss.size()) {
      unsigned char d = gloss[i];
      bool joiner = (d == '\'' || d == '-') && i + 1 < gloss.size() &&
                    isWordChar(gloss[i + 1]) && !word.empty();
      if (!isWordChar(d) && !joiner)
        break;
      word += static_cast<char>(std::tolower(d));
      ++i;
    }
    tokens.push_back(std::move(word));
  }
  return tokens;
}

Vocabulary::Vocabulary(std::vector<std::string> wordList)
    : words(std::move(wordList)) {
  for (std::size_t i = 0; i < words.size(); ++i)
    ids.emplace(words[i], static_cast<std::int64_t>(i));
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

Vocabulary Vocabulary::load(const std::string &path) {
  std::ifstream in(path);
  if (!in)
    throw Error(path + ": cannot open the vocabulary");
  std::vector<std::string> words;
  std::string line;
  while (std::getline(in, line))
    words.push_back(line);
  for (std::size_t i = 0; i < std::size(kSpecialTokens); ++i)
    if (words.size() <= i || words[i] != kSpecialTokens[i])
      throw Error(path + ":" + std::to_string(i + 1) + ": expected " +
                  kSpecialTokens[i]);
  Vocabulary vocabulary(words);
  if (vocabulary.ids.size() != words.size())
    throw Error(path + ": a word appears twice");
  return vocabulary;
}

void Vocabulary::save(const std::string &path) const {
  std::ofstream out(path);
  for (const auto &word : words)
    out << word << '\n';
  if (!out)
    throw Error(path + ": cannot write the vocabulary");
}

std::int64_t Vocabulary::id(const std::string &word) const {
  auto found = ids.find(word);
  return found == ids.end() ? kUnkId : found->second;
}

std::vector<std::int64_t>
Vocabulary::encode(const std::vector<std::string> &text,
                   std::int64_t maxLength) const {
  std::vector<std::int64_t> encoded(maxLength, kPadId);
  encoded[0] = kClsId;
  for (std::int64_t i = 1; i < maxLength && i <= std::int64_t(text.size()); ++i)
    encoded[i] = id(text[i - 1]);
  return encoded;
}

} // namespace tailor::train
