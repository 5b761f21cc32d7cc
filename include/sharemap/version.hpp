// SPDX-License-Identifier: MIT
// sharemap: the library's version. CMake's project(VERSION) must say the same: configuring sharemap fails if not.
#ifndef SHAREMAP_VERSION_HPP_INCLUDED
#define SHAREMAP_VERSION_HPP_INCLUDED

/// \file
/// sharemap's version, for code that needs to know which sharemap it was compiled against. This file is the
/// version's home for programs that copy `include/` without CMake; CMakeLists.txt's project(VERSION) repeats it
/// and its configure step checks that the two agree.

/// The major version: changes that can break code written against an earlier one.
#define SHAREMAP_VERSION_MAJOR 0
/// The minor version: additions that keep existing code working.
#define SHAREMAP_VERSION_MINOR 1
/// The patch version: fixes only.
#define SHAREMAP_VERSION_PATCH 0
/// The version as one number, MAJOR * 10000 + MINOR * 100 + PATCH (100 for 0.1.0), for `#if` comparisons.
#define SHAREMAP_VERSION (SHAREMAP_VERSION_MAJOR * 10000 + SHAREMAP_VERSION_MINOR * 100 + SHAREMAP_VERSION_PATCH)

#endif // SHAREMAP_VERSION_HPP_INCLUDED
