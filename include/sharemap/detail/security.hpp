// SPDX-License-Identifier: MIT
// sharemap: security descriptors for new objects, built from SDDL. The advapi32 functions are looked up at run time,
// so that users link nothing extra and no SDK enum has to be declared here.
#ifndef SHAREMAP_DETAIL_SECURITY_HPP_INCLUDED
#define SHAREMAP_DETAIL_SECURITY_HPP_INCLUDED

#include "sharemap/detail/error.hpp"
#include "sharemap/detail/win32.hpp"

#include <cstddef>
#include <system_error>

namespace sharemap::detail::security {

/// An advapi32 export, nullptr if missing.
template <class Fn>
Fn advapi32_function(const char* name) noexcept {
    ::HINSTANCE__* advapi32 = ::GetModuleHandleW(L"advapi32.dll");
    if (advapi32 == nullptr) {
        advapi32 = ::LoadLibraryW(L"advapi32.dll");
    }
    if (advapi32 == nullptr) {
        return nullptr;
    }
    return reinterpret_cast<Fn>(reinterpret_cast<void*>(::GetProcAddress(advapi32, name)));
}

/// Owns a security descriptor allocated by ConvertStringSecurityDescriptorToSecurityDescriptorW (LocalFree).
class Descriptor {
public:
    Descriptor() noexcept = default;
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    ~Descriptor() {
        if (descriptor_ != nullptr) {
            const win32::LastErrorPreserver keep;
            ::LocalFree(descriptor_);
        }
    }

    /// Parses `sddl` (revision 1). \errors ERROR_INVALID_PARAMETER / ERROR_INVALID_ACL / ... for bad SDDL.
    std::error_code assign(const wchar_t* sddl) noexcept {
        using ConvertFn = int(__stdcall*)(const wchar_t*, unsigned long, void**, unsigned long*);
        static const auto convert = advapi32_function<ConvertFn>(
            "ConvertStringSecurityDescriptorToSecurityDescriptorW");
        if (convert == nullptr) {
            return win32_error(120); // ERROR_CALL_NOT_IMPLEMENTED
        }
        if (convert(sddl, 1, &descriptor_, nullptr) == 0) {
            descriptor_ = nullptr;
            return last_error();
        }
        return {};
    }

    void* get() const noexcept { return descriptor_; }

private:
    void* descriptor_ = nullptr;
};

/// Writes "D:P(A;;GA;;;<SID of the process's user>)" into `out` (NUL-terminated): a protected DACL whose only entry
/// gives the current user all access. Other accounts are refused when they open the object.
inline std::error_code current_user_only_sddl(wchar_t* out, std::size_t capacity) noexcept {
    using OpenProcessTokenFn = int(__stdcall*)(win32::handle_t, win32::dword_t, win32::handle_t*);
    using GetTokenInformationFn = int(__stdcall*)(win32::handle_t, int, void*, win32::dword_t, win32::dword_t*);
    using ConvertSidToStringSidFn = int(__stdcall*)(void*, wchar_t**);
    static const auto open_token = advapi32_function<OpenProcessTokenFn>("OpenProcessToken");
    static const auto token_information = advapi32_function<GetTokenInformationFn>("GetTokenInformation");
    static const auto sid_to_string = advapi32_function<ConvertSidToStringSidFn>("ConvertSidToStringSidW");
    if (open_token == nullptr || token_information == nullptr || sid_to_string == nullptr) {
        return win32_error(120); // ERROR_CALL_NOT_IMPLEMENTED
    }
    win32::handle_t token = nullptr;
    if (open_token(::GetCurrentProcess(), 0x0008 /* TOKEN_QUERY */, &token) == 0) {
        return last_error();
    }
    alignas(8) unsigned char user[256] = {}; // TOKEN_USER: { SID_AND_ATTRIBUTES { PSID, DWORD } } and the SID
    win32::dword_t length = 0;
    const int ok = token_information(token, 1 /* TokenUser */, user, sizeof(user), &length);
    std::error_code ec = ok != 0 ? std::error_code() : last_error();
    ::CloseHandle(token);
    if (ec) {
        return ec;
    }
    wchar_t* sid = nullptr;
    if (sid_to_string(*reinterpret_cast<void**>(user), &sid) == 0) {
        return last_error();
    }
    constexpr wchar_t prefix[] = L"D:P(A;;GA;;;";
    std::size_t n = 0;
    const auto append = [&](const wchar_t* s) {
        for (; *s != L'\0' && n + 1 < capacity; ++s) {
            out[n++] = *s;
        }
    };
    append(prefix);
    append(sid);
    append(L")");
    out[n] = L'\0';
    ::LocalFree(sid);
    return n + 1 < capacity ? std::error_code() : errc_error(std::errc::value_too_large);
}

} // namespace sharemap::detail::security

#endif // SHAREMAP_DETAIL_SECURITY_HPP_INCLUDED
