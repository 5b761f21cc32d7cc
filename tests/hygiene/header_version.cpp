// SPDX-License-Identifier: MIT
// version.hpp compiles on its own, first in its translation unit, and leaks no Windows macro; its macros work in #if.
#include <sharemap/version.hpp>

#include "check_no_leaked_macros.hpp"

#if !defined(SHAREMAP_VERSION_MAJOR) || !defined(SHAREMAP_VERSION_MINOR) || !defined(SHAREMAP_VERSION_PATCH)
#error "version.hpp defines SHAREMAP_VERSION_MAJOR, _MINOR and _PATCH"
#endif
#if SHAREMAP_VERSION != SHAREMAP_VERSION_MAJOR * 10000 + SHAREMAP_VERSION_MINOR * 100 + SHAREMAP_VERSION_PATCH
#error "SHAREMAP_VERSION is MAJOR * 10000 + MINOR * 100 + PATCH"
#endif
