//===- ThreadPool.h - The CPU backend's worker threads ----------*- C++ -*-===//
#ifndef TAILOR_RUNTIME_CPU_THREADPOOL_H
#define TAILOR_RUNTIME_CPU_THREADPOOL_H

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tailor::detail::cpu {

/// A fixed set of threads that split loops with the calling thread.
class ThreadPool {
public:
  /// `threads` counts the calling thread: 1 runs everything inline.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  int size() const { return static_cast<int>(workers.size()) + 1; }

  /// Calls body(begin, end) on disjoint ranges covering [0, n), each at least
  /// `grain` long but the last, and returns when all are done. An exception
  /// from `body` is rethrown here once every range has finished.
  void parallelFor(std::int64_t n, std::int64_t grain,
                   const std::function<void(std::int64_t, std::int64_t)> &body);

private:
  struct Job;
  void work();
  static void runChunks(Job &job);

  std::vector<std::thread> workers;
  std::mutex mutex;
  std::condition_variable wake;
  std::condition_variable finished;
  Job *job = nullptr;
  std::uint64_t generation = 0;
  bool stopping = false;
};

} // namespace tailor::detail::cpu

#endif // TAILOR_RUNTIME_CPU_THREADPOOL_H
