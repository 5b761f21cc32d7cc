// SPDX-License-Identifier: MIT
// channel_options.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/channel_options.hpp>

#include "check_no_leaked_macros.hpp"
