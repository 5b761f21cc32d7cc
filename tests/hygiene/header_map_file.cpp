// SPDX-License-Identifier: MIT
// map_file.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/map_file.hpp>

#include "check_no_leaked_macros.hpp"
