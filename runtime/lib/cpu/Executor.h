//===- Executor.h - Runs a variant's steps on the CPU -----------*- C++ -*-===//
#ifndef TAILOR_RUNTIME_CPU_EXECUTOR_H
#define TAILOR_RUNTIME_CPU_EXECUTOR_H

#include "../Manifest.h"
#include "tailor/runtime.h"

namespace tailor::detail::cpu {

class ThreadPool;

/// Runs every step of `variant` for `batch` samples on `arena`, which holds
/// batch * arena_bytes_per_sample bytes with the model inputs already in
/// place; a step with a guard runs only when its guard's batch total is
/// positive. Fills stats.learnerTokens. Fails only on data the plan cannot
/// vouch for: token ids, token indices or row ids out of range.
Status execute(const Variant &variant, std::uint8_t *arena, std::int64_t batch,
               ThreadPool &pool, RunStats &stats);

} // namespace tailor::detail::cpu

#endif // TAILOR_RUNTIME_CPU_EXECUTOR_H
