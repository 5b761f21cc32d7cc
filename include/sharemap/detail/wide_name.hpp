// SPDX-License-Identifier: MIT
// sharemap: turns a NameView into the NUL-terminated UTF-16 string the W functions take, checking UTF-8 on the way.
#ifndef SHAREMAP_DETAIL_WIDE_NAME_HPP_INCLUDED
#define SHAREMAP_DETAIL_WIDE_NAME_HPP_INCLUDED

#include "sharemap/detail/error.hpp"
#include "sharemap/detail/pinned.hpp"
#include "sharemap/name_view.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string_view>
#include <system_error>

namespace sharemap::detail {

/// Decodes one UTF-8 code point starting at s[i]; returns false for malformed, overlong, surrogate or out-of-range
/// sequences. On success advances i and stores the code point.
inline bool decode_utf8(std::string_view s, std::size_t& i, char32_t& out) noexcept {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = byte(i);
    std::size_t extra = 0;
    char32_t cp = 0;
    char32_t smallest = 0;
    if (lead < 0x80) {
        out = lead;
        ++i;
        return true;
    } else if ((lead & 0xE0) == 0xC0) {
        extra = 1;
        cp = lead & 0x1Fu;
        smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        extra = 2;
        cp = lead & 0x0Fu;
        smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        extra = 3;
        cp = lead & 0x07u;
        smallest = 0x10000;
    } else {
        return false;
    }
    if (s.size() - i <= extra) {
        return false;
    }
    for (std::size_t k = 1; k <= extra; ++k) {
        const unsigned char c = byte(i + k);
        if ((c & 0xC0) != 0x80) {
            return false;
        }
        cp = (cp << 6) | (c & 0x3Fu);
    }
    if (cp < smallest || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return false;
    }
    out = cp;
    i += extra + 1;
    return true;
}

/// A checked, NUL-terminated UTF-16 copy of a name. Short names live inline; longer ones on the heap, allocated
/// without throwing so that the noexcept overloads stay noexcept.
class WideName : Pinned {
public:
    /// Converts `name`: UTF-8 is decoded and checked, UTF-16 is copied unchanged (unpaired surrogates included).
    /// Errors: empty name or embedded NUL → errc::invalid_argument; invalid UTF-8 → errc::illegal_byte_sequence; no
    /// memory → errc::not_enough_memory.
    std::error_code assign(NameView name) noexcept {
        if (name.empty()) {
            return errc_error(std::errc::invalid_argument);
        }
        return name.is_wide() ? assign_utf16(name.utf16()) : assign_utf8(name.utf8());
    }

    const wchar_t* c_str() const noexcept { return data_; }

private:
    static constexpr std::size_t inline_capacity = 128;

    wchar_t* allocate(std::size_t length) noexcept {
        if (length < inline_capacity) {
            data_ = inline_;
        } else {
            heap_.reset(new (std::nothrow) wchar_t[length + 1]);
            data_ = heap_.get();
        }
        return data_;
    }

    std::error_code assign_utf8(std::string_view s) noexcept {
        std::size_t units = 0;
        for (std::size_t i = 0; i < s.size();) {
            char32_t cp = 0;
            if (!decode_utf8(s, i, cp)) {
                return errc_error(std::errc::illegal_byte_sequence);
            }
            if (cp == 0) {
                return errc_error(std::errc::invalid_argument);
            }
            units += cp >= 0x10000 ? 2 : 1;
        }
        wchar_t* out = allocate(units);
        if (out == nullptr) {
            return errc_error(std::errc::not_enough_memory);
        }
        for (std::size_t i = 0; i < s.size();) {
            char32_t cp = 0;
            decode_utf8(s, i, cp);
            if (cp >= 0x10000) {
                cp -= 0x10000;
                *out++ = static_cast<wchar_t>(0xD800 + (cp >> 10));
                *out++ = static_cast<wchar_t>(0xDC00 + (cp & 0x3FF));
            } else {
                *out++ = static_cast<wchar_t>(cp);
            }
        }
        *out = L'\0';
        return {};
    }

    // UTF-16 goes to Windows as it is, unpaired surrogates included: Windows names and NTFS paths are sequences of
    // 16-bit units, not checked text, so a name read from the system (FindFirstFileW, argv) must reach it unchanged.
    // Only a NUL is refused, as Windows would cut the name there.
    std::error_code assign_utf16(std::wstring_view s) noexcept {
        if (s.find(L'\0') != std::wstring_view::npos) {
            return errc_error(std::errc::invalid_argument);
        }
        wchar_t* out = allocate(s.size());
        if (out == nullptr) {
            return errc_error(std::errc::not_enough_memory);
        }
        s.copy(out, s.size());
        out[s.size()] = L'\0';
        return {};
    }

    wchar_t inline_[inline_capacity] = {};
    std::unique_ptr<wchar_t[]> heap_;
    wchar_t* data_ = inline_;
};

} // namespace sharemap::detail

#endif // SHAREMAP_DETAIL_WIDE_NAME_HPP_INCLUDED
