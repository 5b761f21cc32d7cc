// SPDX-License-Identifier: MIT
// sharemap: security descriptors for new objects, built from SDDL.
//
// The advapi32 functions are declared here and linked, not looked up at run time: the sharemap CMake target and
// sharemap.pc add advapi32, MSVC gets it from the #pragma below, and mingw-w64 links it by default. A lookup that
// had to load advapi32.dll at the first create would run under the loader lock whenever that first create happens in
// a DLL's static initialisation or DllMain. The token query goes through ntdll (always loaded, nothing to load):
// advapi32's GetTokenInformation takes the SDK's TOKEN_INFORMATION_CLASS enum, which cannot be declared here
// without conflicting with <windows.h>.
#ifndef SHAREMAP_DETAIL_SECURITY_HPP_INCLUDED
#define SHAREMAP_DETAIL_SECURITY_HPP_INCLUDED

#include "sharemap/detail/error.hpp"
#include "sharemap/detail/win32.hpp"

#include <cstddef>
#include <system_error>

#if defined(_MSC_VER)
#pragma comment(lib, "advapi32.lib")
#endif

#if defined(SHAREMAP_USE_WINDOWS_H)
#include <sddl.h>
#else
// Exactly the SDK's signatures (sddl.h, processthreadsapi.h), as in win32.hpp.
extern "C" {
__declspec(dllimport) int __stdcall ConvertStringSecurityDescriptorToSecurityDescriptorW(
    const wchar_t* StringSecurityDescriptor, unsigned long StringSDRevision, void** SecurityDescriptor,
    unsigned long* SecurityDescriptorSize);
__declspec(dllimport) int __stdcall ConvertSidToStringSidW(void* Sid, wchar_t** StringSid);
__declspec(dllimport) int __stdcall OpenProcessToken(void* ProcessHandle, unsigned long DesiredAccess,
                                                     void** TokenHandle);
}
#endif // SHAREMAP_USE_WINDOWS_H

namespace sharemap::detail::security {

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
        if (::ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, 1 /* SDDL_REVISION_1 */, &descriptor_,
                                                                   nullptr) == 0) {
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
    using NtQueryInformationTokenFn = long(__stdcall*)(win32::handle_t, int, void*, unsigned long, unsigned long*);
    using RtlNtStatusToDosErrorFn = unsigned long(__stdcall*)(long);
    static const auto query_token = win32::ntdll_function<NtQueryInformationTokenFn>("NtQueryInformationToken");
    static const auto to_dos = win32::ntdll_function<RtlNtStatusToDosErrorFn>("RtlNtStatusToDosError");
    if (query_token == nullptr || to_dos == nullptr) {
        return win32_error(120); // ERROR_CALL_NOT_IMPLEMENTED
    }
    win32::handle_t token = nullptr;
    if (::OpenProcessToken(::GetCurrentProcess(), 0x0008 /* TOKEN_QUERY */, &token) == 0) {
        return last_error();
    }
    alignas(8) unsigned char user[256] = {}; // TOKEN_USER: { SID_AND_ATTRIBUTES { PSID, DWORD } } and the SID
    unsigned long length = 0;
    const long status = query_token(token, 1 /* TokenUser */, user, sizeof(user), &length);
    const std::error_code ec = status >= 0 ? std::error_code() : win32_error(to_dos(status));
    ::CloseHandle(token);
    if (ec) {
        return ec;
    }
    wchar_t* sid = nullptr;
    if (::ConvertSidToStringSidW(*reinterpret_cast<void**>(user), &sid) == 0) {
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
