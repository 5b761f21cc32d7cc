// SPDX-License-Identifier: MIT
// Names and paths reach Windows unchanged. UTF-16 (std::wstring, const wchar_t*, std::filesystem::path) is passed as
// it is, unpaired surrogates included: Windows object names and NTFS file names are sequences of 16-bit units, and a
// name the system gave out (FindFirstFileW, wmain's argv) must work when given back. Only UTF-8 is checked, since it
// has to be decoded: invalid UTF-8 is still errc::illegal_byte_sequence.
#include <sharemap/file.hpp>
#include <sharemap/file_mapping.hpp>
#include <sharemap/named_event.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/common.hpp"

#include <windows.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>

using sharemap::Access;
using sharemap::File;
using sharemap::FileMapping;
using sharemap::NamedEvent;
using sharemap_test::kernel_object_name;
using sharemap_test::unique_name;

namespace {

std::wstring widen_ascii(const std::string& s) { return std::wstring(s.begin(), s.end()); }

void write_text(std::byte* p, const std::string& s) { std::memcpy(p, s.c_str(), s.size() + 1); }
std::string read_text(const std::byte* p) { return reinterpret_cast<const char*>(p); }

bool ends_with(const std::wstring& s, const std::wstring& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

} // namespace

TEST_CASE("paths: a UTF-16 name with an unpaired surrogate reaches Windows unchanged", "[paths][names]") {
    const std::wstring base = widen_ascii(unique_name("lone"));
    // A lone high surrogate, a lone low one, a high one at the end, and a pair in the wrong order.
    for (const std::wstring& tail : {std::wstring(L"-\xD800-x"), std::wstring(L"-\xDC00-x"), std::wstring(L"-\xDBFF"),
                                     std::wstring(L"-\xDC00\xD800")}) {
        const std::wstring name = base + tail;
        CAPTURE(name.size());
        // Created from a std::wstring, opened again from a const wchar_t*: the kernel found the object by that name.
        const auto created = FileMapping::create(name, 4096);
        const auto written = created.map(Access::read_write);
        write_text(written.data(), "same");
        const auto opened = FileMapping::open(name.c_str(), Access::read);
        const auto read = opened.map();
        CHECK(read_text(read.data()) == "same");
        // The kernel holds exactly these units...
        CHECK(ends_with(kernel_object_name(created.native_handle()), tail));
        // ... and not a replacement: the name with U+FFFD where the surrogate was names nothing.
        std::wstring replaced = name;
        for (wchar_t& c : replaced) {
            if (c >= 0xD800 && c <= 0xDFFF) {
                c = 0xFFFD;
            }
        }
        std::error_code ec;
        (void)FileMapping::open(replaced, Access::read, ec);
        CHECK(ec == std::errc::no_such_file_or_directory);
    }

    // Another kind of object, named by a std::wstring_view.
    const std::wstring event_name = base + L"-event-\xD800";
    auto event = NamedEvent::create(std::wstring_view(event_name), sharemap::EventReset::manual);
    auto same = NamedEvent::open(event_name);
    same.set();
    CHECK(event.wait_for(std::chrono::milliseconds(0)));
}

TEST_CASE("paths: a std::filesystem::path with an unpaired surrogate reaches CreateFileW unchanged", "[paths][file]") {
    // NTFS allows such a file name; Wine 8 cannot store one on its Unix file system and fails with
    // ERROR_FILE_NOT_FOUND (measured). Either way sharemap must get exactly what CreateFileW itself gets for that path.
    std::filesystem::path path = sharemap_test::unique_temp_path("lone");
    path += L"-\xD800.bin";
    REQUIRE(path.native().find(L'\xD800') != std::wstring::npos);

    HANDLE raw = CreateFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL,
                             nullptr);
    const DWORD raw_error = raw == INVALID_HANDLE_VALUE ? GetLastError() : ERROR_SUCCESS;
    if (raw != INVALID_HANDLE_VALUE) {
        CloseHandle(raw);
        DeleteFileW(path.c_str());
    }

    std::error_code ec;
    {
        const File file = File::create(path, ec);
        // Never refused by sharemap itself: the outcome is CreateFileW's.
        CHECK(ec != std::errc::illegal_byte_sequence);
        CHECK(ec == std::error_code(static_cast<int>(raw_error), std::system_category()));
        if (!ec) {
            // Windows: the file exists under exactly that name (opened again from a std::wstring).
            std::error_code ec2;
            const File again = File::open(path.native(), Access::read, ec2);
            CHECK_FALSE(ec2);
        } else {
            WARN("CreateFileW itself refused a path with an unpaired surrogate here, with error "
                 << raw_error << " (Wine cannot store such a name); sharemap reported " << ec.value());
        }
    }
    DeleteFileW(path.c_str());
}

TEST_CASE("paths: UTF-8 is still checked: invalid UTF-8 is errc::illegal_byte_sequence", "[paths][names]") {
    std::error_code ec;
    // A surrogate encoded in UTF-8 (CESU-8), a lone continuation byte, a truncated sequence, an overlong '/'.
    for (const std::string& bad :
         {std::string("\xED\xA0\x80"), std::string("\x80"), std::string("\xC3"), std::string("\xC0\xAF")}) {
        (void)FileMapping::create(unique_name("utf8") + bad, 4096, ec);
        CHECK(ec == std::errc::illegal_byte_sequence);
        (void)File::create(std::string("bad-") + bad + ".bin", ec);
        CHECK(ec == std::errc::illegal_byte_sequence);
    }
    CHECK_THROWS_AS(File::open("bad-\xFF.bin", Access::read), std::system_error);
#if defined(__cpp_char8_t)
    (void)FileMapping::open(std::u8string(u8"Local\\x-") + char8_t(0xFF), Access::read, ec);
    CHECK(ec == std::errc::illegal_byte_sequence);
#endif
    // A NUL inside a UTF-16 name is still refused: Windows would cut the name there.
    (void)FileMapping::create(std::wstring(L"Local\\a\0b", 9), 4096, ec);
    CHECK(ec == std::errc::invalid_argument);
}
