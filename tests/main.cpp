// SPDX-License-Identifier: MIT
// The test binary's main: a child role if asked for one (before Catch sees argv), otherwise the Catch2 session.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "support/child.hpp"

int main(int argc, char** argv) {
    int exit_code = 0;
    if (sharemap_test::dispatch_child(argc, argv, exit_code)) {
        return exit_code;
    }
    return Catch::Session().run(argc, argv);
}
