// SPDX-License-Identifier: MIT
// sharemap: FileMapping, the owner of a file mapping object (a section).
#ifndef SHAREMAP_FILE_MAPPING_HPP_INCLUDED
#define SHAREMAP_FILE_MAPPING_HPP_INCLUDED

#include "sharemap/access.hpp"
#include "sharemap/create_options.hpp"
#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/kernel_object.hpp"
#include "sharemap/detail/object.hpp"
#include "sharemap/detail/section.hpp"
#include "sharemap/file.hpp"
#include "sharemap/mapped_view.hpp"
#include "sharemap/name_view.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

// Defines helper macros for this header's class; throwing_forms_end.hpp at the end takes them back.
#include "sharemap/detail/throwing_forms_begin.hpp"

namespace sharemap {

/// The type of accept_existing_size.
struct AcceptExistingSize {
    /// What accept_existing_size is made from; not for callers.
    struct Tag {};
    /// Made from a Tag only, so that `{}` in the options' place never means it (as std::nullopt_t).
    explicit constexpr AcceptExistingSize(Tag) noexcept {}
};

/// Tells FileMapping::create_or_open to take an existing section of any size, even one smaller than the size asked
/// for (by default that is errc::size_too_small): `FileMapping::create_or_open(name, 1 << 20, accept_existing_size)`.
/// size() then says how large the section is.
inline constexpr AcceptExistingSize accept_existing_size{AcceptExistingSize::Tag{}};

/// Move-only owner of a file mapping object (a "section"): memory that several processes can map.
///
/// A section lives until the last handle to it, in every process, is closed and its last view is unmapped. Its
/// name lives only as long as some handle is open: once the last handle is closed, open() fails with
/// std::errc::no_such_file_or_directory even while views still show the memory.
/// Sections made by create, create_or_open and create_unnamed are backed by the paging file and start zero-filled.
///
/// **One size.** size() is the section's size as the kernel keeps it, the same in every process and through every
/// handle: for a section backed by the paging file, the size asked for rounded up to a whole page (create(name,
/// 5000) has size() 8192 for its creator and for everyone who opens it); for a file-backed section, the exact
/// number of bytes.
///
/// Every operation comes in two forms, as in std::filesystem: one that throws std::system_error, and a noexcept
/// one that takes a std::error_code&. Errors from Windows carry the Win32 code in std::system_category(); errors
/// sharemap detects itself are sharemap::errc codes. Either compares equal to a sharemap::errc condition
/// (ERROR_ALREADY_EXISTS == errc::already_exists, ERROR_FILE_NOT_FOUND == errc::not_found, ERROR_ACCESS_DENIED ==
/// errc::permission_denied) under every standard library; docs/errors.md says which std::errc comparisons hold
/// under all three. A failed call changes nothing and leaks nothing.
class [[nodiscard]] FileMapping : public detail::KernelObject<FileMapping> {
public:
    /// An empty FileMapping: owns nothing, `bool(*this)` is false, and every operation fails with
    /// ERROR_INVALID_HANDLE.
    FileMapping() noexcept = default;

    // NOLINTBEGIN(bugprone-use-after-move): the moves below take only the KernelObject base from `other`;
    // its own members are taken after, separately.
    /// Takes over `other`'s section; `other` becomes empty.
    FileMapping(FileMapping&& other) noexcept
        : KernelObject(std::move(other)), size_(std::exchange(other.size_, 0)),
          access_(std::exchange(other.access_, Access::read)) {}
    /// Closes this section's handle, then takes over `other`'s. Self-move leaves the object as it was.
    FileMapping& operator=(FileMapping&& other) noexcept {
        if (this != &other) {
            KernelObject::operator=(std::move(other));
            size_ = std::exchange(other.size_, 0);
            access_ = std::exchange(other.access_, Access::read);
        }
        return *this;
    }
    // NOLINTEND(bugprone-use-after-move)
    FileMapping(const FileMapping&) = delete;
    FileMapping& operator=(const FileMapping&) = delete;
    /// Closes the handle. Views already mapped stay valid.
    ~FileMapping() = default;

    using KernelObject::duplicate;
    using KernelObject::duplicate_into;

    /// The largest size create, create_or_open and create_unnamed accept: 128 TiB (2^47 bytes), the user address
    /// space of a 64-bit Windows process. A larger section could never be mapped whole, and is refused before
    /// Windows is asked (some Windows versions, and Wine, would create it and report that size).
    static constexpr std::uint64_t max_size = std::uint64_t{1} << 47;

    /// Creates a new named section of `size` bytes backed by the paging file (size() is `size` rounded up to a
    /// whole page).
    ///
    /// \errors std::errc::file_exists if the name is in use (the handle Windows returned to the existing object is
    /// closed: an object someone else made is never used silently); errc::invalid_argument for size 0, a size
    /// above max_size or an empty name; std::errc::illegal_byte_sequence for a name that is not valid UTF-8; a Win32
    /// error otherwise (ERROR_INVALID_HANDLE if the name belongs to another kind of object, such as a mutex).
    static FileMapping create(NameView name, std::uint64_t size, const CreateOptions& options,
                              std::error_code& ec) noexcept {
        return create_pagefile(name, size, options, detail::Disposition::create_new, ec);
    }
    /// create(name, size, {}, ec).
    static FileMapping create(NameView name, std::uint64_t size, std::error_code& ec) noexcept {
        return create(name, size, {}, ec);
    }

    /// Creates the named section, or opens it if it exists, atomically; existed() says which happened. An existing
    /// section keeps its own size, which size() reports; it must hold at least `size` bytes, so that whoever comes
    /// first, every process gets what it asked for. To take an existing section of any size, pass
    /// accept_existing_size.
    /// \errors as create, except that an existing section is not an error; sharemap::errc::size_too_small if the
    /// existing section is smaller than `size` (the handle to it is closed).
    static FileMapping create_or_open(NameView name, std::uint64_t size, const CreateOptions& options,
                                      std::error_code& ec) noexcept {
        return create_pagefile(name, size, options, detail::Disposition::create_or_open, ec, true);
    }
    /// create_or_open(name, size, {}, ec).
    static FileMapping create_or_open(NameView name, std::uint64_t size, std::error_code& ec) noexcept {
        return create_or_open(name, size, {}, ec);
    }
    /// Like create_or_open(name, size, options, ec), but an existing section of any size is taken, even one smaller
    /// than `size`; size() says how large it is. `size` is the size of a section this call creates.
    static FileMapping create_or_open(NameView name, std::uint64_t size, AcceptExistingSize,
                                      const CreateOptions& options, std::error_code& ec) noexcept {
        return create_pagefile(name, size, options, detail::Disposition::create_or_open, ec, false);
    }
    /// create_or_open(name, size, accept_existing_size, {}, ec).
    static FileMapping create_or_open(NameView name, std::uint64_t size, AcceptExistingSize accept,
                                      std::error_code& ec) noexcept {
        return create_or_open(name, size, accept, {}, ec);
    }

    /// Opens an existing named section with the least rights `access` needs (plus SECTION_QUERY, for size()).
    /// \errors std::errc::no_such_file_or_directory if no object has that name; errc::permission_denied if the
    /// section's security refuses `access`; ERROR_INVALID_HANDLE if the name belongs to another kind of object.
    static FileMapping open(NameView name, Access access, std::error_code& ec) noexcept {
        return FileMapping(
            detail::with_name(name, ec, [&](const wchar_t* n) { return detail::section::open(n, access, ec); }), 0,
            access, true);
    }

    /// Creates an unnamed section of `size` bytes backed by the paging file. No other process can reach it by
    /// name; it is shared only by handing its handle to another process (Process::start or duplicate_into).
    /// \errors errc::invalid_argument for size 0 or a size above max_size; a Win32 error otherwise.
    static FileMapping create_unnamed(std::uint64_t size, const CreateOptions& options, std::error_code& ec) noexcept {
        return create_pagefile(std::nullopt, size, options, detail::Disposition::create_new, ec);
    }
    /// create_unnamed(size, {}, ec).
    static FileMapping create_unnamed(std::uint64_t size, std::error_code& ec) noexcept {
        return create_unnamed(size, {}, ec);
    }

    /// Creates an unnamed section backed by `file`, of `size` bytes (0: the file's size; larger than the file grows
    /// the file, which needs a file opened for writing). `access` is the most any view may have: read needs the file
    /// opened for reading, read_write for writing, and copy_on_write gives private writable views of a file opened
    /// only for reading.
    /// \errors ERROR_FILE_INVALID (1006) for an empty file with size 0; errc::permission_denied if `access` needs
    /// more than the file was opened with; errc::not_enough_memory if a read-only file is asked to grow;
    /// ERROR_INVALID_HANDLE for an empty File.
    static FileMapping from_file(const File& file, Access access, std::uint64_t size, const CreateOptions& options,
                                 std::error_code& ec) noexcept {
        return create_from_file(file, std::nullopt, access, size, options, ec);
    }
    /// from_file(file, access, size, {}, ec).
    static FileMapping from_file(const File& file, Access access, std::uint64_t size, std::error_code& ec) noexcept {
        return from_file(file, access, size, {}, ec);
    }

    /// Creates a named section backed by `file`, which other processes can open by `name`; as the unnamed
    /// from_file, and as create: a name already in use is std::errc::file_exists.
    static FileMapping from_file(const File& file, NameView name, Access access, std::uint64_t size,
                                 const CreateOptions& options, std::error_code& ec) noexcept {
        return create_from_file(file, name, access, size, options, ec);
    }
    /// from_file(file, name, access, size, {}, ec).
    static FileMapping from_file(const File& file, NameView name, Access access, std::uint64_t size,
                                 std::error_code& ec) noexcept {
        return from_file(file, name, access, size, {}, ec);
    }

    /// Takes ownership of a section HANDLE received from another process (inherited, or duplicated into this one)
    /// or from raw Win32 code. `access` is what the handle allows and map()'s default. On error the handle is left
    /// to the caller, untouched. size(), and map() with length 0, ask the kernel for the section's size, which
    /// needs SECTION_QUERY on the handle: sharemap's own handles always have it; for a handle opened elsewhere
    /// without it (OpenFileMappingW(FILE_MAP_READ)), they fail with errc::permission_denied, so give map() an
    /// explicit length.
    /// \errors ERROR_INVALID_HANDLE if `handle` is not a handle to a section.
    static FileMapping adopt(native_handle_type handle, Access access, std::error_code& ec) noexcept {
        if (!detail::win32::is_object_of_type(handle, L"Section")) {
            ec = detail::last_error();
            return {};
        }
        ec.clear();
        return FileMapping(handle, 0, access, true);
    }

    /// A second handle to the same section in this process, with only the rights `access` needs (e.g. read, to give
    /// code that must not write). \errors ERROR_INVALID_HANDLE on an empty FileMapping; DuplicateHandle's error.
    FileMapping duplicate(Access access, std::error_code& ec) const noexcept {
        if (!check(ec)) {
            return {};
        }
        detail::win32::handle_t h = detail::section::duplicate(handle(), nullptr, &access, false, ec);
        return FileMapping(h, size_, access, existed());
    }

    /// Duplicates the handle into another process (`process`: a process HANDLE with PROCESS_DUP_HANDLE) with only
    /// the rights `access` needs. Returns the handle's value in that process, which has to learn it (command line,
    /// pipe, shared memory) and take it with adopt(). This process keeps its own handle.
    /// \errors ERROR_INVALID_HANDLE on an empty FileMapping or a null `process`; errc::permission_denied if
    /// `process` lacks PROCESS_DUP_HANDLE; DuplicateHandle's error otherwise.
    [[nodiscard]] native_handle_type duplicate_into(void* process, Access access, std::error_code& ec) const noexcept {
        if (!check(ec)) {
            return nullptr;
        }
        if (process == nullptr) {
            ec = detail::empty_object_error();
            return nullptr;
        }
        return detail::section::duplicate(handle(), process, &access, false, ec);
    }

    /// Maps `length` bytes starting `offset` bytes into the section, with `access`.
    ///
    /// `offset` may be any byte: the view starts at the offset rounded down to the allocation granularity and
    /// data() points at the byte asked for. `length` 0 means "to the end of the section".
    /// \errors errc::invalid_argument if the offset is at or past the end, or the view would run past the end;
    /// errc::not_enough_memory if the view cannot fit in the address space; errc::permission_denied if the handle
    /// does not allow `access`; ERROR_INVALID_HANDLE on an empty FileMapping.
    MappedView map(Access access, std::uint64_t offset, std::size_t length, std::error_code& ec) const noexcept {
        return map_impl(nullptr, access, offset, length, ec);
    }

    /// Like map, but the view starts at `address` (MapViewOfFileEx), so that pointers stored inside the section can
    /// be valid in every process that maps it there. `address` must be a multiple of allocation_granularity()
    /// and free in this process; with an unaligned `offset`, data() is `address` plus the offset's distance from the
    /// granularity boundary below it.
    /// \errors errc::invalid_argument for a null `address` (use map to let Windows choose); ERROR_MAPPED_ALIGNMENT
    /// (1132) for an unaligned address; ERROR_INVALID_ADDRESS (487) if the range is in use or beyond the
    /// application's address space; as map otherwise.
    MappedView map_at(void* address, Access access, std::uint64_t offset, std::size_t length,
                      std::error_code& ec) const noexcept {
        if (*this && address == nullptr) { // an empty FileMapping reports that first, as every operation does
            ec = detail::errc_error(std::errc::invalid_argument);
            return {};
        }
        return map_impl(address, access, offset, length, ec);
    }

    /// Maps the whole section with the access the handle was created or opened with. \errors as map(access, offset,
    /// length, ec).
    MappedView map(std::error_code& ec) const noexcept { return map(access_, 0, 0, ec); }

    /// The section's size in bytes, the same for every process and handle (see the class notes). Known without
    /// asking for a section this object created; otherwise the kernel is asked (NtQuerySection) on each call.
    /// \errors ERROR_INVALID_HANDLE on an empty FileMapping; errc::permission_denied for an adopted handle without
    /// SECTION_QUERY; the error of NtQuerySection otherwise.
    [[nodiscard]] std::uint64_t size(std::error_code& ec) const noexcept {
        if (!check(ec)) {
            return 0;
        }
        if (size_ != 0) {
            ec.clear();
            return size_;
        }
        return detail::section::size(handle(), ec);
    }

    /// The access the handle was created or opened with, and the default access of map().
    [[nodiscard]] Access access() const noexcept { return access_; }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of create(name, size, options, ec).
    static FileMapping create(NameView name, std::uint64_t size, const CreateOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::named_call(type_name, "create", name, size),
                                           create(name, size, options, ec));
    }
    /// Throwing form of create_or_open(name, size, options, ec).
    static FileMapping create_or_open(NameView name, std::uint64_t size, const CreateOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW_AS(
            [&](const std::error_code& ec) { return describe_create_or_open(name, size, ec); },
            create_or_open(name, size, options, ec));
    }
    /// Throwing form of create_or_open(name, size, accept_existing_size, options, ec).
    static FileMapping create_or_open(NameView name, std::uint64_t size, AcceptExistingSize accept,
                                      const CreateOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW_AS(
            detail::named_call(type_name, "create_or_open", name, size, "accept_existing_size"),
            create_or_open(name, size, accept, options, ec));
    }
    /// Throwing form of open(name, access, ec).
    static FileMapping open(NameView name, Access access) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::named_call(type_name, "open", name, access), open(name, access, ec));
    }
    /// Throwing form of create_unnamed(size, options, ec).
    static FileMapping create_unnamed(std::uint64_t size, const CreateOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::object_call(type_name, "create_unnamed", size),
                                           create_unnamed(size, options, ec));
    }
    /// Throwing form of from_file(file, access, size, options, ec).
    static FileMapping from_file(const File& file, Access access, std::uint64_t size = 0,
                                 const CreateOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::object_call(type_name, "from_file", "file", access, size),
                                           from_file(file, access, size, options, ec));
    }
    /// Throwing form of from_file(file, name, access, size, options, ec).
    static FileMapping from_file(const File& file, NameView name, Access access, std::uint64_t size = 0,
                                 const CreateOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW_AS(detail::named_call(type_name, "from_file", name, "file", access, size),
                                           from_file(file, name, access, size, options, ec));
    }
    /// Throwing form of adopt(handle, access, ec).
    static FileMapping adopt(native_handle_type handle, Access access) {
        return SHAREMAP_DETAIL_OR_THROW(adopt(handle, access, ec));
    }
    /// Throwing form of duplicate(access, ec).
    FileMapping duplicate(Access access) const { return SHAREMAP_DETAIL_OR_THROW(duplicate(access, ec)); }
    /// Throwing form of duplicate_into(process, access, ec).
    [[nodiscard]] native_handle_type duplicate_into(void* process, Access access) const {
        return SHAREMAP_DETAIL_OR_THROW(duplicate_into(process, access, ec));
    }
    /// Throwing form of map(access, offset, length, ec).
    MappedView map(Access access, std::uint64_t offset = 0, std::size_t length = 0) const {
        return SHAREMAP_DETAIL_OR_THROW_AS(
            [&](const std::error_code& ec) { return describe_map("map", access, offset, length, ec); },
            map(access, offset, length, ec));
    }
    /// Throwing form of map_at(address, access, offset, length, ec).
    MappedView map_at(void* address, Access access, std::uint64_t offset = 0, std::size_t length = 0) const {
        return SHAREMAP_DETAIL_OR_THROW_AS(
            [&](const std::error_code& ec) {
                return describe_map("map_at", access, offset, length, ec, address == nullptr);
            },
            map_at(address, access, offset, length, ec));
    }
    /// Throwing form of map(ec): the whole section with the handle's access.
    MappedView map() const { return map(access_, 0, 0); }
    /// Throwing form of size(ec).
    [[nodiscard]] std::uint64_t size() const { return SHAREMAP_DETAIL_OR_THROW(size(ec)); }
#endif

private:
    friend class detail::KernelObject<FileMapping>;
    static constexpr const char* type_name = "sharemap::FileMapping";

    FileMapping(detail::win32::handle_t h, std::uint64_t size, Access access, bool existed) noexcept
        : KernelObject(h, existed), size_(h != nullptr ? size : 0), access_(access) {}

    FileMapping copy_with(detail::win32::handle_t h) const noexcept {
        return FileMapping(h, size_, access_, existed());
    }

    // create, create_or_open and create_unnamed (a null name). The kernel keeps a pagefile section's size in whole
    // pages, so that is the size recorded here, and the one every opener is told.
    // `at_least`: an existing section smaller than `size` is errc::size_too_small.
    static FileMapping create_pagefile(std::optional<NameView> name, std::uint64_t size, const CreateOptions& options,
                                       detail::Disposition disposition, std::error_code& ec,
                                       bool at_least = false) noexcept {
        if (size == 0 || size > max_size) {
            ec = detail::errc_error(std::errc::invalid_argument);
            return {};
        }
        bool existed = false;
        const auto create = [&](const wchar_t* n) {
            return detail::section::create(detail::win32::invalid_handle_value(), n, size,
                                           detail::win32::page_readwrite, options, disposition, existed, ec);
        };
        detail::win32::handle_t h = detail::with_optional_name(name, ec, create);
        // An existing section keeps its own size, so it is asked for when needed rather than assumed.
        FileMapping mapping(h, existed ? 0 : detail::section::round_to_pages(size), Access::read_write, existed);
        if (existed && at_least) {
            const std::uint64_t found = detail::section::size(mapping.handle(), ec);
            if (ec) {
                return {};
            }
            if (found < size) {
                ec = detail::error(errc::size_too_small); // `mapping` closes the handle to the existing section
                return {};
            }
        }
        return mapping;
    }

#if SHAREMAP_HAS_EXCEPTIONS
    // The message of a failed create_or_open; for a section that is too small, both sizes (the existing one is
    // asked again here, on the throwing path only).
    static std::string describe_create_or_open(NameView name, std::uint64_t size, const std::error_code& ec) {
        std::string text = detail::named_call(type_name, "create_or_open", name, size)(ec);
        if (ec == errc::size_too_small) {
            std::error_code open_ec;
            const FileMapping existing = open(name, Access::read, open_ec);
            const std::uint64_t found = open_ec ? 0 : existing.size(open_ec);
            text += ": the existing section has ";
            text += open_ec ? std::string("fewer") : std::to_string(found);
            text += " bytes, fewer than the " + std::to_string(size) +
                    " asked for; ask for no more than it has, or pass sharemap::accept_existing_size to take it "
                    "whatever its size";
        }
        return text;
    }

    // The message of a failed map or map_at: the view asked for and what made it invalid (a null address, or a
    // range past the end, with the section's size).
    std::string describe_map(const char* member, Access access, std::uint64_t offset, std::size_t length,
                             const std::error_code& ec, bool null_address = false) const {
        std::string text = detail::object_call(type_name, member, access, detail::Labeled{"offset", offset},
                                               detail::Labeled{"length", length})(ec);
        if (ec != std::errc::invalid_argument || !*this) {
            return text;
        }
        if (null_address) {
            return text + ": the address is null (map lets Windows choose one)";
        }
        std::error_code size_ec;
        const std::uint64_t n = size(size_ec);
        if (!size_ec && offset >= n) {
            text += ": the section has " + std::to_string(n) + " bytes, and the offset is at or past its end";
        } else if (!size_ec && length > n - offset) { // length 0 maps to the end: never past it
            text += ": the section has " + std::to_string(n) + " bytes, and the view would end at byte " +
                    std::to_string(offset + length) + ", past its end";
        }
        return text;
    }
#endif

    static FileMapping create_from_file(const File& file, std::optional<NameView> name, Access access,
                                        std::uint64_t size, const CreateOptions& options,
                                        std::error_code& ec) noexcept {
        if (!file) {
            ec = detail::empty_object_error();
            return {};
        }
        bool existed = false;
        const auto create = [&](const wchar_t* n) {
            return detail::section::create(file.native_handle(), n, size, detail::section::file_protection(access),
                                           options, detail::Disposition::create_new, existed, ec);
        };
        detail::win32::handle_t h = detail::with_optional_name(name, ec, create);
        // Size 0 means "the file's size", which the kernel reports exactly for a file-backed section when asked.
        return FileMapping(h, size, access, false);
    }

    MappedView map_impl(void* address, Access access, std::uint64_t offset, std::size_t length,
                        std::error_code& ec) const noexcept {
        if (!check(ec)) {
            return {};
        }
        const std::uint64_t delta = offset % detail::section::granularity();
        std::uint64_t section_size = size_;
        if (length == 0 || section_size != 0) {
            section_size = size(ec); // known sizes cost nothing; sections opened by name are asked here
            if (ec) {
                return {};
            }
            if (offset >= section_size || (length != 0 && length > section_size - offset)) {
                ec = detail::errc_error(std::errc::invalid_argument);
                return {};
            }
        }
        const std::uint64_t view_length = length != 0 ? length : section_size - offset;
        if (view_length > (std::numeric_limits<std::size_t>::max)() - delta) {
            ec = detail::errc_error(std::errc::not_enough_memory);
            return {};
        }
        const auto mapped_length = static_cast<std::size_t>(delta + view_length);
        if (address != nullptr && !detail::section::fits_in_address_space(address, mapped_length)) {
            ec = detail::win32_error(detail::win32::error_invalid_address);
            return {};
        }
        void* base = detail::section::map(handle(), access, offset - delta, mapped_length, address, ec);
        if (ec) {
            translate_range_error(offset, length, ec);
            return {};
        }
        return MappedView(base, static_cast<std::byte*>(base) + delta, static_cast<std::size_t>(view_length), offset,
                          access);
    }

    // Windows reports a view past the end as ERROR_ACCESS_DENIED; when the size was not known beforehand, ask for
    // it now (on the failure path only) so that the caller gets the same errc::invalid_argument either way.
    void translate_range_error(std::uint64_t offset, std::size_t length, std::error_code& ec) const noexcept {
        std::error_code size_ec;
        const std::uint64_t n = detail::section::size(handle(), size_ec);
        if (!size_ec && (offset >= n || length > n - offset)) {
            ec = detail::errc_error(std::errc::invalid_argument);
        }
    }

    std::uint64_t size_ = 0; // 0: not known to this object; ask the kernel
    Access access_ = Access::read;
};

} // namespace sharemap

#include "sharemap/detail/throwing_forms_end.hpp"

#endif // SHAREMAP_FILE_MAPPING_HPP_INCLUDED
