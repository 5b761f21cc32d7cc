// SPDX-License-Identifier: MIT
// The hygiene program: its translation units include sharemap in every way a user might; linking them together also
// shows that every function in the headers is inline (no duplicate symbols), and that translation units compiled
// under different <windows.h> configurations (NO_STRICT, STRICT, WIN32_LEAN_AND_MEAN, NOMINMAX; <windows.h> before
// or after sharemap) agree on sharemap's declarations. At run time each one works.
#include <cstdio>

namespace hygiene {
bool use_sharemap();
bool windows_h_before();
bool windows_h_after();
bool use_windows_h();
bool no_strict_before();
bool no_strict_after();
bool strict_before();
bool strict_after();
bool lean_and_mean_before();
bool lean_and_mean_after();
bool nominmax_before();
bool nominmax_after();
bool imports_dll(const char* dll);
bool dll_loaded(const wchar_t* dll);
} // namespace hygiene

namespace {
// Read first thing in main(), before any sharemap code has run.
bool advapi32_loaded_at_start = false;
} // namespace

namespace hygiene {
bool advapi32_imported() { return imports_dll("advapi32.dll"); }
bool advapi32_already_loaded() { return advapi32_loaded_at_start; }
} // namespace hygiene

int main() {
    advapi32_loaded_at_start = hygiene::dll_loaded(L"advapi32.dll");
    struct Check {
        const char* name;
        bool (*run)();
    };
    const Check checks[] = {
        {"sharemap only", hygiene::use_sharemap},
        {"<windows.h> before sharemap", hygiene::windows_h_before},
        {"<windows.h> after sharemap", hygiene::windows_h_after},
        {"SHAREMAP_USE_WINDOWS_H", hygiene::use_windows_h},
        {"NO_STRICT, <windows.h> before sharemap", hygiene::no_strict_before},
        {"NO_STRICT, <windows.h> after sharemap", hygiene::no_strict_after},
        {"STRICT, <windows.h> before sharemap", hygiene::strict_before},
        {"STRICT, <windows.h> after sharemap", hygiene::strict_after},
        {"WIN32_LEAN_AND_MEAN, <windows.h> before sharemap", hygiene::lean_and_mean_before},
        {"WIN32_LEAN_AND_MEAN, <windows.h> after sharemap", hygiene::lean_and_mean_after},
        {"NOMINMAX, <windows.h> before sharemap", hygiene::nominmax_before},
        {"NOMINMAX, <windows.h> after sharemap", hygiene::nominmax_after},
        {"the program imports advapi32.dll (sharemap's security calls link, not load)", hygiene::advapi32_imported},
        {"advapi32.dll is loaded before main(), not at sharemap's first use", hygiene::advapi32_already_loaded},
    };
    int failed = 0;
    int passed = 0;
    for (const Check& c : checks) {
        const bool ok = c.run();
        std::printf("%s: %s\n", ok ? "ok  " : "FAIL", c.name);
        (ok ? passed : failed) += 1;
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
