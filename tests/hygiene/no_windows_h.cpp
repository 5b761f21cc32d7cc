// SPDX-License-Identifier: MIT
// A translation unit that includes only sharemap can use std::min/std::max and its own names `min`, `max` and
// `CreateFile`: nothing from <windows.h> is in sight.
#include <sharemap/sharemap.hpp>

#include "check_no_leaked_macros.hpp"

#include <algorithm>
#include <cstdint>

namespace hygiene {

int min(int a, int b) { return a < b ? a : b; }
int max(int a, int b) { return a < b ? b : a; }
int CreateFile(int x) { return x + 1; }

int use_own_names() { return min(1, 2) + max(3, 4) + CreateFile(5) + std::min(7, 8) + std::max(9, 10); }

bool use_sharemap() {
    auto mapping = sharemap::FileMapping::create_unnamed(4096);
    auto view = mapping.map(sharemap::Access::read_write);
    *view.as<std::uint32_t>() = static_cast<std::uint32_t>(use_own_names());
    return *view.as<std::uint32_t>() == 1 + 4 + 6 + 7 + 10;
}

} // namespace hygiene
