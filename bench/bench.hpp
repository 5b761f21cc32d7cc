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
#include <thread>

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

/// A thread that holds a lock from construction to destruction: it runs `lock`, then waits for the destructor and
/// runs `unlock`. The setup of the try_lock workload, the same for every variant; the constructor returns once the
/// lock is held.
class HeldLock {
public:
    template <class Lock, class Unlock>
    HeldLock(Lock lock, Unlock unlock)
        : holder_([this, lock, unlock] {
              lock();
              held_.set();
              release_.wait();
              unlock();
          }) {
        held_.wait();
    }
    HeldLock(const HeldLock&) = delete;
    HeldLock& operator=(const HeldLock&) = delete;
    ~HeldLock() {
        release_.set();
        holder_.join();
    }

private:
    Latch held_, release_;
    std::thread holder_; // last: it uses the latches
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

// ---------------------------------------------------------------------------------------------------------------
// The channel workloads (impl_channel.cpp, impl_boost_channel.cpp): messages from this process to a child.

/// Messages in flight: the semaphore ring has this many slots, Boost's message_queue this many messages, and the
/// channel a ring of this many messages' bytes (see channel_ring_bytes).
inline constexpr std::size_t ring_slots = 16;

/// The bytes of the channel's ring for messages of `message_size`, and of the memcpy limit's destination, which it
/// cycles through as the channel's sender does through its ring: 16 messages, at least 64 KiB (the granularity).
inline std::size_t channel_ring_bytes(std::size_t message_size) {
    const std::size_t bytes = ring_slots * message_size;
    return bytes < 64 * kib ? 64 * kib : bytes;
}

/// Every message carries its number (1, 2, 3...) in its first and last 8 bytes; the receiver checks both, so a
/// message that arrived torn, twice or out of order fails the run. `size` >= 16.
inline void stamp_message(void* message, std::size_t size, std::uint64_t number) {
    auto* p = static_cast<unsigned char*>(message);
    std::memcpy(p, &number, sizeof(number));
    std::memcpy(p + size - sizeof(number), &number, sizeof(number));
}

/// The number a message carries; fails the run if its two copies differ.
inline std::uint64_t message_number(const void* message, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(message);
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    std::memcpy(&first, p, sizeof(first));
    std::memcpy(&last, p + size - sizeof(last), sizeof(last));
    check(first == last, "channel workload: a message arrived torn");
    return first;
}

/// How many messages the child of a channel workload has received: a counter in a small named section that the
/// child bumps after each message and the parent reads. A timed batch ends when the child has received everything
/// it sent, so a batch's time is that of its messages from the first send to the last receive, and nothing spills
/// into another variant's slice. Reading it costs no kernel call. Also a "ready" flag (the child is attached) and
/// a "stop" flag (for the event ping-pong's child). Kept opaque: the Boost translation unit uses it too.
class Progress {
public:
    static std::unique_ptr<Progress> create(const std::string& name);
    static std::unique_ptr<Progress> open(const std::string& name);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    void received(std::uint64_t count);      // child: `count` messages received so far
    void wait_received(std::uint64_t count); // parent: spins (then yields) until the child has received `count`
    void set_ready();                        // child: attached, receiving
    void wait_ready();                       // parent
    void set_stop();
    bool stop() const;

private:
    struct Impl;
    explicit Progress(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

namespace channel_impl {
// Baselines, each with a child process that receives (ChildArgs::count is the message size).
Batch named_pipe(const Setup& s, std::size_t size);           // PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE
Batch semaphore_ring(const Setup& s, std::size_t size);       // slots in a section + two NamedSemaphores
Batch memcpy_limit(const Setup& s, std::size_t size);         // one process copies the same bytes: the limit
Batch memcpy_section_limit(const Setup& s, std::size_t size); // ... into a section: the limit in shared memory
Batch event_ping_pong(const Setup& s);                        // two NamedEvents, the child told to stop by a flag
#if defined(SHAREMAP_BENCH_HAVE_CHANNEL)
Batch channel_copy(const Setup& s, std::size_t size);      // Sender::send / Receiver::receive_into
Batch channel_zero_copy(const Setup& s, std::size_t size); // Sender::reserve + commit / Receiver::receive in place
Batch channel_ping_pong(const Setup& s);                   // 64 B out on one channel, 64 B back on another
#endif
int child(const ChildArgs& a);
} // namespace channel_impl

#if defined(SHAREMAP_BENCH_HAVE_BOOST)
namespace boost_channel_impl {
/// Tries a message_queue in this process; empty if it works here, otherwise what failed and how.
std::string message_queue_problem(const Setup& s);
Batch message_queue(const Setup& s, std::size_t size);
int child(const ChildArgs& a);
} // namespace boost_channel_impl
#endif

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
