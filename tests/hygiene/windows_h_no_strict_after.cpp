// SPDX-License-Identifier: MIT
// NO_STRICT (handle types are all plain HANDLEs), <windows.h> after sharemap.
#define NO_STRICT
#define HYGIENE_WINDOWS_H_FIRST 0
#define HYGIENE_CHECK no_strict_after
#include "windows_h_config.hpp"
