// SPDX-License-Identifier: MIT
// wait.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/wait.hpp>

#include "check_no_leaked_macros.hpp"
