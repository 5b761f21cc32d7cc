// SPDX-License-Identifier: MIT
// <windows.h> as the benchmark's files include it: without the min and max macros, and without the rarely used
// parts. (Kept out of bench.hpp: impl_boost*.cpp must not see it, Boost declares the Win32 functions itself.)
#ifndef SHAREMAP_BENCH_WIN32_HPP_INCLUDED
#define SHAREMAP_BENCH_WIN32_HPP_INCLUDED

#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#endif // SHAREMAP_BENCH_WIN32_HPP_INCLUDED
