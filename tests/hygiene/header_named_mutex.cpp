// SPDX-License-Identifier: MIT
// named_mutex.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/named_mutex.hpp>

#include "check_no_leaked_macros.hpp"
