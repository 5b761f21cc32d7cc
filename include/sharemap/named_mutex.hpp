// SPDX-License-Identifier: MIT
// sharemap: NamedMutex, the owner of a Windows mutex object, usable with std::lock_guard and friends, which reports
// abandonment instead of hiding it.
#ifndef SHAREMAP_NAMED_MUTEX_HPP_INCLUDED
#define SHAREMAP_NAMED_MUTEX_HPP_INCLUDED

#include "sharemap/create_options.hpp"
#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/kernel_object.hpp"
#include "sharemap/detail/object.hpp"
#include "sharemap/detail/sync.hpp"
#include "sharemap/lock_status.hpp"
#include "sharemap/name_view.hpp"

#include <chrono>
#include <optional>
#include <system_error>
#include <utility>

// Defines helper macros for this header's class; throwing_forms_end.hpp at the end takes them back.
#include "sharemap/detail/throwing_forms_begin.hpp"

namespace sharemap {

/// Move-only owner of a Windows mutex object (CreateMutexExW): mutual exclusion between threads of any process.
///
/// **Locking.** NamedMutex meets the standard's TimedLockable requirements (lock, try_lock, try_lock_for,
/// try_lock_until, unlock), so std::lock_guard, std::unique_lock and std::scoped_lock work with it. acquire()
/// is the same wait with the full answer: a LockStatus. Each lock or unlock is exactly one Windows call
/// (WaitForSingleObject / ReleaseMutex), a kernel round trip (a system call on Windows; under Wine a round trip to
/// its server process: docs/performance.md has what it cost in the last benchmark run), so keep the protected work
/// coarse.
///
/// **Abandonment.** If the owning thread ends (its process exits or is killed) without unlocking, the next thread to
/// wait gets the mutex *abandoned*: it owns it, but what the mutex protected may be half-updated. sharemap never
/// hides this and never releases and retries. acquire() returns LockStatus::abandoned; lock() and try_lock*() succeed
/// as usual and record it, so that was_abandoned() is true afterwards:
/// \code
/// std::lock_guard<sharemap::NamedMutex> guard(mutex);
/// if (mutex.was_abandoned()) {
///     repair(shared);           // or: refuse to continue
///     mutex.clear_abandoned();
/// }
/// \endcode
///
/// **Recursion.** Windows mutexes are recursive: the owning thread may lock again without blocking, and must unlock
/// once per successful lock before another thread can have it.
///
/// **Thread affinity.** A mutex is owned by a thread, not by a process or by this object: only the thread that
/// locked it can unlock it (another thread's unlock fails with ERROR_NOT_OWNER and the mutex stays locked). So a
/// std::unique_lock<NamedMutex> must be unlocked on the thread that locked it.
///
/// **Threads sharing one object.** lock, try_lock*, acquire* and unlock may be called on one NamedMutex from several
/// threads at once; the kernel serialises them. The abandonment flag is per object, and is written only by a thread
/// that has just acquired the mutex: read or clear it while holding the mutex. Moving, close() and release()
/// need exclusive access, as for any object.
///
/// **Const.** Locking and unlocking change the mutex, not this C++ object (which only names it), so they are const
/// members, as waiting and signalling are on every sharemap type; a `const NamedMutex` can be locked.
///
/// Errors are reported as by FileMapping: a throwing form and a noexcept form taking std::error_code&; Win32 codes
/// in std::system_category(). An empty NamedMutex (default-constructed, moved-from, closed) fails every operation
/// with ERROR_INVALID_HANDLE.
class [[nodiscard]] NamedMutex : public detail::KernelObject<NamedMutex> {
public:
    /// An empty NamedMutex: owns nothing, `bool(*this)` is false.
    NamedMutex() noexcept = default;

    // NOLINTBEGIN(bugprone-use-after-move): the moves below take only the KernelObject base from `other`;
    // its own members are taken after, separately.
    /// Takes over `other`'s handle and abandonment flag; `other` becomes empty. Ownership of the mutex itself
    /// belongs to a thread and is not affected.
    NamedMutex(NamedMutex&& other) noexcept
        : KernelObject(std::move(other)), abandoned_(std::exchange(other.abandoned_, false)) {}
    /// Closes this object's handle, then takes over `other`'s. Self-move leaves the object as it was.
    NamedMutex& operator=(NamedMutex&& other) noexcept {
        if (this != &other) {
            KernelObject::operator=(std::move(other));
            abandoned_ = std::exchange(other.abandoned_, false);
        }
        return *this;
    }
    // NOLINTEND(bugprone-use-after-move)
    NamedMutex(const NamedMutex&) = delete;
    NamedMutex& operator=(const NamedMutex&) = delete;
    /// Closes the handle. Does not unlock: a mutex still owned by a thread of this process stays owned until that
    /// thread unlocks it or ends, when it becomes abandoned.
    ~NamedMutex() = default;

    /// Creates a new named mutex, not owned by anyone.
    /// \errors std::errc::file_exists if the name is in use by a mutex (the handle Windows returned to it is closed);
    /// ERROR_INVALID_HANDLE (6) if the name belongs to another kind of object; errc::invalid_argument for an
    /// empty name or one with a NUL; std::errc::illegal_byte_sequence for invalid UTF-8; another Win32 error otherwise.
    static NamedMutex create(NameView name, const CreateOptions& options, std::error_code& ec) noexcept {
        return make(name, options, detail::Disposition::create_new, ec);
    }
    /// create(name, {}, ec).
    static NamedMutex create(NameView name, std::error_code& ec) noexcept { return create(name, {}, ec); }

    /// Creates the named mutex, or opens it if it exists, atomically; existed() says which happened. Never takes
    /// ownership: lock afterwards. On an existing mutex it asks only for the rights open() asks for.
    /// \errors as create, except that an existing mutex is not an error.
    static NamedMutex create_or_open(NameView name, const CreateOptions& options, std::error_code& ec) noexcept {
        return make(name, options, detail::Disposition::create_or_open, ec);
    }
    /// create_or_open(name, {}, ec).
    static NamedMutex create_or_open(NameView name, std::error_code& ec) noexcept {
        return create_or_open(name, {}, ec);
    }

    /// Opens an existing named mutex with SYNCHRONIZE | MUTEX_MODIFY_STATE, the rights lock and unlock need.
    /// \errors std::errc::no_such_file_or_directory if no object has that name; ERROR_INVALID_HANDLE (6) if the name
    /// belongs to another kind of object; errc::permission_denied if the mutex's security refuses those rights;
    /// name errors as create.
    static NamedMutex open(NameView name, std::error_code& ec) noexcept {
        return opened(name, ec, detail::sync::open_mutex);
    }

    /// Creates an unnamed mutex. Other processes reach it only through its handle: passed to a child by
    /// Process::start, or duplicated (duplicate_into).
    /// \errors a Win32 error.
    static NamedMutex create_unnamed(const CreateOptions& options, std::error_code& ec) noexcept {
        return make(std::nullopt, options, detail::Disposition::create_new, ec);
    }
    /// create_unnamed({}, ec).
    static NamedMutex create_unnamed(std::error_code& ec) noexcept { return create_unnamed({}, ec); }

    /// Takes ownership of a mutex HANDLE received from another process (inherited, or duplicated into this one by
    /// duplicate_into) or from raw Win32 code. On error the handle is left to the caller, untouched.
    /// \errors ERROR_INVALID_HANDLE if `handle` is null or not a handle to a mutex; errc::permission_denied if the
    /// handle lacks SYNCHRONIZE or MUTEX_MODIFY_STATE: a mutex that could be locked but not unlocked is refused
    /// here, where it can be reported, since unlock() cannot report anything.
    static NamedMutex adopt(native_handle_type handle, std::error_code& ec) noexcept {
        if (!detail::sync::is_kind(handle, detail::sync::mutex_type, ec) ||
            !detail::has_rights(handle, detail::sync::mutex_rights, ec)) {
            return {};
        }
        return NamedMutex(handle, true);
    }

    /// Waits until the calling thread owns the mutex, however long that takes.
    /// \returns LockStatus::acquired or LockStatus::abandoned (see the class notes); an abandonment is also recorded
    /// for was_abandoned().
    /// \errors the Win32 error of a failed wait (WAIT_FAILED); ERROR_INVALID_HANDLE on an empty object. On error the
    /// mutex is not owned and LockStatus::timed_out is returned.
    [[nodiscard]] LockStatus acquire(std::error_code& ec) const noexcept {
        return check(ec) ? finish(detail::sync::wait_handle(handle()), ec) : LockStatus::timed_out;
    }

    /// Waits at most `timeout` (rounded up to whole milliseconds; zero or negative: a single try without blocking)
    /// until the calling thread owns the mutex. Any length works, up to duration::max().
    /// \returns acquired, abandoned or timed_out. \errors as acquire(ec).
    template <class Rep, class Period>
    [[nodiscard]] LockStatus acquire_for(const std::chrono::duration<Rep, Period>& timeout,
                                         std::error_code& ec) const noexcept {
        return check(ec) ? finish(detail::sync::wait_handle(handle(), timeout), ec) : LockStatus::timed_out;
    }

    /// Waits until `deadline` at the latest (by `Clock`, read again after each timeout, so a deadline of any clock is
    /// honoured, time_point::max() included) until the calling thread owns the mutex. A deadline already past: a
    /// single try. \returns acquired, abandoned or timed_out. \errors as acquire(ec).
    template <class Clock, class Duration>
    [[nodiscard]] LockStatus acquire_until(const std::chrono::time_point<Clock, Duration>& deadline,
                                           std::error_code& ec) const noexcept {
        return check(ec) ? finish(detail::sync::wait_handle(handle(), deadline), ec) : LockStatus::timed_out;
    }

    /// Releases one level of ownership (ReleaseMutex). The mutex is free for others once the owning thread has
    /// unlocked as many times as it locked. This is the only form that reports a failed unlock.
    /// \errors ERROR_NOT_OWNER (288) if the calling thread does not own the mutex: another thread locked it, or it
    /// is not locked at all; the mutex is unchanged. ERROR_INVALID_HANDLE on an empty object.
    void unlock(std::error_code& ec) const noexcept {
        if (check(ec)) {
            detail::sync::release_mutex(handle(), ec);
        }
    }

    /// Lockable: releases one level of ownership. Never throws, since std::lock_guard and std::unique_lock call it
    /// from their destructors: the failures unlock(ec) reports (a thread that does not own the mutex, an empty
    /// object) are misuse that leaves the mutex unchanged, and are ignored here, as std::mutex leaves them
    /// undefined. A handle that cannot unlock is refused earlier, by adopt.
    void unlock() const noexcept {
        std::error_code ignored;
        unlock(ignored);
    }

    /// True if an acquisition through this object (lock, try_lock*, acquire*) found the mutex abandoned since it was
    /// made or since clear_abandoned(). It stays true until cleared, so a nested lock cannot hide it. Acquisitions
    /// through wait_any / wait_all report abandonment in their WaitResult only. Read it while holding the mutex.
    [[nodiscard]] bool was_abandoned() const noexcept { return abandoned_; }

    /// Forgets a recorded abandonment, typically once the protected state has been checked or repaired.
    void clear_abandoned() noexcept { abandoned_ = false; }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of create(name, options, ec).
    static NamedMutex create(NameView name, const CreateOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::named_call(type_name, "create", name), create(name, options, ec));
    }
    /// Throwing form of create_or_open(name, options, ec).
    static NamedMutex create_or_open(NameView name, const CreateOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::named_call(type_name, "create_or_open", name),
                                           create_or_open(name, options, ec));
    }
    /// Throwing form of open(name, ec).
    static NamedMutex open(NameView name) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::named_call(type_name, "open", name), open(name, ec));
    }
    /// Throwing form of create_unnamed(options, ec).
    static NamedMutex create_unnamed(const CreateOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW(create_unnamed(options, ec));
    }
    /// Throwing form of adopt(handle, ec).
    static NamedMutex adopt(native_handle_type handle) { return SHAREMAP_DETAIL_OR_THROW(adopt(handle, ec)); }
    /// Throwing form of acquire(ec): throws std::system_error if the wait fails, never for an abandonment.
    [[nodiscard]] LockStatus acquire() const { return SHAREMAP_DETAIL_OR_THROW(acquire(ec)); }
    /// Throwing forms of acquire_for(timeout, ec) and acquire_until(deadline, ec): LockStatus::timed_out at the
    /// timeout; an abandonment is returned (and recorded), never thrown.
    ///@{
    SHAREMAP_DETAIL_TIMED_THROWING_FORMS(LockStatus, acquire_for, acquire_until, const)
    ///@}

    /// Lockable: waits until the calling thread owns the mutex. An abandoned mutex is acquired too, and recorded for
    /// was_abandoned(); it does not throw.
    /// \throws std::system_error if the wait fails (an empty object, a handle without SYNCHRONIZE).
    void lock() const { (void)acquire(); }

    /// Lockable: takes the mutex if no other thread owns it, without blocking; true if the calling thread now owns
    /// it (abandoned or not; see was_abandoned()). \throws std::system_error if the wait fails: a broken handle is
    /// never reported as "busy".
    [[nodiscard]] bool try_lock() const { return owns_lock(acquire_for(std::chrono::milliseconds(0))); }

    /// TimedLockable: as try_lock, waiting at most `timeout`. \throws std::system_error if the wait fails.
    template <class Rep, class Period>
    [[nodiscard]] bool try_lock_for(const std::chrono::duration<Rep, Period>& timeout) const {
        return owns_lock(acquire_for(timeout));
    }

    /// TimedLockable: as try_lock, waiting until `deadline` at the latest. \throws std::system_error if the wait
    /// fails.
    template <class Clock, class Duration>
    [[nodiscard]] bool try_lock_until(const std::chrono::time_point<Clock, Duration>& deadline) const {
        return owns_lock(acquire_until(deadline));
    }
#endif

private:
    friend class detail::KernelObject<NamedMutex>;
    static constexpr const char* type_name = "sharemap::NamedMutex";

    NamedMutex(detail::win32::handle_t h, bool existed) noexcept : KernelObject(h, existed) {}

    // create, create_or_open and (without a name) create_unnamed.
    static NamedMutex make(std::optional<NameView> name, const CreateOptions& options, detail::Disposition disposition,
                           std::error_code& ec) noexcept {
        return created(name, ec, [&](const wchar_t* n, bool& existed) {
            return detail::sync::create_mutex(n, options, disposition, existed, ec);
        });
    }

    // Turns a wait's result into a LockStatus, recording an abandonment. Only a thread that now owns the mutex
    // writes the flag, so the mutex itself guards it.
    LockStatus finish(detail::win32::dword_t result, std::error_code& ec) const noexcept {
        detail::win32::dword_t index = 0;
        switch (detail::sync::interpret(result, 1, index, ec)) {
        case detail::sync::Outcome::signaled:
            return LockStatus::acquired;
        case detail::sync::Outcome::abandoned:
            abandoned_ = true;
            return LockStatus::abandoned;
        case detail::sync::Outcome::timed_out:
        default:
            return LockStatus::timed_out;
        }
    }

    mutable bool abandoned_ = false; // sticky: set by an abandoned acquisition, cleared only by clear_abandoned()
};

} // namespace sharemap

#include "sharemap/detail/throwing_forms_end.hpp"

#endif // SHAREMAP_NAMED_MUTEX_HPP_INCLUDED
