// SPDX-License-Identifier: MIT
// What the native tests share: checks made in worker threads (Catch2's assertions are not thread-safe), counted and
// checked by the main thread when a test case ends, and the "no deadline" time point.
#ifndef SHAREMAP_TESTS_NATIVE_THREAD_CHECKS_HPP_INCLUDED
#define SHAREMAP_TESTS_NATIVE_THREAD_CHECKS_HPP_INCLUDED

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>

namespace sharemap_native {

/// No deadline: wait however long it takes.
constexpr std::chrono::steady_clock::time_point forever() { return (std::chrono::steady_clock::time_point::max)(); }

/// Failures seen in worker threads.
inline std::atomic<int> thread_failures{0};

/// A check in a worker thread: counts a failure.
inline void expect(bool ok) {
    if (!ok) {
        thread_failures.fetch_add(1);
    }
}

/// A fixture (TEST_CASE_METHOD) that checks, when the test case ends, that no worker thread saw a failure.
struct NoThreadFailures {
    NoThreadFailures() { thread_failures.store(0); }
    ~NoThreadFailures() { CHECK(thread_failures.load() == 0); }
    NoThreadFailures(const NoThreadFailures&) = delete;
    NoThreadFailures& operator=(const NoThreadFailures&) = delete;
};

} // namespace sharemap_native

#endif // SHAREMAP_TESTS_NATIVE_THREAD_CHECKS_HPP_INCLUDED
