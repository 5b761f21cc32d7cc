// SPDX-License-Identifier: MIT
// file_options.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/file_options.hpp>

#include "check_no_leaked_macros.hpp"
