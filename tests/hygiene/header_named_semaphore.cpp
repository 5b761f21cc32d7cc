// SPDX-License-Identifier: MIT
// named_semaphore.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/named_semaphore.hpp>

#include "check_no_leaked_macros.hpp"
