// SPDX-License-Identifier: MIT
// sharemap.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/sharemap.hpp>

#include "check_no_leaked_macros.hpp"
