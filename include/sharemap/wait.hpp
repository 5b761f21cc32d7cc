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
#include <iterator>
#include <system_error>
#include <type_traits>
#include <utility>

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

/// The list given to wait_any / wait_all: a view of WaitTarget objects that are stored elsewhere (a pointer and a
/// count), made implicitly from a braced list, from a pointer and a count, or from a contiguous container of
/// WaitTarget (std::vector, std::array, a C array):
/// \code
/// sharemap::wait_any({stop, work}, 1s);            // a braced list
/// std::vector<sharemap::WaitTarget> targets(events.begin(), events.end());
/// sharemap::wait_all(targets, ec);                  // a list built at run time
/// sharemap::wait_any({targets.data(), 2}, ec);     // the first two of them
/// \endcode
/// It owns nothing and copies nothing: it is meant as a parameter type only. The list it views (a braced list's
/// temporary array among them) lives until the end of the call it is written in, which is all the wait needs;
/// a WaitTargets kept in a variable past that statement refers to what may be gone.
class WaitTargets {
public:
    // The view does not extend the list's array, which is what GCC's -Winit-list-lifetime warns of when a member is
    // initialized from begin(); it need not, since the array lives until the end of the call it is written in.
    // Delegating passes the same pointer without that warning.
    /// A braced list: `{stop_event, work_semaphore}`.
    constexpr WaitTargets(std::initializer_list<WaitTarget> targets) noexcept
        : WaitTargets(targets.begin(), targets.size()) {}
    /// `count` targets from `first` on. A null `first` or a `count` of 0 or over 64 is accepted here and reported by
    /// the wait (errc::invalid_argument).
    constexpr WaitTargets(const WaitTarget* first, std::size_t count) noexcept : data_(first), size_(count) {}
    /// All of a contiguous container of WaitTarget: anything std::data and std::size accept whose data is
    /// WaitTarget (std::vector<WaitTarget>, std::array<WaitTarget, N>, `WaitTarget[N]`).
    template <class Contiguous,
              class = std::enable_if_t<
                  std::is_convertible_v<decltype(std::data(std::declval<const Contiguous&>())), const WaitTarget*> &&
                  std::is_convertible_v<decltype(std::size(std::declval<const Contiguous&>())), std::size_t>>>
    constexpr WaitTargets(const Contiguous& targets) noexcept : data_(std::data(targets)), size_(std::size(targets)) {}

    /// The first target; may be null (the wait then fails with errc::invalid_argument).
    constexpr const WaitTarget* data() const noexcept { return data_; }
    /// How many targets there are.
    constexpr std::size_t size() const noexcept { return size_; }

private:
    const WaitTarget* data_;
    std::size_t size_;
};

namespace detail {

// The one implementation of wait_any and wait_all: checks the list before Windows sees it, then one
// WaitForMultipleObjects (several only for timeouts over 49.7 days) within `limit` (see sync::wait_limited).
template <class... Limit>
WaitResult wait_several(WaitTargets targets, bool all, std::error_code& ec, const Limit&... limit) noexcept {
    const std::size_t count = targets.size();
    if (targets.data() == nullptr || count == 0 || count > win32::maximum_wait_objects) {
        ec = errc_error(std::errc::invalid_argument);
        return {};
    }
    win32::handle_t handles[win32::maximum_wait_objects];
    for (std::size_t i = 0; i < count; ++i) {
        handles[i] = targets.data()[i].native_handle();
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

// The type of wait_any (All = false) and wait_all (All = true). The two differ in one flag, so they are one class
// template whose two objects are the public names, as std::ranges' algorithms are objects: each of the four forms
// is written once for both, and the flag cannot differ between two forms of one name. (Free functions would write
// each form twice; a mode argument would change every call.) A braced list converts to the WaitTargets parameter
// as it did to the initializer_list one, so calls read as before.
template <bool All>
struct WaitSeveral {
    /// Waits without a time limit; the error in `ec`.
    WaitResult operator()(WaitTargets targets, std::error_code& ec) const noexcept {
        return wait_several(targets, All, ec);
    }
    /// Waits at most `timeout` (rounded up to whole milliseconds), then returns WaitStatus::timed_out.
    template <class Rep, class Period>
    WaitResult operator()(WaitTargets targets, const std::chrono::duration<Rep, Period>& timeout,
                          std::error_code& ec) const noexcept {
        return wait_several(targets, All, ec, timeout);
    }
#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of (targets, ec).
    WaitResult operator()(WaitTargets targets) const {
        return or_throw("sharemap", name, [&](std::error_code& ec) { return (*this)(targets, ec); });
    }
    /// Throwing form of (targets, timeout, ec): a timeout is a result, not an exception.
    template <class Rep, class Period>
    WaitResult operator()(WaitTargets targets, const std::chrono::duration<Rep, Period>& timeout) const {
        return or_throw("sharemap", name, [&](std::error_code& ec) { return (*this)(targets, timeout, ec); });
    }

private:
    static constexpr const char* name = All ? "wait_all" : "wait_any";
#endif
};

} // namespace detail

/// Waits until one of `targets` is signalled, and takes that one only (WaitForMultipleObjects, wait-any). When
/// several are ready, the one earliest in the list is taken. A Process in the list makes the wait return as soon as
/// that process ends: `wait_any({data_ready, peer})` notices a crashed peer at once rather than at a timeout. A
/// mutex taken abandoned is reported as WaitStatus::abandoned with its index; the mutex's own was_abandoned() flag
/// is not changed.
///
/// A function object with four forms (`targets` is a WaitTargets: a braced list, a container, or a pointer and a
/// count in braces):
/// \code
/// WaitResult wait_any(WaitTargets targets, std::error_code& ec) noexcept;
/// WaitResult wait_any(WaitTargets targets, const std::chrono::duration<Rep, Period>& timeout,
///                     std::error_code& ec) noexcept;
/// WaitResult wait_any(WaitTargets targets);                                                   // throws
/// WaitResult wait_any(WaitTargets targets, const std::chrono::duration<Rep, Period>& timeout); // throws
/// \endcode
/// Without a timeout it waits for ever; with one (rounded up to whole milliseconds) it returns
/// WaitStatus::timed_out when it passes, a result rather than an error. The throwing forms exist only with
/// exceptions enabled.
///
/// \errors errc::invalid_argument for no targets, more than 64, or a null pointer (checked before Windows is
/// asked); ERROR_INVALID_HANDLE if a target is an empty object; the Win32 error of a failed wait. On error nothing
/// was taken.
inline constexpr detail::WaitSeveral<false> wait_any{};

/// Waits until all of `targets` are signalled at the same moment, and takes them all in one step
/// (WaitForMultipleObjects, wait-all): nothing is taken until everything can be. A mutex taken abandoned makes the
/// status WaitStatus::abandoned. The same four forms as wait_any; a timeout returns WaitStatus::timed_out with
/// nothing taken.
///
/// \errors as wait_any. Passing the same object twice is not supported by Windows.
inline constexpr detail::WaitSeveral<true> wait_all{};

} // namespace sharemap

#endif // SHAREMAP_WAIT_HPP_INCLUDED
