// SPDX-License-Identifier: MIT
// name_view.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/name_view.hpp>

#include "check_no_leaked_macros.hpp"
