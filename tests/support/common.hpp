// SPDX-License-Identifier: MIT
// Test support: small helpers that many test files use, defined once.
#ifndef SHAREMAP_TESTS_SUPPORT_COMMON_HPP_INCLUDED
#define SHAREMAP_TESTS_SUPPORT_COMMON_HPP_INCLUDED

#include <sharemap/create_options.hpp>

#include <catch2/catch.hpp>

#include <windows.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <system_error>
#include <thread>

namespace sharemap_test {

/// A Win32 error code as sharemap reports it: value `code` in std::system_category().
inline std::error_code win32_code(DWORD code) { return {static_cast<int>(code), std::system_category()}; }

/// CreateOptions for an inheritable handle, spelled so that it keeps compiling as CreateOptions gains members.
inline sharemap::CreateOptions inheritable() {
    sharemap::CreateOptions options;
    options.inheritable();
    return options;
}

/// A handle's value as text, for a child's command line.
inline std::string handle_text(void* h) { return std::to_string(reinterpret_cast<std::uintptr_t>(h)); }

/// The handle whose value handle_text wrote.
inline void* handle_from(const std::string& text) {
    return reinterpret_cast<void*>(static_cast<std::uintptr_t>(std::stoull(text)));
}

/// True if the named `Object` (NamedEvent, NamedMutex, NamedSemaphore) `name` exists: its error_code open works.
template <class Object>
bool object_exists(const std::string& name) {
    std::error_code ec;
    return static_cast<bool>(Object::open(name, ec));
}

/// True if another thread can lock `m` now; that thread unlocks it again at once.
template <class Lockable>
bool free_for_another_thread(Lockable& m) {
    bool free = false;
    std::thread([&] {
        free = m.try_lock();
        if (free) {
            m.unlock();
        }
    }).join();
    return free;
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
