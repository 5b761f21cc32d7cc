// SPDX-License-Identifier: MIT
// sharemap first, then <windows.h> without NOMINMAX: its declarations agree with sharemap's own.
#include <sharemap/sharemap.hpp>

#include <windows.h>

#include <algorithm>

namespace hygiene {

bool windows_h_after() {
    auto mapping = sharemap::FileMapping::create_unnamed(4096);
    void* p = MapViewOfFile(mapping.native_handle(), FILE_MAP_READ, 0, 0, 0);
    const bool ok = p != nullptr && (std::max)(1, 2) == 2 && GetCurrentProcessId() != 0;
    UnmapViewOfFile(p);
    return ok;
}

} // namespace hygiene
