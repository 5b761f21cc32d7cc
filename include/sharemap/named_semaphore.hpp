// SPDX-License-Identifier: MIT
// sharemap: NamedSemaphore, the owner of a Windows semaphore object.
#ifndef SHAREMAP_NAMED_SEMAPHORE_HPP_INCLUDED
#define SHAREMAP_NAMED_SEMAPHORE_HPP_INCLUDED

#include "sharemap/create_options.hpp"
#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/kernel_object.hpp"
#include "sharemap/detail/object.hpp"
#include "sharemap/detail/sync.hpp"
#include "sharemap/name_view.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <system_error>
#include <utility>

// Defines helper macros for this header's class; throwing_forms_end.hpp at the end takes them back.
#include "sharemap/detail/throwing_forms_begin.hpp"

namespace sharemap {

/// Move-only owner of a Windows semaphore object (CreateSemaphoreExW): a count shared by threads of any process, with
/// the operations of std::counting_semaphore. acquire() waits until the count is above zero and takes one;
/// release(n) adds n.
///
/// The count lies between 0 and a maximum fixed when the semaphore is created; a release that would pass the
/// maximum fails and leaves the count unchanged. count() reads the current count (a snapshot). Unlike a mutex, a
/// semaphore has no owner: any thread of any process may release it, and nothing is released when a process ends.
///
/// **Names.** `release(n)` is std::counting_semaphore's operation: it adds to the count. Giving up the handle, which
/// every other sharemap type calls release(), is release_handle() here.
///
/// Each acquire, release or count is one Windows call (a kernel round trip). They change the semaphore, not this
/// C++ object, so they are const members. Errors are reported as by FileMapping: a throwing form and a noexcept form
/// taking std::error_code&. An empty NamedSemaphore (default-constructed, moved-from, closed) fails every operation
/// with ERROR_INVALID_HANDLE.
///
/// A move hands the handle over and leaves the source empty; destruction closes the handle (the count
/// is unchanged).
class [[nodiscard]] NamedSemaphore : public detail::KernelObject<NamedSemaphore> {
public:
    /// The type of counts (a Win32 LONG).
    using count_type = std::int32_t;

    /// An empty NamedSemaphore: owns nothing, `bool(*this)` is false.
    NamedSemaphore() noexcept = default;

    /// Creates a new named semaphore whose count starts at `initial` and can never exceed `maximum`.
    ///
    /// \errors errc::invalid_argument if `maximum` <= 0, `initial` < 0 or `initial` > `maximum` (checked before
    /// Windows is asked), or for an empty name or one with a NUL; std::errc::file_exists if the name is in use by a
    /// semaphore (the handle Windows returned to it is closed); ERROR_INVALID_HANDLE (6) if the name belongs to
    /// another kind of object (section, mutex, event...); std::errc::illegal_byte_sequence for invalid UTF-8; another
    /// Win32 error otherwise.
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
    /// checked either way). On an existing semaphore it asks only for the rights open() asks for.
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

    /// Opens an existing named semaphore with the rights acquire, release and count need (SYNCHRONIZE |
    /// SEMAPHORE_MODIFY_STATE | SEMAPHORE_QUERY_STATE; without the query right if the semaphore's security does not
    /// grant it, and then only count fails).
    /// \errors std::errc::no_such_file_or_directory if no object has that name; ERROR_INVALID_HANDLE (6) if the name
    /// belongs to another kind of object; errc::permission_denied if the semaphore's security refuses those rights;
    /// name errors as create.
    static NamedSemaphore open(NameView name, std::error_code& ec) noexcept {
        return opened(name, ec, detail::sync::open_semaphore);
    }

    /// Creates an unnamed semaphore, shared only through its handle (Process::start or duplicate_into).
    /// \errors errc::invalid_argument for invalid counts, as create; a Win32 error otherwise.
    static NamedSemaphore create_unnamed(count_type initial, count_type maximum, const CreateOptions& options,
                                         std::error_code& ec) noexcept {
        return make(std::nullopt, initial, maximum, options, detail::Disposition::create_new, ec);
    }
    /// create_unnamed(initial, maximum, {}, ec).
    static NamedSemaphore create_unnamed(count_type initial, count_type maximum, std::error_code& ec) noexcept {
        return create_unnamed(initial, maximum, {}, ec);
    }

    /// Takes ownership of a semaphore HANDLE received from another process (inherited, or duplicated into this one by
    /// duplicate_into) or from raw Win32 code. On error the handle is left to the caller, untouched. The handle
    /// needs SYNCHRONIZE to acquire, SEMAPHORE_MODIFY_STATE to release and SEMAPHORE_QUERY_STATE for count; without
    /// them those operations fail with errc::permission_denied.
    /// \errors ERROR_INVALID_HANDLE if `handle` is null or not a handle to a semaphore.
    static NamedSemaphore adopt(native_handle_type handle, std::error_code& ec) noexcept {
        return detail::sync::is_kind(handle, detail::sync::semaphore_type, ec) ? NamedSemaphore(handle, true)
                                                                               : NamedSemaphore();
    }

    /// Waits until the count is above zero and takes one, however long that takes.
    /// \errors the Win32 error of a failed wait; ERROR_INVALID_HANDLE on an empty object.
    void acquire(std::error_code& ec) const noexcept { (void)wait_signal(ec); }

    /// Takes one if the count is above zero, without blocking. \returns true if it took one; false if the count was
    /// zero or on error. \errors as acquire(ec).
    [[nodiscard]] bool try_acquire(std::error_code& ec) const noexcept {
        return wait_signal(ec, std::chrono::milliseconds(0));
    }

    /// As try_acquire, waiting at most `timeout` (rounded up to whole milliseconds; any length up to
    /// duration::max()) for the count to rise above zero. \errors as acquire(ec).
    template <class Rep, class Period>
    [[nodiscard]] bool try_acquire_for(const std::chrono::duration<Rep, Period>& timeout,
                                       std::error_code& ec) const noexcept {
        return wait_signal(ec, timeout);
    }

    /// As try_acquire, waiting until `deadline` at the latest (by `Clock`, read again after each timeout;
    /// time_point::max() waits for as long as it takes). \errors as acquire(ec).
    template <class Clock, class Duration>
    [[nodiscard]] bool try_acquire_until(const std::chrono::time_point<Clock, Duration>& deadline,
                                         std::error_code& ec) const noexcept {
        return wait_signal(ec, deadline);
    }

    /// Adds `n` to the count (ReleaseSemaphore), waking up to `n` waiters.
    /// \returns the count just before the release (a snapshot: other processes may change it at any moment); 0 on
    /// error.
    /// \errors errc::invalid_argument if `n` <= 0 (checked before Windows is asked: Windows documents 0 as invalid
    /// but some implementations accept it); ERROR_TOO_MANY_POSTS (298) if the count would exceed the maximum, in
    /// which case it is unchanged; ERROR_INVALID_HANDLE on an empty object.
    count_type release(count_type n, std::error_code& ec) const noexcept {
        if (!check(ec)) {
            return 0;
        }
        if (n <= 0) {
            ec = detail::errc_error(std::errc::invalid_argument);
            return 0;
        }
        return static_cast<count_type>(detail::sync::release_semaphore(handle(), n, ec));
    }
    /// release(1, ec).
    count_type release(std::error_code& ec) const noexcept { return release(1, ec); }

    /// The count now (NtQuerySemaphore), without changing it. A snapshot: other threads and processes may change it
    /// at any moment, so use it for monitoring, never to decide whether an acquire would block.
    /// \errors errc::permission_denied for a handle without SEMAPHORE_QUERY_STATE (an adopted handle, or a semaphore
    /// whose security does not grant it); ERROR_INVALID_HANDLE on an empty object.
    [[nodiscard]] count_type count(std::error_code& ec) const noexcept {
        return check(ec) ? static_cast<count_type>(detail::sync::semaphore_count(handle(), ec)) : 0;
    }

    /// Gives up the handle: returns it (the caller must CloseHandle it) and leaves this object empty. (What other
    /// types call release(); here release() is the semaphore operation.)
    [[nodiscard]] native_handle_type release_handle() noexcept { return KernelObject::release(); }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of create(name, initial, maximum, options, ec).
    static NamedSemaphore create(NameView name, count_type initial, count_type maximum,
                                 const CreateOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::named_call(type_name, "create", name, initial, maximum),
                                           create(name, initial, maximum, options, ec));
    }
    /// Throwing form of create_or_open(name, initial, maximum, options, ec).
    static NamedSemaphore create_or_open(NameView name, count_type initial, count_type maximum,
                                         const CreateOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::named_call(type_name, "create_or_open", name, initial, maximum),
                                           create_or_open(name, initial, maximum, options, ec));
    }
    /// Throwing form of open(name, ec).
    static NamedSemaphore open(NameView name) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::named_call(type_name, "open", name), open(name, ec));
    }
    /// Throwing form of create_unnamed(initial, maximum, options, ec).
    static NamedSemaphore create_unnamed(count_type initial, count_type maximum, const CreateOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW(create_unnamed(initial, maximum, options, ec));
    }
    /// Throwing form of adopt(handle, ec).
    static NamedSemaphore adopt(native_handle_type handle) { return SHAREMAP_DETAIL_OR_THROW(adopt(handle, ec)); }
    /// Throwing form of acquire(ec).
    void acquire() const { SHAREMAP_DETAIL_OR_THROW(acquire(ec)); }
    /// Throwing form of try_acquire(ec).
    [[nodiscard]] bool try_acquire() const { return SHAREMAP_DETAIL_OR_THROW(try_acquire(ec)); }
    /// Throwing forms of try_acquire_for(timeout, ec) and try_acquire_until(deadline, ec): false if the count stays
    /// zero until the timeout or deadline.
    ///@{
    SHAREMAP_DETAIL_TIMED_THROWING_FORMS(bool, try_acquire_for, try_acquire_until, const)
    ///@}
    /// Throwing form of count(ec).
    [[nodiscard]] count_type count() const { return SHAREMAP_DETAIL_OR_THROW(count(ec)); }
    /// Throwing form of release(n, ec).
    count_type release(count_type n = 1) const { return SHAREMAP_DETAIL_OR_THROW(release(n, ec)); }
#endif

private:
    friend class detail::KernelObject<NamedSemaphore>;
    static constexpr const char* type_name = "sharemap::NamedSemaphore";

    NamedSemaphore(detail::win32::handle_t h, bool existed) noexcept : KernelObject(h, existed) {}

    static bool valid_counts(count_type initial, count_type maximum, std::error_code& ec) noexcept {
        if (maximum <= 0 || initial < 0 || initial > maximum) {
            ec = detail::errc_error(std::errc::invalid_argument);
            return false;
        }
        return true;
    }

    // create, create_or_open and (without a name) create_unnamed; the counts are checked before Windows is asked.
    static NamedSemaphore make(std::optional<NameView> name, count_type initial, count_type maximum,
                               const CreateOptions& options, detail::Disposition disposition,
                               std::error_code& ec) noexcept {
        if (!valid_counts(initial, maximum, ec)) {
            return {};
        }
        return created(name, ec, [&](const wchar_t* n, bool& existed) {
            return detail::sync::create_semaphore(n, initial, maximum, options, disposition, existed, ec);
        });
    }
};

} // namespace sharemap

#include "sharemap/detail/throwing_forms_end.hpp"

#endif // SHAREMAP_NAMED_SEMAPHORE_HPP_INCLUDED
