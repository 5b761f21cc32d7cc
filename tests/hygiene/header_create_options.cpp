// SPDX-License-Identifier: MIT
// create_options.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/create_options.hpp>

#include "check_no_leaked_macros.hpp"
