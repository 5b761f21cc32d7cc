// SPDX-License-Identifier: MIT
// WIN32_LEAN_AND_MEAN, <windows.h> after sharemap.
#define WIN32_LEAN_AND_MEAN
#define HYGIENE_WINDOWS_H_FIRST 0
#define HYGIENE_CHECK lean_and_mean_after
#include "windows_h_config.hpp"
