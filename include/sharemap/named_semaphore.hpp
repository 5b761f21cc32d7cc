// SPDX-License-Identifier: MIT
// sharemap: NamedSemaphore, the owner of a Windows semaphore object.
#ifndef SHAREMAP_NAMED_SEMAPHORE_HPP_INCLUDED
#define SHAREMAP_NAMED_SEMAPHORE_HPP_INCLUDED

#include "sharemap/create_options.hpp"
#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/object.hpp"
#include "sharemap/detail/sync.hpp"
#include "sharemap/detail/unique_handle.hpp"
#include "sharemap/detail/wide_name.hpp"
#include "sharemap/name_view.hpp"

#include <chrono>
#include <cstdint>
#include <system_error>
#include <utility>

namespace sharemap {

/// Move-only owner of a Windows semaphore object (CreateSemaphoreW): a count shared by threads of any process, with
/// the operations of std::counting_semaphore. acquire() waits until the count is above zero and takes one;
/// release(n) adds n.
///
/// The count lies between 0 and a maximum fixed when the semaphore is created; a release that would pass the
/// maximum fails and leaves the count unchanged. Windows can tell neither the current count nor the maximum of an
/// existing semaphore, so this class does not offer them. Unlike a mutex, a semaphore has no owner: any thread of any
/// process may release it, and nothing is released when a process ends.
///
/// Each acquire or release is one Windows call (a kernel round trip). Errors are reported as by FileMapping: a
/// throwing form and a noexcept form taking std::error_code&. An empty NamedSemaphore (default-constructed,
/// moved-from, closed) fails every operation with ERROR_INVALID_HANDLE (== errc::bad_file_descriptor).
class NamedSemaphore {
public:
    /// The type of native_handle(): a Win32 HANDLE.
    using native_handle_type = void*;
    /// The type of counts (a Win32 LONG).
    using count_type = std::int32_t;

    /// An empty NamedSemaphore: owns nothing, `bool(*this)` is false.
    NamedSemaphore() noexcept = default;

    /// Takes over `other`'s handle; `other` becomes empty.
    NamedSemaphore(NamedSemaphore&& other) noexcept
        : handle_(std::move(other.handle_)), existed_(std::exchange(other.existed_, false)) {}
    /// Closes this object's handle, then takes over `other`'s. Self-move leaves the object as it was.
    NamedSemaphore& operator=(NamedSemaphore&& other) noexcept {
        if (this != &other) {
            handle_ = std::move(other.handle_);
            existed_ = std::exchange(other.existed_, false);
        }
        return *this;
    }
    NamedSemaphore(const NamedSemaphore&) = delete;
    NamedSemaphore& operator=(const NamedSemaphore&) = delete;
    ~NamedSemaphore() = default;

    /// Creates a new named semaphore whose count starts at `initial` and can never exceed `maximum`.
    ///
    /// \errors errc::invalid_argument if `maximum` <= 0, `initial` < 0 or `initial` > `maximum` (checked before
    /// Windows is asked), or for an empty name or one with a NUL; errc::file_exists if the name is in use by a
    /// semaphore (the handle Windows returned to it is closed); ERROR_INVALID_HANDLE (6) if the name belongs to
    /// another kind of object (section, mutex, event...); errc::illegal_byte_sequence for invalid UTF-8 / UTF-16;
    /// another Win32 error otherwise.
    static NamedSemaphore create(NameView name, count_type initial, count_type maximum, const CreateOptions& options,
                                 std::error_code& ec) noexcept {
        return make(name, initial, maximum, options, detail::Disposition::create_new, ec);
    }
    /// create(name, initial, maximum, {}, ec).
    static NamedSemaphore create(NameView name, count_type initial, count_type maximum, std::error_code& ec) noexcept {
        return create(name, initial, maximum, {}, ec);
    }

    /// Creates the named semaphore, or opens it if it exists, atomically; existed() says which happened. An
    /// existing semaphore keeps its own count and maximum: `initial` and `maximum` apply only to a new one (but are
    /// checked either way).
    /// \errors as create, except that an existing semaphore is not an error.
    static NamedSemaphore create_or_open(NameView name, count_type initial, count_type maximum,
                                         const CreateOptions& options, std::error_code& ec) noexcept {
        return make(name, initial, maximum, options, detail::Disposition::create_or_open, ec);
    }
    /// create_or_open(name, initial, maximum, {}, ec).
    static NamedSemaphore create_or_open(NameView name, count_type initial, count_type maximum,
                                         std::error_code& ec) noexcept {
        return create_or_open(name, initial, maximum, {}, ec);
    }

    /// Opens an existing named semaphore with SYNCHRONIZE | SEMAPHORE_MODIFY_STATE, the rights acquire and release
    /// need.
    /// \errors errc::no_such_file_or_directory if no object has that name; ERROR_INVALID_HANDLE (6) if the name
    /// belongs to another kind of object; errc::permission_denied if the semaphore's security refuses those rights;
    /// name errors as create.
    static NamedSemaphore open(NameView name, std::error_code& ec) noexcept {
        detail::WideName wide;
        ec = wide.assign(name);
        if (ec) {
            return {};
        }
        return NamedSemaphore(detail::sync::open_semaphore(wide.c_str(), ec), true);
    }

    /// Creates an unnamed semaphore, shared only through its handle (inheritance or duplication).
    /// \errors errc::invalid_argument for invalid counts, as create; a Win32 error otherwise.
    static NamedSemaphore anonymous(count_type initial, count_type maximum, const CreateOptions& options,
                                    std::error_code& ec) noexcept {
        if (!valid_counts(initial, maximum, ec)) {
            return {};
        }
        bool existed = false;
        return NamedSemaphore(detail::sync::create_semaphore(nullptr, initial, maximum, options,
                                                             detail::Disposition::create_new, existed, ec),
                              false);
    }
    /// anonymous(initial, maximum, {}, ec).
    static NamedSemaphore anonymous(count_type initial, count_type maximum, std::error_code& ec) noexcept {
        return anonymous(initial, maximum, {}, ec);
    }

    /// Takes ownership of a semaphore HANDLE received from another process (inherited, or duplicated into this one by
    /// duplicate_into) or from raw Win32 code. On error the handle is left to the caller, untouched. The handle
    /// needs SYNCHRONIZE to acquire and SEMAPHORE_MODIFY_STATE to release; without them those operations fail with
    /// errc::permission_denied.
    /// \errors ERROR_INVALID_HANDLE if `handle` is null or not a handle to a semaphore.
    static NamedSemaphore adopt(native_handle_type handle, std::error_code& ec) noexcept {
        if (!detail::sync::is_kind(handle, detail::sync::semaphore_type, ec)) {
            return {};
        }
        return NamedSemaphore(handle, true);
    }

    /// A second handle to the same semaphore in this process, with the same rights (DuplicateHandle).
    /// \errors ERROR_INVALID_HANDLE on an empty object; the Win32 error of DuplicateHandle.
    NamedSemaphore duplicate(std::error_code& ec) const noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return {};
        }
        return NamedSemaphore(detail::sync::duplicate(handle_.get(), nullptr, ec), existed_);
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

    /// Waits until the count is above zero and takes one, however long that takes.
    /// \errors the Win32 error of a failed wait; ERROR_INVALID_HANDLE on an empty object.
    void acquire(std::error_code& ec) noexcept {
        if (check(ec)) {
            (void)finish(detail::sync::wait_one(handle_.get(), detail::win32::infinite), ec);
        }
    }

    /// Takes one if the count is above zero, without blocking. \returns true if it took one; false if the count was
    /// zero or on error. \errors as acquire(ec).
    bool try_acquire(std::error_code& ec) noexcept {
        return check(ec) && finish(detail::sync::wait_one(handle_.get(), 0), ec);
    }

    /// As try_acquire, waiting at most `timeout` (rounded up to whole milliseconds) for the count to rise above
    /// zero. \errors as acquire(ec).
    template <class Rep, class Period>
    bool try_acquire_for(const std::chrono::duration<Rep, Period>& timeout, std::error_code& ec) noexcept {
        if (!check(ec)) {
            return false;
        }
        win32_handle h = handle_.get();
        return finish(detail::sync::wait_for(
                          timeout, [h](detail::win32::dword_t ms) noexcept { return detail::sync::wait_one(h, ms); }),
                      ec);
    }

    /// As try_acquire, waiting until `deadline` at the latest (by `Clock`, read again after each timeout).
    /// \errors as acquire(ec).
    template <class Clock, class Duration>
    bool try_acquire_until(const std::chrono::time_point<Clock, Duration>& deadline, std::error_code& ec) noexcept {
        if (!check(ec)) {
            return false;
        }
        win32_handle h = handle_.get();
        return finish(detail::sync::wait_until(
                          deadline, [h](detail::win32::dword_t ms) noexcept { return detail::sync::wait_one(h, ms); }),
                      ec);
    }

    /// Adds `n` to the count (ReleaseSemaphore), waking up to `n` waiters.
    /// \returns the count just before the release (a snapshot: other processes may change it at any moment); 0 on
    /// error.
    /// \errors errc::invalid_argument if `n` <= 0 (checked before Windows is asked: Windows documents 0 as invalid
    /// but some implementations accept it); ERROR_TOO_MANY_POSTS (298) if the count would exceed the maximum, in
    /// which case it is unchanged; ERROR_INVALID_HANDLE on an empty object.
    count_type release(count_type n, std::error_code& ec) noexcept {
        if (!check(ec)) {
            return 0;
        }
        if (n <= 0) {
            ec = detail::errc_error(std::errc::invalid_argument);
            return 0;
        }
        return static_cast<count_type>(detail::sync::release_semaphore(handle_.get(), n, ec));
    }
    /// release(1, ec).
    count_type release(std::error_code& ec) noexcept { return release(1, ec); }

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

    /// True if create_or_open found the semaphore already there (and for open, which only finds).
    bool existed() const noexcept { return existed_; }

    /// The Win32 HANDLE, still owned by this object; nullptr if empty.
    native_handle_type native_handle() const noexcept { return handle_.get(); }

    /// Gives up the handle: returns it (the caller must CloseHandle it) and leaves this object empty. Not named
    /// release, which adds to the count, as in std::counting_semaphore.
    [[nodiscard]] native_handle_type release_handle() noexcept {
        existed_ = false;
        return handle_.release();
    }

    /// Closes the handle now; the object becomes empty.
    void close() noexcept { *this = NamedSemaphore(); }

    /// True if this object owns a handle.
    explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of create(name, initial, maximum, options, ec).
    static NamedSemaphore create(NameView name, count_type initial, count_type maximum,
                                 const CreateOptions& options = {}) {
        std::error_code ec;
        return detail::value_or_throw(create(name, initial, maximum, options, ec), ec,
                                      "sharemap::NamedSemaphore::create");
    }
    /// Throwing form of create_or_open(name, initial, maximum, options, ec).
    static NamedSemaphore create_or_open(NameView name, count_type initial, count_type maximum,
                                         const CreateOptions& options = {}) {
        std::error_code ec;
        return detail::value_or_throw(create_or_open(name, initial, maximum, options, ec), ec,
                                      "sharemap::NamedSemaphore::create_or_open");
    }
    /// Throwing form of open(name, ec).
    static NamedSemaphore open(NameView name) {
        std::error_code ec;
        return detail::value_or_throw(open(name, ec), ec, "sharemap::NamedSemaphore::open");
    }
    /// Throwing form of anonymous(initial, maximum, options, ec).
    static NamedSemaphore anonymous(count_type initial, count_type maximum, const CreateOptions& options = {}) {
        std::error_code ec;
        return detail::value_or_throw(anonymous(initial, maximum, options, ec), ec,
                                      "sharemap::NamedSemaphore::anonymous");
    }
    /// Throwing form of adopt(handle, ec).
    static NamedSemaphore adopt(native_handle_type handle) {
        std::error_code ec;
        return detail::value_or_throw(adopt(handle, ec), ec, "sharemap::NamedSemaphore::adopt");
    }
    /// Throwing form of duplicate(ec).
    NamedSemaphore duplicate() const {
        std::error_code ec;
        return detail::value_or_throw(duplicate(ec), ec, "sharemap::NamedSemaphore::duplicate");
    }
    /// Throwing form of duplicate_into(process, ec).
    native_handle_type duplicate_into(void* process) const {
        std::error_code ec;
        return detail::value_or_throw(duplicate_into(process, ec), ec, "sharemap::NamedSemaphore::duplicate_into");
    }
    /// Throwing form of acquire(ec).
    void acquire() {
        std::error_code ec;
        acquire(ec);
        detail::throw_if(ec, "sharemap::NamedSemaphore::acquire");
    }
    /// Throwing form of try_acquire(ec): a zero count returns false, a failure throws.
    bool try_acquire() {
        std::error_code ec;
        return detail::value_or_throw(try_acquire(ec), ec, "sharemap::NamedSemaphore::try_acquire");
    }
    /// Throwing form of try_acquire_for(timeout, ec).
    template <class Rep, class Period>
    bool try_acquire_for(const std::chrono::duration<Rep, Period>& timeout) {
        std::error_code ec;
        return detail::value_or_throw(try_acquire_for(timeout, ec), ec, "sharemap::NamedSemaphore::try_acquire_for");
    }
    /// Throwing form of try_acquire_until(deadline, ec).
    template <class Clock, class Duration>
    bool try_acquire_until(const std::chrono::time_point<Clock, Duration>& deadline) {
        std::error_code ec;
        return detail::value_or_throw(try_acquire_until(deadline, ec), ec,
                                      "sharemap::NamedSemaphore::try_acquire_until");
    }
    /// Throwing form of release(n, ec).
    count_type release(count_type n = 1) {
        std::error_code ec;
        return detail::value_or_throw(release(n, ec), ec, "sharemap::NamedSemaphore::release");
    }
    /// Throwing form of set_inheritable(inheritable, ec).
    void set_inheritable(bool inheritable) {
        std::error_code ec;
        set_inheritable(inheritable, ec);
        detail::throw_if(ec, "sharemap::NamedSemaphore::set_inheritable");
    }
    /// Throwing form of is_inheritable(ec).
    bool is_inheritable() const {
        std::error_code ec;
        return detail::value_or_throw(is_inheritable(ec), ec, "sharemap::NamedSemaphore::is_inheritable");
    }
#endif

private:
    using win32_handle = detail::win32::handle_t;
    using Handle = detail::UniqueHandle<detail::NullHandlePolicy>;

    NamedSemaphore(win32_handle h, bool existed) noexcept : handle_(h), existed_(h != nullptr && existed) {}

    static bool valid_counts(count_type initial, count_type maximum, std::error_code& ec) noexcept {
        if (maximum <= 0 || initial < 0 || initial > maximum) {
            ec = detail::errc_error(std::errc::invalid_argument);
            return false;
        }
        return true;
    }

    static NamedSemaphore make(NameView name, count_type initial, count_type maximum, const CreateOptions& options,
                               detail::Disposition disposition, std::error_code& ec) noexcept {
        if (!valid_counts(initial, maximum, ec)) {
            return {};
        }
        detail::WideName wide;
        ec = wide.assign(name);
        if (ec) {
            return {};
        }
        bool existed = false;
        win32_handle h = detail::sync::create_semaphore(wide.c_str(), initial, maximum, options, disposition, existed,
                                                        ec);
        return NamedSemaphore(h, existed);
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

#endif // SHAREMAP_NAMED_SEMAPHORE_HPP_INCLUDED
