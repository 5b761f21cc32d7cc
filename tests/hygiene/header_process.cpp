// SPDX-License-Identifier: MIT
// process.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/process.hpp>

#include "check_no_leaked_macros.hpp"
