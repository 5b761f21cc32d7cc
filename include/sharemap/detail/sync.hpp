// SPDX-License-Identifier: MIT
// sharemap: the Win32 calls behind NamedMutex, NamedEvent, NamedSemaphore and wait_any / wait_all, and the
// conversion of std::chrono timeouts into the milliseconds the wait functions take. Public headers call these and
// never Win32 directly.
#ifndef SHAREMAP_DETAIL_SYNC_HPP_INCLUDED
#define SHAREMAP_DETAIL_SYNC_HPP_INCLUDED

#include "sharemap/create_options.hpp"
#include "sharemap/detail/deadline.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/object.hpp"
#include "sharemap/detail/win32.hpp"

#include <chrono>
#include <cstddef>
#include <system_error>

namespace sharemap::detail::sync {

// Open, and create-or-open, with exactly the rights the wrapper's operations need: waiting needs SYNCHRONIZE, and
// releasing, setting or resetting needs the object's MODIFY_STATE right. Events and semaphores also ask for their
// QUERY_STATE right (event_is_set, semaphore_count); where the object's security refuses just that, they are opened
// without it, so that an object whose DACL grants SYNCHRONIZE | MODIFY_STATE opens as it did. (MUTANT_QUERY_STATE
// is the same bit as MUTEX_MODIFY_STATE.) A new object's creator gets exactly these rights too.
inline constexpr win32::dword_t mutex_rights = win32::synchronize | win32::mutex_modify_state;
inline constexpr win32::dword_t event_rights = win32::synchronize | win32::event_modify_state |
                                               win32::event_query_state;
inline constexpr win32::dword_t semaphore_rights = win32::synchronize | win32::semaphore_modify_state |
                                                   win32::semaphore_query_state;

/// Calls `call(rights)` (an OpenXxxW or CreateXxxExW call); if the object's security refuses those rights
/// (ERROR_ACCESS_DENIED) and `optional` is part of them, calls it again without `optional`, with the last error
/// cleared first, so that the caller reads the last error of the call whose handle it gets.
template <class Call>
win32::handle_t with_optional_rights(win32::dword_t rights, win32::dword_t optional, Call&& call) noexcept {
    win32::handle_t h = call(rights);
    if (h == nullptr && optional != 0 && ::GetLastError() == win32::error_access_denied) {
        ::SetLastError(win32::error_success);
        h = call(rights & ~optional);
    }
    return h;
}

// ---------------------------------------------------------------------------------------------------------------
// Creating and opening

// Creating uses the Ex forms, which take the access to ask for: the plain CreateMutexW / CreateEventW /
// CreateSemaphoreW ask for *_ALL_ACCESS, which an existing object's security may refuse where it grants the rights
// open asks for, and then create_or_open failed where open worked.

/// CreateMutexExW with SYNCHRONIZE | MUTEX_MODIFY_STATE, never initially owned. With create_new an existing object
/// is ERROR_ALREADY_EXISTS (its handle is closed at once); `name` nullptr makes an unnamed mutex.
inline win32::handle_t create_mutex(const wchar_t* name, const CreateOptions& options, Disposition disposition,
                                    bool& existed, std::error_code& ec) noexcept {
    return create_object(name, options, disposition, existed, ec,
                         [&](::_SECURITY_ATTRIBUTES* sa) { return ::CreateMutexExW(sa, name, 0, mutex_rights); });
}

/// OpenMutexW with SYNCHRONIZE | MUTEX_MODIFY_STATE.
inline win32::handle_t open_mutex(const wchar_t* name, std::error_code& ec) noexcept {
    return finish_open(::OpenMutexW(mutex_rights, 0, name), ec);
}

/// CreateEventExW with event_rights (EVENT_QUERY_STATE only if granted). An existing event keeps its own reset kind
/// and state (Windows ignores both arguments then).
inline win32::handle_t create_event(const wchar_t* name, bool manual_reset, bool initially_set,
                                    const CreateOptions& options, Disposition disposition, bool& existed,
                                    std::error_code& ec) noexcept {
    const win32::dword_t flags = (manual_reset ? win32::create_event_manual_reset : 0) |
                                 (initially_set ? win32::create_event_initial_set : 0);
    return create_object(name, options, disposition, existed, ec, [&](::_SECURITY_ATTRIBUTES* sa) {
        return with_optional_rights(event_rights, win32::event_query_state,
                                    [&](win32::dword_t rights) { return ::CreateEventExW(sa, name, flags, rights); });
    });
}

/// OpenEventW with SYNCHRONIZE | EVENT_MODIFY_STATE, and EVENT_QUERY_STATE if granted.
inline win32::handle_t open_event(const wchar_t* name, std::error_code& ec) noexcept {
    return finish_open(with_optional_rights(event_rights, win32::event_query_state,
                                            [&](win32::dword_t rights) { return ::OpenEventW(rights, 0, name); }),
                       ec);
}

/// CreateSemaphoreExW with semaphore_rights (SEMAPHORE_QUERY_STATE only if granted). The counts must already be
/// valid (0 <= initial <= maximum, maximum > 0). An existing semaphore keeps its own counts (Windows ignores both
/// arguments then).
inline win32::handle_t create_semaphore(const wchar_t* name, long initial, long maximum, const CreateOptions& options,
                                        Disposition disposition, bool& existed, std::error_code& ec) noexcept {
    return create_object(name, options, disposition, existed, ec, [&](::_SECURITY_ATTRIBUTES* sa) {
        return with_optional_rights(semaphore_rights, win32::semaphore_query_state, [&](win32::dword_t rights) {
            return ::CreateSemaphoreExW(sa, initial, maximum, name, 0, rights);
        });
    });
}

/// OpenSemaphoreW with SYNCHRONIZE | SEMAPHORE_MODIFY_STATE, and SEMAPHORE_QUERY_STATE if granted.
inline win32::handle_t open_semaphore(const wchar_t* name, std::error_code& ec) noexcept {
    return finish_open(with_optional_rights(semaphore_rights, win32::semaphore_query_state,
                                            [&](win32::dword_t rights) { return ::OpenSemaphoreW(rights, 0, name); }),
                       ec);
}

// ---------------------------------------------------------------------------------------------------------------
// Handles received or handed on

/// Kernel type names as NtQueryObject reports them, checked by adopt().
inline constexpr const wchar_t* mutex_type = L"Mutant";
inline constexpr const wchar_t* event_type = L"Event";
inline constexpr const wchar_t* semaphore_type = L"Semaphore";

/// Whether `h` is a handle to an object of kind `type`; ERROR_INVALID_HANDLE if not (the handle is not touched).
inline bool is_kind(win32::handle_t h, const wchar_t* type, std::error_code& ec) noexcept {
    if (h == nullptr || !win32::is_object_of_type(h, type)) {
        ec = win32_error(win32::error_invalid_handle);
        return false;
    }
    ec.clear();
    return true;
}

/// DuplicateHandle with the same rights, not inheritable, into `target_process` (this process if nullptr).
inline win32::handle_t duplicate(win32::handle_t h, win32::handle_t target_process, std::error_code& ec) noexcept {
    win32::handle_t self = ::GetCurrentProcess();
    win32::handle_t copy = nullptr;
    if (::DuplicateHandle(self, h, target_process != nullptr ? target_process : self, &copy, 0, 0,
                          win32::duplicate_same_access) == 0) {
        ec = last_error();
        return nullptr;
    }
    ec.clear();
    return copy;
}

// ---------------------------------------------------------------------------------------------------------------
// Signalling

/// ReleaseMutex: ERROR_NOT_OWNER (288) if the calling thread does not own the mutex.
inline void release_mutex(win32::handle_t h, std::error_code& ec) noexcept { check_call(::ReleaseMutex(h), ec); }

/// SetEvent.
inline void set_event(win32::handle_t h, std::error_code& ec) noexcept { check_call(::SetEvent(h), ec); }

/// ResetEvent.
inline void reset_event(win32::handle_t h, std::error_code& ec) noexcept { check_call(::ResetEvent(h), ec); }

/// ReleaseSemaphore; returns the count before the release. Past the maximum: ERROR_TOO_MANY_POSTS (298) and the
/// count is unchanged.
inline long release_semaphore(win32::handle_t h, long n, std::error_code& ec) noexcept {
    long previous = 0;
    check_call(::ReleaseSemaphore(h, n, &previous), ec);
    return ec ? 0 : previous;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading state without changing it

/// Whether the event is set, without consuming it (NtQueryEvent): an automatic event stays set. Needs
/// EVENT_QUERY_STATE on the handle, which sharemap's handles have where the event's security grants it.
/// \errors errc::permission_denied (ERROR_ACCESS_DENIED) without EVENT_QUERY_STATE; ERROR_INVALID_HANDLE for a
/// handle that is not an event; ERROR_CALL_NOT_IMPLEMENTED if ntdll lacks NtQueryEvent.
inline bool event_is_set(win32::handle_t h, std::error_code& ec) noexcept {
    win32::EventBasicInformation info{};
    if (!win32::query_event(h, info)) {
        ec = last_error();
        return false;
    }
    ec.clear();
    return info.event_state != 0;
}

/// The semaphore's current count, without taking from it (NtQuerySemaphore). Needs SEMAPHORE_QUERY_STATE on the
/// handle, which sharemap's handles have where the semaphore's security grants it. The count may have changed by
/// the time the caller reads it.
/// \errors errc::permission_denied (ERROR_ACCESS_DENIED) without SEMAPHORE_QUERY_STATE; ERROR_INVALID_HANDLE for a
/// handle that is not a semaphore; ERROR_CALL_NOT_IMPLEMENTED if ntdll lacks NtQuerySemaphore. 0 on error.
inline long semaphore_count(win32::handle_t h, std::error_code& ec) noexcept {
    win32::SemaphoreBasicInformation info{};
    if (!win32::query_semaphore(h, info)) {
        ec = last_error();
        return 0;
    }
    ec.clear();
    return info.current_count;
}

// ---------------------------------------------------------------------------------------------------------------
// Waiting

/// What a wait did, in the terms of the wrappers. Failures are reported through the error_code instead.
enum class Outcome {
    signaled,  ///< the object was signalled (for a mutex: the caller now owns it)
    abandoned, ///< a mutex was acquired after its owner ended without releasing it
    timed_out, ///< nothing happened before the timeout
};

/// Interprets a WaitForSingleObject / WaitForMultipleObjects result for `count` handles. `index` receives the
/// object's position for signaled and abandoned. WAIT_FAILED (and anything else) is reported through `ec`.
inline Outcome interpret(win32::dword_t result, win32::dword_t count, win32::dword_t& index,
                         std::error_code& ec) noexcept {
    index = 0;
    if (result == win32::wait_timeout) {
        ec.clear();
        return Outcome::timed_out;
    }
    if (result - win32::wait_object_0 < count) {
        index = result - win32::wait_object_0;
        ec.clear();
        return Outcome::signaled;
    }
    if (result >= win32::wait_abandoned_0 && result - win32::wait_abandoned_0 < count) {
        index = result - win32::wait_abandoned_0;
        ec.clear();
        return Outcome::abandoned;
    }
    ec = last_error(); // WAIT_FAILED; never a silent success for an unexpected value
    return Outcome::timed_out;
}

/// WaitForSingleObject.
inline win32::dword_t wait_one(win32::handle_t h, win32::dword_t milliseconds) noexcept {
    return ::WaitForSingleObject(h, milliseconds);
}

/// WaitForMultipleObjects; `count` must be 1..64 (checked by the caller).
inline win32::dword_t wait_many(const win32::handle_t* handles, win32::dword_t count, bool all,
                                win32::dword_t milliseconds) noexcept {
    return ::WaitForMultipleObjects(count, handles, all ? 1 : 0, milliseconds);
}

// ---------------------------------------------------------------------------------------------------------------
// Timeouts

/// The longest timeout one wait call can take: INFINITE (0xFFFFFFFF) itself means "forever".
inline constexpr win32::dword_t longest_wait_ms = win32::infinite - 1;

/// Whole milliseconds for one wait call: `d` rounded up (so a wait never ends before `d` because of rounding), 0 for
/// zero or negative `d`, and at most longest_wait_ms (about 49.7 days). `complete` is false if `d` is longer.
template <class Rep, class Period>
win32::dword_t to_wait_ms(const std::chrono::duration<Rep, Period>& d, bool& complete) noexcept {
    complete = true;
    if (!(d > std::chrono::duration<Rep, Period>::zero())) {
        return 0;
    }
    // Compared in floating point so that no duration type can overflow in the conversion.
    if (std::chrono::duration<double, std::milli>(d).count() >= static_cast<double>(longest_wait_ms)) {
        complete = false;
        return longest_wait_ms;
    }
    return static_cast<win32::dword_t>(std::chrono::ceil<std::chrono::milliseconds>(d).count());
}

/// Whole milliseconds from `now` to `deadline` for one wait call, as to_wait_ms gives them: 0 if the deadline has
/// been reached, at most longest_wait_ms (and `complete` false) if it is further away. Safe for every pair of duration
/// types (see time_left): the distance is computed exactly only when it is shorter than one wait and a day.
template <class Clock, class Duration>
win32::dword_t wait_ms_until(const std::chrono::time_point<Clock, Duration>& deadline,
                             const typename Clock::time_point& now, bool& complete) noexcept {
    complete = true;
    if (time_left(deadline, now) > std::chrono::duration<double, std::milli>(longest_wait_ms) + deadline_margin) {
        complete = false;
        return longest_wait_ms;
    }
    return deadline_reached(deadline, now) ? 0 : to_wait_ms(deadline - now, complete);
}

/// Waits with `wait_once(milliseconds)` (a call returning a WaitForXxx result) until `deadline` by `Clock`. After a
/// timeout the clock is read again and the wait goes on if the deadline has not passed: deadlines more than 49.7
/// days away (up to time_point::max() of any duration), clocks that were set back (system_clock) and waits that
/// ended early all still end at the deadline.
template <class Clock, class Duration, class WaitOnce>
win32::dword_t wait_until(const std::chrono::time_point<Clock, Duration>& deadline, WaitOnce&& wait_once) {
    for (;;) {
        bool complete = true;
        const win32::dword_t ms = wait_ms_until(deadline, Clock::now(), complete);
        const win32::dword_t result = wait_once(ms);
        if (result != win32::wait_timeout || ms == 0 || wait_ms_until(deadline, Clock::now(), complete) == 0) {
            return result;
        }
    }
}

/// Waits with `wait_once(milliseconds)` for `d`, measured on steady_clock: a wait that Windows ends before `d` has
/// passed (a timer tick early) or that is longer than one call can wait goes on until the deadline. Zero or negative
/// `d`: a single try without blocking, with no clock read.
template <class Rep, class Period, class WaitOnce>
win32::dword_t wait_for(const std::chrono::duration<Rep, Period>& d, WaitOnce&& wait_once) {
    bool complete = true;
    if (to_wait_ms(d, complete) == 0) {
        return wait_once(0);
    }
    const auto now = std::chrono::steady_clock::now();
    if (!complete) {
        const std::chrono::duration<double> until_clock_end = (std::chrono::steady_clock::time_point::max)() - now;
        if (std::chrono::duration<double>(d) >= until_clock_end) {
            return wait_once(win32::infinite); // centuries: the same as forever
        }
    }
    return wait_until(now + std::chrono::ceil<std::chrono::steady_clock::duration>(d), wait_once);
}

// ---------------------------------------------------------------------------------------------------------------
// The one way a wait's limit is given: nothing (forever), a duration or a time point. Every wait, wait_for and
// wait_until on one object (NamedMutex, NamedEvent, NamedSemaphore, Process) and on several (wait_any, wait_all)
// goes through wait_limited.

/// `wait_once(INFINITE)`: waits until the object is signalled.
template <class WaitOnce>
win32::dword_t wait_limited(WaitOnce&& wait_once) {
    return wait_once(win32::infinite);
}

/// Waits with `wait_once` for at most `timeout` (any length, see wait_for).
template <class WaitOnce, class Rep, class Period>
win32::dword_t wait_limited(WaitOnce&& wait_once, const std::chrono::duration<Rep, Period>& timeout) {
    return wait_for(timeout, wait_once);
}

/// Waits with `wait_once` until `deadline` by `Clock` at the latest (any deadline, see wait_until).
template <class WaitOnce, class Clock, class Duration>
win32::dword_t wait_limited(WaitOnce&& wait_once, const std::chrono::time_point<Clock, Duration>& deadline) {
    return wait_until(deadline, wait_once);
}

/// WaitForSingleObject on `h` within `limit` (see wait_limited); the wait's result.
template <class... Limit>
win32::dword_t wait_handle(win32::handle_t h, const Limit&... limit) noexcept {
    return wait_limited([h](win32::dword_t ms) noexcept { return wait_one(h, ms); }, limit...);
}

/// Waits on `h` as wait_handle(h, limit...) does; true if it was signalled, false at the timeout or if the wait
/// failed (the error in `ec`).
template <class... Limit>
bool wait_signaled(win32::handle_t h, std::error_code& ec, const Limit&... limit) noexcept {
    win32::dword_t index = 0;
    return interpret(wait_handle(h, limit...), 1, index, ec) == Outcome::signaled;
}

} // namespace sharemap::detail::sync

#endif // SHAREMAP_DETAIL_SYNC_HPP_INCLUDED
