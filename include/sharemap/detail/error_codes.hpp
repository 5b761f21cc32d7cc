// SPDX-License-Identifier: MIT
// sharemap: the Win32 error numbers that sharemap's error conditions (errc.hpp) match, by name.
//
// Plain numbers, as the SDK's winerror.h defines them, so that errc.hpp needs neither <windows.h> nor the Win32
// declarations of detail/win32.hpp: comparing errors is pure standard C++. A separate namespace from
// detail::win32, whose constants of the same meaning may be included in the same translation unit.
#ifndef SHAREMAP_DETAIL_ERROR_CODES_HPP_INCLUDED
#define SHAREMAP_DETAIL_ERROR_CODES_HPP_INCLUDED

namespace sharemap::detail::error_codes {

// int, the type of std::error_code::value(), so that a table row compares with a code without a cast.
inline constexpr int file_not_found = 2;      // ERROR_FILE_NOT_FOUND
inline constexpr int path_not_found = 3;      // ERROR_PATH_NOT_FOUND
inline constexpr int access_denied = 5;       // ERROR_ACCESS_DENIED
inline constexpr int invalid_handle = 6;      // ERROR_INVALID_HANDLE
inline constexpr int not_enough_memory = 8;   // ERROR_NOT_ENOUGH_MEMORY
inline constexpr int outofmemory = 14;        // ERROR_OUTOFMEMORY
inline constexpr int sharing_violation = 32;  // ERROR_SHARING_VIOLATION
inline constexpr int lock_violation = 33;     // ERROR_LOCK_VIOLATION
inline constexpr int file_exists = 80;        // ERROR_FILE_EXISTS
inline constexpr int invalid_parameter = 87;  // ERROR_INVALID_PARAMETER
inline constexpr int broken_pipe = 109;       // ERROR_BROKEN_PIPE
inline constexpr int invalid_name = 123;      // ERROR_INVALID_NAME
inline constexpr int bad_pathname = 161;      // ERROR_BAD_PATHNAME
inline constexpr int already_exists = 183;    // ERROR_ALREADY_EXISTS
inline constexpr int no_data = 232;           // ERROR_NO_DATA
inline constexpr int wait_timeout = 258;      // WAIT_TIMEOUT, also a GetLastError() code
inline constexpr int not_owner = 288;         // ERROR_NOT_OWNER
inline constexpr int too_many_posts = 298;    // ERROR_TOO_MANY_POSTS
inline constexpr int invalid_address = 487;   // ERROR_INVALID_ADDRESS
inline constexpr int file_invalid = 1006;     // ERROR_FILE_INVALID
inline constexpr int mapped_alignment = 1132; // ERROR_MAPPED_ALIGNMENT
inline constexpr int commitment_limit = 1455; // ERROR_COMMITMENT_LIMIT
inline constexpr int timeout = 1460;          // ERROR_TIMEOUT

} // namespace sharemap::detail::error_codes

#endif // SHAREMAP_DETAIL_ERROR_CODES_HPP_INCLUDED
