// SPDX-License-Identifier: MIT
// sharemap: the text of a thrown error. Built only when an exception is about to be thrown, so that the
// error_code forms never allocate: the call as it was made (names quoted, numbers), the code, and for the Win32
// codes a newcomer cannot decode, what they mean here and what to do.
#ifndef SHAREMAP_DETAIL_MESSAGE_HPP_INCLUDED
#define SHAREMAP_DETAIL_MESSAGE_HPP_INCLUDED

#include "sharemap/access.hpp"
#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error_codes.hpp"
#include "sharemap/detail/win32.hpp"
#include "sharemap/errc.hpp"
#include "sharemap/name_view.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>

namespace sharemap::detail {

/// What a failed call worked on, which decides how its error is explained.
enum class Subject {
    object, ///< an object already open (or empty)
    name,   ///< a kernel object reached by name
    path,   ///< a file reached by path
};

/// Decodes the UTF-8 code point at s[i] and advances `i` past it; false (and `i` unchanged) for a byte that does not
/// start a well-formed sequence. WideName checks names strictly when they are used; this only spells them.
inline bool next_code_point(std::string_view s, std::size_t& i, char32_t& out) noexcept {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::size_t extra = lead < 0x80             ? 0
                              : (lead & 0xE0) == 0xC0 ? 1
                              : (lead & 0xF0) == 0xE0 ? 2
                              : (lead & 0xF8) == 0xF0 ? 3
                                                      : 4;
    if (extra == 4 || s.size() - i <= extra) {
        return false;
    }
    static constexpr unsigned char lead_bits[] = {0x7F, 0x1F, 0x0F, 0x07};
    static constexpr char32_t smallest[] = {0, 0x80, 0x800, 0x10000};
    char32_t cp = lead & lead_bits[extra];
    for (std::size_t k = 1; k <= extra; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80) {
            return false;
        }
        cp = (cp << 6) | (c & 0x3Fu);
    }
    if (cp < smallest[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return false;
    }
    out = cp;
    i += extra + 1;
    return true;
}

/// `name` as UTF-16, or an empty string if it is not valid UTF-8.
inline std::wstring to_utf16(NameView name) {
    if (name.is_wide()) {
        return std::wstring(name.utf16());
    }
    std::wstring out;
    const std::string_view s = name.utf8();
    std::size_t i = 0;
    char32_t c = 0;
    while (i < s.size()) {
        if (!next_code_point(s, i, c)) {
            return {};
        }
        if (c >= 0x10000) {
            out += static_cast<wchar_t>(0xD800 + ((c - 0x10000) >> 10));
            out += static_cast<wchar_t>(0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
            out += static_cast<wchar_t>(c);
        }
    }
    return out;
}

/// Appends `c` as UTF-8.
inline void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

/// Appends `value` as `\x..`, `\u....` or the escape a C++ literal uses.
inline void append_escape(std::string& out, const char* prefix, std::uint32_t value, int digits) {
    static constexpr char hex[] = "0123456789ABCDEF";
    out += prefix;
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
        out += hex[(value >> shift) & 0xF];
    }
}

/// Appends one character of a name as it would be written in a C++ string literal.
inline void append_literal_char(std::string& out, char32_t c) {
    if (c == U'\\' || c == U'"') {
        out += '\\';
        out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F) {
        append_escape(out, "\\x", static_cast<std::uint32_t>(c), 2);
    } else {
        append_utf8(out, c);
    }
}

/// Appends `name` in double quotes, spelled as a C++ literal (so `Local\x` reads `"Local\\x"`), in UTF-8.
/// Bytes that are not UTF-8 appear as `\xNN` and unpaired surrogates as `\uDXXX`: the message shows what was
/// passed, not a replacement character.
inline void append_quoted(std::string& out, NameView name) {
    out += '"';
    if (name.is_wide()) {
        const std::wstring_view s = name.utf16();
        for (std::size_t i = 0; i < s.size(); ++i) {
            const auto unit = static_cast<char32_t>(static_cast<std::uint16_t>(s[i]));
            if (unit >= 0xD800 && unit < 0xDC00 && i + 1 < s.size()) {
                const auto next = static_cast<char32_t>(static_cast<std::uint16_t>(s[i + 1]));
                if (next >= 0xDC00 && next < 0xE000) {
                    append_literal_char(out, 0x10000 + ((unit - 0xD800) << 10) + (next - 0xDC00));
                    ++i;
                    continue;
                }
            }
            if (unit >= 0xD800 && unit < 0xE000) {
                append_escape(out, "\\u", static_cast<std::uint32_t>(unit), 4);
            } else {
                append_literal_char(out, unit);
            }
        }
    } else {
        const std::string_view s = name.utf8();
        std::size_t i = 0;
        while (i < s.size()) {
            char32_t c = 0;
            if (next_code_point(s, i, c)) {
                append_literal_char(out, c);
            } else {
                append_escape(out, "\\x", static_cast<unsigned char>(s[i]), 2);
                ++i;
            }
        }
    }
    out += '"';
}

/// The enumerator's name, as a message spells it.
inline const char* access_name(Access access) noexcept {
    constexpr const char* names[] = {"read", "read_write", "copy_on_write"}; // in Access's order
    const auto i = static_cast<unsigned>(access);
    return i < sizeof(names) / sizeof(names[0]) ? names[i] : "?";
}

/// A number shown with what it is: `offset 4096`.
struct Labeled {
    const char* label;
    std::uint64_t value;
};

/// One argument of a call as a message shows it.
inline void append_argument(std::string& out, NameView name) { append_quoted(out, name); }
inline void append_argument(std::string& out, Access access) { out += access_name(access); }
inline void append_argument(std::string& out, const char* text) { out += text; }
inline void append_argument(std::string& out, const std::string& text) { out += text; }
inline void append_argument(std::string& out, Labeled number) {
    out += number.label;
    out += ' ';
    out += std::to_string(number.value);
}
/// Any other argument is a number (the overloads above are exact matches, and win over this template).
template <class T>
void append_argument(std::string& out, T value) {
    static_assert(std::is_integral_v<T>, "a call's message shows names, Access values, text and numbers");
    out += std::to_string(value);
}

/// If a name that Windows says belongs to "another kind of object" is held by a mutex, event, semaphore or
/// section, which one ("a NamedMutex"); nullptr if none of them. Asks Windows, so it runs only on the throwing
/// path.
inline const char* kind_holding(NameView name) {
    const std::wstring wide = to_utf16(name);
    if (wide.empty()) {
        return nullptr;
    }
    struct Kind {
        const char* text;
        win32::handle_t (*open)(const wchar_t*);
    };
    static constexpr Kind kinds[] = {
        {"a NamedMutex (mutex)", [](const wchar_t* n) { return ::OpenMutexW(win32::synchronize, 0, n); }},
        {"a NamedEvent (event)", [](const wchar_t* n) { return ::OpenEventW(win32::synchronize, 0, n); }},
        {"a NamedSemaphore (semaphore)", [](const wchar_t* n) { return ::OpenSemaphoreW(win32::synchronize, 0, n); }},
        {"a FileMapping (section)", [](const wchar_t* n) { return ::OpenFileMappingW(win32::section_query, 0, n); }},
    };
    for (const Kind& kind : kinds) {
        win32::handle_t h = kind.open(wide.c_str());
        // Access denied still says which kind holds the name; ERROR_INVALID_HANDLE says it is another kind.
        if (h != nullptr) {
            ::CloseHandle(h);
            return kind.text;
        }
        if (::GetLastError() == win32::error_access_denied) {
            return kind.text;
        }
    }
    return nullptr;
}

/// What an error means for a call on `subject`, in words that say what to do; empty when the condition's own
/// message says enough. `name` is the name or path the call was given (for Subject::name and Subject::path).
inline std::string explanation(Subject subject, NameView name, const std::error_code& ec) {
    const bool by_name = subject == Subject::name;
    if (ec == errc::invalid_handle && by_name) {
        std::string text = "the name is held by another kind of object";
        if (const char* kind = kind_holding(name)) {
            text += std::string(", ") + kind;
        }
        return text + "; each kind of named object shares one namespace, so pick another name";
    }
    if (ec == errc::invalid_handle && subject == Subject::object) {
        return "the object owns no handle (default-constructed, moved-from, closed or released), or the handle given "
               "is not one of this kind of object";
    }
    if (ec == std::error_code(error_codes::path_not_found, std::system_category()) && by_name) {
        return "no such namespace: a name holds at most one backslash, after a prefix spelled exactly Local\\ or "
               "Global\\ (case-sensitive: local\\ is not a prefix; a slash is an ordinary character, not a separator)";
    }
    if (ec == errc::invalid_name && (by_name || subject == Subject::path)) {
        if (ec == std::errc::illegal_byte_sequence) {
            if (name.is_wide()) {
                return "the UTF-16 name holds an unpaired surrogate";
            }
            return "a char name must be UTF-8, and this one is not; main's argv is in the ANSI code page, not "
                   "UTF-8: take the name as UTF-16 (wmain, or CommandLineToArgvW(GetCommandLineW())) and pass the "
                   "std::wstring or const wchar_t*";
        }
        if (by_name) {
            return "Windows refuses this name: after the Local\\ or Global\\ prefix there must be at least one "
                   "character";
        }
        return "Windows refuses this path: a file name may not hold < > : \" | ? * (a colon only after a drive "
               "letter), nor end in a space or a dot";
    }
    if (ec == errc::file_invalid) {
        return "the file is empty, and an empty file cannot be mapped: write to it first, or give from_file a "
               "size, which grows the file";
    }
    return {};
}

/// The text of a thrown error: `context`, the code as "[category:value]", and the explanation if there is one.
/// std::system_error appends ": " and the code's own message.
inline std::string error_text(std::string context, Subject subject, NameView name, const std::error_code& ec) {
    context += " [";
    context += ec.category().name();
    context += ':';
    context += std::to_string(ec.value());
    context += ']';
    const std::string why = explanation(subject, name, ec);
    if (!why.empty()) {
        context += ": ";
        context += why;
    }
    return context;
}

/// "type::member(arg, arg...)", the call as the caller wrote it.
template <class... Args>
std::string call_text(const char* type, const char* member, const Args&... args) {
    std::string text = type;
    if (member != nullptr) {
        text += "::";
        text += member;
    }
    text += '(';
    // No separator before the first argument; a fold, so that no variable is left unused when there are none.
    const std::size_t first_argument = text.size();
    ((text += text.size() == first_argument ? "" : ", ", append_argument(text, args)), ...);
    text += ')';
    return text;
}

/// Describes a failed call for or_throw: holds the call's arguments (copied, and cheap: a NameView refers to
/// the caller's characters) and builds the text only when asked.
template <class... Args>
class CallDescription {
public:
    CallDescription(Subject subject, const char* type, const char* member, NameView name, Args... args) noexcept
        : subject_(subject), type_(type), member_(member), name_(name), args_(args...) {}

    /// The text of the error `ec` for this call.
    std::string operator()(const std::error_code& ec) const {
        std::string call = std::apply(
            [&](const auto&... args) {
                return subject_ == Subject::object ? call_text(type_, member_, args...)
                                                   : call_text(type_, member_, name_, args...);
            },
            args_);
        return error_text(std::move(call), subject_, name_, ec);
    }

private:
    Subject subject_;
    const char* type_;
    const char* member_;
    NameView name_;
    std::tuple<Args...> args_;
};

/// A call on a name: the name is shown first, quoted, and errors are explained as name errors.
template <class... Args>
CallDescription<Args...> named_call(const char* type, const char* member, NameView name, Args... args) noexcept {
    return CallDescription<Args...>(Subject::name, type, member, name, args...);
}

/// A call on a file path.
template <class... Args>
CallDescription<Args...> path_call(const char* type, const char* member, NameView path, Args... args) noexcept {
    return CallDescription<Args...>(Subject::path, type, member, path, args...);
}

/// A call on an object already open; `args` are shown as given.
template <class... Args>
CallDescription<Args...> object_call(const char* type, const char* member, Args... args) noexcept {
    return CallDescription<Args...>(Subject::object, type, member, NameView(std::string_view()), args...);
}

} // namespace sharemap::detail

#endif // SHAREMAP_DETAIL_MESSAGE_HPP_INCLUDED
