// SPDX-License-Identifier: MIT
// The Linux platform of detail/section_lock.hpp, for the native tests only: the same state machines as SectionMutex
// and SectionEvent, run between threads of one process under ThreadSanitizer and AddressSanitizer.
//
// Ids are getpid() << 32 | gettid(); an owner is alive until its thread has finished (see EndedThreads) and while
// tgkill(pid, tid, 0) finds it. Wake objects are auto-reset events made of a std::mutex, a std::condition_variable
// and a flag, one per key, so that sleeping and waking behave exactly as the named auto-reset events of the Windows
// platform (a wake with nobody asleep is kept for the next sleeper; a wake releases one sleeper).
#ifndef SHAREMAP_TESTS_NATIVE_PLATFORM_LINUX_HPP_INCLUDED
#define SHAREMAP_TESTS_NATIVE_PLATFORM_LINUX_HPP_INCLUDED

#include <sharemap/detail/section_lock.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <sys/syscall.h>
#include <unistd.h>

namespace sharemap_native {

/// The `T` of wake key `key`: made on first use, kept for the rest of the process (a platform's wake objects).
template <class T>
T& keyed_object(std::uint32_t key) {
    static std::mutex lock;
    static std::map<std::uint32_t, std::unique_ptr<T>> objects;
    const std::lock_guard<std::mutex> guard(lock);
    auto& o = objects[key];
    if (!o) {
        o = std::make_unique<T>();
    }
    return *o;
}

/// Ids of threads that have finished. The kernel still finds a thread for a moment after std::thread::join returns
/// (the joiner wakes when the thread clears its tid, before the kernel lets the thread go: a probe's tgkill found
/// the joined thread in 12 of 20,000 runs, 38 under ThreadSanitizer), so tgkill alone took an owner whose thread a
/// test had ended and joined for alive, now and then (one CI run: a take-over refused with end_in_use). A thread's
/// id is put here by a thread_local destructor, which has run when join returns. One entry per tid modulo the
/// table's size (a later thread's id takes the entry; the earlier one then has only tgkill, long enough after its
/// end). Relaxed atomics, not a mutex: a lock here would order every thread's end before every later liveness
/// check, an order the Windows platform does not give, and hide from ThreadSanitizer the races it is run to find.
/// A check that must see an end (the tests' join, then a check) is ordered by the join itself.
struct EndedThreads {
    static constexpr std::size_t size = 65536;

    static std::atomic<std::uint64_t>& entry(std::uint64_t id) noexcept {
        static std::atomic<std::uint64_t> entries[size];
        return entries[(id & 0xFFFFFFFFu) % size];
    }
    static bool contains(std::uint64_t id) noexcept { return entry(id).load(std::memory_order_relaxed) == id; }
};

/// The calling thread's id, taken off the ended list (the kernel may give a new thread an ended one's tid), and put
/// on it when the thread finishes.
struct ThreadRecord {
    std::uint64_t id = static_cast<std::uint64_t>(::getpid()) << 32 | static_cast<std::uint32_t>(::syscall(SYS_gettid));

    ThreadRecord() noexcept {
        std::uint64_t mine = id;
        (void)EndedThreads::entry(id).compare_exchange_strong(mine, 0, std::memory_order_relaxed);
    }
    ~ThreadRecord() { EndedThreads::entry(id).store(id, std::memory_order_relaxed); }
    ThreadRecord(const ThreadRecord&) = delete;
    ThreadRecord& operator=(const ThreadRecord&) = delete;
};

struct LinuxPlatform {
    static std::uint64_t self() noexcept {
        thread_local const ThreadRecord record;
        return record.id;
    }

    static std::uint64_t self_start() noexcept { return 1; } // one process: any nonzero stamp

    static std::uint32_t new_key(const void*) noexcept {
        static std::atomic<std::uint32_t> next{0};
        return next.fetch_add(1) % 7 + 1; // few keys: unrelated states share wake objects, as keys may collide
    }

    struct Watch {
        std::uint64_t id = 0;
        explicit operator bool() const noexcept { return id != 0; }
    };

    static bool alive(std::uint64_t id, std::uint64_t /*start*/) noexcept {
        if (EndedThreads::contains(id)) {
            return false;
        }
        const auto pid = static_cast<long>(id >> 32);
        const auto tid = static_cast<long>(id & 0xFFFFFFFFu);
        const int saved = errno;
        const bool gone = ::syscall(SYS_tgkill, pid, tid, 0) != 0 && errno == ESRCH;
        errno = saved;
        return !gone;
    }

    static bool watch(std::uint64_t id, std::uint64_t start, Watch& w) noexcept {
        if (!alive(id, start)) {
            return false;
        }
        w.id = id;
        return true;
    }

    struct Channel {
        std::mutex mutex;
        std::condition_variable cv;
        bool signaled = false;
    };

    static sharemap::detail::section_lock::Woke sleep(std::uint32_t key, const Watch* w, std::uint32_t ms) noexcept {
        using sharemap::detail::section_lock::Woke;
        Channel& c = keyed_object<Channel>(key);
        {
            std::unique_lock<std::mutex> lock(c.mutex);
            if (c.cv.wait_for(lock, std::chrono::milliseconds(ms), [&] { return c.signaled; })) {
                c.signaled = false;
                return Woke::woken;
            }
        }
        // No thread handle to wait on here: the owner's end is found when the sleep ends, within max_sleep_ms.
        if (w != nullptr && *w && !alive(w->id, 0)) {
            return Woke::owner_ended;
        }
        return Woke::timed_out;
    }

    static void wake(std::uint32_t key) noexcept {
        if (key == 0) {
            return;
        }
        Channel& c = keyed_object<Channel>(key);
        const std::lock_guard<std::mutex> lock(c.mutex);
        c.signaled = true;
        c.cv.notify_one();
    }

    // Process-level ends (the channel): here an end's owner is a thread, so that the tests can make an end "die"
    // by letting its thread return, which is all a process death looks like to the state machine (an id whose
    // liveness check fails). The id is the thread's id, the start stamp is ignored.
    static std::uint64_t process_self() noexcept { return self(); }
    static std::uint64_t process_start() noexcept { return 1; }
    static bool process_watch(std::uint64_t id, std::uint64_t start, Watch& w) noexcept { return watch(id, start, w); }
    static bool process_alive(std::uint64_t id, std::uint64_t start) noexcept { return alive(id, start); }

    static void relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
};

} // namespace sharemap_native

#endif // SHAREMAP_TESTS_NATIVE_PLATFORM_LINUX_HPP_INCLUDED
