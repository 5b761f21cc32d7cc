// SPDX-License-Identifier: MIT
// receiver.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/receiver.hpp>

#include "check_no_leaked_macros.hpp"
