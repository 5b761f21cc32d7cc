// SPDX-License-Identifier: MIT
// sharemap: NamedEvent, the owner of a Windows event object.
#ifndef SHAREMAP_NAMED_EVENT_HPP_INCLUDED
#define SHAREMAP_NAMED_EVENT_HPP_INCLUDED

#include "sharemap/create_options.hpp"
#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/object.hpp"
#include "sharemap/detail/sync.hpp"
#include "sharemap/detail/unique_handle.hpp"
#include "sharemap/detail/wide_name.hpp"
#include "sharemap/name_view.hpp"

#include <chrono>
#include <system_error>
#include <utility>

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

/// Move-only owner of a Windows event object (CreateEventW): a flag that threads of any process wait for.
///
/// Use a manual-reset event for a condition that stays true once it is ("the data is ready", "shut down") and an
/// automatic-reset event to hand one wake-up to one waiter. An event carries no count: two set() calls with no
/// waiter in between wake one waiter of an automatic event. To count, use NamedSemaphore.
///
/// Each set, reset or wait is one Windows call (a kernel round trip). Errors are reported as by FileMapping: a
/// throwing form and a noexcept form taking std::error_code&. An empty NamedEvent (default-constructed, moved-from,
/// closed) fails every operation with ERROR_INVALID_HANDLE (== errc::bad_file_descriptor).
class NamedEvent {
public:
    /// The type of native_handle(): a Win32 HANDLE.
    using native_handle_type = void*;

    /// An empty NamedEvent: owns nothing, `bool(*this)` is false.
    NamedEvent() noexcept = default;

    /// Takes over `other`'s handle; `other` becomes empty.
    NamedEvent(NamedEvent&& other) noexcept
        : handle_(std::move(other.handle_)), existed_(std::exchange(other.existed_, false)) {}
    /// Closes this object's handle, then takes over `other`'s. Self-move leaves the object as it was.
    NamedEvent& operator=(NamedEvent&& other) noexcept {
        if (this != &other) {
            handle_ = std::move(other.handle_);
            existed_ = std::exchange(other.existed_, false);
        }
        return *this;
    }
    NamedEvent(const NamedEvent&) = delete;
    NamedEvent& operator=(const NamedEvent&) = delete;
    ~NamedEvent() = default;

    /// Creates a new named event with reset kind `reset`, set or unset as `initial` says.
    ///
    /// \errors errc::file_exists if the name is in use by an event (the handle Windows returned to it is closed);
    /// ERROR_INVALID_HANDLE (6) if the name belongs to another kind of object (section, mutex, semaphore...);
    /// errc::invalid_argument for an empty name or one with a NUL; errc::illegal_byte_sequence for invalid UTF-8 /
    /// UTF-16; another Win32 error otherwise.
    static NamedEvent create(NameView name, EventReset reset, EventState initial, const CreateOptions& options,
                             std::error_code& ec) noexcept {
        return make(name, reset, initial, options, detail::Disposition::create_new, ec);
    }
    /// create(name, reset, initial, {}, ec).
    static NamedEvent create(NameView name, EventReset reset, EventState initial, std::error_code& ec) noexcept {
        return create(name, reset, initial, {}, ec);
    }
    /// create(name, reset, EventState::unset, {}, ec).
    static NamedEvent create(NameView name, EventReset reset, std::error_code& ec) noexcept {
        return create(name, reset, EventState::unset, {}, ec);
    }

    /// Creates the named event, or opens it if it exists, atomically; existed() says which happened. An existing
    /// event keeps its own reset kind and state: `reset` and `initial` apply only to a new one.
    /// \errors as create, except that an existing event is not an error.
    static NamedEvent create_or_open(NameView name, EventReset reset, EventState initial, const CreateOptions& options,
                                     std::error_code& ec) noexcept {
        return make(name, reset, initial, options, detail::Disposition::create_or_open, ec);
    }
    /// create_or_open(name, reset, initial, {}, ec).
    static NamedEvent create_or_open(NameView name, EventReset reset, EventState initial,
                                     std::error_code& ec) noexcept {
        return create_or_open(name, reset, initial, {}, ec);
    }
    /// create_or_open(name, reset, EventState::unset, {}, ec).
    static NamedEvent create_or_open(NameView name, EventReset reset, std::error_code& ec) noexcept {
        return create_or_open(name, reset, EventState::unset, {}, ec);
    }

    /// Opens an existing named event with SYNCHRONIZE | EVENT_MODIFY_STATE, the rights set, reset and wait need.
    /// Its reset kind is the one it was created with.
    /// \errors errc::no_such_file_or_directory if no object has that name; ERROR_INVALID_HANDLE (6) if the name
    /// belongs to another kind of object; errc::permission_denied if the event's security refuses those rights;
    /// name errors as create.
    static NamedEvent open(NameView name, std::error_code& ec) noexcept {
        detail::WideName wide;
        ec = wide.assign(name);
        if (ec) {
            return {};
        }
        return NamedEvent(detail::sync::open_event(wide.c_str(), ec), true);
    }

    /// Creates an unnamed event, shared only through its handle (inheritance or duplication).
    /// \errors a Win32 error.
    static NamedEvent anonymous(EventReset reset, EventState initial, const CreateOptions& options,
                                std::error_code& ec) noexcept {
        bool existed = false;
        return NamedEvent(detail::sync::create_event(nullptr, reset == EventReset::manual, initial == EventState::set,
                                                     options, detail::Disposition::create_new, existed, ec),
                          false);
    }
    /// anonymous(reset, initial, {}, ec).
    static NamedEvent anonymous(EventReset reset, EventState initial, std::error_code& ec) noexcept {
        return anonymous(reset, initial, {}, ec);
    }
    /// anonymous(reset, EventState::unset, {}, ec).
    static NamedEvent anonymous(EventReset reset, std::error_code& ec) noexcept {
        return anonymous(reset, EventState::unset, {}, ec);
    }

    /// Takes ownership of an event HANDLE received from another process (inherited, or duplicated into this one by
    /// duplicate_into) or from raw Win32 code. On error the handle is left to the caller, untouched. The handle
    /// needs SYNCHRONIZE to wait and EVENT_MODIFY_STATE to set and reset; without them those operations fail with
    /// errc::permission_denied.
    /// \errors ERROR_INVALID_HANDLE if `handle` is null or not a handle to an event.
    static NamedEvent adopt(native_handle_type handle, std::error_code& ec) noexcept {
        if (!detail::sync::is_kind(handle, detail::sync::event_type, ec)) {
            return {};
        }
        return NamedEvent(handle, true);
    }

    /// A second handle to the same event in this process, with the same rights (DuplicateHandle).
    /// \errors ERROR_INVALID_HANDLE on an empty object; the Win32 error of DuplicateHandle.
    NamedEvent duplicate(std::error_code& ec) const noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return {};
        }
        return NamedEvent(detail::sync::duplicate(handle_.get(), nullptr, ec), existed_);
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

    /// Sets the event (SetEvent): a manual event releases every waiter and stays set; an automatic one releases one
    /// waiter, or stays set until the next wait if there is none. Setting a set event changes nothing.
    /// \errors ERROR_INVALID_HANDLE on an empty object; a Win32 error otherwise.
    void set(std::error_code& ec) noexcept {
        if (check(ec)) {
            detail::sync::set_event(handle_.get(), ec);
        }
    }

    /// Unsets the event (ResetEvent). \errors as set.
    void reset(std::error_code& ec) noexcept {
        if (check(ec)) {
            detail::sync::reset_event(handle_.get(), ec);
        }
    }

    /// Waits until the event is set, however long that takes. Returning from the wait of an automatic event unsets
    /// it. \errors the Win32 error of a failed wait; ERROR_INVALID_HANDLE on an empty object.
    void wait(std::error_code& ec) noexcept {
        if (check(ec)) {
            (void)finish(detail::sync::wait_one(handle_.get(), detail::win32::infinite), ec);
        }
    }

    /// Waits at most `timeout` (rounded up to whole milliseconds; zero or negative: a check without blocking).
    /// \returns true if the event was set (and, for an automatic event, this wait unset it), false on timeout or
    /// error. \errors as wait(ec).
    template <class Rep, class Period>
    bool wait_for(const std::chrono::duration<Rep, Period>& timeout, std::error_code& ec) noexcept {
        if (!check(ec)) {
            return false;
        }
        win32_handle h = handle_.get();
        return finish(detail::sync::wait_for(
                          timeout, [h](detail::win32::dword_t ms) noexcept { return detail::sync::wait_one(h, ms); }),
                      ec);
    }

    /// Waits until `deadline` at the latest (by `Clock`, read again after each timeout). \returns as wait_for.
    /// \errors as wait(ec).
    template <class Clock, class Duration>
    bool wait_until(const std::chrono::time_point<Clock, Duration>& deadline, std::error_code& ec) noexcept {
        if (!check(ec)) {
            return false;
        }
        win32_handle h = handle_.get();
        return finish(detail::sync::wait_until(
                          deadline, [h](detail::win32::dword_t ms) noexcept { return detail::sync::wait_one(h, ms); }),
                      ec);
    }

    /// Makes the handle inheritable by child processes started with handle inheritance, or not.
    /// \errors ERROR_INVALID_HANDLE on an empty object.
    void set_inheritable(bool inheritable, std::error_code& ec) noexcept {
        if (check(ec)) {
            detail::set_inheritable(handle_.get(), inheritable, ec);
        }
    }

    /// Whether the handle is inheritable. \errors ERROR_INVALID_HANDLE on an empty object.
    bool is_inheritable(std::error_code& ec) const noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return false;
        }
        return detail::is_inheritable(handle_.get(), ec);
    }

    /// True if create_or_open found the event already there (and for open, which only finds).
    bool existed() const noexcept { return existed_; }

    /// The Win32 HANDLE, still owned by this object; nullptr if empty.
    native_handle_type native_handle() const noexcept { return handle_.get(); }

    /// Gives up the handle: returns it (the caller must CloseHandle it) and leaves this object empty. Named like
    /// NamedMutex's and NamedSemaphore's, where "release" means the synchronisation operation.
    [[nodiscard]] native_handle_type release_handle() noexcept {
        existed_ = false;
        return handle_.release();
    }

    /// Closes the handle now; the object becomes empty.
    void close() noexcept { *this = NamedEvent(); }

    /// True if this object owns a handle.
    explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of create(name, reset, initial, options, ec).
    static NamedEvent create(NameView name, EventReset reset, EventState initial = EventState::unset,
                             const CreateOptions& options = {}) {
        std::error_code ec;
        return detail::value_or_throw(create(name, reset, initial, options, ec), ec, "sharemap::NamedEvent::create");
    }
    /// Throwing form of create_or_open(name, reset, initial, options, ec).
    static NamedEvent create_or_open(NameView name, EventReset reset, EventState initial = EventState::unset,
                                     const CreateOptions& options = {}) {
        std::error_code ec;
        return detail::value_or_throw(create_or_open(name, reset, initial, options, ec), ec,
                                      "sharemap::NamedEvent::create_or_open");
    }
    /// Throwing form of open(name, ec).
    static NamedEvent open(NameView name) {
        std::error_code ec;
        return detail::value_or_throw(open(name, ec), ec, "sharemap::NamedEvent::open");
    }
    /// Throwing form of anonymous(reset, initial, options, ec).
    static NamedEvent anonymous(EventReset reset, EventState initial = EventState::unset,
                                const CreateOptions& options = {}) {
        std::error_code ec;
        return detail::value_or_throw(anonymous(reset, initial, options, ec), ec, "sharemap::NamedEvent::anonymous");
    }
    /// Throwing form of adopt(handle, ec).
    static NamedEvent adopt(native_handle_type handle) {
        std::error_code ec;
        return detail::value_or_throw(adopt(handle, ec), ec, "sharemap::NamedEvent::adopt");
    }
    /// Throwing form of duplicate(ec).
    NamedEvent duplicate() const {
        std::error_code ec;
        return detail::value_or_throw(duplicate(ec), ec, "sharemap::NamedEvent::duplicate");
    }
    /// Throwing form of duplicate_into(process, ec).
    native_handle_type duplicate_into(void* process) const {
        std::error_code ec;
        return detail::value_or_throw(duplicate_into(process, ec), ec, "sharemap::NamedEvent::duplicate_into");
    }
    /// Throwing form of set(ec).
    void set() {
        std::error_code ec;
        set(ec);
        detail::throw_if(ec, "sharemap::NamedEvent::set");
    }
    /// Throwing form of reset(ec).
    void reset() {
        std::error_code ec;
        reset(ec);
        detail::throw_if(ec, "sharemap::NamedEvent::reset");
    }
    /// Throwing form of wait(ec).
    void wait() {
        std::error_code ec;
        wait(ec);
        detail::throw_if(ec, "sharemap::NamedEvent::wait");
    }
    /// Throwing form of wait_for(timeout, ec): a timeout returns false, a failure throws.
    template <class Rep, class Period>
    bool wait_for(const std::chrono::duration<Rep, Period>& timeout) {
        std::error_code ec;
        return detail::value_or_throw(wait_for(timeout, ec), ec, "sharemap::NamedEvent::wait_for");
    }
    /// Throwing form of wait_until(deadline, ec): a timeout returns false, a failure throws.
    template <class Clock, class Duration>
    bool wait_until(const std::chrono::time_point<Clock, Duration>& deadline) {
        std::error_code ec;
        return detail::value_or_throw(wait_until(deadline, ec), ec, "sharemap::NamedEvent::wait_until");
    }
    /// Throwing form of set_inheritable(inheritable, ec).
    void set_inheritable(bool inheritable) {
        std::error_code ec;
        set_inheritable(inheritable, ec);
        detail::throw_if(ec, "sharemap::NamedEvent::set_inheritable");
    }
    /// Throwing form of is_inheritable(ec).
    bool is_inheritable() const {
        std::error_code ec;
        return detail::value_or_throw(is_inheritable(ec), ec, "sharemap::NamedEvent::is_inheritable");
    }
#endif

private:
    using win32_handle = detail::win32::handle_t;
    using Handle = detail::UniqueHandle<detail::NullHandlePolicy>;

    NamedEvent(win32_handle h, bool existed) noexcept : handle_(h), existed_(h != nullptr && existed) {}

    static NamedEvent make(NameView name, EventReset reset, EventState initial, const CreateOptions& options,
                           detail::Disposition disposition, std::error_code& ec) noexcept {
        detail::WideName wide;
        ec = wide.assign(name);
        if (ec) {
            return {};
        }
        bool existed = false;
        win32_handle h = detail::sync::create_event(wide.c_str(), reset == EventReset::manual,
                                                    initial == EventState::set, options, disposition, existed, ec);
        return NamedEvent(h, existed);
    }

    // False (with ERROR_INVALID_HANDLE) for an empty object.
    bool check(std::error_code& ec) const noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return false;
        }
        return true;
    }

    static bool finish(detail::win32::dword_t result, std::error_code& ec) noexcept {
        detail::win32::dword_t index = 0;
        return detail::sync::interpret(result, 1, index, ec) == detail::sync::Outcome::signaled;
    }

    Handle handle_;
    bool existed_ = false;
};

} // namespace sharemap

#endif // SHAREMAP_NAMED_EVENT_HPP_INCLUDED
