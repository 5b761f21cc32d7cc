// SPDX-License-Identifier: MIT
// errc.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/errc.hpp>

#include "check_no_leaked_macros.hpp"
