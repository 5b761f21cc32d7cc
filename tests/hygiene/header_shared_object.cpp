// SPDX-License-Identifier: MIT
// shared_object.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/shared_object.hpp>

#include "check_no_leaked_macros.hpp"
