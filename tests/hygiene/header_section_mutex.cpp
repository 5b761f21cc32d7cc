// SPDX-License-Identifier: MIT
// section_mutex.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/section_mutex.hpp>

#include "check_no_leaked_macros.hpp"
