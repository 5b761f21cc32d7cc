// SPDX-License-Identifier: MIT
// 32-bit and 64-bit processes together. scripts/bitness.sh runs the cross-process tests (locks, events, the channel,
// shared objects) with every child started from the other bitness's build of this program, which it names in
// SHAREMAP_TEST_CHILD_PROGRAM (support/child.cpp). This case shows that the children really are of that build, and
// that without the variable they are this program.
#include <catch2/catch.hpp>

#include "support/child.hpp"

#include <windows.h>

#include <string>

namespace {

// The pointer width of the program at `path`, from its PE header: 32 or 64 (0 if it is neither).
unsigned long program_bits(const std::wstring& path) {
    DWORD type = 0;
    if (!GetBinaryTypeW(path.c_str(), &type)) {
        return 0;
    }
    return type == SCS_64BIT_BINARY ? 64 : type == SCS_32BIT_BINARY ? 32 : 0;
}

} // namespace

// Exits with the pointer width of this build in bits: 32 or 64.
SHAREMAP_TEST_CHILD(pointer_bits) {
    (void)args;
    return static_cast<int>(sizeof(void*) * 8);
}

TEST_CASE("children run this program, or the build of the other bitness that SHAREMAP_TEST_CHILD_PROGRAM names",
          "[bitness]") {
    const unsigned long mine = sizeof(void*) * 8;
    std::wstring other(32768, L'\0');
    other.resize(GetEnvironmentVariableW(L"SHAREMAP_TEST_CHILD_PROGRAM", other.data(), 32768));
    const unsigned long bits = sharemap_test::run_child("pointer_bits");
    INFO("this program: " << mine << "-bit; its child: " << bits << "-bit");
    if (GetEnvironmentVariableW(L"SHAREMAP_TEST_MIXED_BITNESS", nullptr, 0) != 0) {
        REQUIRE_FALSE(other.empty()); // scripts/bitness.sh names the other build: that name must reach the program
    }
    if (other.empty()) {
        CHECK(bits == mine);
    } else {
        CHECK(program_bits(other) == 96 - mine); // the variable names a build of the other bitness ...
        CHECK(bits == 96 - mine);                // ... and that build is what the child runs
    }
}
