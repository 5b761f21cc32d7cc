// SPDX-License-Identifier: MIT
// 03-single-instance: only one copy of a program runs at a time, guarded by a named mutex. A second copy sees the
// first and stops, or with --wait takes over when the first ends, and learns whether it ended cleanly or crashed
// while holding the guard. Usage: guard [--wait] [name]
//
// While it runs, the instance reads stdin: an empty line (or end of input) exits normally; "crash" ends the process
// without releasing the guard, as a crash would.
#include <sharemap/sharemap.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <system_error>

namespace {

constexpr int already_running = 2;

} // namespace

int main(int argc, char** argv) {
    bool wait = false;
    const char* name = "Local\\sharemap-example-single-instance"; // Local\: one instance per session
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--wait") {
            wait = true;
        } else {
            name = argv[i];
        }
    }
    try {
        // create_or_open: the first copy creates the mutex, later ones open the same one. Holding the mutex, not
        // merely its existence, is what makes an instance: ownership ends with the owner, even if it crashes.
        sharemap::NamedMutex guard = sharemap::NamedMutex::create_or_open(name);
        sharemap::LockStatus status = guard.acquire_for(std::chrono::milliseconds(0));
        const bool waited = status == sharemap::LockStatus::timed_out;
        if (waited) {
            std::cout << "guard: another instance is running" << (wait ? "; waiting for it to end" : "") << std::endl;
            if (!wait) {
                return already_running;
            }
            // Holding a handle while we wait keeps the mutex alive, so if the owner crashes the kernel tells us.
            status = guard.acquire();
        }
        switch (status) {
        case sharemap::LockStatus::abandoned:
            // We own the guard, but the previous instance died holding it: whatever it was doing may be half done.
            // A real program checks or repairs its shared state (files, sections) here before going on.
            std::cout << "guard: the previous instance crashed while holding the guard; recovering" << std::endl;
            break;
        case sharemap::LockStatus::acquired:
            std::cout << (waited ? "guard: the previous instance ended normally" : "guard: no other instance")
                      << std::endl;
            break;
        case sharemap::LockStatus::timed_out:
            break; // not reached: acquire() without a timeout only returns once the guard is ours
        }
        std::cout << "guard: running as the only instance; Enter exits, \"crash\" simulates a crash" << std::endl;

        std::string line;
        std::getline(std::cin, line);
        if (line == "crash") {
            std::_Exit(3); // no unlock, no destructors: the thread ends owning the mutex, which abandons it
        }
        guard.unlock(); // a clean end: the next instance gets LockStatus::acquired
    } catch (const std::system_error& e) {
        std::cerr << "guard: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
