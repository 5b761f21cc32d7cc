// SPDX-License-Identifier: MIT
// sender.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/sender.hpp>

#include "check_no_leaked_macros.hpp"
