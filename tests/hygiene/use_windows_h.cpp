// SPDX-License-Identifier: MIT
// SHAREMAP_USE_WINDOWS_H: sharemap includes the real <windows.h> instead of declaring what it needs.
#define SHAREMAP_USE_WINDOWS_H
#include <sharemap/sharemap.hpp>

#ifndef INVALID_HANDLE_VALUE
#error "SHAREMAP_USE_WINDOWS_H should have brought in <windows.h>"
#endif

namespace hygiene {

bool use_windows_h() {
    auto mapping = sharemap::FileMapping::create_unnamed(4096);
    return mapping.native_handle() != INVALID_HANDLE_VALUE && mapping.map(sharemap::Access::read).size() == 4096;
}

} // namespace hygiene
