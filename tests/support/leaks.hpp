// SPDX-License-Identifier: MIT
// Test support: counts of this process's kernel handles and mapped views, to show that operations leak nothing.
// GetProcessHandleCount is always 0 under Wine, so handles are counted by probing this process's handle values
// (GetHandleInformation), and views by walking the address space.
#ifndef SHAREMAP_TESTS_SUPPORT_LEAKS_HPP_INCLUDED
#define SHAREMAP_TESTS_SUPPORT_LEAKS_HPP_INCLUDED

#include <cstddef>
#include <ostream>

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

} // namespace sharemap_test

#endif // SHAREMAP_TESTS_SUPPORT_LEAKS_HPP_INCLUDED
