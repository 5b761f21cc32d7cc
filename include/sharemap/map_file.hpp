// SPDX-License-Identifier: MIT
// sharemap: map_file, a whole file mapped in one call.
#ifndef SHAREMAP_MAP_FILE_HPP_INCLUDED
#define SHAREMAP_MAP_FILE_HPP_INCLUDED

#include "sharemap/access.hpp"
#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/file.hpp"
#include "sharemap/file_mapping.hpp"
#include "sharemap/mapped_view.hpp"
#include "sharemap/name_view.hpp"

#include <system_error>

namespace sharemap {

/// Maps the whole existing file at `path` in one call: Access::read to read it, read_write to change it in place,
/// copy_on_write for private changes. The file and section handles are closed before returning; the view keeps
/// what it needs alive. Nothing is flushed behind your back: call view.flush() to push writes towards the file (for
/// durability, map with File and FileMapping and use MappedView::flush(file)).
/// \errors as File::open, FileMapping::from_file (ERROR_FILE_INVALID for an empty file) and FileMapping::map.
inline MappedView map_file(NameView path, Access access, std::error_code& ec) noexcept {
    const File file = File::open(path, access, ec);
    if (ec) {
        return {};
    }
    const FileMapping mapping = FileMapping::from_file(file, access, 0, ec);
    if (ec) {
        return {};
    }
    return mapping.map(access, 0, 0, ec);
}

#if SHAREMAP_HAS_EXCEPTIONS
/// Throwing form of map_file(path, access, ec).
inline MappedView map_file(NameView path, Access access) {
    return detail::or_throw(detail::path_call("sharemap::map_file", nullptr, path, access),
                            [&](auto& ec) { return map_file(path, access, ec); });
}
#endif

} // namespace sharemap

#endif // SHAREMAP_MAP_FILE_HPP_INCLUDED
