//===- progress.h - A progress bar on stderr --------------------*- C++ -*-===//
#ifndef TAILOR_TRAIN_PROGRESS_H
#define TAILOR_TRAIN_PROGRESS_H

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace tailor::train {

/// "label  45% [=========>          ] 190/430 00:41<00:50 loss 0.43 ...".
/// On a terminal the line redraws in place (at most 5 times a second);
/// otherwise (a log file) it prints a line every 10% of the work.
class ProgressBar {
public:
  /// `start`: units already done (a resumed run), not counted in the rate.
  ProgressBar(std::string label, std::int64_t total, std::int64_t start = 0);
  ProgressBar(std::string label, std::int64_t total, std::int64_t start,
              std::ostream &out, bool terminal);

  void update(std::int64_t done, const std::string &status);
  /// Draws the final state and ends the line.
  void finish(const std::string &status);

  /// "mm:ss" or "h:mm:ss".
  static std::string formatDuration(double seconds);

private:
  void draw(std::int64_t done, const std::string &status, bool last);

  std::string label;
  std::int64_t total;
  std::int64_t start;
  std::ostream &out;
  bool terminal;
  std::chrono::steady_clock::time_point began;
  std::chrono::steady_clock::time_point lastDraw;
  std::int64_t lastDecile = -1;
  std::int64_t done = 0;
};

} // namespace tailor::train

#endif // TAILOR_TRAIN_PROGRESS_H
