//===- wordnet.cpp - WordNet glosses and their vocabulary -----------------===//

#include "tailor/train/wordnet.h"
#include "tailor/train/error.h"

#include <algorithm>
#include <cctype>
#include <fstream>

namespace tailor::train {

namespace {

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

} // namespace tailor::train
