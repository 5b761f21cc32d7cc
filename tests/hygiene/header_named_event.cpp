// SPDX-License-Identifier: MIT
// named_event.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/named_event.hpp>

#include "check_no_leaked_macros.hpp"
