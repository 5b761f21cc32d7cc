// SPDX-License-Identifier: MIT
// NOMINMAX, <windows.h> after sharemap.
#define NOMINMAX
#define HYGIENE_WINDOWS_H_FIRST 0
#define HYGIENE_CHECK nominmax_after
#include "windows_h_config.hpp"
