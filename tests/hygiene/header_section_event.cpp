// SPDX-License-Identifier: MIT
// section_event.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/section_event.hpp>

#include "check_no_leaked_macros.hpp"
