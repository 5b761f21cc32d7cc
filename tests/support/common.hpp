// SPDX-License-Identifier: MIT
// Test support: small helpers that many test files use, defined once.
#ifndef SHAREMAP_TESTS_SUPPORT_COMMON_HPP_INCLUDED
#define SHAREMAP_TESTS_SUPPORT_COMMON_HPP_INCLUDED

#include <sharemap/create_options.hpp>

#include <catch2/catch.hpp>

#include <windows.h>

#include <cstdlib>
#include <string>
#include <system_error>

namespace sharemap_test {

/// A Win32 error code as sharemap reports it: value `code` in std::system_category().
inline std::error_code win32_code(DWORD code) { return {static_cast<int>(code), std::system_category()}; }

/// CreateOptions for an inheritable handle, spelled so that it keeps compiling as CreateOptions gains members.
inline sharemap::CreateOptions inheritable() {
    sharemap::CreateOptions options;
    options.inheritable();
    return options;
}

/// True if SHAREMAP_TEST_VERBOSE is set: tests then print what they measured.
inline bool verbose() { return std::getenv("SHAREMAP_TEST_VERBOSE") != nullptr; }

/// `t` itself: hides a self-move from the compiler's warning without changing what runs.
template <class T>
T& same(T& t) {
    return t;
}

/// The object's name in the kernel namespace, from NtQueryObject(ObjectNameInformation); empty if unnamed.
inline std::wstring kernel_object_name(HANDLE h) {
    using NtQueryObjectFn = LONG(NTAPI*)(HANDLE, int, void*, ULONG, ULONG*);
    const auto query = reinterpret_cast<NtQueryObjectFn>(
        reinterpret_cast<void*>(GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtQueryObject")));
    REQUIRE(query != nullptr);
    alignas(8) unsigned char buffer[4096] = {};
    ULONG returned = 0;
    REQUIRE(query(h, 1 /* ObjectNameInformation */, buffer, sizeof buffer, &returned) >= 0);
    struct UnicodeString {
        USHORT length;
        USHORT maximum_length;
        wchar_t* buffer;
    };
    const auto* name = reinterpret_cast<const UnicodeString*>(buffer);
    return name->buffer != nullptr ? std::wstring(name->buffer, name->length / sizeof(wchar_t)) : std::wstring();
}

} // namespace sharemap_test

#endif // SHAREMAP_TESTS_SUPPORT_COMMON_HPP_INCLUDED
