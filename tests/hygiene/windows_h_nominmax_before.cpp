// SPDX-License-Identifier: MIT
// NOMINMAX, <windows.h> before sharemap.
#define NOMINMAX
#define HYGIENE_WINDOWS_H_FIRST 1
#define HYGIENE_CHECK nominmax_before
#include "windows_h_config.hpp"
