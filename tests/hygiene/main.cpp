// SPDX-License-Identifier: MIT
// The hygiene program: its translation units include sharemap in every way a user might; linking them together also
// shows that every function in the headers is inline (no duplicate symbols). At run time each one works.
#include <cstdio>

namespace hygiene {
bool use_sharemap();
bool windows_h_before();
bool windows_h_after();
bool use_windows_h();
} // namespace hygiene

int main() {
    struct Check {
        const char* name;
        bool (*run)();
    };
    const Check checks[] = {{"sharemap only", hygiene::use_sharemap},
                            {"<windows.h> before sharemap", hygiene::windows_h_before},
                            {"<windows.h> after sharemap", hygiene::windows_h_after},
                            {"SHAREMAP_USE_WINDOWS_H", hygiene::use_windows_h}};
    int failed = 0;
    for (const Check& c : checks) {
        const bool ok = c.run();
        std::printf("%s: %s\n", ok ? "ok  " : "FAIL", c.name);
        failed += ok ? 0 : 1;
    }
    std::printf("%d passed, %d failed\n", 4 - failed, failed);
    return failed == 0 ? 0 : 1;
}
