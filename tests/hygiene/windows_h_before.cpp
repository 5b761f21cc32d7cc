// SPDX-License-Identifier: MIT
// <windows.h> first, without NOMINMAX, then sharemap: both compile together, and both are usable.
#include <windows.h>

// MSVC's <windows.h> defines min and max as macros unless NOMINMAX; mingw-w64's does not in C++. Define them as
// MSVC does, so that this translation unit shows sharemap's own code surviving them. (MSVC's standard library
// survives them too; libstdc++ does not, so the standard headers come before the macros here.)
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <memory>
#include <new>
#if __cplusplus >= 202002L
#include <span>
#endif
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#ifndef min
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef max
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif

#include <sharemap/sharemap.hpp>

namespace hygiene {

bool windows_h_before() {
    auto mapping = sharemap::FileMapping::create_unnamed(4096);
    HANDLE h = mapping.native_handle();
    void* p = MapViewOfFile(h, FILE_MAP_READ, 0, 0, 0);
    const bool ok = p != nullptr && min(1, 2) == 1 && max(1, 2) == 2;
    UnmapViewOfFile(p);
    return ok;
}

} // namespace hygiene
