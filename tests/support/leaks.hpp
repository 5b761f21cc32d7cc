// SPDX-License-Identifier: MIT
// Test support: this process's kernel handles and mapped views, to show that operations leak nothing.
// GetProcessHandleCount is always 0 under Wine, so handles are found by probing this process's handle values
// (GetHandleInformation), and views by walking the address space. Every test case is checked by the leak listener
// (support/leak_listener.cpp); see docs/testing.md for what it cannot see.
#ifndef SHAREMAP_TESTS_SUPPORT_LEAKS_HPP_INCLUDED
#define SHAREMAP_TESTS_SUPPORT_LEAKS_HPP_INCLUDED

#include <cstddef>
#include <cstdint>
#include <map>
#include <ostream>
#include <set>
#include <string>

namespace sharemap_test {

struct ResourceCounts {
    std::size_t handles = 0;      // open handles of this process
    std::size_t mapped_views = 0; // MEM_MAPPED allocations (views of sections) in this process
    friend bool operator==(const ResourceCounts& a, const ResourceCounts& b) {
        return a.handles == b.handles && a.mapped_views == b.mapped_views;
    }
    friend bool operator!=(const ResourceCounts& a, const ResourceCounts& b) { return !(a == b); }
    friend std::ostream& operator<<(std::ostream& os, const ResourceCounts& c) {
        return os << "{handles " << c.handles << ", views " << c.mapped_views << "}";
    }
};

/// This process's handles and views now.
ResourceCounts count_resources();

/// Every open handle of this process (value -> kernel object type name) and the base address of every view.
/// Sets, not totals, so that a leak cannot hide behind an unintended close of another handle; the type name
/// catches most leaks that reuse the value of a handle closed in the meantime.
struct ResourceSnapshot {
    std::map<std::uintptr_t, std::string> handles;
    std::set<std::uintptr_t> views;
};

/// This process's handles and views now, less the handles the C++ runtime made (see leave_out_runtime_handles).
ResourceSnapshot snapshot_resources();

/// From now on, handles the C++ runtime makes for itself are left out of every snapshot while they are open.
/// winpthreads, linked into the test programs, makes an event or a semaphore the first time one of its locks is
/// contended, or a thread record needs one, and keeps it for the process's life: a case's threads meeting in a
/// lock of the runtime is not a leak of the case. It makes them with CreateEventA and CreateSemaphoreA, which nothing
/// else in the programs calls (nm over every library they link), so this program's import slots for those two are
/// pointed at wrappers that note each handle returned, and its slot for CloseHandle at one that forgets it.
/// Where the runtime is a DLL (libwinpthread-1.dll, a MinGW build without -static), that DLL's slots instead.
/// Returns false if the runtime's module does not import them (nothing is left out then). Call before any thread.
bool leave_out_runtime_handles();

/// Whether the snapshots leave out handle `value` now (made by CreateEventA or CreateSemaphoreA, not closed since).
bool left_out_of_snapshots(std::uintptr_t value);

/// What differs between two snapshots, one line per handle or view ("+handle 0x40 Event", "-view 0x7f0000"),
/// empty when nothing does.
std::string describe_difference(const ResourceSnapshot& before, const ResourceSnapshot& after);

} // namespace sharemap_test

#endif // SHAREMAP_TESTS_SUPPORT_LEAKS_HPP_INCLUDED
