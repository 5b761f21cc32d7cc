// SPDX-License-Identifier: MIT
// sharemap: the Windows platform of the SectionMutex / SectionEvent state machines (detail/section_lock.hpp): owner
// ids, liveness of an owner, and sleeping on a named auto-reset event found from a key stored in the state.
#ifndef SHAREMAP_DETAIL_PLATFORM_WIN32_HPP_INCLUDED
#define SHAREMAP_DETAIL_PLATFORM_WIN32_HPP_INCLUDED

#include "sharemap/detail/section_lock.hpp"
#include "sharemap/detail/unique_handle.hpp"
#include "sharemap/detail/win32.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <utility>

#if defined(_MSC_VER)
#include <intrin.h>
#endif

#if defined(__GNUC__) || defined(__clang__)
#define SHAREMAP_PLATFORM_COLD __attribute__((noinline, cold))
#elif defined(_MSC_VER)
#define SHAREMAP_PLATFORM_COLD __declspec(noinline)
#else
#define SHAREMAP_PLATFORM_COLD
#endif

namespace sharemap::detail {

/// Windows: ids are GetCurrentProcessId() << 32 | GetCurrentThreadId() (both 32-bit); an owner is watched through
/// a handle to its thread, which is signalled when the thread ends, whether it returned or its process was killed.
struct Win32Platform {
    static constexpr win32::dword_t thread_query_limited_information = 0x0800;
    static constexpr win32::dword_t process_query_limited_information = 0x1000;

    /// The calling thread's owner id, from the thread's own block (TEB): no kernel call. On x86-64 it is read
    /// directly, as GetCurrentProcessId / GetCurrentThreadId do (the TEB's ClientId: process id at gs:0x40, thread
    /// id at gs:0x48), which saves their two calls through the import table on every lock and unlock.
    static std::uint64_t self() noexcept {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
        std::uint64_t pid = 0; // NOLINT(misc-const-correctness): written by the asm
        std::uint64_t tid = 0; // NOLINT(misc-const-correctness): written by the asm
        __asm__("{movq %%gs:0x40, %0|mov %0, qword ptr gs:[0x40]}" : "=r"(pid));
        __asm__("{movq %%gs:0x48, %0|mov %0, qword ptr gs:[0x48]}" : "=r"(tid));
        return pid << 32 | (tid & 0xFFFFFFFFu);
#elif defined(_M_X64)
        return __readgsqword(0x40) << 32 | (__readgsqword(0x48) & 0xFFFFFFFFu);
#else
        return static_cast<std::uint64_t>(::GetCurrentProcessId()) << 32 | ::GetCurrentThreadId();
#endif
    }

    /// What a watched peer is: a thread (SectionMutex owners, SharedObject initialisers) or a process (channel ends).
    enum class Peer { thread, process };

    /// False only if the thread or process `h` was created at another time than `start` (when both are known): the
    /// one the caller recorded ended and its id was given to another.
    static bool started_at(Peer peer, win32::handle_t h, std::uint64_t start) noexcept {
        if (start == 0) {
            return true;
        }
        const std::uint64_t created = creation_time(peer, h);
        return created == 0 || created == start;
    }

    /// The creation time of the thread or process `h` (FILETIME ticks); 0 if it cannot be read.
    static std::uint64_t creation_time(Peer peer, win32::handle_t h) noexcept {
        struct FileTime {
            win32::dword_t low;
            win32::dword_t high;
        };
        FileTime times[4] = {};
        ::_FILETIME* t[4] = {};
        for (int i = 0; i < 4; ++i) {
            t[i] = reinterpret_cast<::_FILETIME*>(&times[i]);
        }
        const win32::LastErrorPreserver keep;
        const int read = peer == Peer::thread ? ::GetThreadTimes(h, t[0], t[1], t[2], t[3])
                                              : ::GetProcessTimes(h, t[0], t[1], t[2], t[3]);
        return read != 0 ? static_cast<std::uint64_t>(times[0].high) << 32 | times[0].low : 0;
    }

    /// The calling thread's stamp: its creation time, which with its id names this thread and no later thread given
    /// the same id (ids of ended threads are reused soon, within the same process too). Read once per thread and
    /// kept in a TLS slot of sharemap's own, read straight from the thread's block (TEB) while the slot is one of the
    /// first 64, so that a lock pays a load for it, as for the ids (32-bit builds, whose slots cannot hold it, keep
    /// it in a thread_local). 0, "unknown" (the owner is then checked by its id alone), for a lock taken by a static
    /// initializer that runs before the slot is allocated, if no slot was left, or if the time cannot be read (any
    /// other stand-in would make this live thread look like a reused id).
    static std::uint64_t self_start() noexcept {
#if defined(_WIN64)
        const win32::dword_t slot = thread_start_slot_.index();
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
        if (slot < 64) {            // the TEB's TlsSlots[64], at gs:0x1480: what TlsGetValue reads
            std::uint64_t kept = 0; // NOLINT(misc-const-correctness): written by the asm
            __asm__("{movq %%gs:0x1480(,%1,8), %0|mov %0, qword ptr gs:[0x1480+%1*8]}" // AT&T or -masm=intel
                    : "=r"(kept)
                    : "r"(static_cast<std::uint64_t>(slot)));
            if (kept != 0) {
                return kept;
            }
        }
#elif defined(_M_X64)
        if (slot < 64) {
            const std::uint64_t kept = __readgsqword(0x1480 + slot * 8);
            if (kept != 0) {
                return kept;
            }
        }
#endif
        return thread_start_slow(slot);
#else
        // A TLS slot holds 32 bits here: a thread_local instead (which mingw-w64 GCC emulates at a few ns a read).
        thread_local std::uint64_t kept = 0;
        if (kept == 0) {
            kept = creation_time(Peer::thread, ::GetCurrentThread());
        }
        return kept;
#endif
    }

#if defined(_WIN64)
    /// self_start() when the TEB read did not answer: the first call on a thread, a slot past the first 64, or no
    /// slot. Out of line, so that a lock inlines only the read.
    SHAREMAP_PLATFORM_COLD static std::uint64_t thread_start_slow(win32::dword_t slot) noexcept {
        if (slot == win32::tls_out_of_indexes) {
            return 0;
        }
        const win32::LastErrorPreserver keep; // TlsGetValue sets the last error even when it succeeds
        const auto kept = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(::TlsGetValue(slot)));
        if (kept != 0) {
            return kept;
        }
        const std::uint64_t created = creation_time(Peer::thread, ::GetCurrentThread());
        if (created != 0) {
            ::TlsSetValue(slot, reinterpret_cast<void*>(static_cast<std::uintptr_t>(created)));
        }
        return created;
    }
#endif

    /// This process's creation time: the stamp of a channel end, which a process holds. Read once when the
    /// program starts, so that reading it is a plain load; 0 ("unknown") for an end attached by a static
    /// initializer that runs earlier, or if it cannot be read.
    static std::uint64_t process_start() noexcept { return process_start_; }

    static std::uint64_t read_process_start() noexcept { return creation_time(Peer::process, ::GetCurrentProcess()); }
    static inline const std::uint64_t process_start_ = read_process_start();

    /// A TLS slot allocated when the program (or the DLL) starts and freed when it ends; tls_out_of_indexes before
    /// and after, or if none was left. It holds the index + 1, so that its zero bytes before the constructor runs
    /// read as no slot (index 0 may be another component's).
    class TlsSlot {
    public:
        TlsSlot() noexcept : index_plus_1_(::TlsAlloc() + 1) {} // TLS_OUT_OF_INDEXES + 1 wraps to 0: none
        ~TlsSlot() {
            const win32::dword_t index = index_plus_1_.exchange(0, std::memory_order_relaxed) - 1;
            if (index != win32::tls_out_of_indexes) {
                ::TlsFree(index);
            }
        }
        TlsSlot(const TlsSlot&) = delete;
        TlsSlot& operator=(const TlsSlot&) = delete;
        TlsSlot(TlsSlot&&) = delete;
        TlsSlot& operator=(TlsSlot&&) = delete;
        [[nodiscard]] win32::dword_t index() const noexcept {
            return index_plus_1_.load(std::memory_order_relaxed) - 1; // 0 - 1 wraps to TLS_OUT_OF_INDEXES
        }

    private:
        std::atomic<win32::dword_t> index_plus_1_;
    };
#if defined(_WIN64)
    static inline TlsSlot thread_start_slot_;
#endif

    /// A random nonzero key: splitmix64 of the clock, the state's address and the caller. Two sections that draw
    /// the same key share a wake object, which costs a spurious wake at most: every sleeper looks at its state again.
    static std::uint32_t new_key(const void* state) noexcept {
        std::uint64_t z = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                          reinterpret_cast<std::uintptr_t>(state) ^ (self() * 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        const auto key = static_cast<std::uint32_t>(z ^ (z >> 32));
        return key != 0 ? key : 1;
    }

    /// A handle to a watched thread or process, kept while the caller watches it, so that its id cannot be given to
    /// another thread or process meanwhile. With SYNCHRONIZE (`waitable`) a sleep waits on it and ends at once when
    /// it ends; with the query right alone (another user's or session's thread or process often grants no more) a
    /// sleep ends at its time and then reads its exit code. Empty when the peer could not be opened at all: the
    /// sleeper then looks it up again after every sleep (section_lock.hpp).
    class Watch {
    public:
        Watch() noexcept = default;
        Watch(UniqueHandle<NullHandlePolicy> handle, Peer peer, bool waitable) noexcept
            : handle_(std::move(handle)), peer_(peer), waitable_(waitable) {}

        /// True if a peer is watched.
        explicit operator bool() const noexcept { return static_cast<bool>(handle_); }
        /// The handle, for a wait; null unless a sleep can wait on it.
        [[nodiscard]] win32::handle_t waitable_handle() const noexcept { return waitable_ ? handle_.get() : nullptr; }
        /// True if the watched thread or process has ended, asked without waiting. Without SYNCHRONIZE it is asked
        /// for its exit code: STILL_ACTIVE (259) while it runs, so one that ended with exit code 259 reads as
        /// running (that right offers no other test); a query that fails reads as running too.
        [[nodiscard]] bool ended() const noexcept {
            if (waitable_) {
                return ::WaitForSingleObject(handle_.get(), 0) == win32::wait_object_0;
            }
            win32::dword_t code = 0;
            const int asked = peer_ == Peer::thread ? ::GetExitCodeThread(handle_.get(), &code)
                                                    : ::GetExitCodeProcess(handle_.get(), &code);
            return asked != 0 && code != win32::still_active;
        }
        /// The handle, for a query.
        [[nodiscard]] win32::handle_t get() const noexcept { return handle_.get(); }

    private:
        UniqueHandle<NullHandlePolicy> handle_;
        Peer peer_ = Peer::thread;
        bool waitable_ = false;
    };

    /// Opens the thread or process `id` to watch it: with SYNCHRONIZE and the query right if its security allows,
    /// else with the query right alone. Empty if neither can be opened; GetLastError() then says why.
    static Watch open_peer(Peer peer, win32::dword_t id) noexcept {
        const win32::dword_t query = peer == Peer::thread ? thread_query_limited_information
                                                          : process_query_limited_information;
        const auto open = [peer, id](win32::dword_t access) {
            return UniqueHandle<NullHandlePolicy>(peer == Peer::thread ? ::OpenThread(access, 0, id)
                                                                       : ::OpenProcess(access, 0, id));
        };
        if (auto h = open(win32::synchronize | query)) {
            return Watch(std::move(h), peer, true);
        }
        if (::GetLastError() == win32::error_access_denied) {
            if (auto h = open(query)) {
                return Watch(std::move(h), peer, false);
            }
        }
        return Watch();
    }

    /// After a failed open_peer: dead only if no object has that id (ERROR_INVALID_PARAMETER). For any other reason
    /// (not even the query right granted) the caller cannot tell: it takes the peer as alive and polls.
    static bool unopened_alive() noexcept { return ::GetLastError() != win32::error_invalid_parameter; }

    /// False if the peer `h` has ended; otherwise moves it into `w` and returns true.
    static bool keep_running(Watch&& h, Watch& w) noexcept {
        if (h.ended()) {
            return false;
        }
        w = std::move(h);
        return true;
    }

    /// Opens the owner's thread. Dead when: no thread has that id (ERROR_INVALID_PARAMETER); the thread with that
    /// id belongs to another process, or was created at another time than the owner (`start`, if known): the id
    /// was given to another thread, in another process or in the owner's own; or the thread has ended.
    static bool watch(std::uint64_t id, std::uint64_t start, Watch& w) noexcept {
        const win32::LastErrorPreserver keep;
        const auto pid = static_cast<win32::dword_t>(id >> 32);
        const auto tid = static_cast<win32::dword_t>(id & 0xFFFFFFFFu);
        Watch thread = open_peer(Peer::thread, tid);
        if (!thread) {
            return unopened_alive();
        }
        if (::GetProcessIdOfThread(thread.get()) != pid || !started_at(Peer::thread, thread.get(), start)) {
            return false;
        }
        return keep_running(std::move(thread), w);
    }

    /// A fresh liveness check, as watch().
    static bool alive(std::uint64_t id, std::uint64_t start) noexcept {
        Watch w;
        return watch(id, start, w);
    }

    /// The event for `key`: `Local\sharemap-wake-<8 hex digits>`, an auto-reset event made or opened on first use
    /// and kept open for the life of the process (at most `cache_size` keys; beyond, each use opens and closes
    /// it). Returns nullptr if it cannot be made; callers then poll.
    ///
    /// The cache takes no lock: a std::mutex (winpthreads) makes an event of its own the first time two threads
    /// contend for it, an object that would stay open for the life of the process and appear only under load.
    /// Entries are claimed in order with a CAS on the key, and the handle is published after it, so a lookup stops
    /// at the first free entry and treats a key whose handle is not yet published as a miss.
    static win32::handle_t wake_event(std::uint32_t key, UniqueHandle<NullHandlePolicy>& uncached) noexcept {
        struct Entry {
            std::atomic<std::uint32_t> key;
            std::atomic<win32::handle_t> handle;
        };
        static constexpr int cache_size = 64;
        static Entry cache[cache_size]; // zero-initialised: static storage, and no constructor runs
        for (const Entry& e : cache) {
            const std::uint32_t k = e.key.load(std::memory_order_acquire);
            if (k == 0) {
                break;
            }
            if (k == key) {
                if (win32::handle_t h = e.handle.load(std::memory_order_acquire)) {
                    return h;
                }
                break;
            }
        }
        wchar_t name[] = L"Local\\sharemap-wake-00000000";
        constexpr int digits_at = 20;
        for (int i = 0; i < 8; ++i) {
            name[digits_at + i] = L"0123456789abcdef"[(key >> (28 - 4 * i)) & 0xF];
        }
        const win32::LastErrorPreserver keep;
        win32::handle_t h = ::CreateEventW(nullptr, 0, 0, name);
        if (h == nullptr) {
            return nullptr;
        }
        for (Entry& e : cache) {
            std::uint32_t k = e.key.load(std::memory_order_acquire);
            if (k == 0 && e.key.compare_exchange_strong(k, key, std::memory_order_acq_rel, std::memory_order_acquire)) {
                e.handle.store(h, std::memory_order_release);
                return h;
            }
            if (k == key) { // another thread of this process cached it, or is caching it now
                if (win32::handle_t theirs = e.handle.load(std::memory_order_acquire)) {
                    ::CloseHandle(h);
                    return theirs;
                }
                break; // not published yet: use ours for this call only
            }
        }
        uncached.reset(h);
        return h;
    }

    /// Sleeps on the wake event `key`, and on the watched peer `w` if given and waitable, for at most `ms`
    /// milliseconds. A peer watched through the query right alone is asked for its exit code when the sleep times
    /// out.
    static section_lock::Woke sleep(std::uint32_t key, const Watch* w, std::uint32_t ms) noexcept {
        const win32::LastErrorPreserver keep;
        UniqueHandle<NullHandlePolicy> uncached;
        win32::handle_t handles[2] = {};
        win32::dword_t n = 0;
        if (win32::handle_t event = wake_event(key, uncached)) {
            handles[n++] = event;
        }
        const win32::dword_t owner_index = n;
        if (w != nullptr && w->waitable_handle() != nullptr) {
            handles[n++] = w->waitable_handle();
        }
        const auto timed_out = [w] {
            return w != nullptr && *w && w->ended() ? section_lock::Woke::owner_ended : section_lock::Woke::timed_out;
        };
        if (n == 0) { // no wake object and no handle to wait on: poll in short steps
            ::WaitForSingleObject(::GetCurrentProcess(), ms < 10 ? ms : 10);
            return timed_out();
        }
        const win32::dword_t r = ::WaitForMultipleObjects(n, handles, 0, ms);
        if (r == win32::wait_timeout) {
            return timed_out();
        }
        if (r - win32::wait_object_0 < n && r - win32::wait_object_0 == owner_index) {
            return section_lock::Woke::owner_ended;
        }
        if (r - win32::wait_object_0 < n) {
            return section_lock::Woke::woken;
        }
        ::WaitForSingleObject(::GetCurrentProcess(), 1); // WAIT_FAILED: do not spin hot; the caller polls
        return timed_out();
    }

    /// Sets the wake event `key`, releasing one sleeper (or the next to sleep).
    static void wake(std::uint32_t key) noexcept {
        if (key == 0) {
            return;
        }
        const win32::LastErrorPreserver keep;
        UniqueHandle<NullHandlePolicy> uncached;
        if (win32::handle_t event = wake_event(key, uncached)) {
            ::SetEvent(event);
        }
    }

    // ---- process-level ends (the channel) ----------------------------------------------------------------------
    // A channel's end belongs to a process, not to a thread: any thread of the process may send or receive, and
    // the end is gone only when the process is.

    /// The calling process's id, never 0.
    static std::uint64_t process_self() noexcept { return self() >> 32; }

    /// Opens the process `id` (open_peer) into `w` for sleep(). Dead (false) when: no process has that id
    /// (ERROR_INVALID_PARAMETER); the process has ended (its handle is signalled, or, opened for a query only, its
    /// exit code is set; a killed process's is at once, though its id may stay open while handles to it remain); or
    /// it was created at another time than `start` (if known: the id was reused). A process that cannot be opened
    /// even for a query is taken as alive: the caller then polls.
    static bool process_watch(std::uint64_t id, std::uint64_t start, Watch& w) noexcept {
        const win32::LastErrorPreserver keep;
        Watch process = open_peer(Peer::process, static_cast<win32::dword_t>(id));
        if (!process) {
            return unopened_alive();
        }
        return started_at(Peer::process, process.get(), start) && keep_running(std::move(process), w);
    }

    /// A fresh liveness check of the process `id`, as process_watch().
    static bool process_alive(std::uint64_t id, std::uint64_t start) noexcept {
        Watch w;
        return process_watch(id, start, w);
    }

    /// How many handles, in every process, refer to the object `h` refers to (NtQueryObject with
    /// ObjectBasicInformation, which needs no access right on the handle); 0 if it cannot be asked.
    static std::uint32_t handle_count(win32::handle_t h) noexcept {
        using QueryFn = long(__stdcall*)(win32::handle_t, int, void*, unsigned long, unsigned long*);
        static const auto query = win32::ntdll_function<QueryFn>("NtQueryObject");
        // ObjectBasicInformation is 56 bytes: attributes, granted access, handle count, pointer count, ...
        alignas(8) unsigned long info[14] = {};
        const bool asked = h != nullptr && query != nullptr && query(h, 0, info, sizeof(info), nullptr) >= 0;
        return asked ? static_cast<std::uint32_t>(info[2]) : 0;
    }

    /// A pause inside a spin loop.
    static void relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#elif defined(_M_X64) || defined(_M_IX86)
        _mm_pause();
#else
        std::atomic_signal_fence(std::memory_order_seq_cst);
#endif
    }
};

} // namespace sharemap::detail

#undef SHAREMAP_PLATFORM_COLD

#endif // SHAREMAP_DETAIL_PLATFORM_WIN32_HPP_INCLUDED
