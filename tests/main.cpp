// SPDX-License-Identifier: MIT
// The test binary's main: a child role if asked for one (before Catch sees argv), otherwise the Catch2 session.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "support/child.hpp"

#include <cstdio>

int main(int argc, char** argv) {
    // Unbuffered: whatever was printed survives a crash, and a program that started always prints something
    // (cmake/wine-run.sh relies on that to tell a program that failed from one Wine never started).
    (void)std::setvbuf(stdout, nullptr, _IONBF, 0);
    int exit_code = 0;
    if (sharemap_test::dispatch_child(argc, argv, exit_code)) {
        return exit_code;
    }
    return Catch::Session().run(argc, argv);
}
