// SPDX-License-Identifier: MIT
// sharemap: the two numbers of the system's memory manager that shape views: page size and allocation granularity.
#ifndef SHAREMAP_SYSTEM_INFO_HPP_INCLUDED
#define SHAREMAP_SYSTEM_INFO_HPP_INCLUDED

#include "sharemap/detail/win32.hpp"

#include <cstddef>

namespace sharemap {

/// The allocation granularity (64 KiB on every Windows so far): a view starts at a multiple of it in the section and
/// in the address space, so addresses given to FileMapping::map_at must be multiples of it. Read once.
[[nodiscard]] inline std::size_t allocation_granularity() noexcept {
    return detail::win32::system_info().allocation_granularity;
}

/// The page size (4 KiB on x64): a pagefile section's size is a whole number of pages, and a view's protection and
/// commit are per page. Read once.
[[nodiscard]] inline std::size_t page_size() noexcept { return detail::win32::system_info().page_size; }

} // namespace sharemap

#endif // SHAREMAP_SYSTEM_INFO_HPP_INCLUDED
