// SPDX-License-Identifier: MIT
// sharemap: File, the owner of a file handle, to map files and share them between processes.
#ifndef SHAREMAP_FILE_HPP_INCLUDED
#define SHAREMAP_FILE_HPP_INCLUDED

#include "sharemap/access.hpp"
#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/file.hpp"
#include "sharemap/detail/object.hpp"
#include "sharemap/detail/unique_handle.hpp"
#include "sharemap/detail/wide_name.hpp"
#include "sharemap/file_options.hpp"
#include "sharemap/name_view.hpp"

#include <cstdint>
#include <system_error>
#include <utility>

namespace sharemap {

/// Move-only owner of an open file (a CreateFileW handle), made to be mapped with FileMapping::from_file.
///
/// Paths are UTF-8 (`std::string_view`, `const char*`), UTF-16 (`std::wstring_view`, `const wchar_t*`) or
/// `std::filesystem::path`, given to CreateFileW as they are. By default other processes may read and write the
/// file at the same time; deleting it while it is open needs FileOptions().share_delete().
class File {
public:
    /// The type of native_handle(): a Win32 HANDLE. An empty File's is INVALID_HANDLE_VALUE, as CreateFileW's.
    using native_handle_type = void*;

    /// An empty File: owns nothing, and every operation fails with ERROR_INVALID_HANDLE.
    File() noexcept = default;
    /// Takes over `other`'s handle; `other` becomes empty.
    File(File&& other) noexcept
        : handle_(std::move(other.handle_)), access_(std::exchange(other.access_, Access::read)),
          existed_(std::exchange(other.existed_, false)) {}
    /// Closes this file's handle, then takes over `other`'s. Self-move leaves the object as it was.
    File& operator=(File&& other) noexcept {
        if (this != &other) {
            handle_ = std::move(other.handle_);
            access_ = std::exchange(other.access_, Access::read);
            existed_ = std::exchange(other.existed_, false);
        }
        return *this;
    }
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    ~File() = default;

    /// Opens an existing file for `access` (read: GENERIC_READ; read_write: GENERIC_READ | GENERIC_WRITE;
    /// copy_on_write needs only read access to the file).
    /// \errors errc::no_such_file_or_directory if it does not exist; errc::permission_denied if access is refused;
    /// errc::device_or_resource_busy (ERROR_SHARING_VIOLATION) if another handle's sharing mode forbids it.
    static File open(NameView path, Access access, const FileOptions& options, std::error_code& ec) noexcept {
        return open_with(path, access, detail::win32::open_existing, options, ec);
    }
    /// open(path, access, {}, ec).
    static File open(NameView path, Access access, std::error_code& ec) noexcept { return open(path, access, {}, ec); }

    /// Creates a new, empty file, opened for reading and writing.
    /// \errors errc::file_exists (ERROR_FILE_EXISTS) if there is already a file at `path`.
    static File create(NameView path, const FileOptions& options, std::error_code& ec) noexcept {
        return open_with(path, Access::read_write, detail::win32::create_new, options, ec);
    }
    /// create(path, {}, ec).
    static File create(NameView path, std::error_code& ec) noexcept { return create(path, {}, ec); }

    /// Opens the file at `path` for reading and writing, creating it empty if there is none; existed() says which.
    /// \errors errc::no_such_file_or_directory if the folder does not exist; errc::permission_denied if access is
    /// refused; errc::device_or_resource_busy if another handle's sharing mode forbids it.
    static File open_or_create(NameView path, const FileOptions& options, std::error_code& ec) noexcept {
        return open_with(path, Access::read_write, detail::win32::open_always, options, ec);
    }
    /// open_or_create(path, {}, ec).
    static File open_or_create(NameView path, std::error_code& ec) noexcept { return open_or_create(path, {}, ec); }

    /// Takes ownership of a file HANDLE received from elsewhere (inherited, duplicated, or from CreateFileW), opened
    /// with `access`. On error the handle is left to the caller, untouched.
    /// \errors ERROR_INVALID_HANDLE if `handle` is not a handle to a file.
    static File adopt(native_handle_type handle, Access access, std::error_code& ec) noexcept {
        if (!detail::win32::is_object_of_type(handle, L"File")) {
            ec = detail::last_error();
            return {};
        }
        ec.clear();
        return File(handle, access, true);
    }

    /// The file's size in bytes. \errors ERROR_INVALID_HANDLE on an empty File; GetFileSize's error.
    std::uint64_t size(std::error_code& ec) const noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return 0;
        }
        return detail::file::size(handle_.get(), ec);
    }

    /// Makes the file `new_size` bytes long; new bytes read as zero. Moves the file pointer to the new end.
    /// \errors ERROR_USER_MAPPED_FILE (1224) when shrinking a file that has a mapping; errc::permission_denied on a
    /// file opened for reading.
    void resize(std::uint64_t new_size, std::error_code& ec) noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return;
        }
        if (access_ != Access::read_write) { // checked here: systems disagree on the code for a read-only handle
            ec = detail::win32_error(detail::win32::error_access_denied);
            return;
        }
        detail::file::resize(handle_.get(), new_size, ec);
    }

    /// Durable flush (FlushFileBuffers): the file's data and metadata reach the disk. Views' dirty pages must first
    /// be written to the file with MappedView::flush, or use MappedView::flush(file, ec) which does both.
    /// \errors ERROR_INVALID_HANDLE on an empty File; errc::permission_denied (ERROR_ACCESS_DENIED) for a file opened
    /// read-only (Windows needs write access to flush it).
    void flush(std::error_code& ec) noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return;
        }
        detail::file::flush(handle_.get(), ec);
    }

    /// Makes the handle inheritable by child processes started with handle inheritance, or not.
    void set_inheritable(bool inheritable, std::error_code& ec) noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return;
        }
        detail::set_inheritable(handle_.get(), inheritable, ec);
    }

    /// Whether the handle is inheritable. \errors ERROR_INVALID_HANDLE on an empty File.
    bool is_inheritable(std::error_code& ec) const noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return false;
        }
        return detail::is_inheritable(handle_.get(), ec);
    }

    /// True if open_or_create found the file already there (always true after open and adopt).
    bool existed() const noexcept { return existed_; }
    /// The access the file was opened with.
    Access access() const noexcept { return access_; }
    /// The Win32 HANDLE, still owned by this object; INVALID_HANDLE_VALUE if empty.
    native_handle_type native_handle() const noexcept { return handle_.get(); }
    /// Gives up ownership: returns the HANDLE (the caller must CloseHandle it) and leaves this object empty.
    native_handle_type release() noexcept {
        access_ = Access::read;
        existed_ = false;
        return handle_.release();
    }
    /// Closes the handle now; the object becomes empty. Mappings made from it stay valid.
    void close() noexcept { *this = File(); }
    /// True if this object owns a file handle.
    explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of open(path, access, options, ec).
    static File open(NameView path, Access access, const FileOptions& options = {}) {
        std::error_code ec;
        return detail::value_or_throw(open(path, access, options, ec), ec, "sharemap::File::open");
    }
    /// Throwing form of create(path, options, ec).
    static File create(NameView path, const FileOptions& options = {}) {
        std::error_code ec;
        return detail::value_or_throw(create(path, options, ec), ec, "sharemap::File::create");
    }
    /// Throwing form of open_or_create(path, options, ec).
    static File open_or_create(NameView path, const FileOptions& options = {}) {
        std::error_code ec;
        return detail::value_or_throw(open_or_create(path, options, ec), ec, "sharemap::File::open_or_create");
    }
    /// Throwing form of adopt(handle, access, ec).
    static File adopt(native_handle_type handle, Access access) {
        std::error_code ec;
        return detail::value_or_throw(adopt(handle, access, ec), ec, "sharemap::File::adopt");
    }
    /// Throwing form of size(ec).
    std::uint64_t size() const {
        std::error_code ec;
        return detail::value_or_throw(size(ec), ec, "sharemap::File::size");
    }
    /// Throwing form of resize(new_size, ec).
    void resize(std::uint64_t new_size) {
        std::error_code ec;
        resize(new_size, ec);
        detail::throw_if(ec, "sharemap::File::resize");
    }
    /// Throwing form of flush(ec).
    void flush() {
        std::error_code ec;
        flush(ec);
        detail::throw_if(ec, "sharemap::File::flush");
    }
    /// Throwing form of set_inheritable(inheritable, ec).
    void set_inheritable(bool inheritable) {
        std::error_code ec;
        set_inheritable(inheritable, ec);
        detail::throw_if(ec, "sharemap::File::set_inheritable");
    }
    /// Throwing form of is_inheritable(ec).
    bool is_inheritable() const {
        std::error_code ec;
        return detail::value_or_throw(is_inheritable(ec), ec, "sharemap::File::is_inheritable");
    }
#endif

private:
    File(detail::win32::handle_t h, Access access, bool existed) noexcept
        : handle_(h), access_(access), existed_(existed) {}

    static File open_with(NameView path, Access access, detail::win32::dword_t disposition, const FileOptions& options,
                          std::error_code& ec) noexcept {
        detail::WideName wide;
        ec = wide.assign(path);
        if (ec) {
            return {};
        }
        bool existed = false;
        detail::win32::handle_t h = detail::file::open(wide.c_str(), access, disposition, options, existed, ec);
        if (ec) {
            return {};
        }
        return File(h, access, existed);
    }

    detail::UniqueHandle<detail::InvalidValueHandlePolicy> handle_;
    Access access_ = Access::read;
    bool existed_ = false;
};

} // namespace sharemap

#endif // SHAREMAP_FILE_HPP_INCLUDED
