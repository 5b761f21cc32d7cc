// SPDX-License-Identifier: MIT
// mapped_view.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/mapped_view.hpp>

#include "check_no_leaked_macros.hpp"
