// SPDX-License-Identifier: MIT
// STRICT defined explicitly (distinct handle types), <windows.h> after sharemap.
#define STRICT
#define HYGIENE_WINDOWS_H_FIRST 0
#define HYGIENE_CHECK strict_after
#include "windows_h_config.hpp"
