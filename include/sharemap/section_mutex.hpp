// SPDX-License-Identifier: MIT
// sharemap: SectionMutex, a mutex whose state lives in shared memory: no kernel call when uncontended, and an owner
// that dies holding it is still reported, as by NamedMutex.
#ifndef SHAREMAP_SECTION_MUTEX_HPP_INCLUDED
#define SHAREMAP_SECTION_MUTEX_HPP_INCLUDED

#include "sharemap/detail/section_object.hpp"
#include "sharemap/lock_status.hpp"

#include <chrono>
#include <cstdint>
#include <system_error>
#include <type_traits>

// Defines helper macros for this header's class; throwing_forms_end.hpp at the end takes them back.
#include "sharemap/detail/throwing_forms_begin.hpp"

namespace sharemap {

/// A mutex whose whole state (32 bytes) lives where you put it: inside a struct in a mapped section that several
/// processes share. All zero bytes are an unlocked mutex, so a new pagefile section (which Windows fills with zeros)
/// already holds ready mutexes and no process has to construct them:
/// \code
/// struct Shared {
///     sharemap::SectionMutex lock;
///     long counter;
/// };
/// auto section = sharemap::FileMapping::create_or_open("Local\\my-app", sizeof(Shared));
/// auto view = section.map(sharemap::Access::read_write);
/// Shared& shared = *view.as<Shared>(0);
/// std::lock_guard<sharemap::SectionMutex> guard(shared.lock);
/// ++shared.counter;
/// \endcode
///
/// **Cost.** Uncontended, lock is one compare-and-swap and unlock one atomic exchange (plus two plain loads and a
/// store), with no kernel call: a few nanoseconds, against a kernel round trip for NamedMutex. A contended lock
/// spins briefly, then sleeps on a kernel event; unlock makes a kernel call (SetEvent) only when someone sleeps.
/// The event is found from a key stored in the state on first contention (`Local\sharemap-wake-<key>`), never
/// from a pointer; each process opens it on first use and keeps the handle, for up to 64 keys (beyond those, each
/// use opens and closes it). Two mutexes that drew the same key share the event, which costs a spurious wake at
/// most.
///
/// **Abandonment.** The state records the owner: its process id and thread id, and its thread's creation time so
/// that a later thread given the same ids (in another process or in the owner's own) is not taken for the owner. A
/// waiter that finds the owner gone (its thread ended: it returned, or its process exited or was killed) takes the
/// mutex and gets LockStatus::abandoned, exactly as NamedMutex reports it; lock() and try_lock*() succeed and record
/// it for was_abandoned(). A sleeping waiter waits on the owner's thread together with the wake event, and looks at
/// the state again at least every 100 ms, so it notices at once, and within 100 ms where the owner's thread can be
/// opened only to query its exit code (another user's or session's thread, typically: docs/section-mutex.md says
/// what remains). The record is in the shared state: was_abandoned() is true for every later owner, in any
/// process, until one calls clear_abandoned() (after checking or repairing the data). A thread that ends holding
/// the mutex while its process lives on is reported the same way, also once its process has given its thread id
/// to a new thread: to that thread too, whose lock() then gets the mutex as abandoned (not
/// resource_deadlock_would_occur); the two are told apart by their creation times (docs/section-mutex.md, Limits:
/// Windows may record them at its clock tick). Only threads that wait find a dead owner: a mutex nobody waits for
/// stays locked by its dead owner, harmlessly.
///
/// **Recursion** is refused, as by std::mutex: locking a mutex the calling thread owns fails with
/// std::errc::resource_deadlock_would_occur instead of deadlocking. **unlock** by a thread that does not own the
/// mutex is an error (errc::not_owner) and changes nothing. The mutex belongs to a thread, as NamedMutex does.
///
/// **Layout** (version 1, layout_version): 32 bytes, alignment 8, offsets fixed by static_asserts: owner (8 bytes:
/// process id << 32 | thread id, 0 = free), owner thread's creation time (8, 0 = unknown), sleepers (4), wake key
/// (4), abandoned (4), layout version - 1 (4). Two builds of a program, or two programs, that share a section agree
/// on it. A state whose version field is not this version's is refused with errc::incompatible_layout.
///
/// **Limits.** The mutex must be reached through a mapping of the same section by each process (any address). A
/// process killed while *waiting* leaves the sleepers count one too high: unlocks then make one SetEvent call each,
/// correct but slower. In a `Global\` section shared across sessions the `Local\` wake events differ per session:
/// waiters then wake by polling, within 100 ms, instead of at once. Never copy or move a SectionMutex, and never
/// zero the memory of a mutex that someone holds or waits for.
///
/// Errors are reported as elsewhere in sharemap: a throwing form and a noexcept form taking std::error_code&.
class SectionMutex {
public:
    /// The layout version this header reads and writes.
    static constexpr std::uint32_t layout_version = 1;

    /// An unlocked mutex: all zero bytes, the same as memory that nobody constructed.
    constexpr SectionMutex() noexcept = default;

    /// The layout version the state says it has; layout_version if it can be used.
    [[nodiscard]] std::uint32_t layout() const noexcept { return state_.layout.load(std::memory_order_relaxed) + 1; }

    /// Waits until the calling thread owns the mutex, however long that takes.
    /// \returns LockStatus::acquired or LockStatus::abandoned (the previous owner ended holding it; see the class
    /// notes).
    /// \errors std::errc::resource_deadlock_would_occur if the calling thread owns the mutex already;
    /// errc::incompatible_layout if the state has another layout version. On error it returns timed_out.
    [[nodiscard]] LockStatus acquire(std::error_code& ec) noexcept {
        return run((std::chrono::steady_clock::time_point::max)(), ec);
    }

    /// Waits at most `timeout` (zero or negative: a single try, without spinning) until the calling thread owns the
    /// mutex. \returns acquired, abandoned or timed_out. \errors as acquire(ec).
    template <class Rep, class Period>
    [[nodiscard]] LockStatus acquire_for(const std::chrono::duration<Rep, Period>& timeout,
                                         std::error_code& ec) noexcept {
        return run(detail::section_lock::steady_deadline(timeout), ec);
    }

    /// Waits until `deadline` at the latest (by `Clock`, read again after each timeout) until the calling thread owns
    /// the mutex. \returns acquired, abandoned or timed_out. \errors as acquire(ec).
    template <class Clock, class Duration>
    [[nodiscard]] LockStatus acquire_until(const std::chrono::time_point<Clock, Duration>& deadline,
                                           std::error_code& ec) noexcept {
        LockStatus status = LockStatus::timed_out;
        detail::section_lock::until_deadline(deadline, [&](std::chrono::steady_clock::time_point steady) {
            status = run(steady, ec);
            return status != LockStatus::timed_out || static_cast<bool>(ec);
        });
        return status;
    }

    /// Releases the mutex; wakes one sleeper if any sleeps.
    /// \errors errc::not_owner if the calling thread does not own the mutex (another thread does, or nobody); the
    /// mutex is unchanged.
    void unlock(std::error_code& ec) noexcept {
        if (detail::section_lock::unlock<Platform>(state_)) {
            ec.clear();
        } else {
            ec = detail::error(errc::not_owner);
        }
    }

    /// Lockable: releases the mutex. Never throws (lock guards call it from destructors): unlocking a mutex the
    /// calling thread does not own changes nothing and is ignored here; unlock(ec) reports it.
    void unlock() noexcept { (void)detail::section_lock::unlock<Platform>(state_); }

    /// True if the calling thread owns the mutex.
    [[nodiscard]] bool owned_by_this_thread() const noexcept {
        return detail::section_lock::owned_by_caller<Platform>(state_);
    }

    /// True if an acquisition, in any process, found the mutex abandoned since the state was zero or since
    /// clear_abandoned(). Shared by all processes: read it while holding the mutex.
    [[nodiscard]] bool was_abandoned() const noexcept { return state_.abandoned.load(std::memory_order_relaxed) != 0; }

    /// Forgets a recorded abandonment, for every process, typically once the protected data has been checked or
    /// repaired. Call it while holding the mutex.
    void clear_abandoned() noexcept { state_.abandoned.store(0, std::memory_order_relaxed); }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of acquire(ec): throws std::system_error on an error, never for an abandonment.
    [[nodiscard]] LockStatus acquire() { return SHAREMAP_DETAIL_OR_THROW(acquire(ec)); }
    /// Throwing forms of acquire_for(timeout, ec) and acquire_until(deadline, ec): LockStatus::timed_out at the
    /// timeout; an abandonment is returned (and recorded), never thrown.
    ///@{
    SHAREMAP_DETAIL_TIMED_THROWING_FORMS(LockStatus, acquire_for, acquire_until, )
    ///@}

    /// Lockable: waits until the calling thread owns the mutex. An abandoned mutex is acquired too, and recorded for
    /// was_abandoned(); that does not throw.
    /// \throws std::system_error if the calling thread owns it already (resource_deadlock_would_occur), or for
    /// another layout version.
    void lock() {
        if (!fast_lock()) {
            (void)acquire();
        }
    }

    /// Lockable: takes the mutex if it is free (or its owner is gone), without blocking; true if the calling thread
    /// now owns it. \throws std::system_error as lock().
    [[nodiscard]] bool try_lock() { return fast_lock() || owns_lock(acquire_for(std::chrono::milliseconds(0))); }

    /// TimedLockable: as try_lock, waiting at most `timeout`. \throws std::system_error as lock().
    template <class Rep, class Period>
    [[nodiscard]] bool try_lock_for(const std::chrono::duration<Rep, Period>& timeout) {
        return owns_lock(acquire_for(timeout));
    }

    /// TimedLockable: as try_lock, waiting until `deadline` at the latest. \throws std::system_error as lock().
    template <class Clock, class Duration>
    [[nodiscard]] bool try_lock_until(const std::chrono::time_point<Clock, Duration>& deadline) {
        return owns_lock(acquire_until(deadline));
    }
#endif

private:
    using Platform = detail::Win32Platform;
    static constexpr const char* type_name = "sharemap::SectionMutex";

    // The uncontended path of lock() and try_lock(), before any error_code is made: one CAS on a free mutex of
    // this layout version. (The throwing forms otherwise go through or_throw, whose error_code costs a few
    // nanoseconds: as much as the lock itself.)
    bool fast_lock() noexcept {
        return state_.layout.load(std::memory_order_relaxed) == layout_version - 1 &&
               detail::section_lock::try_take<Platform>(state_, Platform::self());
    }

    LockStatus run(std::chrono::steady_clock::time_point deadline, std::error_code& ec) noexcept {
        if (!detail::section_lock::check_layout(layout(), layout_version, ec)) {
            return LockStatus::timed_out;
        }
        switch (detail::section_lock::lock<Platform>(state_, deadline)) {
        case detail::section_lock::Acquired::acquired:
            return LockStatus::acquired;
        case detail::section_lock::Acquired::abandoned:
            return LockStatus::abandoned;
        case detail::section_lock::Acquired::would_deadlock:
            ec = detail::errc_error(std::errc::resource_deadlock_would_occur);
            return LockStatus::timed_out;
        case detail::section_lock::Acquired::timed_out:
        default:
            return LockStatus::timed_out;
        }
    }

    detail::section_lock::MutexState state_{};
};

static_assert(sizeof(SectionMutex) == 32 && alignof(SectionMutex) == 8, "SectionMutex layout version 1");
static_assert(std::is_standard_layout_v<SectionMutex>, "SectionMutex lies in shared memory");

} // namespace sharemap

#include "sharemap/detail/throwing_forms_end.hpp"

#endif // SHAREMAP_SECTION_MUTEX_HPP_INCLUDED
