// SPDX-License-Identifier: MIT
// sharemap: FileOptions, how File opens or creates a file.
#ifndef SHAREMAP_FILE_OPTIONS_HPP_INCLUDED
#define SHAREMAP_FILE_OPTIONS_HPP_INCLUDED

namespace sharemap {

/// Options for File::open, File::create and File::open_or_create. By default other processes may open the file for
/// reading and writing at the same time (that is what sharing a file means), but may not delete or rename it while
/// it is open.
struct FileOptions {
    /// The handle is inherited by child processes started with handle inheritance.
    bool inheritable = false;
    /// Others may delete or rename the file while this handle is open (FILE_SHARE_DELETE).
    bool share_delete = false;
};

} // namespace sharemap

#endif // SHAREMAP_FILE_OPTIONS_HPP_INCLUDED
