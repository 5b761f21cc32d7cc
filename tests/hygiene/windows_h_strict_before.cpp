// SPDX-License-Identifier: MIT
// STRICT defined explicitly (distinct handle types), <windows.h> before sharemap.
#define STRICT
#define HYGIENE_WINDOWS_H_FIRST 1
#define HYGIENE_CHECK strict_before
#include "windows_h_config.hpp"
