// SPDX-License-Identifier: MIT
// sharemap: how errors are made and reported. One mechanism: every operation is written once, noexcept, reporting
// through std::error_code; the throwing overload calls it and throws std::system_error if it failed.
#ifndef SHAREMAP_DETAIL_ERROR_HPP_INCLUDED
#define SHAREMAP_DETAIL_ERROR_HPP_INCLUDED

#include "sharemap/detail/config.hpp"
#include "sharemap/detail/message.hpp"
#include "sharemap/detail/win32.hpp"

#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

namespace sharemap::detail {

/// A Win32 error code in std::system_category(), as the standard library reports OS errors.
inline std::error_code win32_error(win32::dword_t code) noexcept {
    return {static_cast<int>(code), std::system_category()};
}

/// The calling thread's last Win32 error. Never reports success: a failed call that left no code becomes
/// ERROR_INVALID_PARAMETER rather than an error_code that says "no error".
inline std::error_code last_error() noexcept {
    const win32::dword_t code = ::GetLastError();
    return win32_error(code != win32::error_success ? code : win32::error_invalid_parameter);
}

/// Sets `ec` from a BOOL-returning Win32 call's result: the last error if it failed (`ok` is 0), else clears it.
inline void check_call(int ok, std::error_code& ec) noexcept {
    if (ok == 0) {
        ec = last_error();
        return;
    }
    ec.clear();
}

/// The error for an operation on an object that owns nothing (default-constructed, moved-from or released).
inline std::error_code empty_object_error() noexcept { return win32_error(win32::error_invalid_handle); }

/// False, with empty_object_error() in `ec`, if `owner` (a handle owner) owns nothing; true, `ec` untouched,
/// otherwise. The check every member of a handle-owning type makes first.
template <class Owner>
bool check_owned(const Owner& owner, std::error_code& ec) noexcept {
    if (!owner) {
        ec = empty_object_error();
        return false;
    }
    return true;
}

/// An error the library detects itself, before asking Windows; these use std::generic_category().
inline std::error_code errc_error(std::errc e) noexcept { return std::make_error_code(e); }

#if SHAREMAP_HAS_EXCEPTIONS
/// The one way a throwing form is written: runs `op(ec)`, the error_code form of the same operation; if it failed,
/// throws std::system_error with the text `describe(ec)` builds (only then, so the success path allocates nothing);
/// otherwise returns what `op` returned. `describe` is a CallDescription (see detail/message.hpp) or any callable
/// taking the error_code and returning the text. In a class, detail/throwing_forms_begin.hpp's macros write the call.
template <class Describe, class Op>
auto or_throw(const Describe& describe, Op&& op) -> std::invoke_result_t<Op&, std::error_code&> {
    static_assert(std::is_invocable_r_v<std::string, const Describe&, const std::error_code&>,
                  "or_throw(describe, op): describe(ec) must build the message; or_throw(type, member, op) names one");
    std::error_code ec;
    if constexpr (std::is_void_v<std::invoke_result_t<Op&, std::error_code&>>) {
        op(ec);
        if (ec) {
            throw std::system_error(ec, describe(std::as_const(ec)));
        }
    } else {
        auto result = op(ec);
        if (ec) {
            throw std::system_error(ec, describe(std::as_const(ec)));
        }
        return result;
    }
}

/// or_throw for a call whose arguments are not worth showing: the message names `type` and `member`
/// ("type::member"; `type` is a class, or the namespace of a free function).
template <class Op>
auto or_throw(const char* type, const char* member, Op&& op) -> std::invoke_result_t<Op&, std::error_code&> {
    return or_throw(
        [type, member](const std::error_code& ec) {
            return error_text(std::string(type) + "::" + member, Subject::object, NameView(std::string_view()), ec);
        },
        op);
}
#endif

} // namespace sharemap::detail

#endif // SHAREMAP_DETAIL_ERROR_HPP_INCLUDED
