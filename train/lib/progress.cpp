//===- progress.cpp - A progress bar on stderr ----------------------------===//

#include "tailor/train/progress.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace tailor::train {

ProgressBar::ProgressBar(std::string label, std::int64_t total,
                         std::int64_t start)
    : ProgressBar(std::move(label), total, start, std::cerr,
                  isatty(STDERR_FILENO)) {}

ProgressBar::ProgressBar(std::string label, std::int64_t total,
                         std::int64_t start, std::ostream &out, bool terminal)
    : label(std::move(label)), total(std::max<std::int64_t>(total, 1)),
      start(start), out(out), terminal(terminal),
      began(std::chrono::steady_clock::now()), done(start) {}

std::string ProgressBar::formatDuration(double seconds) {
  auto whole = static_cast<long long>(seconds < 0 ? 0 : seconds + 0.5);
  char text[32];
  if (whole >= 3600)
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", whole / 3600,
                  whole / 60 % 60, whole % 60);
  else
    std::snprintf(text, sizeof text, "%02lld:%02lld", whole / 60, whole % 60);
  return text;
}

void ProgressBar::update(std::int64_t now, const std::string &status) {
  done = now;
  auto time = std::chrono::steady_clock::now();
  if (terminal) {
    if (time - lastDraw < std::chrono::milliseconds(200))
      return;
  } else {
    std::int64_t decile = done * 10 / total;
    if (decile == lastDecile)
      return;
    lastDecile = decile;
  }
  lastDraw = time;
  draw(done, status, false);
}

void ProgressBar::finish(const std::string &status) {
  // In a log the last update may already have drawn this state.
  if (terminal || done * 10 / total != lastDecile)
    draw(done, status, true);
}

void ProgressBar::draw(std::int64_t now, const std::string &status, bool last) {
  const int kWidth = 24;
  double fraction = std::min(1.0, double(now) / double(total));
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began)
          .count();
  double rate = now > start ? double(now - start) / elapsed : 0.0;
  std::string eta = rate > 0 ? formatDuration(double(total - now) / rate)
                             : std::string("--:--");
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar(filled, '=');
  if (filled < kWidth)
    bar += '>' + std::string(kWidth - filled - 1, ' ');
  char percent[8];
  std::snprintf(percent, sizeof percent, "%3d%%", int(fraction * 100));
  out << (terminal ? "\r\033[K" : "") << label << ' ' << percent << " [" << bar
      << "] " << now << '/' << total << ' ' << formatDuration(elapsed) << '<'
      << eta << ' ' << status;
  if (!terminal || last)
    out << '\n';
  out.flush();
}

} // namespace tailor::train
