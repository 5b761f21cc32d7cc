// SPDX-License-Identifier: MIT
// The body of the windows_h_<configuration>_<order>.cpp translation units: one <windows.h> configuration (NO_STRICT,
// STRICT, WIN32_LEAN_AND_MEAN or NOMINMAX, defined by the including file before anything else, as a project would
// define it on the command line) with <windows.h> included before or after sharemap. The including file defines
//   HYGIENE_WINDOWS_H_FIRST  1: <windows.h> before sharemap; 0: after it
//   HYGIENE_CHECK            the name of this translation unit's check function, declared in main.cpp
// Each one calls the same sharemap functions, so the program links the inline functions of sharemap (and the
// functions it declares itself) from translation units compiled under every configuration. Not a normal header:
// included once by each of those files, so it has no include guard.

#if HYGIENE_WINDOWS_H_FIRST
#include <windows.h>
// ConvertStringSecurityDescriptorToSecurityDescriptorW and ConvertSidToStringSidW, which sharemap declares too.
#include <sddl.h>
#endif

#include <sharemap/sharemap.hpp>

#if !HYGIENE_WINDOWS_H_FIRST
#include <windows.h>
// (after <windows.h>, which it needs)
#include <sddl.h>
#endif

#include <algorithm>
#include <cstdint>
#include <string>
#include <type_traits>

// The configuration took effect: the SDK's typedefs and macros are what that configuration gives.
#if defined(NO_STRICT) && !defined(STRICT)
static_assert(std::is_same_v<HMODULE, HANDLE>, "NO_STRICT: HMODULE is a plain HANDLE");
#else
static_assert(!std::is_same_v<HMODULE, HANDLE>, "STRICT (the default): HMODULE is a distinct pointer type");
#endif
#if defined(NOMINMAX) && (defined(min) || defined(max))
#error "NOMINMAX: <windows.h> defined min or max"
#endif
#if defined(WIN32_LEAN_AND_MEAN) && defined(_INC_SHELLAPI)
#error "WIN32_LEAN_AND_MEAN: <windows.h> brought <shellapi.h>"
#endif
#if !defined(WIN32_LEAN_AND_MEAN) && !defined(_INC_SHELLAPI)
#error "without WIN32_LEAN_AND_MEAN, <windows.h> brings <shellapi.h>"
#endif

#define HYGIENE_STRINGIZE_(x) #x
#define HYGIENE_STRINGIZE(x) HYGIENE_STRINGIZE_(x)

namespace hygiene {

bool HYGIENE_CHECK() {
    // sharemap through the functions it declares itself: a named section whose descriptor admits only this user
    // (advapi32: OpenProcessToken, ConvertSidToStringSidW, ConvertStringSecurityDescriptorToSecurityDescriptorW),
    // opened again by name (its size from ntdll's NtQuerySection), ...
    const std::string name = "Local\\sharemap-hygiene-" + std::to_string(GetCurrentProcessId()) + "-" +
                             HYGIENE_STRINGIZE(HYGIENE_CHECK);
    const auto created = sharemap::FileMapping::create(
        name, 4096, sharemap::CreateOptions().security(sharemap::Security::current_user_only()));
    const auto opened = sharemap::FileMapping::open(name, sharemap::Access::read);
    const auto write = created.map(sharemap::Access::read_write);
    const auto read = opened.map();
    *write.as<std::uint32_t>() = 42;
    bool ok = opened.size() == 4096 && *read.as<std::uint32_t>() == 42;

    // ... this program's path (GetModuleFileNameW), and a file handle from the SDK's CreateFileW adopted after a
    // type check (ntdll's NtQueryObject).
    const std::wstring program = sharemap::Process::current_executable().wstring();
    HANDLE h = CreateFileW(program.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
    ok = ok && h != INVALID_HANDLE_VALUE;
    if (h != INVALID_HANDLE_VALUE) {
        const sharemap::File file = sharemap::File::adopt(h, sharemap::Access::read);
        ok = ok && file.size() > 0;
    }

    // The SDK's declarations of the functions sharemap also declares, called in the same translation unit.
    const HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    ok = ok && ntdll != nullptr && GetProcAddress(ntdll, "NtQuerySection") != nullptr;
    wchar_t path[4096] = {};
    ok = ok && GetModuleFileNameW(nullptr, path, 4096) == program.size();
    // The advapi32 functions sharemap declares too are only named in unevaluated operands here: a call would import
    // advapi32 into this program by itself, and imports.cpp checks that sharemap's own calls do.
    static_assert(std::is_same_v<decltype(&ConvertStringSecurityDescriptorToSecurityDescriptorW),
                                 BOOL(WINAPI*)(LPCWSTR, DWORD, PSECURITY_DESCRIPTOR*, PULONG)>);
    static_assert(std::is_same_v<decltype(&ConvertSidToStringSidW), BOOL(WINAPI*)(PSID, LPWSTR*)>);
    static_assert(std::is_same_v<decltype(&OpenProcessToken), BOOL(WINAPI*)(HANDLE, DWORD, PHANDLE)>);
    return ok && (std::min)(1, 2) == 1 && (std::max)(1, 2) == 2;
}

} // namespace hygiene

#undef HYGIENE_STRINGIZE
#undef HYGIENE_STRINGIZE_
