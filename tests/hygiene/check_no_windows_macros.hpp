// SPDX-License-Identifier: MIT
// Included after sharemap headers in translation units that did not include <windows.h> themselves: none of its
// macros may have escaped.
#if defined(min) || defined(max) || defined(CreateFileMapping) || defined(CreateFile) || defined(CreateMutex) ||       \
    defined(ERROR_ALREADY_EXISTS) || defined(INVALID_HANDLE_VALUE) || defined(WINAPI) || defined(_WINDOWS_) ||         \
    defined(_WINBASE_) || defined(FILE_MAP_READ) || defined(near) || defined(far)
#error "a sharemap header leaked <windows.h> macros"
#endif
