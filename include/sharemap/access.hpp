// SPDX-License-Identifier: MIT
// sharemap: Access, what a handle or a view may do with the memory.
#ifndef SHAREMAP_ACCESS_HPP_INCLUDED
#define SHAREMAP_ACCESS_HPP_INCLUDED

namespace sharemap {

/// What a process may do with a section or one of its views.
///
/// For FileMapping::open it is the access the handle is opened with (the least that is asked for: a handle opened
/// with `read` can never map for writing). For FileMapping::map it is the access of the view.
enum class Access {
    /// Read only. Writing through such a view is an access violation (a crash), not an error code.
    read,
    /// Read and write; writes are seen by every other view of the section, in every process.
    read_write,
    /// Read, and write privately: pages written through this view become the process's own copies and are never
    /// seen by other views, other processes or the backing file. Needs only read access to the section.
    copy_on_write,
};

} // namespace sharemap

#endif // SHAREMAP_ACCESS_HPP_INCLUDED
