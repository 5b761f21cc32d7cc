// SPDX-License-Identifier: MIT
// lock_status.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/lock_status.hpp>

#include "check_no_leaked_macros.hpp"
