// SPDX-License-Identifier: MIT
// sharemap: the Win32 calls behind File.
#ifndef SHAREMAP_DETAIL_FILE_HPP_INCLUDED
#define SHAREMAP_DETAIL_FILE_HPP_INCLUDED

#include "sharemap/access.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/object.hpp"
#include "sharemap/detail/win32.hpp"
#include "sharemap/file_options.hpp"

#include <cstdint>
#include <system_error>

namespace sharemap::detail::file {

/// CreateFileW. Returns INVALID_HANDLE_VALUE on failure. `existed` tells, for OPEN_ALWAYS, whether the file was there.
inline win32::handle_t open(const wchar_t* path, Access access, win32::dword_t disposition, const FileOptions& options,
                            bool& existed, std::error_code& ec) noexcept {
    const win32::dword_t rights = access == Access::read_write ? win32::generic_read | win32::generic_write
                                                               : win32::generic_read;
    const win32::dword_t share = win32::file_share_read | win32::file_share_write |
                                 (options.shares_delete() ? win32::file_share_delete : 0);
    // Files get the security of their folder; only inheritance is chosen here.
    win32::SecurityAttributes sa{sizeof(win32::SecurityAttributes), nullptr, options.is_inheritable() ? 1 : 0};
    ::SetLastError(win32::error_success);
    win32::handle_t h = ::CreateFileW(path, rights, share, win32::to_sdk(&sa), disposition,
                                      win32::file_attribute_normal, nullptr);
    if (h == win32::invalid_handle_value()) {
        existed = false;
        ec = last_error();
        return h;
    }
    existed = disposition == win32::open_existing || ::GetLastError() == win32::error_already_exists;
    ec.clear();
    return h;
}

/// Whether `h` is a file on disk by its type: GetFileType says FILE_TYPE_DISK (not a pipe, console, device or
/// socket). A directory is FILE_TYPE_DISK too, but CreateFileW opens one only with FILE_FLAG_BACKUP_SEMANTICS, which
/// sharemap never passes: for a handle sharemap opened by path this is the whole check (one call, where
/// is_disk_file's second doubles the kernel requests of an open under Wine). False with errc::not_a_disk_file
/// otherwise, or with the error of a handle that cannot be asked at all.
inline bool is_disk_type(win32::handle_t h, std::error_code& ec) noexcept {
    ::SetLastError(win32::error_success);
    if (::GetFileType(h) != win32::file_type_disk) {
        ec = ::GetLastError() == win32::error_success ? error(errc::not_a_disk_file) : last_error();
        return false;
    }
    return true;
}

/// is_disk_type, and not a directory: the check for a handle from elsewhere (File::adopt).
inline bool is_disk_file(win32::handle_t h, std::error_code& ec) noexcept {
    struct ByHandleFileInformation { // BY_HANDLE_FILE_INFORMATION; only the attributes are read
        win32::dword_t attributes;
        win32::dword_t times[6];
        win32::dword_t volume_serial_number;
        win32::dword_t size_high;
        win32::dword_t size_low;
        win32::dword_t number_of_links;
        win32::dword_t index_high;
        win32::dword_t index_low;
    };
    if (!is_disk_type(h, ec)) {
        return false;
    }
    ByHandleFileInformation info{};
    check_call(::GetFileInformationByHandle(h, reinterpret_cast<::_BY_HANDLE_FILE_INFORMATION*>(&info)), ec);
    if (ec) {
        return false;
    }
    if ((info.attributes & win32::file_attribute_directory) != 0) {
        ec = error(errc::not_a_disk_file);
        return false;
    }
    return true;
}

/// GetFileSize.
inline std::uint64_t size(win32::handle_t h, std::error_code& ec) noexcept {
    win32::dword_t high = 0;
    ::SetLastError(win32::error_success);
    const win32::dword_t low = ::GetFileSize(h, &high);
    if (low == win32::invalid_file_size && ::GetLastError() != win32::error_success) {
        ec = last_error();
        return 0;
    }
    ec.clear();
    return (static_cast<std::uint64_t>(high) << 32) | low;
}

/// SetFilePointer + SetEndOfFile: the file becomes `new_size` bytes long (new bytes read as zero).
inline void resize(win32::handle_t h, std::uint64_t new_size, std::error_code& ec) noexcept {
    long high = static_cast<long>(win32::high_dword(new_size));
    ::SetLastError(win32::error_success);
    const win32::dword_t low = ::SetFilePointer(h, static_cast<long>(win32::low_dword(new_size)), &high,
                                                win32::file_begin);
    if ((low == win32::invalid_file_size && ::GetLastError() != win32::error_success) || ::SetEndOfFile(h) == 0) {
        ec = last_error();
        return;
    }
    ec.clear();
}

/// FlushFileBuffers: everything written to the file (also through mapped views already flushed) reaches the disk.
inline void flush(win32::handle_t h, std::error_code& ec) noexcept {
    if (::FlushFileBuffers(h) == 0) {
        ec = last_error();
        return;
    }
    ec.clear();
}

} // namespace sharemap::detail::file

#endif // SHAREMAP_DETAIL_FILE_HPP_INCLUDED
