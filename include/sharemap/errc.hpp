// SPDX-License-Identifier: MIT
// sharemap: errc, the error conditions whose meaning sharemap defines, and their category.
//
// Why not std::errc alone: which Win32 code compares equal to which std::errc is each standard library's own table,
// and the three disagree (ERROR_INVALID_HANDLE is errc::bad_file_descriptor under libstdc++ but
// errc::invalid_argument under the MSVC STL and libc++; ERROR_NOT_OWNER, ERROR_INVALID_ADDRESS and ERROR_NO_DATA
// match a std::errc only under libstdc++, WAIT_TIMEOUT only under the MSVC STL). The equivalences below are
// sharemap's, the same under every standard library, in a category of sharemap's own, as std::io_errc has its own.
// docs/errors.md has the tables.
#ifndef SHAREMAP_ERRC_HPP_INCLUDED
#define SHAREMAP_ERRC_HPP_INCLUDED

#include "sharemap/detail/error_codes.hpp"

#include <cstddef>
#include <string>
#include <system_error>
#include <type_traits>

namespace sharemap {

/// What went wrong, as conditions to compare any error sharemap reports with: `ec == sharemap::errc::not_found`.
/// Each condition matches the Win32 codes (in std::system_category()) and std::errc values (in
/// std::generic_category()) listed on it, and sharemap's own codes of the same value (make_error_code), under every
/// standard library. That a Win32 code and a std::errc value match the same condition does not make them equal to
/// each other: `ec == std::errc::x` for a Win32 code asks the standard library's own table (WAIT_TIMEOUT matches
/// timed_out, yet equals std::errc::timed_out under the MSVC STL only); docs/errors.md lists the few such comparisons
/// sharemap promises. Values start at 1: an error_condition of value 0 means "no error".
enum class errc {
    /// A named object or file of that name already exists. Matches ERROR_ALREADY_EXISTS (183), ERROR_FILE_EXISTS
    /// (80) and std::errc::file_exists.
    already_exists = 1,
    /// Nothing has that name, or a directory on the path is missing. Matches ERROR_FILE_NOT_FOUND (2),
    /// ERROR_PATH_NOT_FOUND (3) and std::errc::no_such_file_or_directory.
    not_found = 2,
    /// The object's security, or the rights of the handle used, refuse the access asked for. Matches
    /// ERROR_ACCESS_DENIED (5) and std::errc::permission_denied.
    permission_denied = 3,
    /// The object is empty (default-constructed, moved-from, closed or released), or the handle or name refers to
    /// another kind of object. Matches ERROR_INVALID_HANDLE (6) and std::errc::bad_file_descriptor.
    invalid_handle = 4,
    /// A mutex was unlocked by a thread that does not own it. Matches ERROR_NOT_OWNER (288).
    not_owner = 5,
    /// Releasing a semaphore would raise its count above its maximum. Matches ERROR_TOO_MANY_POSTS (298).
    too_many_posts = 6,
    /// The address asked for a view is occupied or outside the application's address space. Matches
    /// ERROR_INVALID_ADDRESS (487).
    invalid_address = 7,
    /// The address asked for a view is not a multiple of the allocation granularity. Matches
    /// ERROR_MAPPED_ALIGNMENT (1132).
    mapped_alignment = 8,
    /// An argument is out of range or malformed. Matches ERROR_INVALID_PARAMETER (87) and
    /// std::errc::invalid_argument.
    invalid_argument = 9,
    /// Not enough memory, address space or commit for the size asked. Matches ERROR_NOT_ENOUGH_MEMORY (8),
    /// ERROR_OUTOFMEMORY (14), ERROR_COMMITMENT_LIMIT (1455) and std::errc::not_enough_memory.
    not_enough_memory = 10,
    /// A wait ended at its timeout. Matches WAIT_TIMEOUT (258), ERROR_TIMEOUT (1460) and std::errc::timed_out.
    timed_out = 11,
    /// Another handle to the file refuses to share it, or holds a lock on the range. Matches
    /// ERROR_SHARING_VIOLATION (32) and ERROR_LOCK_VIOLATION (33).
    sharing_violation = 12,
    /// The file cannot be mapped as it is; an empty file cannot be mapped without a size. Matches
    /// ERROR_FILE_INVALID (1006).
    file_invalid = 13,
    /// The name or path is not one Windows accepts, or a `char` one is not valid UTF-8 (UTF-16 is passed on
    /// unchecked). Matches ERROR_INVALID_NAME (123), ERROR_BAD_PATHNAME (161) and std::errc::illegal_byte_sequence.
    invalid_name = 14,
    /// The handle is not a file on a disk (a pipe, a console or a directory cannot be mapped). Raised by sharemap
    /// only; matches no Win32 code.
    not_a_disk_file = 15,
    /// An existing section is smaller than the size asked for. Raised by sharemap only; matches no Win32 code.
    size_too_small = 16,
    /// A shared structure was made with another layout or version. Raised by sharemap only; matches no Win32 code.
    incompatible_layout = 17,
    /// Another process this one depended on ended before doing its part. Raised by sharemap only; matches no
    /// Win32 code.
    peer_dead = 18,
    /// A mutex's owner ended without unlocking it; what it protects may be half-updated. Never raised by sharemap,
    /// which reports abandonment as LockStatus::abandoned or WaitStatus::abandoned; matches no Win32 code, and
    /// matches std::errc::owner_dead.
    abandoned = 19,
    /// An address is not aligned for the type asked for (MappedView::as). Raised by sharemap only; matches no
    /// Win32 code.
    misaligned = 20,
    /// A message is larger than the channel can ever hold, or than the buffer given for it. Raised by sharemap only;
    /// matches no Win32 code, and matches std::errc::message_size.
    message_size = 21,
    /// The other end of a channel closed its end: nobody will read what is sent. Matches ERROR_BROKEN_PIPE (109),
    /// ERROR_NO_DATA (232) and std::errc::broken_pipe.
    broken_pipe = 22,
    /// That end of a channel is attached by a live process (a second sender of a single-sender channel, a second
    /// receiver, or every sender place of a multiple-sender channel taken). Raised by sharemap only; matches no
    /// Win32 code.
    end_in_use = 23,
};

namespace detail {

/// One row of sharemap's equivalence tables: an error value and the condition it matches.
struct errc_match {
    int value;
    errc condition;
};

/// Win32 codes, as std::system_category() carries them, and the condition each matches.
inline constexpr errc_match win32_matches[] = {
    {error_codes::file_not_found, errc::not_found},
    {error_codes::path_not_found, errc::not_found},
    {error_codes::access_denied, errc::permission_denied},
    {error_codes::invalid_handle, errc::invalid_handle},
    {error_codes::not_enough_memory, errc::not_enough_memory},
    {error_codes::outofmemory, errc::not_enough_memory},
    {error_codes::sharing_violation, errc::sharing_violation},
    {error_codes::lock_violation, errc::sharing_violation},
    {error_codes::file_exists, errc::already_exists},
    {error_codes::invalid_parameter, errc::invalid_argument},
    {error_codes::invalid_name, errc::invalid_name},
    {error_codes::bad_pathname, errc::invalid_name},
    {error_codes::already_exists, errc::already_exists},
    {error_codes::wait_timeout, errc::timed_out},
    {error_codes::not_owner, errc::not_owner},
    {error_codes::too_many_posts, errc::too_many_posts},
    {error_codes::invalid_address, errc::invalid_address},
    {error_codes::file_invalid, errc::file_invalid},
    {error_codes::mapped_alignment, errc::mapped_alignment},
    {error_codes::commitment_limit, errc::not_enough_memory},
    {error_codes::timeout, errc::timed_out},
    {error_codes::broken_pipe, errc::broken_pipe},
    {error_codes::no_data, errc::broken_pipe},
};

/// std::errc values, as std::generic_category() carries them, and the condition each matches.
inline constexpr errc_match generic_matches[] = {
    {static_cast<int>(std::errc::file_exists), errc::already_exists},
    {static_cast<int>(std::errc::no_such_file_or_directory), errc::not_found},
    {static_cast<int>(std::errc::permission_denied), errc::permission_denied},
    {static_cast<int>(std::errc::bad_file_descriptor), errc::invalid_handle},
    {static_cast<int>(std::errc::invalid_argument), errc::invalid_argument},
    {static_cast<int>(std::errc::not_enough_memory), errc::not_enough_memory},
    {static_cast<int>(std::errc::timed_out), errc::timed_out},
    {static_cast<int>(std::errc::illegal_byte_sequence), errc::invalid_name},
    {static_cast<int>(std::errc::owner_dead), errc::abandoned},
    {static_cast<int>(std::errc::message_size), errc::message_size},
    {static_cast<int>(std::errc::broken_pipe), errc::broken_pipe},
};

/// True if `table` has the row (`value`, `condition`).
template <std::size_t N>
constexpr bool errc_matches(const errc_match (&table)[N], int value, int condition) noexcept {
    for (const errc_match& row : table) {
        if (row.value == value && static_cast<int>(row.condition) == condition) {
            return true;
        }
    }
    return false;
}

/// What each condition means, in words for someone who has never seen the Win32 code.
inline const char* errc_message(int value) noexcept {
    switch (static_cast<errc>(value)) {
    case errc::already_exists:
        return "an object or file with this name already exists";
    case errc::not_found:
        return "nothing has this name, or a directory on the path does not exist";
    case errc::permission_denied:
        return "access denied: the object's security, or the rights of the handle used, do not allow this";
    case errc::invalid_handle:
        return "the object is empty (default-constructed, moved-from or closed), or the handle or name belongs to "
               "another kind of object";
    case errc::not_owner:
        return "this thread does not own the mutex, so it cannot unlock it";
    case errc::too_many_posts:
        return "releasing the semaphore would raise its count above its maximum";
    case errc::invalid_address:
        return "the address asked for the view is already in use or outside the process's address space";
    case errc::mapped_alignment:
        return "the address asked for the view is not a multiple of the allocation granularity (64 KiB)";
    case errc::invalid_argument:
        return "an argument is out of range or malformed";
    case errc::not_enough_memory:
        return "not enough memory, address space or commit for the size asked";
    case errc::timed_out:
        return "the wait ended at its timeout before the object was signalled";
    case errc::sharing_violation:
        return "another open handle to the file does not share it, or has locked the range";
    case errc::file_invalid:
        return "the file cannot be mapped as it is: an empty file needs a size";
    case errc::invalid_name:
        return "the name or path is not valid: Windows refuses it, or a char one is not valid UTF-8";
    case errc::not_a_disk_file:
        return "the handle is not a file on a disk: a pipe, a console or a directory cannot be mapped";
    case errc::size_too_small:
        return "the existing section is smaller than the size asked for";
    case errc::incompatible_layout:
        return "the shared data was made by a program with another layout or version of it";
    case errc::peer_dead:
        return "another process this one depended on ended before doing its part";
    case errc::abandoned:
        return "a mutex's owner ended without unlocking it: what it protects may be half-updated";
    case errc::misaligned:
        return "the address is not a multiple of the alignment of the type asked for";
    case errc::message_size:
        return "the message is larger than the channel can ever hold, or than the buffer given for it";
    case errc::broken_pipe:
        return "the other end of the channel was closed: nobody reads what is sent";
    case errc::end_in_use:
        return "that end of the channel is attached by a live process";
    }
    return "unknown sharemap error";
}

/// The category of sharemap's conditions and of the codes sharemap raises itself.
class errc_category final : public std::error_category {
public:
    /// "sharemap".
    const char* name() const noexcept override { return "sharemap"; }

    /// What the condition (or sharemap's own code) of this value means.
    std::string message(int value) const override { return errc_message(value); }

    /// Whether `code` matches the condition of value `condition`: sharemap's own code of that value, or a row of
    /// the tables above. Never asks the standard library's default_error_condition(), which differs between
    /// libraries.
    bool equivalent(const std::error_code& code, int condition) const noexcept override {
        if (code.category() == *this) {
            return code.value() == condition;
        }
        if (code.category() == std::system_category()) {
            return errc_matches(win32_matches, code.value(), condition);
        }
        if (code.category() == std::generic_category()) {
            return errc_matches(generic_matches, code.value(), condition);
        }
        return false;
    }

    /// Whether sharemap's own code of value `value` matches `condition`: its own condition, and the std::errc
    /// values that condition matches (so a code for errc::abandoned also equals std::errc::owner_dead).
    bool equivalent(int value, const std::error_condition& condition) const noexcept override {
        if (condition.category() == *this) {
            return value == condition.value();
        }
        if (condition.category() == std::generic_category()) {
            return errc_matches(generic_matches, condition.value(), value);
        }
        return false;
    }
};

} // namespace detail

/// The category of sharemap's error conditions (errc) and of the errors sharemap raises itself; its name is
/// "sharemap". One object per program (per module on Windows: an executable and each DLL have their own).
inline const std::error_category& error_category() noexcept {
    static const detail::errc_category instance{};
    return instance;
}

/// The condition `e`, to compare error codes with; `ec == e` calls it implicitly.
inline std::error_condition make_error_condition(errc e) noexcept { return {static_cast<int>(e), error_category()}; }

/// An error code in sharemap's own category, for an error sharemap raises itself (nothing Win32 returned). It
/// compares equal to the condition `e`, and to the std::errc values `e` matches.
inline std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), error_category()}; }

namespace detail {

/// An error the library raises itself, in sharemap's category: `ec = detail::error(errc::size_too_small);`.
inline std::error_code error(errc e) noexcept { return make_error_code(e); }

} // namespace detail

} // namespace sharemap

namespace std {
/// sharemap::errc is a set of error conditions, like std::errc: `ec == sharemap::errc::x` compiles and asks
/// sharemap's category.
template <>
struct is_error_condition_enum<sharemap::errc> : true_type {};
} // namespace std

#endif // SHAREMAP_ERRC_HPP_INCLUDED
