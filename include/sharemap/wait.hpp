// SPDX-License-Identifier: MIT
// sharemap: wait_any and wait_all, waiting on several mutexes, events, semaphores and processes at once
// (WaitForMultipleObjects).
#ifndef SHAREMAP_WAIT_HPP_INCLUDED
#define SHAREMAP_WAIT_HPP_INCLUDED

#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/sync.hpp"
#include "sharemap/named_event.hpp"
#include "sharemap/named_mutex.hpp"
#include "sharemap/named_semaphore.hpp"
#include "sharemap/process.hpp"

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <system_error>

namespace sharemap {

/// What wait_any or wait_all found.
enum class WaitStatus {
    /// wait_any: the object at WaitResult::index was signalled (and taken: a mutex is now owned by the calling
    /// thread, a semaphore's count went down by one, an automatic event was unset). wait_all: all of them were, at
    /// once.
    signaled,
    /// As signaled, but a mutex was acquired abandoned: its previous owner ended without unlocking it, so what it
    /// protects may be half-updated. The calling thread owns it (must unlock it). With wait_any it is the object
    /// at WaitResult::index; with wait_all, at least one mutex among them was (Windows does not say which reliably).
    abandoned,
    /// The timeout passed; nothing was taken.
    timed_out,
};

/// The result of wait_any or wait_all.
struct [[nodiscard]] WaitResult {
    /// What happened.
    WaitStatus status = WaitStatus::timed_out;
    /// For wait_any, the position in the list of the object that was signalled or abandoned; when several were
    /// ready at once, the lowest. For wait_all and timed_out, 0 except as described for WaitStatus::abandoned.
    std::size_t index = 0;
};

/// One object in the list given to wait_any / wait_all: a reference to a NamedMutex, NamedEvent, NamedSemaphore or
/// Process, made implicitly from each. It refers to the object (not to its handle), so the object must outlive the
/// wait; an object that is empty by then makes the wait fail with ERROR_INVALID_HANDLE.
class WaitTarget {
public:
    /// Refers to a mutex; waiting for it means acquiring it.
    WaitTarget(const NamedMutex& mutex) noexcept : object_(&mutex), kind_(Kind::mutex) {}
    /// Refers to an event; waiting for it means waiting for it to be set.
    WaitTarget(const NamedEvent& event) noexcept : object_(&event), kind_(Kind::event) {}
    /// Refers to a semaphore; waiting for it means taking one from its count.
    WaitTarget(const NamedSemaphore& semaphore) noexcept : object_(&semaphore), kind_(Kind::semaphore) {}
    /// Refers to a process; it is signalled once the process has ended (for any reason: exit, crash, terminate) and
    /// stays so, so waiting takes nothing.
    WaitTarget(const Process& process) noexcept : object_(&process), kind_(Kind::process) {}
    /// Not from a temporary: it would be gone before the wait.
    WaitTarget(const NamedMutex&&) = delete;
    /// Not from a temporary: it would be gone before the wait.
    WaitTarget(const NamedEvent&&) = delete;
    /// Not from a temporary: it would be gone before the wait.
    WaitTarget(const NamedSemaphore&&) = delete;
    /// Not from a temporary: it would be gone before the wait.
    WaitTarget(const Process&&) = delete;

    /// The referenced object's Win32 HANDLE; nullptr if that object is empty.
    void* native_handle() const noexcept {
        switch (kind_) {
        case Kind::mutex:
            return static_cast<const NamedMutex*>(object_)->native_handle();
        case Kind::event:
            return static_cast<const NamedEvent*>(object_)->native_handle();
        case Kind::process:
            return static_cast<const Process*>(object_)->native_handle();
        case Kind::semaphore:
        default:
            return static_cast<const NamedSemaphore*>(object_)->native_handle();
        }
    }

private:
    enum class Kind { mutex, event, semaphore, process };
    const void* object_;
    Kind kind_;
};

namespace detail {

// The one implementation of wait_any and wait_all: checks the list before Windows sees it, then one
// WaitForMultipleObjects (several only for timeouts over 49.7 days) within `limit` (see sync::wait_limited).
template <class... Limit>
WaitResult wait_several(const WaitTarget* targets, std::size_t count, bool all, std::error_code& ec,
                        const Limit&... limit) noexcept {
    if (targets == nullptr || count == 0 || count > win32::maximum_wait_objects) {
        ec = errc_error(std::errc::invalid_argument);
        return {};
    }
    win32::handle_t handles[win32::maximum_wait_objects];
    for (std::size_t i = 0; i < count; ++i) {
        handles[i] = targets[i].native_handle();
        if (handles[i] == nullptr) {
            ec = empty_object_error();
            return {};
        }
    }
    const auto n = static_cast<win32::dword_t>(count);
    const win32::dword_t result = sync::wait_limited(
        [&](win32::dword_t ms) noexcept { return sync::wait_many(handles, n, all, ms); }, limit...);
    win32::dword_t index = 0;
    switch (sync::interpret(result, n, index, ec)) {
    case sync::Outcome::signaled:
        return {WaitStatus::signaled, index};
    case sync::Outcome::abandoned:
        return {WaitStatus::abandoned, index};
    case sync::Outcome::timed_out:
    default:
        return {};
    }
}

} // namespace detail

/// Waits until one of `targets` is signalled, and takes that one only (WaitForMultipleObjects, wait-any). When
/// several are ready, the one earliest in the list is taken. A Process in the list makes the wait return as soon as
/// that process ends: `wait_any({data_ready, peer})` notices a crashed peer at once rather than at a timeout. A
/// mutex taken abandoned is reported as WaitStatus::abandoned with its index; the mutex's own was_abandoned() flag
/// is not changed.
///
/// \errors errc::invalid_argument for no targets, more than 64, or a null pointer (checked before Windows is
/// asked); ERROR_INVALID_HANDLE if a target is an empty object; the Win32 error of a failed wait. On error nothing
/// was taken.
inline WaitResult wait_any(const WaitTarget* targets, std::size_t count, std::error_code& ec) noexcept {
    return detail::wait_several(targets, count, false, ec);
}
/// As wait_any(targets, count, ec), giving up after `timeout` (rounded up to whole milliseconds) with
/// WaitStatus::timed_out.
template <class Rep, class Period>
WaitResult wait_any(const WaitTarget* targets, std::size_t count, const std::chrono::duration<Rep, Period>& timeout,
                    std::error_code& ec) noexcept {
    return detail::wait_several(targets, count, false, ec, timeout);
}
/// wait_any on a braced list: `sharemap::wait_any({stop_event, work_semaphore}, ec)`.
inline WaitResult wait_any(std::initializer_list<WaitTarget> targets, std::error_code& ec) noexcept {
    return wait_any(targets.begin(), targets.size(), ec);
}
/// wait_any on a braced list, with a timeout.
template <class Rep, class Period>
WaitResult wait_any(std::initializer_list<WaitTarget> targets, const std::chrono::duration<Rep, Period>& timeout,
                    std::error_code& ec) noexcept {
    return wait_any(targets.begin(), targets.size(), timeout, ec);
}

/// Waits until all of `targets` are signalled at the same moment, and takes them all in one step
/// (WaitForMultipleObjects, wait-all): nothing is taken until everything can be. A mutex taken abandoned makes the
/// status WaitStatus::abandoned.
///
/// \errors as wait_any. Passing the same object twice is not supported by Windows.
inline WaitResult wait_all(const WaitTarget* targets, std::size_t count, std::error_code& ec) noexcept {
    return detail::wait_several(targets, count, true, ec);
}
/// As wait_all(targets, count, ec), giving up after `timeout` with WaitStatus::timed_out (nothing taken).
template <class Rep, class Period>
WaitResult wait_all(const WaitTarget* targets, std::size_t count, const std::chrono::duration<Rep, Period>& timeout,
                    std::error_code& ec) noexcept {
    return detail::wait_several(targets, count, true, ec, timeout);
}
/// wait_all on a braced list.
inline WaitResult wait_all(std::initializer_list<WaitTarget> targets, std::error_code& ec) noexcept {
    return wait_all(targets.begin(), targets.size(), ec);
}
/// wait_all on a braced list, with a timeout.
template <class Rep, class Period>
WaitResult wait_all(std::initializer_list<WaitTarget> targets, const std::chrono::duration<Rep, Period>& timeout,
                    std::error_code& ec) noexcept {
    return wait_all(targets.begin(), targets.size(), timeout, ec);
}

#if SHAREMAP_HAS_EXCEPTIONS
/// Throwing form of wait_any(targets, count, ec).
inline WaitResult wait_any(const WaitTarget* targets, std::size_t count) {
    return detail::or_throw("sharemap::wait_any", [&](std::error_code& ec) { return wait_any(targets, count, ec); });
}
/// Throwing form of wait_any(targets, count, timeout, ec): a timeout is a result, not an exception.
template <class Rep, class Period>
WaitResult wait_any(const WaitTarget* targets, std::size_t count, const std::chrono::duration<Rep, Period>& timeout) {
    return detail::or_throw("sharemap::wait_any",
                            [&](std::error_code& ec) { return wait_any(targets, count, timeout, ec); });
}
/// Throwing form of wait_any(targets, ec).
inline WaitResult wait_any(std::initializer_list<WaitTarget> targets) {
    return detail::or_throw("sharemap::wait_any", [&](std::error_code& ec) { return wait_any(targets, ec); });
}
/// Throwing form of wait_any(targets, timeout, ec).
template <class Rep, class Period>
WaitResult wait_any(std::initializer_list<WaitTarget> targets, const std::chrono::duration<Rep, Period>& timeout) {
    return detail::or_throw("sharemap::wait_any", [&](std::error_code& ec) { return wait_any(targets, timeout, ec); });
}
/// Throwing form of wait_all(targets, count, ec).
inline WaitResult wait_all(const WaitTarget* targets, std::size_t count) {
    return detail::or_throw("sharemap::wait_all", [&](std::error_code& ec) { return wait_all(targets, count, ec); });
}
/// Throwing form of wait_all(targets, count, timeout, ec): a timeout is a result, not an exception.
template <class Rep, class Period>
WaitResult wait_all(const WaitTarget* targets, std::size_t count, const std::chrono::duration<Rep, Period>& timeout) {
    return detail::or_throw("sharemap::wait_all",
                            [&](std::error_code& ec) { return wait_all(targets, count, timeout, ec); });
}
/// Throwing form of wait_all(targets, ec).
inline WaitResult wait_all(std::initializer_list<WaitTarget> targets) {
    return detail::or_throw("sharemap::wait_all", [&](std::error_code& ec) { return wait_all(targets, ec); });
}
/// Throwing form of wait_all(targets, timeout, ec).
template <class Rep, class Period>
WaitResult wait_all(std::initializer_list<WaitTarget> targets, const std::chrono::duration<Rep, Period>& timeout) {
    return detail::or_throw("sharemap::wait_all", [&](std::error_code& ec) { return wait_all(targets, timeout, ec); });
}
#endif

} // namespace sharemap

#endif // SHAREMAP_WAIT_HPP_INCLUDED
