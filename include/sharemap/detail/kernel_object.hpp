// SPDX-License-Identifier: MIT
// sharemap: KernelObject, what every owner of a kernel handle shares (the handle, existed(), inheritance,
// duplication, close and release), written once so that each public header holds only its own type's behaviour.
#ifndef SHAREMAP_DETAIL_KERNEL_OBJECT_HPP_INCLUDED
#define SHAREMAP_DETAIL_KERNEL_OBJECT_HPP_INCLUDED

#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/object.hpp"
#include "sharemap/detail/sync.hpp"
#include "sharemap/detail/unique_handle.hpp"
#include "sharemap/detail/wide_name.hpp"
#include "sharemap/detail/win32.hpp"
#include "sharemap/name_view.hpp"

#include <chrono>
#include <optional>
#include <system_error>
#include <utility>

namespace sharemap::detail {

/// DuplicateHandle from this process into `target_process` (this process if nullptr), not inheritable, with
/// `rights`, or the same rights as `h` if `rights` is 0.
inline win32::handle_t duplicate_handle(win32::handle_t h, win32::handle_t target_process, win32::dword_t rights,
                                        std::error_code& ec) noexcept {
    win32::handle_t self = ::GetCurrentProcess();
    win32::handle_t copy = nullptr;
    const win32::dword_t options = rights == 0 ? win32::duplicate_same_access : 0;
    check_call(::DuplicateHandle(self, h, target_process != nullptr ? target_process : self, &copy, rights, 0, options),
               ec);
    return ec ? nullptr : copy;
}

/// Converts `name` to UTF-16 and returns `call(wide_name)`; a name that cannot be converted is reported in `ec`
/// and `call` is not made.
template <class Call>
win32::handle_t with_name(NameView name, std::error_code& ec, Call&& call) noexcept {
    WideName wide;
    ec = wide.assign(name);
    return ec ? nullptr : call(wide.c_str());
}

/// `call(wide_name)` for `name`, converted as with_name converts it, or `call(nullptr)` for an unnamed object.
template <class Call>
win32::handle_t with_optional_name(const std::optional<NameView>& name, std::error_code& ec, Call&& call) noexcept {
    return name ? with_name(*name, ec, call) : call(nullptr);
}

/// Whether `h` was granted every right in `rights`; errc::permission_denied (ERROR_ACCESS_DENIED) if not.
inline bool has_rights(win32::handle_t h, win32::dword_t rights, std::error_code& ec) noexcept {
    win32::dword_t granted = 0;
    if (!win32::granted_access(h, granted)) {
        ec = last_error();
        return false;
    }
    if ((granted & rights) != rights) {
        ec = win32_error(win32::error_access_denied);
        return false;
    }
    ec.clear();
    return true;
}

/// The base of every public type that owns a kernel handle (CRTP: `Derived` is that type).
///
/// `Derived` gives its name for error messages (`static constexpr const char* type_name`) and, if it carries more
/// than the handle, a `Derived copy_with(win32::handle_t h) const noexcept` that makes a duplicate with its own
/// extra state (the base's default keeps only existed()). Its own state is reset by assigning `Derived()`.
template <class Derived, class Policy = NullHandlePolicy>
class KernelObject {
public:
    /// The type of native_handle(): a Win32 HANDLE.
    using native_handle_type = void*;

    /// The Win32 HANDLE, still owned by this object (nullptr, or INVALID_HANDLE_VALUE for a File, if empty).
    [[nodiscard]] native_handle_type native_handle() const noexcept { return handle_.get(); }

    /// True if this object owns a handle.
    explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

    /// True if the object was already there: found by create_or_open, or reached by open, adopt or a duplicate of
    /// such an object. False for an object this one created.
    [[nodiscard]] bool existed() const noexcept { return existed_; }

    /// Makes the handle inheritable by child processes started with handle inheritance, or not
    /// (SetHandleInformation). Process::start does not need it: it passes a handle without making it inheritable.
    /// \errors ERROR_INVALID_HANDLE on an empty object.
    void set_inheritable(bool inheritable, std::error_code& ec) noexcept {
        if (check(ec)) {
            detail::set_inheritable(handle_.get(), inheritable, ec);
        }
    }

    /// Whether the handle is inheritable (GetHandleInformation). \errors ERROR_INVALID_HANDLE on an empty object.
    [[nodiscard]] bool is_inheritable(std::error_code& ec) const noexcept {
        return check(ec) && detail::is_inheritable(handle_.get(), ec);
    }

    /// A second handle to the same object in this process, with the same rights (DuplicateHandle); it is not
    /// inheritable. \errors ERROR_INVALID_HANDLE on an empty object; DuplicateHandle's error.
    Derived duplicate(std::error_code& ec) const noexcept {
        if (!check(ec)) {
            return Derived();
        }
        win32::handle_t copy = duplicate_handle(handle_.get(), nullptr, 0, ec);
        return ec ? Derived() : derived().copy_with(copy);
    }

    /// Duplicates the handle, with the same rights, into another process (`process`: a process HANDLE with
    /// PROCESS_DUP_HANDLE). Returns the handle's value in that process, which has to learn it (command line, pipe,
    /// shared memory) and take it with adopt(). This process keeps its own handle.
    /// \errors ERROR_INVALID_HANDLE on an empty object or a null `process`; errc::permission_denied if `process`
    /// lacks PROCESS_DUP_HANDLE; DuplicateHandle's error otherwise.
    [[nodiscard]] native_handle_type duplicate_into(void* process, std::error_code& ec) const noexcept {
        if (!check(ec)) {
            return nullptr;
        }
        if (process == nullptr) {
            ec = empty_object_error();
            return nullptr;
        }
        return duplicate_handle(handle_.get(), process, 0, ec);
    }

    /// Gives up the handle: returns it (the caller must CloseHandle it) and leaves this object empty.
    [[nodiscard]] native_handle_type release() noexcept {
        win32::handle_t h = handle_.release();
        derived_mut() = Derived();
        return h;
    }

    /// Closes the handle now; the object becomes empty. Closing an empty object does nothing.
    void close() noexcept { derived_mut() = Derived(); }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of set_inheritable(inheritable, ec).
    void set_inheritable(bool inheritable) {
        or_throw(Derived::type_name, "set_inheritable", [&](auto& ec) { set_inheritable(inheritable, ec); });
    }
    /// Throwing form of is_inheritable(ec).
    [[nodiscard]] bool is_inheritable() const {
        return or_throw(Derived::type_name, "is_inheritable", [&](auto& ec) { return is_inheritable(ec); });
    }
    /// Throwing form of duplicate(ec).
    Derived duplicate() const {
        return or_throw(Derived::type_name, "duplicate", [&](auto& ec) { return duplicate(ec); });
    }
    /// Throwing form of duplicate_into(process, ec).
    [[nodiscard]] native_handle_type duplicate_into(void* process) const {
        return or_throw(Derived::type_name, "duplicate_into", [&](auto& ec) { return duplicate_into(process, ec); });
    }
#endif

private:
    // Only Derived constructs its base (CRTP): KernelObject<A> cannot be the base of a B. Copying is deleted here,
    // privately, for the same reason (a public constructor of any kind would let others build the base).
    friend Derived;
    KernelObject(const KernelObject&) = delete;            // NOLINT(modernize-use-equals-delete)
    KernelObject& operator=(const KernelObject&) = delete; // NOLINT(modernize-use-equals-delete)
    KernelObject() noexcept = default;
    KernelObject(win32::handle_t h, bool existed) noexcept
        : handle_(h), existed_(static_cast<bool>(handle_) && existed) {}
    KernelObject(KernelObject&& other) noexcept
        : handle_(std::move(other.handle_)), existed_(std::exchange(other.existed_, false)) {}

protected:
    KernelObject& operator=(KernelObject&& other) noexcept {
        if (this != &other) {
            handle_ = std::move(other.handle_);
            existed_ = std::exchange(other.existed_, false);
        }
        return *this;
    }
    ~KernelObject() = default;

    /// The one body of create, create_or_open and create_unnamed: a Derived owning the handle `create(wide_name,
    /// existed)` returns for `name` (nullptr as the name if there is none), with existed() as `create` found it.
    template <class Create>
    static Derived created(const std::optional<NameView>& name, std::error_code& ec, Create&& create) noexcept {
        bool existed = false;
        win32::handle_t h = with_optional_name(name, ec, [&](const wchar_t* n) { return create(n, existed); });
        return Derived(h, existed);
    }

    /// The one body of open: a Derived owning the handle `open(wide_name, ec)` returns for `name`, existed() true.
    template <class Open>
    static Derived opened(NameView name, std::error_code& ec, Open&& open) noexcept {
        return Derived(with_name(name, ec, [&](const wchar_t* n) { return open(n, ec); }), true);
    }

    /// The default duplicate: the handle and existed(); types with more state hide it with their own.
    Derived copy_with(win32::handle_t h) const noexcept { return Derived(h, existed_); }

    /// False, with ERROR_INVALID_HANDLE in `ec`, on an empty object; true (and `ec` untouched) otherwise.
    bool check(std::error_code& ec) const noexcept { return check_owned(handle_, ec); }

    /// The owned handle (not released).
    win32::handle_t handle() const noexcept { return handle_.get(); }

    /// Waits until the object is signalled: forever, at most a duration or until a time point (`limit`, as
    /// sync::wait_handle takes it). True if it was signalled; false on timeout, or with `ec` set if the wait failed
    /// or the object is empty.
    template <class... Limit>
    bool wait_signal(std::error_code& ec, const Limit&... limit) const noexcept {
        return check(ec) && sync::wait_signaled(handle_.get(), ec, limit...);
    }

private:
    const Derived& derived() const noexcept { return static_cast<const Derived&>(*this); }
    Derived& derived_mut() noexcept { return static_cast<Derived&>(*this); }

    UniqueHandle<Policy> handle_;
    bool existed_ = false;
};

} // namespace sharemap::detail

#endif // SHAREMAP_DETAIL_KERNEL_OBJECT_HPP_INCLUDED
