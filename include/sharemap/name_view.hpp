// SPDX-License-Identifier: MIT
// sharemap: NameView, the name of a kernel object as the caller spells it.
#ifndef SHAREMAP_NAME_VIEW_HPP_INCLUDED
#define SHAREMAP_NAME_VIEW_HPP_INCLUDED

#include "sharemap/detail/config.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace sharemap {

/// A non-owning reference to an object name or a file path, either UTF-8 (`char`) or UTF-16 (`wchar_t`).
///
/// Every function that takes a name takes a NameView, so both spellings work everywhere:
/// `FileMapping::open("Local\\my-map", Access::read)` and `FileMapping::open(L"Local\\my-map", Access::read)`.
/// The name goes to Windows unchanged: `Local\` and `Global\` prefixes are the caller's choice. It is checked when
/// used: an empty name, an embedded NUL or invalid UTF-8 is an error, never a silently different name. UTF-16 (a
/// `std::wstring`, `const wchar_t*` or `std::filesystem::path`) is passed as it is, unpaired surrogates included, as
/// Windows names and NTFS paths allow them. The referenced characters must outlive the call.
class NameView {
public:
    /// A UTF-8 name.
    constexpr NameView(std::string_view utf8) noexcept : narrow_(utf8), wide_(), is_wide_(false) {}
    /// A NUL-terminated UTF-8 name; nullptr is the empty name.
    constexpr NameView(const char* utf8) noexcept
        : narrow_(utf8 != nullptr ? std::string_view(utf8) : std::string_view()), wide_(), is_wide_(false) {}
    /// A UTF-8 name.
    NameView(const std::string& utf8) noexcept : NameView(std::string_view(utf8)) {}
    /// A UTF-16 name, passed to Windows unchanged.
    constexpr NameView(std::wstring_view utf16) noexcept : narrow_(), wide_(utf16), is_wide_(true) {}
    /// A NUL-terminated UTF-16 name; nullptr is the empty name.
    constexpr NameView(const wchar_t* utf16) noexcept
        : narrow_(), wide_(utf16 != nullptr ? std::wstring_view(utf16) : std::wstring_view()), is_wide_(true) {}
    /// A UTF-16 name.
    NameView(const std::wstring& utf16) noexcept : NameView(std::wstring_view(utf16)) {}
    /// A file system path (for File): its native UTF-16 spelling, passed to Windows unchanged.
    NameView(const std::filesystem::path& path) noexcept : NameView(path.native()) {}
#if defined(__cpp_char8_t)
    /// A UTF-8 name spelled with `char8_t` (C++20 `u8"..."` literals).
    NameView(std::u8string_view utf8) noexcept
        : NameView(std::string_view(reinterpret_cast<const char*>(utf8.data()), utf8.size())) {}
    /// A NUL-terminated UTF-8 name spelled with `char8_t`.
    NameView(const char8_t* utf8) noexcept
        : NameView(utf8 != nullptr ? std::u8string_view(utf8) : std::u8string_view()) {}
    /// A UTF-8 name spelled with `char8_t` (what C++20's `std::filesystem::path::u8string()` returns).
    NameView(const std::u8string& utf8) noexcept : NameView(std::u8string_view(utf8)) {}
#endif

    /// True if the name was given as UTF-16.
    constexpr bool is_wide() const noexcept { return is_wide_; }
    /// The UTF-8 spelling; empty if the name was given as UTF-16.
    constexpr std::string_view utf8() const noexcept { return narrow_; }
    /// The UTF-16 spelling; empty if the name was given as UTF-8.
    constexpr std::wstring_view utf16() const noexcept { return wide_; }
    /// True if the name has no characters.
    constexpr bool empty() const noexcept { return is_wide_ ? wide_.empty() : narrow_.empty(); }

private:
    std::string_view narrow_;
    std::wstring_view wide_;
    bool is_wide_;
};

} // namespace sharemap

#endif // SHAREMAP_NAME_VIEW_HPP_INCLUDED
