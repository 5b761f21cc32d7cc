// SPDX-License-Identifier: MIT
// File and file-backed mappings: opening and creating files, mapping them, private copy-on-write views, flushing,
// and two processes sharing one file.
#include <sharemap/errc.hpp>
#include <sharemap/file.hpp>
#include <sharemap/file_mapping.hpp>
#include <sharemap/map_file.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/common.hpp"

#include <windows.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

using sharemap::Access;
using sharemap::File;
using sharemap::FileMapping;
using sharemap_test::run_child;
using sharemap_test::TempFile;
using sharemap_test::win32_code;

namespace {

// Ordinary file I/O, independent of sharemap.
std::string read_whole_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_whole_file(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string text_at(const std::byte* p, std::size_t n) { return std::string(reinterpret_cast<const char*>(p), n); }

} // namespace

TEST_CASE("FileOptions::inheritable and set_inheritable control a File's inherit flag", "[file]") {
    TempFile temp("file-inherit");
    File plain = File::create(temp.path());
    CHECK_FALSE(plain.is_inheritable());
    plain.set_inheritable(true);
    CHECK(plain.is_inheritable());
    plain.set_inheritable(false);
    CHECK_FALSE(plain.is_inheritable());
    const File inheritable = File::open(temp.path(), Access::read, sharemap::FileOptions().inheritable());
    DWORD flags = 0;
    REQUIRE(GetHandleInformation(inheritable.native_handle(), &flags));
    CHECK((flags & HANDLE_FLAG_INHERIT) != 0);
    CHECK(inheritable.is_inheritable());
    File empty;
    std::error_code ec;
    (void)empty.is_inheritable(ec);
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_THROWS_AS(empty.is_inheritable(), std::system_error);
    empty.set_inheritable(true, ec);
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_THROWS_AS(empty.set_inheritable(true), std::system_error);
}

TEST_CASE("File::create, open and open_or_create", "[file]") {
    TempFile temp("file-basics");
    const auto& path = temp.path();
    std::error_code ec;

    (void)File::open(path, Access::read, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    CHECK_THROWS_AS(File::open(path, Access::read), std::system_error);

    File created = File::create(path);
    CHECK(created);
    CHECK_FALSE(created.existed());
    CHECK(created.size() == 0);
    CHECK(created.access() == Access::read_write);

    (void)File::create(path, ec);
    CHECK(ec == std::errc::file_exists);

    File again = File::open_or_create(path);
    CHECK(again.existed());
    TempFile other("file-new");
    File fresh = File::open_or_create(other.path());
    CHECK_FALSE(fresh.existed());

    created.resize(12345);
    CHECK(created.size() == 12345);
    CHECK(again.size() == 12345); // the same file, seen through another handle
    created.resize(10);
    CHECK(File::open(path.string(), Access::read).size() == 10);  // UTF-8 spelling
    CHECK(File::open(path.wstring(), Access::read).size() == 10); // UTF-16 spelling

    File empty;
    CHECK(empty.native_handle() == INVALID_HANDLE_VALUE);
    (void)empty.size(ec);
    CHECK(ec == sharemap::errc::invalid_handle);
}

TEST_CASE("A file opened read-only refuses writes, cannot be resized and cannot be flushed", "[file]") {
    TempFile temp("file-readonly");
    write_whole_file(temp.path(), "0123456789");
    File reader = File::open(temp.path(), Access::read);
    CHECK(reader.size() == 10);
    std::error_code ec;
    reader.resize(20, ec);
    CHECK(ec == std::errc::permission_denied);
    CHECK(read_whole_file(temp.path()) == "0123456789");
    // FlushFileBuffers needs write access: the durable flush of a read-only file is refused, not silently skipped.
    reader.flush(ec);
    CHECK(ec == std::errc::permission_denied);
    const FileMapping mapping = FileMapping::from_file(reader, Access::read);
    auto view = mapping.map();
    view.flush(ec); // writing back a read-only view's (clean) pages is fine
    CHECK_FALSE(ec);
    view.flush(reader, ec);
    CHECK(ec == std::errc::permission_denied);
}

TEST_CASE("from_file: size 0 is the file's size, a larger size grows the file", "[file][file_mapping]") {
    TempFile temp("from-file");
    write_whole_file(temp.path(), "hello, mapped file");
    File file = File::open(temp.path(), Access::read_write);

    FileMapping whole = FileMapping::from_file(file, Access::read_write);
    CHECK(whole.size() == 18);
    auto view = whole.map();
    CHECK(view.size() == 18);
    CHECK(text_at(view.data(), 5) == "hello");

    FileMapping grown = FileMapping::from_file(file, Access::read_write, 100000);
    CHECK(grown.size() == 100000);
    CHECK(file.size() == 100000);
    auto tail = grown.map(Access::read_write, 99990, 10);
    std::memcpy(tail.data(), "tail-bytes", 10);
}

TEST_CASE("Mapping an empty file with size 0 is ERROR_FILE_INVALID, in both forms", "[file][errors]") {
    TempFile temp("empty");
    File file = File::create(temp.path());
    std::error_code ec;
    FileMapping m = FileMapping::from_file(file, Access::read_write, 0, ec);
    CHECK(ec == win32_code(ERROR_FILE_INVALID));
    CHECK_FALSE(m);
    CHECK_THROWS_AS(FileMapping::from_file(file, Access::read), std::system_error);
    (void)sharemap::map_file(temp.path(), Access::read, ec);
    CHECK(ec == win32_code(ERROR_FILE_INVALID));
    CHECK(file.size() == 0);
}

TEST_CASE("A file opened read-only maps read-only; asking for write is permission_denied", "[file][errors]") {
    TempFile temp("ro-map");
    write_whole_file(temp.path(), "read only");
    File file = File::open(temp.path(), Access::read);
    std::error_code ec;
    (void)FileMapping::from_file(file, Access::read_write, 0, ec);
    CHECK(ec == std::errc::permission_denied);
    FileMapping readable = FileMapping::from_file(file, Access::read);
    const auto view1 = readable.map();
    CHECK(text_at(view1.data(), 9) == "read only");
    (void)readable.map(Access::read_write, 0, 0, ec);
    CHECK(ec == std::errc::permission_denied);
    (void)FileMapping::from_file(file, Access::read, 4096, ec); // cannot grow a file opened for reading
    CHECK(ec == std::errc::not_enough_memory);                  // as from_file promises
    CHECK(ec == sharemap::errc::not_enough_memory);
    CHECK(file.size() == 9);
}

// Child: maps the file and reports what it sees at the start.
SHAREMAP_TEST_CHILD(read_file_head) {
    auto view = sharemap::map_file(args.at(0), Access::read);
    CHILD_CHECK(text_at(view.data(), args.at(1).size()) == args.at(1));
    return 0;
}

TEST_CASE("copy_on_write views keep their writes private: not in the file, not in other processes", "[file][process]") {
    TempFile temp("cow");
    write_whole_file(temp.path(), "original content");
    File file = File::open(temp.path(), Access::read); // copy-on-write needs only read access
    FileMapping mapping = FileMapping::from_file(file, Access::copy_on_write);
    auto view = mapping.map(Access::copy_on_write);
    std::memcpy(view.data(), "modified", 8);
    CHECK(text_at(view.data(), 16) == "modified content");
    view.flush();
    CHECK(run_child("read_file_head", {temp.path().string(), "original content"}) == 0);
    const auto view2 = sharemap::map_file(temp.path(), Access::read);
    CHECK(text_at(view2.data(), 16) == "original content");
    view.close();
    mapping.close();
    file.close();
    CHECK(read_whole_file(temp.path()) == "original content");
}

TEST_CASE("Written bytes reach the file: view flush, durable flush, then ordinary file I/O reads them", "[file]") {
    TempFile temp("flush");
    {
        File file = File::create(temp.path());
        FileMapping mapping = FileMapping::from_file(file, Access::read_write, 70000);
        auto view = mapping.map(Access::read_write, 65530, 0); // crosses a granularity boundary
        REQUIRE(view.size() == 70000 - 65530);
        std::memcpy(view.data(), "ABCDEFGHIJ", 10);
        std::memcpy(view.data() + view.size() - 4, "END!", 4);
        view.flush(file); // FlushViewOfFile, then FlushFileBuffers
    }
    const std::string bytes = read_whole_file(temp.path());
    REQUIRE(bytes.size() == 70000);
    CHECK(bytes.substr(65530, 10) == "ABCDEFGHIJ");
    CHECK(bytes.substr(69996) == "END!");
    CHECK(bytes[0] == '\0');
}

TEST_CASE("Shrinking a mapped file is refused with ERROR_USER_MAPPED_FILE", "[file][errors]") {
    TempFile temp("shrink");
    write_whole_file(temp.path(), std::string(8192, 'x'));
    File file = File::open(temp.path(), Access::read_write);
    FileMapping mapping = FileMapping::from_file(file, Access::read_write);
    std::error_code ec;
    file.resize(100, ec);
    CHECK(ec == win32_code(ERROR_USER_MAPPED_FILE));
    CHECK(file.size() == 8192);
}

// Child: opens the same file itself (its own File and FileMapping) and writes a record at an offset.
SHAREMAP_TEST_CHILD(write_file_record) {
    File file = File::open(args.at(0), Access::read_write);
    FileMapping mapping = FileMapping::from_file(file, Access::read_write);
    auto view = mapping.map(Access::read_write, std::stoull(args.at(1)), args.at(2).size());
    std::memcpy(view.data(), args.at(2).data(), args.at(2).size());
    return 0;
}

TEST_CASE("Two processes mapping one file see each other's writes", "[file][process]") {
    TempFile temp("shared-file");
    File file = File::create(temp.path());
    FileMapping mapping = FileMapping::from_file(file, Access::read_write, 200000);
    auto view = mapping.map(Access::read_write);
    std::memcpy(view.data(), "from the parent", 15);
    REQUIRE(run_child("write_file_record", {temp.path().string(), "131085", "from the child"}) == 0);
    CHECK(text_at(view.data() + 131085, 14) == "from the child");
    REQUIRE(run_child("read_file_head", {temp.path().string(), "from the parent"}) == 0);
}

TEST_CASE("map_file maps a whole file for reading or writing, with no hidden flush", "[file]") {
    TempFile temp("map-file");
    write_whole_file(temp.path(), "abcdef");
    {
        auto view = sharemap::map_file(temp.path(), Access::read_write);
        REQUIRE(view.size() == 6);
        view.data()[0] = std::byte{'X'};
        view.flush();
    }
    CHECK(read_whole_file(temp.path()) == "Xbcdef");
    auto reader = sharemap::map_file(temp.path().u8string(), Access::read);
    CHECK(text_at(reader.data(), 6) == "Xbcdef");
    std::error_code ec;
    (void)sharemap::map_file(temp.path().string() + ".missing", Access::read, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
}

TEST_CASE("File move checklist and adopt", "[file][move]") {
    TempFile temp("file-move");
    File a = File::create(temp.path());
    void* h = a.native_handle();
    File b(std::move(a));
    CHECK(b.native_handle() == h);
    CHECK_FALSE(a);                                   // NOLINT(bugprone-use-after-move)
    CHECK(a.native_handle() == INVALID_HANDLE_VALUE); // NOLINT(bugprone-use-after-move)
    TempFile temp2("file-move-2");
    File c = File::create(temp2.path());
    c = std::move(b);
    CHECK(c.native_handle() == h);

    void* raw = c.release();
    CHECK_FALSE(c);
    File adopted = File::adopt(raw, Access::read_write);
    CHECK(adopted.size() == 0);

    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    std::error_code ec;
    File wrong = File::adopt(event, Access::read, ec);
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_FALSE(wrong);
    CHECK(SetEvent(event)); // still the caller's, still open
    CloseHandle(event);
}

// The sibling of consistency_test.cpp's "File::adopt takes only files on disk: a pipe or a directory ..." for the
// third kind of handle the docs promise adopt refuses: a character device, as a console is.
TEST_CASE("File::adopt takes only files on disk: a character device (NUL) is refused and left to the caller",
          "[file][errors]") {
    HANDLE device = CreateFileW(L"NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                                OPEN_EXISTING, 0, nullptr);
    REQUIRE(device != INVALID_HANDLE_VALUE);
    CHECK(GetFileType(device) == FILE_TYPE_CHAR); // what adopt is refusing, so that the checks below test something
    std::error_code ec;
    CHECK_FALSE(File::adopt(device, Access::read, ec));
    CHECK(ec == sharemap::errc::not_a_disk_file);
    try {
        (void)File::adopt(device, Access::read_write);
        FAIL("a character device was adopted as a File");
    } catch (const std::system_error& e) {
        CHECK(e.code() == sharemap::errc::not_a_disk_file);
    }
    DWORD written = 0;
    CHECK(WriteFile(device, "x", 1, &written, nullptr)); // still open, still the caller's
    CHECK(CloseHandle(device));
}
