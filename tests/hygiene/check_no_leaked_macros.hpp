// SPDX-License-Identifier: MIT
// Included after sharemap headers in translation units that did not include <windows.h> themselves: none of its
// macros may have escaped, nor any of the helper macros sharemap's headers define for their own use and take back.
// tests/hygiene/helper_macros_listed.cmake fails if a header defines a helper macro that this list leaves out.
#if defined(min) || defined(max) || defined(CreateFileMapping) || defined(CreateFile) || defined(CreateMutex) ||       \
    defined(ERROR_ALREADY_EXISTS) || defined(INVALID_HANDLE_VALUE) || defined(WINAPI) || defined(_WINDOWS_) ||         \
    defined(_WINBASE_) || defined(FILE_MAP_READ) || defined(near) || defined(far)
#error "a sharemap header leaked <windows.h> macros"
#endif
#if defined(SHAREMAP_DETAIL_OR_THROW) || defined(SHAREMAP_DETAIL_OR_THROW_AS) ||                                       \
    defined(SHAREMAP_DETAIL_TIMED_THROWING_FORMS) || defined(SHAREMAP_DETAIL_HMODULE) ||                               \
    defined(SHAREMAP_SECTION_LOCK_COLD) || defined(SHAREMAP_SECTION_LOCK_HOT) || defined(SHAREMAP_PLATFORM_COLD)
#error "a sharemap header leaked one of its helper macros"
#endif
