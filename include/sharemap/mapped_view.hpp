// SPDX-License-Identifier: MIT
// sharemap: MappedView, one mapped view of a section.
#ifndef SHAREMAP_MAPPED_VIEW_HPP_INCLUDED
#define SHAREMAP_MAPPED_VIEW_HPP_INCLUDED

#include "sharemap/access.hpp"
#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/section.hpp"
#include "sharemap/errc.hpp"
#include "sharemap/file.hpp"
#include "sharemap/is_shareable.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

#if SHAREMAP_HAS_CXX20
#include <span>
#endif

// Defines helper macros for this header's class; throwing_forms_end.hpp at the end takes them back.
#include "sharemap/detail/throwing_forms_begin.hpp"

namespace sharemap {

class FileMapping;

/// Move-only owner of a view of a section (a MapViewOfFile result); unmaps it on destruction.
///
/// `data()` points at the byte that was asked for, even when the requested offset was not a multiple of the
/// allocation granularity (the view then starts at the aligned-down offset, out of sight). `size()` is the number of
/// bytes asked for, and offset() where they start in the section. Views are made by FileMapping::map. A view stays
/// valid after its FileMapping is closed: the section lives until its last handle and its last view are gone.
class [[nodiscard]] MappedView {
public:
    /// An empty view: data() is nullptr, size() is 0.
    MappedView() noexcept = default;
    /// Unmaps the view.
    ~MappedView() { close(); }

    /// Takes over `other`'s view; `other` becomes empty.
    MappedView(MappedView&& other) noexcept
        : base_(std::exchange(other.base_, nullptr)), data_(std::exchange(other.data_, nullptr)),
          size_(std::exchange(other.size_, 0)), offset_(std::exchange(other.offset_, 0)),
          access_(std::exchange(other.access_, Access::read)) {}
    /// Unmaps this view, then takes over `other`'s. Self-move leaves the view as it was.
    MappedView& operator=(MappedView&& other) noexcept {
        if (this != &other) {
            close();
            base_ = std::exchange(other.base_, nullptr);
            data_ = std::exchange(other.data_, nullptr);
            size_ = std::exchange(other.size_, 0);
            offset_ = std::exchange(other.offset_, 0);
            access_ = std::exchange(other.access_, Access::read);
        }
        return *this;
    }
    MappedView(const MappedView&) = delete;
    MappedView& operator=(const MappedView&) = delete;

    /// The first byte asked for; nullptr for an empty view. Not on a temporary view (`m.map().data()`), which
    /// unmaps at the end of the statement and would leave the pointer dangling: name the view.
    [[nodiscard]] std::byte* data() const& noexcept { return data_; }
    /// Deleted: a temporary view unmaps at the end of the statement, so the pointer would dangle.
    std::byte* data() const&& = delete;
    /// The number of bytes asked for; 0 for an empty view.
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// Where data() is in the section: the offset that was asked for (any byte, not only a multiple of the
    /// allocation granularity); 0 for an empty view.
    [[nodiscard]] std::uint64_t offset() const noexcept { return offset_; }
    /// The access the view was mapped with (read for an empty view).
    [[nodiscard]] Access access() const noexcept { return access_; }
    /// True if the view holds nothing.
    [[nodiscard]] bool empty() const noexcept { return data_ == nullptr; }
    /// True if the view maps something.
    explicit operator bool() const noexcept { return data_ != nullptr; }

#if SHAREMAP_HAS_CXX20
    /// The view's bytes (C++20). Not on a temporary view, as data().
    [[nodiscard]] std::span<std::byte> bytes() const& noexcept { return {data_, size_}; }
    /// Deleted: a temporary view unmaps at the end of the statement, so the span would dangle.
    std::span<std::byte> bytes() const&& = delete;
#endif

    /// A pointer to a `T` at `offset` bytes into the view. Not on a temporary view (`m.map().as<T>()` would
    /// dangle at the end of the statement): name the view, and keep it while the pointer is used.
    ///
    /// \errors errc::invalid_argument if `sizeof(T)` bytes at `offset` do not fit in the view;
    /// sharemap::errc::misaligned if they fit but the address is not a multiple of `alignof(T)`;
    /// ERROR_INVALID_HANDLE on an empty view. On error, returns nullptr.
    ///
    /// The view's memory is shared, and this does not construct a `T`. What the compiler can check, it does (see
    /// is_shareable_v). What it cannot: a pointer, a reference, a `std::string_view` or any type holding an address
    /// is meaningless in another process (the memory it points to is elsewhere, or nowhere, there), and a member
    /// whose layout differs between the programs that share the view reads garbage.
    template <class T>
    [[nodiscard]] T* as(std::size_t offset, std::error_code& ec) const& noexcept {
        static_assert(is_shareable_v<T>,
                      "MappedView::as<T>: T must be trivially copyable, or a standard-layout type with a trivial "
                      "destructor and no virtual functions (such as a struct of std::atomic members), to live in "
                      "memory another process shares");
        if (data_ == nullptr) {
            ec = detail::empty_object_error();
            return nullptr;
        }
        if (offset > size_ || sizeof(T) > size_ - offset) {
            ec = detail::errc_error(std::errc::invalid_argument);
            return nullptr;
        }
        if (reinterpret_cast<std::uintptr_t>(data_ + offset) % alignof(T) != 0) {
            ec = detail::error(errc::misaligned);
            return nullptr;
        }
        ec.clear();
        return reinterpret_cast<T*>(data_ + offset);
    }
    /// Deleted: a temporary view unmaps at the end of the statement, so the pointer would dangle.
    template <class T>
    T* as(std::size_t offset, std::error_code& ec) const&& = delete;

    /// Flushes the view's dirty pages towards the backing file (FlushViewOfFile). Not durable on its own: for a
    /// file, durability also needs the file's buffers flushed. Never done implicitly (no hidden flush on unmap).
    /// \errors ERROR_INVALID_HANDLE on an empty view; the Win32 error of FlushViewOfFile.
    void flush(std::error_code& ec) const noexcept {
        if (data_ == nullptr) {
            ec = detail::empty_object_error();
            return;
        }
        detail::section::flush(data_, size_, ec);
    }

    /// Durable flush: writes the view's dirty pages to `file` (FlushViewOfFile), then flushes the file's buffers to
    /// the disk (FlushFileBuffers), so that the data survives a crash of the machine. `file` is the File the view's
    /// section was made from (or another handle to the same file).
    /// \errors as flush(ec), and File::flush's.
    void flush(const File& file, std::error_code& ec) const noexcept {
        flush(ec);
        if (!ec) {
            file.flush(ec);
        }
    }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of flush(file, ec).
    void flush(const File& file) const {
        SHAREMAP_DETAIL_OR_THROW_AS(detail::object_call("sharemap::MappedView", "flush", "file",
                                                        detail::Labeled{"offset", offset_},
                                                        detail::Labeled{"size", size_}),
                                    flush(file, ec));
    }
    /// Throwing form of as(offset, ec): throws std::system_error, whose what() shows the offset, the view's size
    /// and `T`'s size and alignment.
    template <class T>
    [[nodiscard]] T* as(std::size_t offset = 0) const& {
        return SHAREMAP_DETAIL_OR_THROW_AS(
            [&](const std::error_code& ec) { return describe_as(offset, sizeof(T), alignof(T), ec); },
            as<T>(offset, ec));
    }
    /// Deleted: a temporary view unmaps at the end of the statement, so the pointer would dangle.
    template <class T>
    T* as(std::size_t offset = 0) const&& = delete;
    /// Throwing form of flush(ec): throws std::system_error.
    void flush() const {
        SHAREMAP_DETAIL_OR_THROW_AS(detail::object_call("sharemap::MappedView", "flush",
                                                        detail::Labeled{"offset", offset_},
                                                        detail::Labeled{"size", size_}),
                                    flush(ec));
    }
#endif

    /// Unmaps the view now; the view becomes empty. Closing an empty view does nothing.
    void close() noexcept {
        if (base_ != nullptr) {
            detail::section::unmap(base_);
        }
        base_ = nullptr;
        data_ = nullptr;
        size_ = 0;
        offset_ = 0;
        access_ = Access::read;
    }

private:
    friend class FileMapping;

#if SHAREMAP_HAS_EXCEPTIONS
    // The message of a failed as<T>: the offset, T's size and alignment, the view's size, and which check failed.
    std::string describe_as(std::size_t offset, std::size_t size, std::size_t align, const std::error_code& ec) const {
        std::string text = detail::object_call("sharemap::MappedView", "as<T>", detail::Labeled{"offset", offset})(ec);
        text += ": sizeof(T) " + std::to_string(size) + ", alignof(T) " + std::to_string(align) + ", a view of " +
                std::to_string(size_) + " bytes";
        if (ec == errc::misaligned) {
            text += "; data() + offset is not a multiple of alignof(T): the view starts where the offset asked, "
                    "so place T at an offset that is";
        } else if (ec == std::errc::invalid_argument) {
            text += "; the T does not fit at that offset";
        }
        return text;
    }
#endif
    MappedView(void* base, std::byte* data, std::size_t size, std::uint64_t offset, Access access) noexcept
        : base_(base), data_(data), size_(size), offset_(offset), access_(access) {}

    void* base_ = nullptr;      // what MapViewOfFile returned: the address UnmapViewOfFile needs
    std::byte* data_ = nullptr; // the byte asked for
    std::size_t size_ = 0;      // the bytes asked for
    std::uint64_t offset_ = 0;  // data()'s offset in the section
    Access access_ = Access::read;
};

} // namespace sharemap

#include "sharemap/detail/throwing_forms_end.hpp"

#endif // SHAREMAP_MAPPED_VIEW_HPP_INCLUDED
