// SPDX-License-Identifier: MIT
// The test binary's main: a child role if asked for one (before Catch sees argv), otherwise the Catch2 session.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/leak_listener.hpp"

#include <cstdio>

int main(int argc, char** argv) {
    // Unbuffered: whatever was printed survives a crash, and a program that started always prints something
    // (cmake/wine-run.sh relies on that to tell a program that failed from one Wine never started).
    (void)std::setvbuf(stdout, nullptr, _IONBF, 0);
    int exit_code = 0;
    if (sharemap_test::dispatch_child(argc, argv, exit_code)) {
        return exit_code;
    }
    const int failures = Catch::Session().run(argc, argv);
    // A leak fails the run even when every assertion passed (the listener has said which case and what).
    return failures == 0 && sharemap_test::leak_check_failed() ? 1 : failures;
}
