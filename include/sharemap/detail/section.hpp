// SPDX-License-Identifier: MIT
// sharemap: the Win32 calls behind FileMapping and MappedView. Public headers call these and never Win32 directly.
#ifndef SHAREMAP_DETAIL_SECTION_HPP_INCLUDED
#define SHAREMAP_DETAIL_SECTION_HPP_INCLUDED

#include "sharemap/access.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/object.hpp"
#include "sharemap/detail/win32.hpp"

#include <cstddef>
#include <cstdint>
#include <system_error>

namespace sharemap::detail::section {

/// The allocation granularity: view offsets and requested addresses must be multiples of it.
inline std::uint64_t granularity() noexcept { return win32::system_info().allocation_granularity; }

/// `size` rounded up to a whole page, as the kernel keeps a pagefile section's size; sizes within a page of 2^64
/// stay as they are (Windows refuses them anyway).
inline std::uint64_t round_to_pages(std::uint64_t size) noexcept {
    const std::uint64_t page = win32::system_info().page_size;
    const std::uint64_t rounded = (size + page - 1) / page * page;
    return rounded >= size ? rounded : size;
}

/// The Win32 value each Access stands for, in one of the three tables below: `read_write`, `copy_on_write` or
/// `read` (also for a value out of range).
inline win32::dword_t by_access(Access access, win32::dword_t read_write, win32::dword_t copy_on_write,
                                win32::dword_t read) noexcept {
    switch (access) {
    case Access::read_write:
        return read_write;
    case Access::copy_on_write:
        return copy_on_write;
    case Access::read:
    default:
        return read;
    }
}

/// Access mask for OpenFileMappingW. SECTION_QUERY is always added so that the section's size can be asked for.
/// A copy-on-write view needs only read access to the section.
inline win32::dword_t open_rights(Access access) noexcept {
    const win32::dword_t read = win32::section_map_read | win32::section_query;
    return by_access(access, read | win32::section_map_write, read, read);
}

/// Page protection of a file-backed section for `access`.
inline win32::dword_t file_protection(Access access) noexcept {
    return by_access(access, win32::page_readwrite, win32::page_writecopy, win32::page_readonly);
}

/// Access argument of MapViewOfFile for a view.
inline win32::dword_t view_rights(Access access) noexcept {
    return by_access(access, win32::file_map_write, win32::file_map_copy, win32::file_map_read);
}

/// CreateFileMappingW. With create_new, an existing object is an error (ERROR_ALREADY_EXISTS, which compares
/// equal to errc::file_exists) and the handle Windows returned to it is closed at once.
///
/// On an existing section CreateFileMappingW asks for STANDARD_RIGHTS_REQUIRED (DELETE, READ_CONTROL, WRITE_DAC,
/// WRITE_OWNER) besides the map and query rights, and takes no desired access (CreateFileMapping2, Windows 10 1803
/// and later, does, but Wine 8 does not export it; NtCreateSection does, but needs the NT path of the session's
/// BaseNamedObjects directory). So where a section's security refuses those rights but grants the ones sharemap maps
/// with, CreateFileMappingW fails with ERROR_ACCESS_DENIED; the section is then opened by name with the least rights
/// `protect` needs (OpenFileMappingW), as open does. The section exists, which is what create_or_open takes
/// (create_new reports ERROR_ALREADY_EXISTS). If that open finds nothing (the section went away in between, or it was
/// the creation that was refused) the create is tried once more; otherwise the create's ERROR_ACCESS_DENIED stands.
/// What remains: where the security grants them, a create_or_open that finds a section still holds the standard
/// rights on its handle, and where it refuses them, the create_or_open takes two calls and is refused once first
/// (which the system's audit log may record).
inline win32::handle_t create(win32::handle_t file, const wchar_t* name, std::uint64_t size, win32::dword_t protect,
                              const CreateOptions& options, Disposition disposition, bool& existed,
                              std::error_code& ec) noexcept {
    const win32::dword_t rights = open_rights(protect == win32::page_readwrite ? Access::read_write : Access::read);
    for (int attempt = 0;; ++attempt) {
        win32::handle_t h = create_object(name, options, disposition, existed, ec, [&](::_SECURITY_ATTRIBUTES* sa) {
            return ::CreateFileMappingW(file, sa, protect, win32::high_dword(size), win32::low_dword(size), name);
        });
        if (h != nullptr || name == nullptr || ec != win32_error(win32::error_access_denied)) {
            return h;
        }
        h = ::OpenFileMappingW(rights, options.is_inheritable() ? 1 : 0, name); // as the create would have made it
        if (h == nullptr) {
            if (::GetLastError() != win32::error_file_not_found || attempt == 1) {
                return nullptr; // `ec` keeps the create's ERROR_ACCESS_DENIED
            }
            continue;
        }
        existed = true;
        if (disposition == Disposition::create_new) {
            ::CloseHandle(h);
            ec = win32_error(win32::error_already_exists);
            return nullptr;
        }
        ec.clear();
        return h;
    }
}

/// OpenFileMappingW with the least rights `access` needs (plus SECTION_QUERY).
inline win32::handle_t open(const wchar_t* name, Access access, std::error_code& ec) noexcept {
    return finish_open(::OpenFileMappingW(open_rights(access), 0, name), ec);
}

/// DuplicateHandle from this process into `target_process` (nullptr: this process) with the rights `access` needs,
/// or the same rights if `access` is nullptr.
inline win32::handle_t duplicate(win32::handle_t h, win32::handle_t target_process, const Access* access,
                                 bool inheritable, std::error_code& ec) noexcept {
    win32::handle_t copy = nullptr;
    const win32::dword_t rights = access != nullptr ? open_rights(*access) : 0;
    const win32::dword_t options = access != nullptr ? 0 : win32::duplicate_same_access;
    win32::handle_t self = ::GetCurrentProcess();
    if (::DuplicateHandle(self, h, target_process != nullptr ? target_process : self, &copy, rights,
                          inheritable ? 1 : 0, options) == 0) {
        ec = last_error();
        return nullptr;
    }
    ec.clear();
    return copy;
}

/// The section's size as the kernel reports it (page-rounded for pagefile sections).
inline std::uint64_t size(win32::handle_t h, std::error_code& ec) noexcept {
    const std::uint64_t n = win32::query_section_size(h);
    if (n == 0) {
        ec = last_error();
        return 0;
    }
    ec.clear();
    return n;
}

/// Whether [address, address + length) lies within the application's address space. Checked before
/// MapViewOfFileEx because some systems (Wine) return the requested pointer for an address beyond it with nothing
/// mapped.
inline bool fits_in_address_space(const void* address, std::size_t length) noexcept {
    const auto first = reinterpret_cast<std::uintptr_t>(address);
    const auto lowest = reinterpret_cast<std::uintptr_t>(win32::system_info().minimum_application_address);
    const auto highest = reinterpret_cast<std::uintptr_t>(win32::system_info().maximum_application_address);
    return first >= lowest && first <= highest && length - 1 <= highest - first;
}

/// MapViewOfFileEx; `offset` must already be a multiple of the granularity. `address` may be nullptr.
inline void* map(win32::handle_t h, Access access, std::uint64_t offset, std::size_t length, void* address,
                 std::error_code& ec) noexcept {
    void* p = ::MapViewOfFileEx(h, view_rights(access), win32::high_dword(offset), win32::low_dword(offset), length,
                                address);
    if (p == nullptr) {
        ec = last_error();
        return nullptr;
    }
    ec.clear();
    return p;
}

/// UnmapViewOfFile, keeping the caller's last-error value.
inline void unmap(void* base) noexcept {
    const win32::LastErrorPreserver keep;
    ::UnmapViewOfFile(base);
}

/// FlushViewOfFile: starts writing the view's dirty pages to the backing file (a no-op for pagefile sections).
inline void flush(const void* data, std::size_t length, std::error_code& ec) noexcept {
    if (::FlushViewOfFile(data, length) == 0) {
        ec = last_error();
        return;
    }
    ec.clear();
}

} // namespace sharemap::detail::section

#endif // SHAREMAP_DETAIL_SECTION_HPP_INCLUDED
