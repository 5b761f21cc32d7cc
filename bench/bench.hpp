// SPDX-License-Identifier: MIT
// sharemap benchmarks: what the harness (main.cpp) and the implementations of each workload share.
//
// Each workload is implemented three times, with sharemap (impl_sharemap.cpp), with raw Win32 calls (impl_raw.cpp)
// and with Boost.Interprocess where it has the feature (impl_boost.cpp). The parts that are not the library under
// test (the data path of the bulk transfer, the byte sum, the ping-pong loop) are written once here, so that every
// variant does exactly the same work around the calls it is measured on.
#ifndef SHAREMAP_BENCH_BENCH_HPP_INCLUDED
#define SHAREMAP_BENCH_BENCH_HPP_INCLUDED

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>

#if defined(_MSC_VER)
#define SHAREMAP_BENCH_NOINLINE __declspec(noinline)
#else
#define SHAREMAP_BENCH_NOINLINE __attribute__((noinline))
#endif

namespace bench {

inline constexpr std::size_t kib = 1024;
inline constexpr std::size_t mib = 1024 * kib;

// Sizes fixed by the issue.
inline constexpr std::size_t small_section_size = 64 * kib; // section cycle and attach
inline constexpr std::size_t bulk_size = 64 * mib;          // bulk transfer: bytes per transfer
inline constexpr std::size_t bulk_chunk = 1 * mib;          // ... in chunks of
inline constexpr std::size_t bulk_chunks = bulk_size / bulk_chunk;
inline constexpr std::size_t bulk_header = 4 * kib; // the counter page in front of the data
inline constexpr std::size_t read_chunk = 1 * mib;  // ReadFile's buffer in the file workload

/// Runs `n` operations of one workload with one implementation; the harness times each call.
using Batch = std::function<void(std::size_t n)>;

/// What an implementation is given when a workload is set up for it.
struct Setup {
    std::string name;            // object name prefix unique to this run and variant, e.g. "Local\\sm-bench-42-raw"
    std::size_t total_ops = 0;   // operations all batches will run together: children serve exactly this many
    std::wstring file_path;      // file workload: the test file
    std::uint64_t file_size = 0; // ... its size
    std::uint64_t file_sum = 0;  // ... and the sum of its bytes, which every variant must reproduce
};

/// Fails the run loudly: a benchmark that silently measures a failing call measures nothing.
[[noreturn]] void fail(const std::string& what);

/// `cond` or fail(what).
inline void check(bool cond, const char* what) {
    if (!cond) {
        fail(what);
    }
}

/// The ASCII name as UTF-16, for the W functions (our names are ASCII).
inline std::wstring widen(const std::string& s) { return std::wstring(s.begin(), s.end()); }

/// A copy of this program started as the child side of a workload:
///   <program> --child <role> <impl> <parent pid> <name> <count>
/// It ends by itself after `count` operations, or when this process ends. The destructor waits for it and fails
/// the run if it ended badly. Setup and teardown only: never inside a timed batch.
class Child {
public:
    Child(const std::string& role, const std::string& impl, const std::string& name, std::size_t count);
    ~Child();
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The arguments a child was started with (after the watchdog on its parent is running).
struct ChildArgs {
    std::string role;
    std::string impl;
    std::string name;
    std::size_t count = 0;
};

/// A one-shot signal between two threads of this process, for setup and teardown (a mutex holder thread).
/// Not std::promise: its std::call_once does not link in clang builds against mingw-w64's libstdc++.
class Latch {
public:
    void set() {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            set_ = true;
        }
        changed_.notify_all();
    }
    void wait() {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return set_; });
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool set_ = false;
};

/// The sum of `n` bytes. The same code for every variant of the file workload; fast enough (8 bytes a step) that
/// the mapping and reading costs under test are not hidden behind it.
SHAREMAP_BENCH_NOINLINE inline std::uint64_t sum_bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    constexpr std::uint64_t lanes = 0x00FF00FF00FF00FFull;
    std::uint64_t total = 0;
    std::size_t i = 0;
    while (n - i >= 8) {
        // Four 16-bit lanes; 128 words add at most 128 * 2 * 255 = 65280 to a lane, so none overflows.
        std::size_t words = (n - i) / 8;
        words = words < 128 ? words : 128;
        std::uint64_t acc = 0;
        for (std::size_t k = 0; k < words; ++k, i += 8) {
            std::uint64_t w = 0;
            std::memcpy(&w, p + i, 8);
            acc += (w & lanes) + ((w >> 8) & lanes);
        }
        total += (acc & 0xFFFF) + ((acc >> 16) & 0xFFFF) + ((acc >> 32) & 0xFFFF) + (acc >> 48);
    }
    for (; i < n; ++i) {
        total += p[i];
    }
    return total;
}

/// The counter in front of the bulk transfer's data: how many chunks the writer has published, ever.
struct BulkHeader {
    std::atomic<std::uint64_t> written;
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "the counter is shared between processes");

/// The bulk writer's side of one transfer: fills the 64 chunks after `base` (a mapping of bulk_header +
/// bulk_size bytes) from `source` (bulk_chunk bytes), publishing each with `signal_ready()`, then waits for the
/// reader's `wait_done()`. `sequence` numbers chunks across transfers; each chunk starts with its number.
template <class SignalReady, class WaitDone>
void bulk_write(std::byte* base, const std::byte* source, std::uint64_t& sequence, SignalReady&& signal_ready,
                WaitDone&& wait_done) {
    auto* header = reinterpret_cast<BulkHeader*>(base);
    std::byte* data = base + bulk_header;
    for (std::size_t k = 0; k < bulk_chunks; ++k) {
        std::byte* chunk = data + k * bulk_chunk;
        std::memcpy(chunk, source, bulk_chunk);
        ++sequence;
        std::memcpy(chunk, &sequence, sizeof(sequence));
        header->written.store(sequence, std::memory_order_release);
        signal_ready();
    }
    wait_done();
}

/// The bulk reader (a child process): consumes `transfers` transfers, copying each chunk out into `buffer` as it is
/// published and checking its number; `signal_done()` after each transfer's last chunk. Waits with `wait_ready()`
/// only when it has caught up, so an event set while it was copying is never lost (the counter says it all).
template <class WaitReady, class SignalDone>
void bulk_read(const std::byte* base, std::byte* buffer, std::size_t transfers, WaitReady&& wait_ready,
               SignalDone&& signal_done) {
    const auto* header = reinterpret_cast<const BulkHeader*>(base);
    const std::byte* data = base + bulk_header;
    const std::uint64_t total = static_cast<std::uint64_t>(transfers) * bulk_chunks;
    std::uint64_t consumed = 0;
    while (consumed < total) {
        const std::uint64_t published = header->written.load(std::memory_order_acquire);
        if (published == consumed) {
            wait_ready();
            continue;
        }
        for (; consumed < published; ++consumed) {
            const std::byte* chunk = data + (consumed % bulk_chunks) * bulk_chunk;
            std::memcpy(buffer, chunk, bulk_chunk);
            std::uint64_t number = 0;
            std::memcpy(&number, buffer, sizeof(number));
            check(number == consumed + 1, "bulk reader: chunk out of sequence");
            if ((consumed + 1) % bulk_chunks == 0) {
                signal_done();
            }
        }
    }
}

/// A bulk_chunk-byte pattern for the writer to send.
inline std::unique_ptr<std::byte[]> bulk_source() {
    auto source = std::make_unique<std::byte[]>(bulk_chunk);
    for (std::size_t i = 0; i < bulk_chunk; ++i) {
        source[i] = static_cast<std::byte>((i * 131) >> 3);
    }
    return source;
}

/// Plain Win32 auto-reset events for code that cannot include <windows.h>: Boost.Interprocess has no event type,
/// so its bulk-transfer variant hands off with these (impl_raw.cpp), exactly as the raw variant does.
namespace win32_event {
void* create(const std::string& name); // CreateEventW(auto-reset, unset)
void* open(const std::string& name);   // OpenEventW(SYNCHRONIZE | EVENT_MODIFY_STATE)
void set(void* event);
void wait(void* event);
void close(void* event);
} // namespace win32_event

// One factory per workload and implementation. Each sets the workload up (objects, helper threads, children) and
// returns the batch; destroying the batch tears it all down.
namespace sharemap_impl {
Batch section_cycle(const Setup& s);
Batch attach(const Setup& s, bool explicit_length);
Batch mutex_lock_unlock(const Setup& s);
Batch mutex_try_lock_held(const Setup& s);
Batch ping_pong(const Setup& s);
Batch bulk_transfer(const Setup& s);
Batch file_map_sum(const Setup& s);
int child(const ChildArgs& a); // the child side of ping_pong and bulk_transfer
} // namespace sharemap_impl

namespace raw_impl {
Batch section_cycle(const Setup& s);
Batch attach(const Setup& s, bool query_size);
Batch mutex_lock_unlock(const Setup& s);
Batch mutex_try_lock_held(const Setup& s);
Batch ping_pong(const Setup& s);
Batch bulk_transfer(const Setup& s);
Batch file_map_sum(const Setup& s);
Batch file_read_sum(const Setup& s);
Batch memcpy_baseline(const Setup& s);
int child(const ChildArgs& a);
} // namespace raw_impl

#if defined(SHAREMAP_BENCH_HAVE_BOOST)
namespace boost_impl {
/// Boost's version, e.g. "1.81.0".
std::string version();
/// Tries Boost's named_mutex; empty if it works here, otherwise why not (under Wine it throws library_error).
std::string named_mutex_problem(const Setup& s);
Batch section_cycle(const Setup& s);
Batch attach(const Setup& s, bool explicit_length);
Batch mutex_lock_unlock(const Setup& s);
Batch mutex_try_lock_held(const Setup& s);
Batch bulk_transfer(const Setup& s);
Batch file_map_sum(const Setup& s);
int child(const ChildArgs& a);
} // namespace boost_impl
#endif

// SectionMutex and SectionEvent (impl_section.cpp), and Boost's mutex placed in a section (impl_boost_section.cpp).
namespace section_impl {
Batch mutex_lock_unlock(const Setup& s);       // SectionMutex in a named section, uncontended
Batch section_mutex_contended(const Setup& s); // this process and a child lock one SectionMutex
Batch named_mutex_contended(const Setup& s);   // ... one NamedMutex
Batch ping_pong(const Setup& s);               // round trip through two automatic SectionEvents
int child(const ChildArgs& a);
} // namespace section_impl

#if defined(SHAREMAP_BENCH_HAVE_BOOST)
namespace boost_section_impl {
Batch mutex_lock_unlock(const Setup& s); // interprocess_mutex in a windows_shared_memory, uncontended
Batch mutex_contended(const Setup& s);   // this process and a child lock one interprocess_mutex
int child(const ChildArgs& a);
} // namespace boost_section_impl
#endif

} // namespace bench

#endif // SHAREMAP_BENCH_BENCH_HPP_INCLUDED
