// SPDX-License-Identifier: MIT
// WIN32_LEAN_AND_MEAN, <windows.h> before sharemap.
#define WIN32_LEAN_AND_MEAN
#define HYGIENE_WINDOWS_H_FIRST 1
#define HYGIENE_CHECK lean_and_mean_before
#include "windows_h_config.hpp"
