//===- ThreadPool.cpp - The CPU backend's worker threads ------------------===//

#include "ThreadPool.h"

#include <algorithm>
#include <atomic>
#include <exception>

namespace tailor::detail::cpu {

/// One parallelFor call, on the caller's stack. Workers take chunks from
/// `next`; the caller returns only when no worker holds the job any more.
struct ThreadPool::Job {
  const std::function<void(std::int64_t, std::int64_t)> *body;
  std::int64_t n;
  std::int64_t chunk;
  std::uint64_t generation;
  std::atomic<std::int64_t> next{0};
  int holders = 0; // guarded by the pool's mutex
  std::mutex errorMutex;
  std::exception_ptr error;
};

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i)
    workers.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  wake.notify_all();
  for (std::thread &worker : workers)
    worker.join();
}

void ThreadPool::runChunks(Job &job) {
  for (;;) {
    std::int64_t begin = job.next.fetch_add(job.chunk);
    if (begin >= job.n)
      return;
    try {
      (*job.body)(begin, std::min(job.n, begin + job.chunk));
    } catch (...) {
      std::lock_guard<std::mutex> lock(job.errorMutex);
      if (!job.error)
        job.error = std::current_exception();
    }
  }
}

void ThreadPool::work() {
  std::uint64_t seen = 0;
  for (;;) {
    Job *current;
    {
      std::unique_lock<std::mutex> lock(mutex);
      wake.wait(lock, [&] {
        return stopping || (job != nullptr && job->generation != seen);
      });
      if (stopping)
        return;
      current = job;
      seen = current->generation;
      ++current->holders;
    }
    runChunks(*current);
    std::lock_guard<std::mutex> lock(mutex);
    if (--current->holders == 0)
      finished.notify_all();
  }
}

void ThreadPool::parallelFor(
    std::int64_t n, std::int64_t grain,
    const std::function<void(std::int64_t, std::int64_t)> &body) {
  if (n <= 0)
    return;
  grain = std::max<std::int64_t>(grain, 1);
  // A few chunks per thread balance uneven rows without much overhead.
  std::int64_t chunk =
      std::max(grain, (n + 4 * size() - 1) / (4 * std::int64_t(size())));
  if (workers.empty() || chunk >= n) {
    body(0, n);
    return;
  }
  Job current;
  current.body = &body;
  current.n = n;
  current.chunk = chunk;
  {
    std::lock_guard<std::mutex> lock(mutex);
    current.generation = ++generation;
    job = &current;
  }
  wake.notify_all();
  runChunks(current);
  {
    std::unique_lock<std::mutex> lock(mutex);
    job = nullptr;
    finished.wait(lock, [&] { return current.holders == 0; });
  }
  if (current.error)
    std::rethrow_exception(current.error);
}

} // namespace tailor::detail::cpu
