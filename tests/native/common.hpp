// SPDX-License-Identifier: MIT
// What every native test file starts with: Catch2, the Linux platform, the thread checks, and the short names the
// tests use for them. The names are declared at global scope on purpose: only the native test files include this.
#ifndef SHAREMAP_TESTS_NATIVE_COMMON_HPP_INCLUDED
#define SHAREMAP_TESTS_NATIVE_COMMON_HPP_INCLUDED

#include <catch2/catch.hpp>

#include "platform_linux.hpp"
#include "thread_checks.hpp"

#include <chrono>

using P = sharemap_native::LinuxPlatform;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
using sharemap_native::expect;
using sharemap_native::forever;
using sharemap_native::NoThreadFailures;

#endif // SHAREMAP_TESTS_NATIVE_COMMON_HPP_INCLUDED
