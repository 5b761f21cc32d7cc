// SPDX-License-Identifier: MIT
// sharemap: what every kernel-object owner shares: security attributes from CreateOptions, the "already exists"
// rule of create vs create_or_open, and handle inheritance.
#ifndef SHAREMAP_DETAIL_OBJECT_HPP_INCLUDED
#define SHAREMAP_DETAIL_OBJECT_HPP_INCLUDED

#include "sharemap/create_options.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/pinned.hpp"
#include "sharemap/detail/security.hpp"
#include "sharemap/detail/wide_name.hpp"
#include "sharemap/detail/win32.hpp"

#include <system_error>

namespace sharemap::detail {

/// Whether a create call may open an object that already exists.
enum class Disposition { create_new, create_or_open };

/// The SECURITY_ATTRIBUTES a create call passes for `options`, with the security descriptor it owns.
class SecurityAttributes : Pinned {
public:
    /// Builds the attributes. \errors bad SDDL (a Win32 code), invalid UTF-8 in it (errc::illegal_byte_sequence).
    std::error_code assign(const CreateOptions& options) noexcept {
        sa_.inherit_handle = options.is_inheritable() ? 1 : 0;
        switch (options.security().kind()) {
        case Security::Kind::current_user_only: {
            wchar_t sddl[256];
            if (const std::error_code ec = security::current_user_only_sddl(sddl, 256)) {
                return ec;
            }
            return set_descriptor(sddl);
        }
        case Security::Kind::sddl: {
            WideName text;
            if (const std::error_code ec = text.assign(options.security().sddl_text())) {
                return ec;
            }
            return set_descriptor(text.c_str());
        }
        case Security::Kind::os_default:
        default:
            return {};
        }
    }

    ::_SECURITY_ATTRIBUTES* get() noexcept { return win32::to_sdk(&sa_); }

private:
    std::error_code set_descriptor(const wchar_t* sddl) noexcept {
        const std::error_code ec = descriptor_.assign(sddl);
        sa_.security_descriptor = descriptor_.get();
        return ec;
    }

    win32::SecurityAttributes sa_{sizeof(win32::SecurityAttributes), nullptr, 0};
    security::Descriptor descriptor_;
};

/// Finishes a CreateXxxW call made with a name: on failure reports the last error; if the object already existed
/// and `disposition` is create_new, closes the handle Windows returned to it (someone else's object is never used
/// silently) and reports ERROR_ALREADY_EXISTS (== errc::file_exists). Call it right after the CreateXxxW call, with
/// the last error cleared before that call.
inline win32::handle_t finish_create(win32::handle_t h, bool named, Disposition disposition, bool& existed,
                                     std::error_code& ec) noexcept {
    if (h == nullptr) {
        existed = false;
        ec = last_error();
        return nullptr;
    }
    existed = named && ::GetLastError() == win32::error_already_exists;
    if (existed && disposition == Disposition::create_new) {
        ::CloseHandle(h);
        ec = win32_error(win32::error_already_exists);
        return nullptr;
    }
    ec.clear();
    return h;
}

/// Finishes an OpenXxxW call: reports the last error if it returned NULL.
inline win32::handle_t finish_open(win32::handle_t h, std::error_code& ec) noexcept {
    if (h == nullptr) {
        ec = last_error();
        return nullptr;
    }
    ec.clear();
    return h;
}

/// SetHandleInformation(HANDLE_FLAG_INHERIT).
inline void set_inheritable(win32::handle_t h, bool inheritable, std::error_code& ec) noexcept {
    if (::SetHandleInformation(h, win32::handle_flag_inherit, inheritable ? win32::handle_flag_inherit : 0) == 0) {
        ec = last_error();
        return;
    }
    ec.clear();
}

/// GetHandleInformation: whether the handle is inheritable.
inline bool is_inheritable(win32::handle_t h, std::error_code& ec) noexcept {
    win32::dword_t flags = 0;
    if (::GetHandleInformation(h, &flags) == 0) {
        ec = last_error();
        return false;
    }
    ec.clear();
    return (flags & win32::handle_flag_inherit) != 0;
}

/// The one way objects are created: builds the SECURITY_ATTRIBUTES for `options`, clears the last error (a new
/// object does not promise to), calls `create_call(attributes)` (a CreateXxxW call), and applies finish_create.
template <class CreateCall>
win32::handle_t create_object(const wchar_t* name, const CreateOptions& options, Disposition disposition, bool& existed,
                              std::error_code& ec, CreateCall&& create_call) noexcept {
    existed = false;
    SecurityAttributes sa;
    ec = sa.assign(options);
    if (ec) {
        return nullptr;
    }
    ::SetLastError(win32::error_success);
    win32::handle_t h = create_call(sa.get());
    return finish_create(h, name != nullptr, disposition, existed, ec);
}

} // namespace sharemap::detail

#endif // SHAREMAP_DETAIL_OBJECT_HPP_INCLUDED
