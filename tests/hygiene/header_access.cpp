// SPDX-License-Identifier: MIT
// access.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/access.hpp>

#include "check_no_leaked_macros.hpp"
