// SPDX-License-Identifier: MIT
// The native tests' main: Catch2's own.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
