// SPDX-License-Identifier: MIT
// sharemap: FileOptions, how File opens or creates a file.
#ifndef SHAREMAP_FILE_OPTIONS_HPP_INCLUDED
#define SHAREMAP_FILE_OPTIONS_HPP_INCLUDED

#include "sharemap/detail/inheritable_option.hpp"

namespace sharemap {

/// Options for File::open, File::create and File::open_or_create. By default other processes may open the file for
/// reading and writing at the same time (that is what sharing a file means), but may not delete or rename it while
/// it is open. Set what you need by chaining: `sharemap::FileOptions().share_delete().inheritable()`.
class FileOptions : public detail::InheritableOption<FileOptions> {
public:
    /// Lets others delete or rename the file while this handle is open (FILE_SHARE_DELETE), or not.
    FileOptions& share_delete(bool value = true) noexcept {
        share_delete_ = value;
        return *this;
    }
    /// Whether others may delete or rename the file while it is open.
    bool shares_delete() const noexcept { return share_delete_; }

private:
    bool share_delete_ = false;
};

} // namespace sharemap

#endif // SHAREMAP_FILE_OPTIONS_HPP_INCLUDED
