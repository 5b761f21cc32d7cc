// SPDX-License-Identifier: MIT
// sharemap: NamedEvent, the owner of a Windows event object.
#ifndef SHAREMAP_NAMED_EVENT_HPP_INCLUDED
#define SHAREMAP_NAMED_EVENT_HPP_INCLUDED

#include "sharemap/create_options.hpp"
#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/kernel_object.hpp"
#include "sharemap/detail/object.hpp"
#include "sharemap/detail/sync.hpp"
#include "sharemap/name_view.hpp"

#include <chrono>
#include <optional>
#include <system_error>
#include <utility>

// Defines helper macros for this header's class; throwing_forms_end.hpp at the end takes them back.
#include "sharemap/detail/throwing_forms_begin.hpp"

namespace sharemap {

/// How an event becomes unset again after it was set.
enum class EventReset {
    /// Stays set, releasing every waiter present and future, until reset() is called.
    manual,
    /// Releases exactly one waiter and becomes unset again in the same step; if no one is waiting it stays set
    /// until one wait consumes it.
    automatic,
};

/// The state of a new event.
enum class EventState {
    unset, ///< waits block until set() is called
    set,   ///< starts signalled
};

/// Move-only owner of a Windows event object (CreateEventExW): a flag that threads of any process wait for.
///
/// Use a manual-reset event for a condition that stays true once it is ("the data is ready", "shut down") and an
/// automatic-reset event to hand one wake-up to one waiter. An event carries no count: two set() calls with no
/// waiter in between wake one waiter of an automatic event. To count, use NamedSemaphore.
///
/// Each set, reset, wait or is_set is one Windows call (a kernel round trip). They change the event, not this C++
/// object, so they are const members. Errors are reported as by FileMapping: a throwing form and a noexcept form
/// taking std::error_code&. An empty NamedEvent (default-constructed, moved-from, closed) fails every operation
/// with ERROR_INVALID_HANDLE.
///
/// A move hands the handle over and leaves the source empty; destruction closes the handle.
class [[nodiscard]] NamedEvent : public detail::KernelObject<NamedEvent> {
public:
    /// An empty NamedEvent: owns nothing, `bool(*this)` is false.
    NamedEvent() noexcept = default;

    /// Creates a new named event with reset kind `reset`, set or unset as `initial` says.
    ///
    /// \errors std::errc::file_exists if the name is in use by an event (the handle Windows returned to it is closed);
    /// ERROR_INVALID_HANDLE (6) if the name belongs to another kind of object (section, mutex, semaphore...);
    /// errc::invalid_argument for an empty name or one with a NUL; std::errc::illegal_byte_sequence for invalid UTF-8;
    /// another Win32 error otherwise.
    static NamedEvent create(NameView name, EventReset reset, EventState initial, const CreateOptions& options,
                             std::error_code& ec) noexcept {
        return make(name, reset, initial, options, detail::Disposition::create_new, ec);
    }
    /// create(name, reset, EventState::unset, {}, ec).
    static NamedEvent create(NameView name, EventReset reset, std::error_code& ec) noexcept {
        return create(name, reset, EventState::unset, {}, ec);
    }

    /// Creates the named event, or opens it if it exists, atomically; existed() says which happened. An existing
    /// event keeps its own reset kind and state: `reset` and `initial` apply only to a new one. On an existing
    /// event it asks only for the rights open() asks for.
    /// \errors as create, except that an existing event is not an error.
    static NamedEvent create_or_open(NameView name, EventReset reset, EventState initial, const CreateOptions& options,
                                     std::error_code& ec) noexcept {
        return make(name, reset, initial, options, detail::Disposition::create_or_open, ec);
    }
    /// create_or_open(name, reset, EventState::unset, {}, ec).
    static NamedEvent create_or_open(NameView name, EventReset reset, std::error_code& ec) noexcept {
        return create_or_open(name, reset, EventState::unset, {}, ec);
    }

    /// Opens an existing named event with the rights set, reset, wait and is_set need (SYNCHRONIZE |
    /// EVENT_MODIFY_STATE | EVENT_QUERY_STATE; without the query right if the event's security does not grant it,
    /// and then only is_set fails). Its reset kind is the one it was created with.
    /// \errors std::errc::no_such_file_or_directory if no object has that name; ERROR_INVALID_HANDLE (6) if the name
    /// belongs to another kind of object; errc::permission_denied if the event's security refuses those rights;
    /// name errors as create.
    static NamedEvent open(NameView name, std::error_code& ec) noexcept {
        return opened(name, ec, detail::sync::open_event);
    }

    /// Creates an unnamed event, shared only through its handle (Process::start or duplicate_into).
    /// \errors a Win32 error.
    static NamedEvent create_unnamed(EventReset reset, EventState initial, const CreateOptions& options,
                                     std::error_code& ec) noexcept {
        return make(std::nullopt, reset, initial, options, detail::Disposition::create_new, ec);
    }
    /// create_unnamed(reset, EventState::unset, {}, ec).
    static NamedEvent create_unnamed(EventReset reset, std::error_code& ec) noexcept {
        return create_unnamed(reset, EventState::unset, {}, ec);
    }

    /// Takes ownership of an event HANDLE received from another process (inherited, or duplicated into this one by
    /// duplicate_into) or from raw Win32 code. On error the handle is left to the caller, untouched. The handle
    /// needs SYNCHRONIZE to wait, EVENT_MODIFY_STATE to set and reset and EVENT_QUERY_STATE for is_set; without
    /// them those operations fail with errc::permission_denied.
    /// \errors ERROR_INVALID_HANDLE if `handle` is null or not a handle to an event.
    static NamedEvent adopt(native_handle_type handle, std::error_code& ec) noexcept {
        return detail::sync::is_kind(handle, detail::sync::event_type, ec) ? NamedEvent(handle, true) : NamedEvent();
    }

    /// Sets the event (SetEvent): a manual event releases every waiter and stays set; an automatic one releases one
    /// waiter, or stays set until the next wait if there is none. Setting a set event changes nothing.
    /// \errors ERROR_INVALID_HANDLE on an empty object; a Win32 error otherwise.
    void set(std::error_code& ec) const noexcept {
        if (check(ec)) {
            detail::sync::set_event(handle(), ec);
        }
    }

    /// Unsets the event (ResetEvent). \errors as set.
    void reset(std::error_code& ec) const noexcept {
        if (check(ec)) {
            detail::sync::reset_event(handle(), ec);
        }
    }

    /// Waits until the event is set, however long that takes. Returning from the wait of an automatic event unsets
    /// it. \errors the Win32 error of a failed wait; ERROR_INVALID_HANDLE on an empty object.
    void wait(std::error_code& ec) const noexcept { (void)wait_signal(ec); }

    /// Waits at most `timeout` (rounded up to whole milliseconds; zero or negative: a check without blocking; any
    /// length up to duration::max()).
    /// \returns true if the event was set (and, for an automatic event, this wait unset it), false on timeout or
    /// error. \errors as wait(ec).
    template <class Rep, class Period>
    [[nodiscard]] bool wait_for(const std::chrono::duration<Rep, Period>& timeout, std::error_code& ec) const noexcept {
        return wait_signal(ec, timeout);
    }

    /// Waits until `deadline` at the latest (by `Clock`, read again after each timeout; time_point::max() waits
    /// until the event is set). \returns as wait_for. \errors as wait(ec).
    template <class Clock, class Duration>
    [[nodiscard]] bool wait_until(const std::chrono::time_point<Clock, Duration>& deadline,
                                  std::error_code& ec) const noexcept {
        return wait_signal(ec, deadline);
    }

    /// Whether the event is set now, without waiting and without consuming it: an automatic event stays set
    /// (NtQueryEvent). A snapshot: another thread or process may set or reset it at any moment.
    /// \errors errc::permission_denied for a handle without EVENT_QUERY_STATE (an adopted handle, or an event whose
    /// security grants only SYNCHRONIZE | EVENT_MODIFY_STATE); ERROR_INVALID_HANDLE on an empty object.
    [[nodiscard]] bool is_set(std::error_code& ec) const noexcept {
        return check(ec) && detail::sync::event_is_set(handle(), ec);
    }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of is_set(ec).
    [[nodiscard]] bool is_set() const { return SHAREMAP_DETAIL_OR_THROW(is_set(ec)); }
    /// Throwing form of create(name, reset, initial, options, ec).
    static NamedEvent create(NameView name, EventReset reset, EventState initial = EventState::unset,
                             const CreateOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::named_call(type_name, "create", name),
                                           create(name, reset, initial, options, ec));
    }
    /// Throwing form of create_or_open(name, reset, initial, options, ec).
    static NamedEvent create_or_open(NameView name, EventReset reset, EventState initial = EventState::unset,
                                     const CreateOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::named_call(type_name, "create_or_open", name),
                                           create_or_open(name, reset, initial, options, ec));
    }
    /// Throwing form of open(name, ec).
    static NamedEvent open(NameView name) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::named_call(type_name, "open", name), open(name, ec));
    }
    /// Throwing form of create_unnamed(reset, initial, options, ec).
    static NamedEvent create_unnamed(EventReset reset, EventState initial = EventState::unset,
                                     const CreateOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW(create_unnamed(reset, initial, options, ec));
    }
    /// Throwing form of adopt(handle, ec).
    static NamedEvent adopt(native_handle_type handle) { return SHAREMAP_DETAIL_OR_THROW(adopt(handle, ec)); }
    /// Throwing form of set(ec).
    void set() const { SHAREMAP_DETAIL_OR_THROW(set(ec)); }
    /// Throwing form of reset(ec).
    void reset() const { SHAREMAP_DETAIL_OR_THROW(reset(ec)); }
    /// Throwing form of wait(ec).
    void wait() const { SHAREMAP_DETAIL_OR_THROW(wait(ec)); }
    /// Throwing forms of wait_for(timeout, ec) and wait_until(deadline, ec): false at the timeout; a failure throws.
    ///@{
    SHAREMAP_DETAIL_TIMED_THROWING_FORMS(bool, wait_for, wait_until, const)
    ///@}
#endif

private:
    friend class detail::KernelObject<NamedEvent>;
    static constexpr const char* type_name = "sharemap::NamedEvent";

    NamedEvent(detail::win32::handle_t h, bool existed) noexcept : KernelObject(h, existed) {}

    // create, create_or_open and (without a name) create_unnamed.
    static NamedEvent make(std::optional<NameView> name, EventReset reset, EventState initial,
                           const CreateOptions& options, detail::Disposition disposition,
                           std::error_code& ec) noexcept {
        return created(name, ec, [&](const wchar_t* n, bool& existed) {
            return detail::sync::create_event(n, reset == EventReset::manual, initial == EventState::set, options,
                                              disposition, existed, ec);
        });
    }
};

} // namespace sharemap

#include "sharemap/detail/throwing_forms_end.hpp"

#endif // SHAREMAP_NAMED_EVENT_HPP_INCLUDED
