// SPDX-License-Identifier: MIT
// system_info.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/system_info.hpp>

#include "check_no_leaked_macros.hpp"

static_assert(noexcept(sharemap::allocation_granularity()) && noexcept(sharemap::page_size()),
              "the system's numbers are read without failing");
