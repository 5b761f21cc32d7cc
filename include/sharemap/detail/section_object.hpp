// SPDX-License-Identifier: MIT
// sharemap: what the types whose state lives in a section (SectionMutex, SectionEvent) share on Windows: the
// includes their state machines need, and the one check of a state's layout version.
#ifndef SHAREMAP_DETAIL_SECTION_OBJECT_HPP_INCLUDED
#define SHAREMAP_DETAIL_SECTION_OBJECT_HPP_INCLUDED

#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/platform_win32.hpp"
#include "sharemap/detail/section_lock.hpp"
#include "sharemap/errc.hpp"

#include <cstdint>
#include <system_error>

namespace sharemap::detail::section_lock {

/// True, `ec` cleared, if a state that says it has layout version `found` can be used by code of version
/// `expected`; false with errc::incompatible_layout otherwise.
inline bool check_layout(std::uint32_t found, std::uint32_t expected, std::error_code& ec) noexcept {
    if (found != expected) {
        ec = error(errc::incompatible_layout);
        return false;
    }
    ec.clear();
    return true;
}

} // namespace sharemap::detail::section_lock

#endif // SHAREMAP_DETAIL_SECTION_OBJECT_HPP_INCLUDED
