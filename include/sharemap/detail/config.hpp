// SPDX-License-Identifier: MIT
// sharemap: configuration macros shared by every header.
#ifndef SHAREMAP_DETAIL_CONFIG_HPP_INCLUDED
#define SHAREMAP_DETAIL_CONFIG_HPP_INCLUDED

#if !defined(_WIN32)
#error "sharemap currently supports Windows only (a POSIX backend can arrive behind the same API)."
#endif

// The throwing overloads exist only when exceptions are enabled; the std::error_code overloads always do.
#if defined(__cpp_exceptions) || defined(_CPPUNWIND)
#define SHAREMAP_HAS_EXCEPTIONS 1
#else
#define SHAREMAP_HAS_EXCEPTIONS 0
#endif

#if __cplusplus >= 202002L || (defined(_MSVC_LANG) && _MSVC_LANG >= 202002L)
#define SHAREMAP_HAS_CXX20 1
#else
#define SHAREMAP_HAS_CXX20 0
#endif

#endif // SHAREMAP_DETAIL_CONFIG_HPP_INCLUDED
