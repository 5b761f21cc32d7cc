// SPDX-License-Identifier: MIT
// sharemap: File, the owner of a file handle, to map files and share them between processes.
#ifndef SHAREMAP_FILE_HPP_INCLUDED
#define SHAREMAP_FILE_HPP_INCLUDED

#include "sharemap/access.hpp"
#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/file.hpp"
#include "sharemap/detail/kernel_object.hpp"
#include "sharemap/errc.hpp"
#include "sharemap/file_options.hpp"
#include "sharemap/name_view.hpp"

#include <cstdint>
#include <system_error>
#include <utility>

// Defines helper macros for this header's class; throwing_forms_end.hpp at the end takes them back.
#include "sharemap/detail/throwing_forms_begin.hpp"

namespace sharemap {

/// Move-only owner of an open file (a CreateFileW handle), made to be mapped with FileMapping::from_file.
///
/// Paths are UTF-8 (`std::string_view`, `const char*`), UTF-16 (`std::wstring_view`, `const wchar_t*`) or
/// `std::filesystem::path`, given to CreateFileW as they are. By default other processes may read and write the
/// file at the same time; deleting it while it is open needs FileOptions().share_delete().
class [[nodiscard]] File : public detail::KernelObject<File, detail::InvalidValueHandlePolicy> {
public:
    /// An empty File: owns nothing, and every operation fails with ERROR_INVALID_HANDLE. Its native_handle() is
    /// INVALID_HANDLE_VALUE, as CreateFileW's failure value.
    File() noexcept = default;
    // NOLINTBEGIN(bugprone-use-after-move): the moves below take only the KernelObject base from `other`;
    // its own members are taken after, separately.
    /// Takes over `other`'s handle; `other` becomes empty.
    File(File&& other) noexcept : KernelObject(std::move(other)), access_(std::exchange(other.access_, Access::read)) {}
    /// Closes this file's handle, then takes over `other`'s. Self-move leaves the object as it was.
    File& operator=(File&& other) noexcept {
        if (this != &other) {
            KernelObject::operator=(std::move(other));
            access_ = std::exchange(other.access_, Access::read);
        }
        return *this;
    }
    // NOLINTEND(bugprone-use-after-move)
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    /// Closes the handle. Mappings made from the file stay valid.
    ~File() = default;

    /// Opens an existing file for `access` (read: GENERIC_READ; read_write: GENERIC_READ | GENERIC_WRITE;
    /// copy_on_write needs only read access to the file).
    /// \errors errc::not_found if it does not exist; errc::permission_denied if access is refused;
    /// errc::sharing_violation (ERROR_SHARING_VIOLATION) if another handle's sharing mode forbids it;
    /// errc::not_a_disk_file for the name of a character device or a pipe ("NUL", "CON", "\\.\pipe\..."), which
    /// CreateFileW opens too (a pipe's server sees a client connect) and which is closed again at once.
    static File open(NameView path, Access access, const FileOptions& options, std::error_code& ec) noexcept {
        return open_with(path, access, detail::win32::open_existing, options, ec);
    }
    /// open(path, access, {}, ec).
    static File open(NameView path, Access access, std::error_code& ec) noexcept { return open(path, access, {}, ec); }

    /// Creates a new, empty file, opened for reading and writing.
    /// \errors std::errc::file_exists (ERROR_FILE_EXISTS) if there is already a file at `path`; errc::not_a_disk_file
    /// as open().
    static File create(NameView path, const FileOptions& options, std::error_code& ec) noexcept {
        return open_with(path, Access::read_write, detail::win32::create_new, options, ec);
    }
    /// create(path, {}, ec).
    static File create(NameView path, std::error_code& ec) noexcept { return create(path, {}, ec); }

    /// Opens the file at `path` for reading and writing, creating it empty if there is none; existed() says which.
    /// \errors errc::not_found if the folder does not exist; errc::permission_denied if access is refused;
    /// errc::sharing_violation if another handle's sharing mode forbids it; errc::not_a_disk_file as open().
    static File open_or_create(NameView path, const FileOptions& options, std::error_code& ec) noexcept {
        return open_with(path, Access::read_write, detail::win32::open_always, options, ec);
    }
    /// open_or_create(path, {}, ec).
    static File open_or_create(NameView path, std::error_code& ec) noexcept { return open_or_create(path, {}, ec); }

    /// Takes ownership of a HANDLE to a file on disk received from elsewhere (inherited, duplicated, or from
    /// CreateFileW), opened with `access`. On error the handle is left to the caller, untouched.
    /// \errors ERROR_INVALID_HANDLE if `handle` is not a handle to a file; sharemap::errc::not_a_disk_file for a pipe,
    /// console, socket or directory handle, which CreateFileW also returns but which cannot be mapped or resized.
    static File adopt(native_handle_type handle, Access access, std::error_code& ec) noexcept {
        if (!detail::win32::is_object_of_type(handle, L"File")) {
            ec = detail::last_error();
            return {};
        }
        if (!detail::file::is_disk_file(handle, ec)) {
            return {};
        }
        return File(handle, access, true);
    }

    /// The file's size in bytes. \errors ERROR_INVALID_HANDLE on an empty File; GetFileSize's error.
    [[nodiscard]] std::uint64_t size(std::error_code& ec) const noexcept {
        return check(ec) ? detail::file::size(handle(), ec) : 0;
    }

    /// Makes the file `new_size` bytes long; new bytes read as zero. Moves the file pointer to the new end.
    /// \errors ERROR_USER_MAPPED_FILE (1224) when shrinking a file that has a mapping; errc::permission_denied on a
    /// file opened for reading.
    void resize(std::uint64_t new_size, std::error_code& ec) const noexcept {
        if (!check(ec)) {
            return;
        }
        if (access_ != Access::read_write) { // checked here: systems disagree on the code for a read-only handle
            ec = detail::win32_error(detail::win32::error_access_denied);
            return;
        }
        detail::file::resize(handle(), new_size, ec);
    }

    /// Durable flush (FlushFileBuffers): the file's data and metadata reach the disk. Views' dirty pages must first
    /// be written to the file with MappedView::flush, or use MappedView::flush(file, ec) which does both.
    /// \errors ERROR_INVALID_HANDLE on an empty File; errc::permission_denied (ERROR_ACCESS_DENIED) for a file opened
    /// read-only (Windows needs write access to flush it).
    void flush(std::error_code& ec) const noexcept {
        if (check(ec)) {
            detail::file::flush(handle(), ec);
        }
    }

    /// The access the file was opened with.
    [[nodiscard]] Access access() const noexcept { return access_; }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of open(path, access, options, ec).
    static File open(NameView path, Access access, const FileOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::path_call(type_name, "open", path, access),
                                           open(path, access, options, ec));
    }
    /// Throwing form of create(path, options, ec).
    static File create(NameView path, const FileOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::path_call(type_name, "create", path), create(path, options, ec));
    }
    /// Throwing form of open_or_create(path, options, ec).
    static File open_or_create(NameView path, const FileOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::path_call(type_name, "open_or_create", path),
                                           open_or_create(path, options, ec));
    }
    /// Throwing form of adopt(handle, access, ec).
    static File adopt(native_handle_type handle, Access access) {
        return SHAREMAP_DETAIL_OR_THROW(adopt(handle, access, ec));
    }
    /// Throwing form of size(ec).
    [[nodiscard]] std::uint64_t size() const { return SHAREMAP_DETAIL_OR_THROW(size(ec)); }
    /// Throwing form of resize(new_size, ec).
    void resize(std::uint64_t new_size) const { SHAREMAP_DETAIL_OR_THROW(resize(new_size, ec)); }
    /// Throwing form of flush(ec).
    void flush() const { SHAREMAP_DETAIL_OR_THROW(flush(ec)); }
#endif

private:
    friend class detail::KernelObject<File, detail::InvalidValueHandlePolicy>;
    static constexpr const char* type_name = "sharemap::File";

    File(detail::win32::handle_t h, Access access, bool existed) noexcept : KernelObject(h, existed), access_(access) {}

    File copy_with(detail::win32::handle_t h) const noexcept { return File(h, access_, existed()); }

    static File open_with(NameView path, Access access, detail::win32::dword_t disposition, const FileOptions& options,
                          std::error_code& ec) noexcept {
        bool existed = false;
        detail::win32::handle_t h = detail::with_name(path, ec, [&](const wchar_t* p) {
            return detail::file::open(p, access, disposition, options, existed, ec);
        });
        if (ec) {
            return {};
        }
        File file(h, access, existed);
        // CreateFileW opens devices and pipes too ("NUL", "\\.\pipe\x"), which cannot be mapped or resized.
        return detail::file::is_disk_type(h, ec) ? std::move(file) : File();
    }

    Access access_ = Access::read;
};

} // namespace sharemap

#include "sharemap/detail/throwing_forms_end.hpp"

#endif // SHAREMAP_FILE_HPP_INCLUDED
