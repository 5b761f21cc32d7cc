// SPDX-License-Identifier: MIT
// NO_STRICT (handle types are all plain HANDLEs), <windows.h> before sharemap.
#define NO_STRICT
#define HYGIENE_WINDOWS_H_FIRST 1
#define HYGIENE_CHECK no_strict_before
#include "windows_h_config.hpp"
