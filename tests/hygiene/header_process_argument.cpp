// SPDX-License-Identifier: MIT
// process_argument.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/process_argument.hpp>

#include "check_no_leaked_macros.hpp"
