// SPDX-License-Identifier: MIT
// sharemap::errc, code by code: every Win32 code and std::errc value docs/errors.md lists matches its condition and
// no other, its numeric neighbours do not, sharemap's own codes equal their own condition only, and the std::errc
// comparisons sharemap still promises (where libstdc++, the MSVC STL and libc++ agree) hold.
#include <sharemap/errc.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <system_error>
#include <type_traits>

using sharemap::errc;

namespace {

// The tables of docs/errors.md, written out again here rather than read from the header: the test checks the
// header against the documentation.
struct Row {
    int value;
    errc condition;
};

const Row win32_rows[] = {
    {2, errc::not_found},            // ERROR_FILE_NOT_FOUND
    {3, errc::not_found},            // ERROR_PATH_NOT_FOUND
    {5, errc::permission_denied},    // ERROR_ACCESS_DENIED
    {6, errc::invalid_handle},       // ERROR_INVALID_HANDLE
    {8, errc::not_enough_memory},    // ERROR_NOT_ENOUGH_MEMORY
    {14, errc::not_enough_memory},   // ERROR_OUTOFMEMORY
    {32, errc::sharing_violation},   // ERROR_SHARING_VIOLATION
    {33, errc::sharing_violation},   // ERROR_LOCK_VIOLATION
    {80, errc::already_exists},      // ERROR_FILE_EXISTS
    {87, errc::invalid_argument},    // ERROR_INVALID_PARAMETER
    {109, errc::broken_pipe},        // ERROR_BROKEN_PIPE
    {123, errc::invalid_name},       // ERROR_INVALID_NAME
    {161, errc::invalid_name},       // ERROR_BAD_PATHNAME
    {183, errc::already_exists},     // ERROR_ALREADY_EXISTS
    {232, errc::broken_pipe},        // ERROR_NO_DATA
    {258, errc::timed_out},          // WAIT_TIMEOUT
    {288, errc::not_owner},          // ERROR_NOT_OWNER
    {298, errc::too_many_posts},     // ERROR_TOO_MANY_POSTS
    {487, errc::invalid_address},    // ERROR_INVALID_ADDRESS
    {1006, errc::file_invalid},      // ERROR_FILE_INVALID
    {1132, errc::mapped_alignment},  // ERROR_MAPPED_ALIGNMENT
    {1455, errc::not_enough_memory}, // ERROR_COMMITMENT_LIMIT
    {1460, errc::timed_out},         // ERROR_TIMEOUT
};

const Row generic_rows[] = {
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

// Every condition, in declaration order; not_a_disk_file and after are raised by sharemap only (broken_pipe also
// matches two Win32 codes).
const errc all_conditions[] = {
    errc::already_exists,      errc::not_found,         errc::permission_denied, errc::invalid_handle,
    errc::not_owner,           errc::too_many_posts,    errc::invalid_address,   errc::mapped_alignment,
    errc::invalid_argument,    errc::not_enough_memory, errc::timed_out,         errc::sharing_violation,
    errc::file_invalid,        errc::invalid_name,      errc::not_a_disk_file,   errc::size_too_small,
    errc::incompatible_layout, errc::peer_dead,         errc::abandoned,         errc::misaligned,
    errc::message_size,        errc::broken_pipe,       errc::end_in_use,
};

std::error_code win32(int value) { return {value, std::system_category()}; }
std::error_code generic(int value) { return {value, std::generic_category()}; }

// Whether `rows` say that `value` matches `condition`.
template <std::size_t N>
bool listed(const Row (&rows)[N], int value, errc condition) {
    for (const Row& row : rows) {
        if (row.value == value && row.condition == condition) {
            return true;
        }
    }
    return false;
}

std::string name_of(errc e) {
    return std::to_string(static_cast<int>(e)) + " (" + sharemap::make_error_condition(e).message() + ")";
}

} // namespace

TEST_CASE("errc: each documented Win32 code matches its condition, and no other", "[errc]") {
    for (const Row& row : win32_rows) {
        for (const errc condition : all_conditions) {
            INFO("Win32 code " << row.value << ", condition " << name_of(condition));
            CHECK((win32(row.value) == condition) == listed(win32_rows, row.value, condition));
            CHECK((win32(row.value) != condition) == !listed(win32_rows, row.value, condition));
        }
        INFO("Win32 code " << row.value);
        CHECK(win32(row.value) == row.condition);
        CHECK(row.condition == win32(row.value)); // both argument orders
    }
}

TEST_CASE("errc: the numeric neighbours of each documented Win32 code do not match its condition", "[errc]") {
    for (const Row& row : win32_rows) {
        for (const int neighbour : {row.value - 1, row.value + 1}) {
            if (listed(win32_rows, neighbour, row.condition)) {
                continue; // 2 and 3, 32 and 33: both documented for the same condition
            }
            INFO("Win32 code " << neighbour << ", next to " << row.value);
            CHECK_FALSE(win32(neighbour) == row.condition);
        }
    }
    // Success, and a code sharemap does not document, match nothing.
    for (const errc condition : all_conditions) {
        CHECK_FALSE(win32(0) == condition);
        CHECK_FALSE(win32(1224) == condition); // ERROR_USER_MAPPED_FILE: compared as itself
    }
}

TEST_CASE("errc: each documented std::errc value matches its condition, and no other", "[errc]") {
    for (const Row& row : generic_rows) {
        for (const errc condition : all_conditions) {
            INFO("std::errc value " << row.value << ", condition " << name_of(condition));
            CHECK((generic(row.value) == condition) == listed(generic_rows, row.value, condition));
            CHECK((std::make_error_code(static_cast<std::errc>(row.value)) == condition) ==
                  listed(generic_rows, row.value, condition));
        }
    }
    // Generic values are not read as Win32 numbers, nor Win32 codes as generic values: EACCES is 13 and 13 is
    // ERROR_INVALID_DATA; ENOENT is 2, as is ERROR_FILE_NOT_FOUND, and still only the right category matches.
    CHECK_FALSE(win32(static_cast<int>(std::errc::permission_denied)) == errc::permission_denied);
    CHECK_FALSE(generic(5) == errc::permission_denied);
    CHECK_FALSE(generic(static_cast<int>(std::errc::operation_not_permitted)) == errc::not_owner);
    CHECK_FALSE(generic(static_cast<int>(std::errc::device_or_resource_busy)) == errc::sharing_violation);
}

TEST_CASE("errc: sharemap's own codes equal their own condition and the std::errc it matches, nothing else", "[errc]") {
    for (const errc own : all_conditions) {
        const std::error_code ec = sharemap::make_error_code(own);
        CHECK(ec.category() == sharemap::error_category());
        CHECK(ec.value() == static_cast<int>(own));
        CHECK(static_cast<bool>(ec));
        CHECK(sharemap::detail::error(own) == ec);
        for (const errc condition : all_conditions) {
            INFO("own code " << name_of(own) << ", condition " << name_of(condition));
            CHECK((ec == condition) == (own == condition));
        }
        for (const Row& row : generic_rows) {
            INFO("own code " << name_of(own) << ", std::errc value " << row.value);
            CHECK((ec == static_cast<std::errc>(row.value)) == (row.condition == own));
        }
        // An own code is never mistaken for the Win32 code or generic value of the same number.
        CHECK(ec != win32(static_cast<int>(own)));
        CHECK(ec != generic(static_cast<int>(own)));
    }
    // The codes sharemap raises for conditions Windows never reports.
    CHECK(sharemap::make_error_code(errc::not_a_disk_file) == errc::not_a_disk_file);
    CHECK(sharemap::make_error_code(errc::size_too_small) == errc::size_too_small);
    CHECK(sharemap::make_error_code(errc::incompatible_layout) == errc::incompatible_layout);
    CHECK(sharemap::make_error_code(errc::peer_dead) == errc::peer_dead);
    CHECK(sharemap::make_error_code(errc::abandoned) == errc::abandoned);
    CHECK(sharemap::make_error_code(errc::abandoned) == std::errc::owner_dead);
    CHECK(sharemap::make_error_code(errc::misaligned) == errc::misaligned);
    CHECK(sharemap::make_error_code(errc::misaligned) != std::errc::invalid_argument);
    CHECK(sharemap::make_error_code(errc::message_size) == std::errc::message_size);
    CHECK(sharemap::make_error_code(errc::broken_pipe) == std::errc::broken_pipe);
    CHECK(sharemap::make_error_code(errc::end_in_use) == errc::end_in_use);
    // No Win32 code matches them.
    for (const errc own : {errc::not_a_disk_file, errc::size_too_small, errc::incompatible_layout, errc::peer_dead,
                           errc::abandoned, errc::misaligned, errc::message_size, errc::end_in_use}) {
        for (int value = 0; value < 16000; ++value) {
            if (win32(value) == own) {
                FAIL("Win32 code " << value << " matches " << name_of(own));
            }
        }
    }
}

TEST_CASE("errc: the category's name, a distinct message for every condition, a condition enum", "[errc]") {
    STATIC_REQUIRE(std::is_error_condition_enum<errc>::value);
    STATIC_REQUIRE_FALSE(std::is_error_code_enum<errc>::value);
    STATIC_REQUIRE(noexcept(sharemap::error_category()));
    STATIC_REQUIRE(noexcept(sharemap::make_error_condition(errc::not_found)));
    STATIC_REQUIRE(noexcept(sharemap::make_error_code(errc::not_found)));

    CHECK(std::string(sharemap::error_category().name()) == "sharemap");
    CHECK(&sharemap::error_category() == &sharemap::error_category());
    CHECK(sharemap::error_category() != std::system_category());
    CHECK(sharemap::error_category() != std::generic_category());

    std::set<std::string> messages;
    for (const errc condition : all_conditions) {
        const std::error_condition cond = condition; // implicit, as for std::errc
        CHECK(cond == sharemap::make_error_condition(condition));
        CHECK(cond.category() == sharemap::error_category());
        CHECK(static_cast<bool>(cond)); // no condition is "no error"
        const std::string message = cond.message();
        INFO("condition " << static_cast<int>(condition) << ": " << message);
        CHECK_FALSE(message.empty());
        CHECK(messages.insert(message).second);
        CHECK(sharemap::make_error_code(condition).message() == message);
    }
    CHECK(messages.size() == sizeof all_conditions / sizeof all_conditions[0]);
    CHECK_FALSE(sharemap::error_category().message(0).empty());
    CHECK(messages.count(sharemap::error_category().message(1000)) == 0);
}

TEST_CASE("errc: the std::errc comparisons sharemap still documents hold, where all three libraries agree", "[errc]") {
    // docs/errors.md: libstdc++, the MSVC STL and libc++ all map these Win32 codes to these std::errc values.
    CHECK(win32(2) == std::errc::no_such_file_or_directory);
    CHECK(win32(3) == std::errc::no_such_file_or_directory);
    CHECK(win32(5) == std::errc::permission_denied);
    CHECK(win32(8) == std::errc::not_enough_memory);
    CHECK(win32(14) == std::errc::not_enough_memory);
    CHECK(win32(80) == std::errc::file_exists);
    CHECK(win32(87) == std::errc::invalid_argument);
    CHECK(win32(109) == std::errc::broken_pipe);
    CHECK(win32(183) == std::errc::file_exists);
    // And none of the three maps these: sharemap's condition, or the code itself, is the only portable comparison.
    for (const int value : {298, 1113, 1132, 1224}) {
        INFO("Win32 code " << value);
        CHECK(win32(value).default_error_condition().category() == std::system_category());
    }
}
