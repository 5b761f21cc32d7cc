// SPDX-License-Identifier: MIT
// sharemap: NamedMutex, the owner of a Windows mutex object, usable with std::lock_guard and friends, which reports
// abandonment instead of hiding it.
#ifndef SHAREMAP_NAMED_MUTEX_HPP_INCLUDED
#define SHAREMAP_NAMED_MUTEX_HPP_INCLUDED

#include "sharemap/create_options.hpp"
#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/object.hpp"
#include "sharemap/detail/sync.hpp"
#include "sharemap/detail/unique_handle.hpp"
#include "sharemap/detail/wide_name.hpp"
#include "sharemap/lock_status.hpp"
#include "sharemap/name_view.hpp"

#include <chrono>
#include <system_error>
#include <utility>

namespace sharemap {

/// Move-only owner of a Windows mutex object (CreateMutexW): mutual exclusion between threads of any process.
///
/// **Locking.** NamedMutex meets the standard's TimedLockable requirements (lock, try_lock, try_lock_for,
/// try_lock_until, unlock), so std::lock_guard, std::unique_lock and std::scoped_lock work with it. acquire()
/// is the same wait with the full answer: a LockStatus. Each lock or unlock is exactly one Windows call
/// (WaitForSingleObject / ReleaseMutex), a kernel round trip: about 1000 times a CRITICAL_SECTION, so keep the
/// protected work coarse.
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
/// that has just acquired the mutex: read or clear it while holding the mutex. Moving, close() and release_handle()
/// need exclusive access, as for any object.
///
/// Errors are reported as by FileMapping: a throwing form and a noexcept form taking std::error_code&; Win32 codes
/// in std::system_category(). An empty NamedMutex (default-constructed, moved-from, closed) fails every operation
/// with ERROR_INVALID_HANDLE (== errc::bad_file_descriptor).
class NamedMutex {
public:
    /// The type of native_handle(): a Win32 HANDLE.
    using native_handle_type = void*;

    /// An empty NamedMutex: owns nothing, `bool(*this)` is false.
    NamedMutex() noexcept = default;

    /// Takes over `other`'s handle and abandonment flag; `other` becomes empty. Ownership of the mutex itself
    /// belongs to a thread and is not affected.
    NamedMutex(NamedMutex&& other) noexcept
        : handle_(std::move(other.handle_)), existed_(std::exchange(other.existed_, false)),
          abandoned_(std::exchange(other.abandoned_, false)) {}
    /// Closes this object's handle, then takes over `other`'s. Self-move leaves the object as it was.
    NamedMutex& operator=(NamedMutex&& other) noexcept {
        if (this != &other) {
            handle_ = std::move(other.handle_);
            existed_ = std::exchange(other.existed_, false);
            abandoned_ = std::exchange(other.abandoned_, false);
        }
        return *this;
    }
    NamedMutex(const NamedMutex&) = delete;
    NamedMutex& operator=(const NamedMutex&) = delete;
    /// Closes the handle. A mutex this thread still owns stays owned (and is abandoned when the thread ends).
    ~NamedMutex() = default;

    /// Creates a new named mutex, not owned by anyone.
    ///
    /// \errors errc::file_exists if the name is in use by a mutex (the handle Windows returned to it is closed);
    /// ERROR_INVALID_HANDLE (6) if the name belongs to another kind of object (section, event, semaphore...);
    /// errc::invalid_argument for an empty name or one with a NUL; errc::illegal_byte_sequence for invalid UTF-8 /
    /// UTF-16; errc::permission_denied if the existing object's security refuses access; another Win32 error
    /// otherwise.
    static NamedMutex create(NameView name, const CreateOptions& options, std::error_code& ec) noexcept {
        return make(name, options, detail::Disposition::create_new, ec);
    }
    /// create(name, {}, ec).
    static NamedMutex create(NameView name, std::error_code& ec) noexcept { return create(name, {}, ec); }

    /// Creates the named mutex, or opens it if it exists, atomically; existed() says which happened.
    /// \errors as create, except that an existing mutex is not an error.
    static NamedMutex create_or_open(NameView name, const CreateOptions& options, std::error_code& ec) noexcept {
        return make(name, options, detail::Disposition::create_or_open, ec);
    }
    /// create_or_open(name, {}, ec).
    static NamedMutex create_or_open(NameView name, std::error_code& ec) noexcept {
        return create_or_open(name, {}, ec);
    }

    /// Opens an existing named mutex with SYNCHRONIZE | MUTEX_MODIFY_STATE, the rights locking and unlocking need.
    /// \errors errc::no_such_file_or_directory if no object has that name; ERROR_INVALID_HANDLE (6) if the name
    /// belongs to another kind of object; errc::permission_denied if the mutex's security refuses those rights;
    /// name errors as create.
    static NamedMutex open(NameView name, std::error_code& ec) noexcept {
        detail::WideName wide;
        ec = wide.assign(name);
        if (ec) {
            return {};
        }
        return NamedMutex(detail::sync::open_mutex(wide.c_str(), ec), true);
    }

    /// Creates an unnamed mutex. Other processes reach it only through its handle: inherited (CreateOptions::
    /// inheritable, set_inheritable) or duplicated (DuplicateHandle on native_handle()).
    /// \errors a Win32 error.
    static NamedMutex anonymous(const CreateOptions& options, std::error_code& ec) noexcept {
        bool existed = false;
        return NamedMutex(detail::sync::create_mutex(nullptr, options, detail::Disposition::create_new, existed, ec),
                          false);
    }
    /// anonymous({}, ec).
    static NamedMutex anonymous(std::error_code& ec) noexcept { return anonymous({}, ec); }

    /// Takes ownership of a mutex HANDLE received from another process (inherited, or duplicated into this one by
    /// duplicate_into) or from raw Win32 code. On error the handle is left to the caller, untouched. The handle
    /// needs SYNCHRONIZE to lock and MUTEX_MODIFY_STATE to unlock; without them those operations fail with
    /// errc::permission_denied.
    /// \errors ERROR_INVALID_HANDLE if `handle` is null or not a handle to a mutex.
    static NamedMutex adopt(native_handle_type handle, std::error_code& ec) noexcept {
        if (!detail::sync::is_kind(handle, detail::sync::mutex_type, ec)) {
            return {};
        }
        return NamedMutex(handle, true);
    }

    /// A second handle to the same mutex in this process, with the same rights (DuplicateHandle). A duplicate has
    /// its own abandonment flag, so each thread can have its own object.
    /// \errors ERROR_INVALID_HANDLE on an empty object; the Win32 error of DuplicateHandle.
    NamedMutex duplicate(std::error_code& ec) const noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return {};
        }
        return NamedMutex(detail::sync::duplicate(handle_.get(), nullptr, ec), existed_);
    }

    /// Duplicates the handle, with the same rights, into another process (`process`: a process HANDLE with
    /// PROCESS_DUP_HANDLE). Returns the handle's value in that process, which has to learn it (command line, pipe,
    /// shared memory) and take it with adopt(). This process keeps its own handle.
    /// \errors ERROR_INVALID_HANDLE on an empty object or a null `process`; the Win32 error of DuplicateHandle.
    native_handle_type duplicate_into(void* process, std::error_code& ec) const noexcept {
        if (!handle_ || process == nullptr) {
            ec = detail::empty_object_error();
            return nullptr;
        }
        return detail::sync::duplicate(handle_.get(), process, ec);
    }

    /// Waits until the calling thread owns the mutex, however long that takes.
    /// \returns LockStatus::acquired or LockStatus::abandoned (see the class notes); an abandonment is also recorded
    /// for was_abandoned().
    /// \errors the Win32 error of a failed wait (WAIT_FAILED); ERROR_INVALID_HANDLE on an empty object. On error the
    /// mutex is not owned and LockStatus::timed_out is returned.
    LockStatus acquire(std::error_code& ec) noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return LockStatus::timed_out;
        }
        return finish(detail::sync::wait_one(handle_.get(), detail::win32::infinite), ec);
    }

    /// Waits at most `timeout` (rounded up to whole milliseconds; zero or negative: a single try without blocking)
    /// until the calling thread owns the mutex.
    /// \returns acquired, abandoned or timed_out. \errors as acquire(ec).
    template <class Rep, class Period>
    LockStatus acquire(const std::chrono::duration<Rep, Period>& timeout, std::error_code& ec) noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return LockStatus::timed_out;
        }
        win32_handle h = handle_.get();
        return finish(detail::sync::wait_for(
                          timeout, [h](detail::win32::dword_t ms) noexcept { return detail::sync::wait_one(h, ms); }),
                      ec);
    }

    /// Waits until `deadline` at the latest (by `Clock`, read again after each timeout, so a deadline of any clock is
    /// honoured) until the calling thread owns the mutex. A deadline already past: a single try.
    /// \returns acquired, abandoned or timed_out. \errors as acquire(ec).
    template <class Clock, class Duration>
    LockStatus acquire_until(const std::chrono::time_point<Clock, Duration>& deadline, std::error_code& ec) noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return LockStatus::timed_out;
        }
        win32_handle h = handle_.get();
        return finish(detail::sync::wait_until(
                          deadline, [h](detail::win32::dword_t ms) noexcept { return detail::sync::wait_one(h, ms); }),
                      ec);
    }

    /// Releases one level of ownership (ReleaseMutex). The mutex is free for others once the owning thread has
    /// unlocked as many times as it locked.
    /// \errors ERROR_NOT_OWNER (288, compares equal to errc::operation_not_permitted) if the calling thread does not
    /// own the mutex: another thread locked it, or it is not locked at all; the mutex is unchanged.
    /// ERROR_INVALID_HANDLE on an empty object.
    void unlock(std::error_code& ec) noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return;
        }
        detail::sync::release_mutex(handle_.get(), ec);
    }

    /// True if an acquisition through this object (lock, try_lock*, acquire*) found the mutex abandoned since it was
    /// made or since clear_abandoned(). It stays true until cleared, so a nested lock cannot hide it. Acquisitions
    /// through wait_any / wait_all report abandonment in their WaitResult only. Read it while holding the mutex.
    bool was_abandoned() const noexcept { return abandoned_; }

    /// Forgets a recorded abandonment, typically once the protected state has been checked or repaired.
    void clear_abandoned() noexcept { abandoned_ = false; }

    /// Makes the handle inheritable by child processes started with handle inheritance, or not.
    /// \errors ERROR_INVALID_HANDLE on an empty object.
    void set_inheritable(bool inheritable, std::error_code& ec) noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return;
        }
        detail::set_inheritable(handle_.get(), inheritable, ec);
    }

    /// Whether the handle is inheritable. \errors ERROR_INVALID_HANDLE on an empty object.
    bool is_inheritable(std::error_code& ec) const noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return false;
        }
        return detail::is_inheritable(handle_.get(), ec);
    }

    /// True if create_or_open found the mutex already there (and for open, which only finds). False for a mutex
    /// this object created.
    bool existed() const noexcept { return existed_; }

    /// The Win32 HANDLE, still owned by this object; nullptr if empty.
    native_handle_type native_handle() const noexcept { return handle_.get(); }

    /// Gives up the handle: returns it (the caller must CloseHandle it) and leaves this object empty. Named
    /// release_handle, not release, because ReleaseMutex is what "release" means for a mutex; this does not unlock.
    [[nodiscard]] native_handle_type release_handle() noexcept {
        existed_ = false;
        abandoned_ = false;
        return handle_.release();
    }

    /// Closes the handle now; the object becomes empty. Does not unlock (see the destructor).
    void close() noexcept { *this = NamedMutex(); }

    /// True if this object owns a handle.
    explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of create(name, options, ec).
    static NamedMutex create(NameView name, const CreateOptions& options = {}) {
        std::error_code ec;
        return detail::value_or_throw(create(name, options, ec), ec, "sharemap::NamedMutex::create");
    }
    /// Throwing form of create_or_open(name, options, ec).
    static NamedMutex create_or_open(NameView name, const CreateOptions& options = {}) {
        std::error_code ec;
        return detail::value_or_throw(create_or_open(name, options, ec), ec, "sharemap::NamedMutex::create_or_open");
    }
    /// Throwing form of open(name, ec).
    static NamedMutex open(NameView name) {
        std::error_code ec;
        return detail::value_or_throw(open(name, ec), ec, "sharemap::NamedMutex::open");
    }
    /// Throwing form of anonymous(options, ec).
    static NamedMutex anonymous(const CreateOptions& options = {}) {
        std::error_code ec;
        return detail::value_or_throw(anonymous(options, ec), ec, "sharemap::NamedMutex::anonymous");
    }
    /// Throwing form of adopt(handle, ec).
    static NamedMutex adopt(native_handle_type handle) {
        std::error_code ec;
        return detail::value_or_throw(adopt(handle, ec), ec, "sharemap::NamedMutex::adopt");
    }
    /// Throwing form of duplicate(ec).
    NamedMutex duplicate() const {
        std::error_code ec;
        return detail::value_or_throw(duplicate(ec), ec, "sharemap::NamedMutex::duplicate");
    }
    /// Throwing form of duplicate_into(process, ec).
    native_handle_type duplicate_into(void* process) const {
        std::error_code ec;
        return detail::value_or_throw(duplicate_into(process, ec), ec, "sharemap::NamedMutex::duplicate_into");
    }

    /// Throwing form of acquire(ec): throws std::system_error if the wait fails, never for an abandonment.
    LockStatus acquire() {
        std::error_code ec;
        return detail::value_or_throw(acquire(ec), ec, "sharemap::NamedMutex::acquire");
    }
    /// Throwing form of acquire(timeout, ec).
    template <class Rep, class Period>
    LockStatus acquire(const std::chrono::duration<Rep, Period>& timeout) {
        std::error_code ec;
        return detail::value_or_throw(acquire(timeout, ec), ec, "sharemap::NamedMutex::acquire");
    }
    /// Throwing form of acquire_until(deadline, ec).
    template <class Clock, class Duration>
    LockStatus acquire_until(const std::chrono::time_point<Clock, Duration>& deadline) {
        std::error_code ec;
        return detail::value_or_throw(acquire_until(deadline, ec), ec, "sharemap::NamedMutex::acquire_until");
    }

    /// Lockable: waits until the calling thread owns the mutex. An abandoned mutex is acquired too, and recorded for
    /// was_abandoned(); it does not throw.
    /// \throws std::system_error if the wait fails (an empty object, a handle without SYNCHRONIZE).
    void lock() { (void)acquire(); }

    /// Lockable: takes the mutex if no other thread owns it, without blocking; true if the calling thread now owns
    /// it (abandoned or not; see was_abandoned()). \throws std::system_error if the wait fails: a broken handle is
    /// never reported as "busy".
    bool try_lock() { return owns_lock(acquire(std::chrono::milliseconds(0))); }

    /// TimedLockable: as try_lock, waiting at most `timeout`. \throws std::system_error if the wait fails.
    template <class Rep, class Period>
    bool try_lock_for(const std::chrono::duration<Rep, Period>& timeout) {
        return owns_lock(acquire(timeout));
    }

    /// TimedLockable: as try_lock, waiting until `deadline` at the latest. \throws std::system_error if the wait
    /// fails.
    template <class Clock, class Duration>
    bool try_lock_until(const std::chrono::time_point<Clock, Duration>& deadline) {
        return owns_lock(acquire_until(deadline));
    }

    /// Lockable: releases one level of ownership.
    ///
    /// \throws std::system_error with ERROR_NOT_OWNER (288) if the calling thread does not own the mutex, or
    /// ERROR_INVALID_HANDLE on an empty object. Both are misuse: calling unlock without owning the mutex violates
    /// the Lockable precondition. std::lock_guard and std::unique_lock call unlock() from their noexcept
    /// destructors, so such misuse there ends in std::terminate, loudly, where std::mutex's would be undefined
    /// behaviour. A correct program never sees it; use unlock(ec) to test for it without exceptions.
    void unlock() {
        std::error_code ec;
        unlock(ec);
        detail::throw_if(ec, "sharemap::NamedMutex::unlock");
    }

    /// Throwing form of set_inheritable(inheritable, ec).
    void set_inheritable(bool inheritable) {
        std::error_code ec;
        set_inheritable(inheritable, ec);
        detail::throw_if(ec, "sharemap::NamedMutex::set_inheritable");
    }
    /// Throwing form of is_inheritable(ec).
    bool is_inheritable() const {
        std::error_code ec;
        return detail::value_or_throw(is_inheritable(ec), ec, "sharemap::NamedMutex::is_inheritable");
    }
#endif

private:
    using win32_handle = detail::win32::handle_t;
    using Handle = detail::UniqueHandle<detail::NullHandlePolicy>;

    NamedMutex(win32_handle h, bool existed) noexcept : handle_(h), existed_(h != nullptr && existed) {}

    static NamedMutex make(NameView name, const CreateOptions& options, detail::Disposition disposition,
                           std::error_code& ec) noexcept {
        detail::WideName wide;
        ec = wide.assign(name);
        if (ec) {
            return {};
        }
        bool existed = false;
        win32_handle h = detail::sync::create_mutex(wide.c_str(), options, disposition, existed, ec);
        return NamedMutex(h, existed);
    }

    // Turns a wait's result into a LockStatus, recording an abandonment. Only a thread that now owns the mutex
    // writes the flag, so the mutex itself guards it.
    LockStatus finish(detail::win32::dword_t result, std::error_code& ec) noexcept {
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

    Handle handle_;
    bool existed_ = false;
    bool abandoned_ = false; // sticky: set by an abandoned acquisition, cleared only by clear_abandoned()
};

} // namespace sharemap

#endif // SHAREMAP_NAMED_MUTEX_HPP_INCLUDED
