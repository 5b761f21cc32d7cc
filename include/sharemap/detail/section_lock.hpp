// SPDX-License-Identifier: MIT
// sharemap: the state machines of SectionMutex and SectionEvent, written once against a small platform interface,
// so that the same code runs between Windows processes (detail/platform_win32.hpp) and between Linux threads under
// ThreadSanitizer and AddressSanitizer (tests/native/platform_linux.hpp). Standard C++ only: no Win32 here.
//
// The platform `P` provides (all static, all noexcept):
//   std::uint64_t P::self()              the calling thread's owner id, never 0: process id << 32 | thread id
//   std::uint64_t P::self_start()        the calling thread's creation stamp; 0 means "unknown"
//   std::uint32_t P::new_key(const void* state)   a random nonzero 32-bit key naming a wake object
//   P::Watch                             a default-constructible, move-only watch on one owner; false when
//                                        empty (the owner could not be opened at all: the caller looks it up
//                                        again after each sleep)
//   bool P::watch(std::uint64_t id, std::uint64_t start, P::Watch& w)   false if the owner `id` (whose thread
//                                        was created at `start`, 0 if unknown) is certainly gone; otherwise
//                                        prepares `w` for sleep()
//   bool P::alive(std::uint64_t id, std::uint64_t start)                 a fresh check, as watch()
//   Woke P::sleep(std::uint32_t key, const P::Watch* w, std::uint32_t ms)  sleeps on the auto-reset wake object
//                                        `key` (and on the owner `w` if given) for at most `ms` milliseconds;
//                                        owner_ended as soon as the owner ends, or at the end of the sleep for
//                                        an owner that can only be queried
//   void P::wake(std::uint32_t key)      sets the auto-reset wake object `key`: releases one sleeper, or the
//                                        next one to sleep
//   void P::relax()                      a pause inside a spin loop
//
// Design choices:
// - The owner is a 64-bit id (process id << 32 | thread id) swapped in with one CAS: taking a free mutex is one atomic
//   operation, and the state says which thread to watch. The owner thread's creation time is written by a release
//   store right after the CAS, cleared before the releasing store of unlock, and claimed (set to 0) before the CAS
//   of a take-over (claim_from_dead), so a waiter that reads the owner (acquire), then the stamp, then the owner
//   again (stamp_of) sees either 0 ("unknown": thread checks only) or that owner's time, never another owner's,
//   which would make a live owner look dead.
// - Sleeping and waking are a Dekker pair: a sleeper adds itself to `sleepers` and then reads the owner; unlock
//   stores owner = 0 and then reads `sleepers`, all seq_cst, so either the sleeper sees the mutex free or the
//   unlocker sees the sleeper and wakes. The wake object is auto-reset: a wake that finds nobody asleep is kept for
//   the next sleeper, so none is lost. Unlock makes a kernel call only when `sleepers` is not 0.
// - The wake object is named by a key in the state (chosen by the first contender's CAS), never by a pointer, so
//   every process finds the same object whatever address it mapped the section at.
// - A dead owner is taken over with a CAS from its id to the waiter's: of several waiters exactly one wins and gets
//   `abandoned`; the others see the new owner and go on waiting for it. A waiter that was woken by the owner thread's
//   end checks afresh before taking over (the id may already serve a new thread that locked legitimately).
// - Every sleep lasts max_sleep_ms at most, after which the state is looked at again, and the owner too if it
//   cannot be waited on: a lost wake (a process killed between its store and its wake), a wake object that cannot
//   be opened (another session's `Local\` namespace), or an owner whose thread can only be queried cost at most
//   that delay, never a hang. Only an owner whose thread cannot even be queried, and whose thread object others
//   keep open after it ended, is taken as alive for as long as that lasts.
// - A waiter killed while asleep leaves `sleepers` one too high: unlocks then wake needlessly (one kernel call each),
//   which is slower but never wrong. Repairing the count would need each sleeper's identity in the state.
#ifndef SHAREMAP_DETAIL_SECTION_LOCK_HPP_INCLUDED
#define SHAREMAP_DETAIL_SECTION_LOCK_HPP_INCLUDED

#include "sharemap/detail/deadline.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <type_traits>

// The slow paths (a kernel call) are kept out of line, so that lock and unlock inline to their few instructions.
// The fast paths are inlined where they are called.
#if defined(__GNUC__) || defined(__clang__)
#define SHAREMAP_SECTION_LOCK_COLD __attribute__((noinline, cold))
#define SHAREMAP_SECTION_LOCK_HOT __attribute__((always_inline)) inline
#elif defined(_MSC_VER)
#define SHAREMAP_SECTION_LOCK_COLD __declspec(noinline)
#define SHAREMAP_SECTION_LOCK_HOT __forceinline
#else
#define SHAREMAP_SECTION_LOCK_COLD
#define SHAREMAP_SECTION_LOCK_HOT inline
#endif

namespace sharemap::detail::section_lock {

/// What a sleep on a wake object ended with.
enum class Woke {
    woken,       ///< the wake object was set (perhaps for another waiter: callers check the state again)
    timed_out,   ///< the time given passed
    owner_ended, ///< the watched owner thread ended
};

/// What an acquisition found; `would_deadlock` and `not_owner` are the caller's misuse, not a LockStatus.
enum class Acquired {
    acquired,       ///< the calling thread owns the mutex
    abandoned,      ///< the calling thread owns the mutex; its previous owner ended holding it
    timed_out,      ///< the deadline passed; not owned
    would_deadlock, ///< the calling thread already owns the mutex (recursion is refused)
};

/// The state of a SectionMutex, exactly as it lies in shared memory. All zero bytes: unlocked, version 1.
struct alignas(8) MutexState {
    std::atomic<std::uint64_t> owner;       ///< 0: free; else the owner's process id << 32 | thread id
    std::atomic<std::uint64_t> owner_start; ///< the owner thread's creation stamp (P::self_start()); 0: unknown
    std::atomic<std::uint32_t> sleepers;    ///< threads between "going to sleep" and "woke up"
    std::atomic<std::uint32_t> wake_key;    ///< 0: none yet; else names the wake object
    std::atomic<std::uint32_t> abandoned;   ///< 1 after an abandoned acquisition, until clear_abandoned()
    std::atomic<std::uint32_t> layout;      ///< layout version - 1, so that zero bytes are version 1
};

/// The state of a SectionEvent, exactly as it lies in shared memory. All zero bytes: an unset manual-reset event,
/// version 1.
struct alignas(8) EventState {
    std::atomic<std::uint32_t> signaled; ///< 0: unset, 1: set
    std::atomic<std::uint32_t> sleepers; ///< threads between "going to sleep" and "woke up"
    std::atomic<std::uint32_t> wake_key; ///< 0: none yet; else names the wake object
    std::atomic<std::uint32_t> flags;    ///< bit 0: automatic reset; bits 8..15: layout version - 1
};

inline constexpr std::uint32_t event_automatic_flag = 1;

static_assert(std::atomic<std::uint64_t>::is_always_lock_free && std::atomic<std::uint32_t>::is_always_lock_free,
              "the state is shared between processes: its atomics must not hide a lock");
static_assert(sizeof(std::atomic<std::uint64_t>) == 8 && sizeof(std::atomic<std::uint32_t>) == 4);
static_assert(std::is_standard_layout_v<MutexState> && std::is_standard_layout_v<EventState>);
static_assert(sizeof(MutexState) == 32 && alignof(MutexState) == 8);
static_assert(offsetof(MutexState, owner) == 0 && offsetof(MutexState, owner_start) == 8 &&
              offsetof(MutexState, sleepers) == 16 && offsetof(MutexState, wake_key) == 20 &&
              offsetof(MutexState, abandoned) == 24 && offsetof(MutexState, layout) == 28);
static_assert(sizeof(EventState) == 16 && alignof(EventState) == 8);
static_assert(offsetof(EventState, signaled) == 0 && offsetof(EventState, sleepers) == 4 &&
              offsetof(EventState, wake_key) == 8 && offsetof(EventState, flags) == 12);

/// How long one sleep lasts at most: a sleeper looks at the state and at the owner's liveness again at least this
/// often, whatever it was told, so that no lost wake and no dead process can keep it asleep longer.
inline constexpr std::uint32_t max_sleep_ms = 100;

/// Spins before a contended lock goes to sleep; each spin reads the state and pauses.
inline constexpr int spin_count = 200;

/// Spins before an event wait goes to sleep: longer, since the other side of a handoff needs a whole turn (wake,
/// work, set) and a wait that sleeps costs both sides a kernel call.
inline constexpr int event_spin_count = 4000;

/// The wake key of `key`, choosing one if none was chosen yet (the first contender's CAS wins).
template <class P>
std::uint32_t ensure_key(std::atomic<std::uint32_t>& key, const void* state) noexcept {
    std::uint32_t k = key.load(std::memory_order_acquire);
    if (k == 0) {
        const std::uint32_t fresh = P::new_key(state);
        if (key.compare_exchange_strong(k, fresh, std::memory_order_acq_rel, std::memory_order_acquire)) {
            k = fresh;
        }
    }
    return k;
}

/// Milliseconds from now to `deadline`, rounded up, capped at max_sleep_ms; 0 if it has passed.
inline std::uint32_t sleep_ms(std::chrono::steady_clock::time_point deadline) noexcept {
    const auto now = std::chrono::steady_clock::now();
    if (deadline <= now) {
        return 0;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
    return left < static_cast<long long>(max_sleep_ms) ? static_cast<std::uint32_t>(left) : max_sleep_ms;
}

/// A steady_clock deadline `d` from now: now for zero or negative `d` (one try), time_point::max() for a `d` too
/// long to add without overflow (the same as forever).
template <class Rep, class Period>
std::chrono::steady_clock::time_point steady_deadline(const std::chrono::duration<Rep, Period>& d) noexcept {
    const auto now = std::chrono::steady_clock::now();
    if (!(d > std::chrono::duration<Rep, Period>::zero())) {
        return now;
    }
    const std::chrono::duration<double> until_end = (std::chrono::steady_clock::time_point::max)() - now;
    if (std::chrono::duration<double>(d) >= until_end) {
        return (std::chrono::steady_clock::time_point::max)();
    }
    return now + std::chrono::ceil<std::chrono::steady_clock::duration>(d);
}

/// `deadline` by `Clock`, not yet reached at `now` (Clock::now()), as a steady_clock deadline; any duration type
/// (see time_left: a far one is measured in floating point, a near one exactly).
template <class Clock, class Duration>
std::chrono::steady_clock::time_point steady_until(const std::chrono::time_point<Clock, Duration>& deadline,
                                                   const typename Clock::time_point& now) noexcept {
    const std::chrono::duration<double> left = time_left(deadline, now);
    return left > deadline_margin ? steady_deadline(left) : steady_deadline(deadline - now);
}

/// Waits with `attempt(steady deadline)` until `deadline` by `Clock`, reading `Clock` again after a timeout, so a
/// deadline of any clock and duration type (system_clock set back, time_point::max() in seconds) is honoured.
/// `attempt` returns true when done.
template <class Clock, class Duration, class Attempt>
bool until_deadline(const std::chrono::time_point<Clock, Duration>& deadline, Attempt&& attempt) {
    for (;;) {
        const auto now = Clock::now();
        const bool passed = deadline_reached(deadline, now);
        if (attempt(passed ? std::chrono::steady_clock::now() : steady_until(deadline, now)) || passed ||
            deadline_reached(deadline, Clock::now())) {
            return true;
        }
    }
}

/// Moves an owner word from `dead`, an owner judged gone, to `self`: how a waiter takes over a dead owner's mutex,
/// initialisation or channel end. `start` is the owner's stamp the verdict used (0: none; only the thread or
/// process id was checked). The stamp is claimed first, by a CAS from `start` to 0, so that the verdict stands only
/// while the stamp is still the one judged, and whoever reads the new owner (acquire) then reads 0 ("unknown") or
/// the new owner's stamp, never the dead one's: a stale stamp would make the new, live owner look dead too, and let
/// a second waiter take over from it. The caller stores its own stamp after a success. False if either CAS fails
/// (someone else took over, or the owner changed): look again. If only the second fails, the stamp of whoever owns
/// now reads 0 until its next acquisition, which checks that owner by id only.
inline bool claim_from_dead(std::atomic<std::uint64_t>& owner, std::atomic<std::uint64_t>& owner_start,
                            std::uint64_t dead, std::uint64_t start, std::uint64_t self) noexcept {
    if (start != 0 && !owner_start.compare_exchange_strong(start, 0, std::memory_order_seq_cst)) {
        return false;
    }
    return owner.compare_exchange_strong(dead, self, std::memory_order_acq_rel, std::memory_order_acquire);
}

/// Reads the stamp that goes with `owner`, a value just loaded (acquire) from `owner_word`: true, with the stamp in
/// `start`, if `owner_word` still holds `owner` after the stamp was read. An owner stores its stamp with a release
/// after its CAS, so a stamp read here that a later owner stored makes the second read see that later owner: a
/// mismatched pair is never judged (it would make the later owner's stamp look like a reused id's, and a take-over
/// clear it). False: the owner changed, look again.
inline bool stamp_of(const std::atomic<std::uint64_t>& owner_word, const std::atomic<std::uint64_t>& owner_start,
                     std::uint64_t owner, std::uint64_t& start) noexcept {
    start = owner_start.load(std::memory_order_acquire);
    return owner_word.load(std::memory_order_acquire) == owner;
}

/// Who an owner word is to the calling thread (caller_of).
enum class Caller {
    other,        ///< another thread: another id, or the caller's id with another stamp (a thread that ended owning,
                  ///< whose id the caller was given since)
    self,         ///< the caller: its id, and its stamp (or the caller's own stamp is unknown)
    self_or_dead, ///< the caller's id with no stamp: the caller, or a predecessor with its id whose take-over is
                  ///< under way (claim_from_dead clears the stamp before it moves the owner word)
};

/// Who `owner`, an owner word just read from a state whose stamp is `owner_start`, is to the calling thread.
template <class P>
SHAREMAP_SECTION_LOCK_HOT Caller caller_of(std::uint64_t owner,
                                           const std::atomic<std::uint64_t>& owner_start) noexcept {
    if (owner != P::self()) {
        return Caller::other;
    }
    const std::uint64_t start = owner_start.load(std::memory_order_acquire);
    const std::uint64_t mine = P::self_start();
    if (start == mine || mine == 0) { // the owner's own unlock: one compare
        return Caller::self;
    }
    return start == 0 ? Caller::self_or_dead : Caller::other;
}

/// Sets the wake object named in `key`: the part of an unlock or a set that runs only when someone sleeps.
template <class P>
SHAREMAP_SECTION_LOCK_COLD void wake_sleeper(const std::atomic<std::uint32_t>& key) noexcept {
    P::wake(key.load(std::memory_order_acquire));
}

// ---------------------------------------------------------------------------------------------------------------
// Mutex

/// Takes the mutex if it is free: one compare-and-swap. The owner id is `self`.
template <class P>
SHAREMAP_SECTION_LOCK_HOT bool try_take(MutexState& s, std::uint64_t self) noexcept {
    std::uint64_t expected = 0;
    if (s.owner.compare_exchange_strong(expected, self, std::memory_order_acquire, std::memory_order_relaxed)) {
        s.owner_start.store(P::self_start(), std::memory_order_release); // see stamp_of
        return true;
    }
    return false;
}

/// Takes over the mutex from `dead`, an owner found gone using the stamp `start`; only one of several waiters can
/// win. (Owner and stamp are read apart: while the owner changed hands and came back, A then B then A again, the
/// stamp read may have been B's, which makes a live A look like a reused id. Seen under contention: 4
/// processes x 2,000 locks, one live owner taken for dead. claim_from_dead refuses a stamp that is no longer the
/// current one; only a hand-over and a return both inside its two CASes could still pass.)
template <class P>
bool take_over(MutexState& s, std::uint64_t dead, std::uint64_t start, std::uint64_t self) noexcept {
    if (claim_from_dead(s.owner, s.owner_start, dead, start, self)) {
        s.owner_start.store(P::self_start(), std::memory_order_release);
        s.abandoned.store(1, std::memory_order_relaxed);
        return true;
    }
    return false;
}

/// Acquires the mutex, waiting until `deadline` at the latest (time_point::max(): forever; a deadline already
/// past: one try, with a liveness check of a holder).
template <class P>
Acquired lock(MutexState& s, std::chrono::steady_clock::time_point deadline) noexcept {
    const std::uint64_t self = P::self();
    if (try_take<P>(s, self)) { // the fast path: one CAS
        return Acquired::acquired;
    }
    if (caller_of<P>(s.owner.load(std::memory_order_relaxed), s.owner_start) != Caller::other) {
        return Acquired::would_deadlock;
    }
    const bool forever = deadline == (std::chrono::steady_clock::time_point::max)();
    const int spins = forever || deadline > std::chrono::steady_clock::now() ? spin_count : 0; // try_lock: none
    for (int i = 0; i < spins; ++i) { // a short bounded spin: most holds are shorter than a sleep
        P::relax();
        if (s.owner.load(std::memory_order_relaxed) == 0 && try_take<P>(s, self)) {
            return Acquired::acquired;
        }
    }
    typename P::Watch watch;
    std::uint64_t watched = 0; // the owner `watch` watches; 0: none
    for (;;) {
        // acquire: the stamp read below is then 0 or this owner's (see claim_from_dead), never an earlier owner's
        const std::uint64_t owner = s.owner.load(std::memory_order_acquire);
        if (owner == 0) {
            if (try_take<P>(s, self)) {
                return Acquired::acquired;
            }
            continue;
        }
        if (owner != watched) {
            watched = 0;
            std::uint64_t start = 0;
            if (!stamp_of(s.owner, s.owner_start, owner, start)) {
                continue;
            }
            typename P::Watch fresh; // opened while `watch` still holds the id it watched
            if (!P::watch(owner, start, fresh)) {
                if (take_over<P>(s, owner, start, self)) {
                    return Acquired::abandoned;
                }
                continue; // the owner changed meanwhile: look again
            }
            watch = static_cast<typename P::Watch&&>(fresh);
            watched = owner;
        }
        const std::uint32_t ms = forever ? max_sleep_ms : sleep_ms(deadline);
        if (ms == 0) {
            return Acquired::timed_out;
        }
        const std::uint32_t key = ensure_key<P>(s.wake_key, &s);
        s.sleepers.fetch_add(1, std::memory_order_seq_cst);
        // Announced as a sleeper, look once more: an unlock that came before the announcement did not wake anyone.
        // (Dekker: the unlocker stores owner = 0 then reads sleepers, both seq_cst; one of the two sees the other.)
        if (s.owner.load(std::memory_order_seq_cst) != owner) {
            s.sleepers.fetch_sub(1, std::memory_order_relaxed);
            continue;
        }
        const Woke woke = P::sleep(key, &watch, ms);
        s.sleepers.fetch_sub(1, std::memory_order_relaxed);
        if (woke == Woke::owner_ended) {
            // The thread we watched ended. If it still owns the mutex, ask again afresh (its id may already serve
            // a new thread that took the mutex legitimately; `watch` still holds the ended thread, so its id is not
            // given to another meanwhile), then take over; the CASes fail if the mutex changed hands meanwhile.
            std::uint64_t start = 0;
            if (stamp_of(s.owner, s.owner_start, owner, start) && !P::alive(owner, start) &&
                take_over<P>(s, owner, start, self)) {
                return Acquired::abandoned;
            }
            watch = typename P::Watch();
            watched = 0;
        } else if (woke == Woke::timed_out && !watch) {
            watched = 0; // an owner that could not be opened at all is looked up again after each sleep
        }
    }
}

/// Releases the mutex if the calling thread owns it; false (and nothing changed) otherwise. A kernel call only if
/// someone sleeps.
template <class P>
SHAREMAP_SECTION_LOCK_HOT bool unlock(MutexState& s) noexcept {
    const std::uint64_t owner = s.owner.load(std::memory_order_relaxed);
    const Caller caller = caller_of<P>(owner, s.owner_start);
    if (caller == Caller::other) {
        return false;
    }
    if (caller == Caller::self) {
        s.owner_start.store(0, std::memory_order_relaxed);
        s.owner.store(0, std::memory_order_seq_cst); // release, and ordered before the read of sleepers
    } else {
        // No stamp to go by: release only if the owner word still holds this id, so that a waiter's take-over
        // from a dead predecessor with this id, under way, is never undone (the stamp is 0 already).
        std::uint64_t expected = owner;
        if (!s.owner.compare_exchange_strong(expected, 0, std::memory_order_seq_cst)) {
            return false;
        }
    }
    if (s.sleepers.load(std::memory_order_seq_cst) != 0) {
        wake_sleeper<P>(s.wake_key);
    }
    return true;
}

/// True if the calling thread owns the mutex.
template <class P>
bool owned_by_caller(const MutexState& s) noexcept {
    return caller_of<P>(s.owner.load(std::memory_order_relaxed), s.owner_start) != Caller::other;
}

// ---------------------------------------------------------------------------------------------------------------
// Event

/// Sets the event: it stays set (manual) or until one wait consumes it (automatic). A kernel call only if someone
/// sleeps.
template <class P>
SHAREMAP_SECTION_LOCK_HOT void set(EventState& s) noexcept {
    s.signaled.store(1, std::memory_order_seq_cst);
    if (s.sleepers.load(std::memory_order_seq_cst) != 0) {
        wake_sleeper<P>(s.wake_key);
    }
}

/// Unsets the event.
inline void reset(EventState& s) noexcept { s.signaled.store(0, std::memory_order_seq_cst); }

/// One look at the event: true if it is set (an automatic one is consumed by the look that returns true).
inline bool try_consume(EventState& s) noexcept {
    if ((s.flags.load(std::memory_order_relaxed) & event_automatic_flag) != 0) {
        std::uint32_t expected = 1;
        return s.signaled.compare_exchange_strong(expected, 0, std::memory_order_acquire, std::memory_order_relaxed);
    }
    return s.signaled.load(std::memory_order_acquire) != 0;
}

/// Waits until the event is set or `deadline` passes; true if it was set (and, automatic, consumed by this wait).
template <class P>
bool wait(EventState& s, std::chrono::steady_clock::time_point deadline) noexcept {
    if (try_consume(s)) {
        return true;
    }
    const bool forever = deadline == (std::chrono::steady_clock::time_point::max)();
    const int spins = forever || deadline > std::chrono::steady_clock::now() ? event_spin_count : 0;
    for (int i = 0; i < spins; ++i) {
        P::relax();
        if (s.signaled.load(std::memory_order_relaxed) != 0 && try_consume(s)) {
            return true;
        }
    }
    for (;;) {
        const std::uint32_t ms = forever ? max_sleep_ms : sleep_ms(deadline);
        if (ms == 0) {
            return try_consume(s);
        }
        const std::uint32_t key = ensure_key<P>(s.wake_key, &s);
        s.sleepers.fetch_add(1, std::memory_order_seq_cst);
        if (s.signaled.load(std::memory_order_seq_cst) == 0) {
            (void)P::sleep(key, nullptr, ms);
        }
        const std::uint32_t left = s.sleepers.fetch_sub(1, std::memory_order_seq_cst) - 1;
        if (try_consume(s)) {
            // The wake object releases one sleeper per set; a manual event passes the wake on, so every sleeper
            // of the moment is released one after the other. An automatic one was consumed: nothing to pass on.
            if (left != 0 && (s.flags.load(std::memory_order_relaxed) & event_automatic_flag) == 0) {
                P::wake(s.wake_key.load(std::memory_order_acquire));
            }
            return true;
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Condition waits: an EventState used only for its sleepers count and wake object, the condition being the
// caller's own state (a ring's counters, for the channel). The waiter announces itself, then looks at the
// condition; the notifier changes the condition, then looks for an announced sleeper. With both sides' accesses
// seq_cst (Dekker), either the waiter sees the change or the notifier sees the sleeper, so the notifier may skip
// the kernel call whenever nobody announced itself, and no wake is lost.

/// Waits until `ready()` is true, or `deadline` passes, or the owner watched by `w` (if not null) ends. `ready`
/// must read the condition with seq_cst loads. Spins briefly, then sleeps in steps of at most max_sleep_ms.
/// \returns Woke::woken once ready() is true, Woke::timed_out at the deadline, Woke::owner_ended when the watched
/// owner ended (the caller decides what that means and may wait again).
template <class P, class Ready>
Woke wait_ready(EventState& s, std::chrono::steady_clock::time_point deadline, const typename P::Watch* w,
                Ready&& ready) noexcept {
    if (ready()) {
        return Woke::woken;
    }
    const bool forever = deadline == (std::chrono::steady_clock::time_point::max)();
    const int spins = forever || deadline > std::chrono::steady_clock::now() ? event_spin_count : 0;
    for (int i = 0; i < spins; ++i) {
        P::relax();
        if (ready()) {
            return Woke::woken;
        }
    }
    for (;;) {
        const std::uint32_t ms = forever ? max_sleep_ms : sleep_ms(deadline);
        if (ms == 0) {
            return ready() ? Woke::woken : Woke::timed_out;
        }
        const std::uint32_t key = ensure_key<P>(s.wake_key, &s);
        s.sleepers.fetch_add(1, std::memory_order_seq_cst);
        Woke woke = Woke::woken;
        if (!ready()) { // announced, look once more: a change made before the announcement woke nobody
            woke = P::sleep(key, w, ms);
        }
        s.sleepers.fetch_sub(1, std::memory_order_seq_cst);
        if (ready()) {
            return Woke::woken;
        }
        if (woke == Woke::owner_ended) {
            return Woke::owner_ended;
        }
    }
}

/// The notifier's side of wait_ready: called after the change (a seq_cst store) that makes the waiter's condition
/// true. A kernel call only if a waiter announced itself.
template <class P>
SHAREMAP_SECTION_LOCK_HOT void notify(EventState& s) noexcept {
    if (s.sleepers.load(std::memory_order_seq_cst) != 0) {
        set<P>(s);
    }
}

} // namespace sharemap::detail::section_lock

#undef SHAREMAP_SECTION_LOCK_COLD
#undef SHAREMAP_SECTION_LOCK_HOT

#endif // SHAREMAP_DETAIL_SECTION_LOCK_HPP_INCLUDED
