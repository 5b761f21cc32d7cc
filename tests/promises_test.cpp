// SPDX-License-Identifier: MIT
// One test per promise the documentation makes that no other test could fail on: the specific error each doc
// comment names, the named from_file overloads, adopt without SECTION_QUERY, duplicate_into without
// PROCESS_DUP_HANDLE, File's errors and file pointer, Process's terminate/wait_for/exit_code/moves, command-line
// quoting through a real child, as<T> on an unaligned view, timeouts of 49.7 days and more, and copy-on-write
// pagefile views seen from another process.
#include <sharemap/detail/sync.hpp>
#include <sharemap/errc.hpp>
#include <sharemap/file.hpp>
#include <sharemap/file_mapping.hpp>
#include <sharemap/named_event.hpp>
#include <sharemap/process.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"

#include <windows.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <shellapi.h>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using sharemap::Access;
using sharemap::File;
using sharemap::FileMapping;
using sharemap::Process;
using sharemap::ProcessOptions;
using sharemap_test::TempFile;
using sharemap_test::unique_name;
using sharemap_test::unique_temp_path;

namespace {

std::wstring self() { return Process::current_executable().wstring(); }

std::wstring wide(const std::string& s) { return std::wstring(s.begin(), s.end()); } // ASCII names only

std::string read_binary(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string utf8(const wchar_t* text) {
    const int n = WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
    std::string out(static_cast<std::size_t>(n > 0 ? n - 1 : 0), '\0');
    if (n > 1) {
        WideCharToMultiByte(CP_UTF8, 0, text, -1, out.data(), n, nullptr, nullptr);
    }
    return out;
}

} // namespace

// ---------------------------------------------------------------------------------------------------------------
// FileMapping

TEST_CASE("promises: the named from_file overloads make a section other handles open by name", "[promises][file]") {
    TempFile temp("named-from-file");
    File file = File::create(temp.path());
    const std::string name = unique_name("named-from-file");
    {
        FileMapping mapping = FileMapping::from_file(file, name, Access::read_write, 8192);
        CHECK_FALSE(mapping.existed());
        const auto written = mapping.map();
        std::memcpy(written.data(), "through the name", 16);
        FileMapping opened = FileMapping::open(name, Access::read);
        const auto read = opened.map();
        CHECK(std::memcmp(read.data(), "through the name", 16) == 0);
        CHECK(opened.size() == 8192);

        std::error_code ec;
        FileMapping again = FileMapping::from_file(file, name, Access::read_write, 8192, ec);
        CHECK(ec == std::errc::file_exists);
        CHECK(ec == sharemap::errc::already_exists);
        CHECK_FALSE(again);
        CHECK_THROWS_AS(FileMapping::from_file(file, name, Access::read_write, 8192, sharemap::CreateOptions()),
                        std::system_error);
    }
    // The name went with the last handle; the error_code form with options works as the throwing one.
    std::error_code ec;
    FileMapping second = FileMapping::from_file(file, name, Access::read, 0, sharemap::CreateOptions(), ec);
    CHECK_FALSE(ec);
    CHECK(second.size() == 8192);
    const auto reopened = FileMapping::open(name, Access::read);
    const auto reread = reopened.map();
    CHECK(std::memcmp(reread.data(), "through the name", 16) == 0);
}

TEST_CASE("promises: adopt of a handle without SECTION_QUERY: size and map with length 0 are permission_denied",
          "[promises][handles]") {
    const std::string name = unique_name("no-query");
    FileMapping mapping = FileMapping::create(name, 65536);
    const auto written = mapping.map();
    std::memcpy(written.data(), "no query", 8);
    HANDLE h = OpenFileMappingW(FILE_MAP_READ, FALSE, wide(name).c_str()); // SECTION_MAP_READ only
    REQUIRE(h != nullptr);
    std::error_code ec;
    FileMapping adopted = FileMapping::adopt(h, Access::read, ec);
    REQUIRE_FALSE(ec);
    (void)adopted.size(ec);
    CHECK(ec == sharemap::errc::permission_denied);
    CHECK(ec == std::errc::permission_denied);
    (void)adopted.map(Access::read, 0, 0, ec);
    CHECK(ec == sharemap::errc::permission_denied);
    auto view = adopted.map(Access::read, 0, 4096, ec); // an explicit length needs no query
    CHECK_FALSE(ec);
    REQUIRE(view);
    CHECK(std::memcmp(view.data(), "no query", 8) == 0);
}

TEST_CASE("promises: duplicate_into a process handle without PROCESS_DUP_HANDLE is permission_denied",
          "[promises][handles]") {
    FileMapping mapping = FileMapping::create_unnamed(4096);
    HANDLE weak = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, GetCurrentProcessId());
    REQUIRE(weak != nullptr);
    std::error_code ec;
    void* value = mapping.duplicate_into(weak, Access::read, ec);
    CHECK(ec == sharemap::errc::permission_denied);
    CHECK(ec == std::errc::permission_denied);
    CHECK(value == nullptr);
    CloseHandle(weak);

    // The same with the right works: the duplicate (here in this process) is a section.
    HANDLE strong = OpenProcess(PROCESS_DUP_HANDLE, FALSE, GetCurrentProcessId());
    REQUIRE(strong != nullptr);
    value = mapping.duplicate_into(strong, Access::read, ec);
    CHECK_FALSE(ec);
    REQUIRE(value != nullptr);
    CHECK(FileMapping::adopt(value, Access::read).map(Access::read, 0, 4096));
    CloseHandle(strong);
}

// Child: opens the section args[0] by name and checks that it starts with args[1].
SHAREMAP_TEST_CHILD(promises_expect_text) {
    auto view = FileMapping::open(args.at(0), Access::read).map();
    CHILD_CHECK(std::memcmp(view.data(), args.at(1).data(), args.at(1).size()) == 0);
    return 0;
}

TEST_CASE("promises: a copy-on-write view of a pagefile section keeps its writes from other processes",
          "[promises][mapped_view][process]") {
    const std::string name = unique_name("cow-pagefile");
    FileMapping mapping = FileMapping::create(name, 65536);
    auto shared = mapping.map(Access::read_write);
    std::memcpy(shared.data(), "original bytes", 14);
    auto cow = mapping.map(Access::copy_on_write);
    std::memcpy(cow.data(), "modified", 8);
    CHECK(std::memcmp(cow.data(), "modified bytes", 14) == 0);
    CHECK(std::memcmp(shared.data(), "original bytes", 14) == 0);
    CHECK(sharemap_test::run_child("promises_expect_text", {name, "original bytes"}) == 0);
    // And the check can fail: a write through the shared view is seen by the child.
    std::memcpy(shared.data(), "modified", 8);
    CHECK(sharemap_test::run_child("promises_expect_text", {name, "modified bytes"}) == 0);
}

TEST_CASE("promises: as<T> checks the alignment of the address, not of the offset", "[promises][mapped_view]") {
    FileMapping mapping = FileMapping::create_unnamed(65536);
    auto view = mapping.map(Access::read_write, 1, 64); // data() is one byte past an aligned boundary
    REQUIRE(reinterpret_cast<std::uintptr_t>(view.data()) % alignof(std::uint32_t) == 1);
    std::error_code ec;
    CHECK(view.as<std::uint32_t>(0, ec) == nullptr); // offset 0 is aligned, the address is not
    CHECK(ec == sharemap::errc::misaligned);         // fits, but the address is not aligned for T
    auto* p = view.as<std::uint32_t>(3, ec);         // offset 3 is not aligned, the address is
    CHECK_FALSE(ec);
    CHECK(reinterpret_cast<std::byte*>(p) == view.data() + 3);
    CHECK_THROWS_AS(view.as<std::uint64_t>(4), std::system_error);
}

// ---------------------------------------------------------------------------------------------------------------
// File

TEST_CASE("promises: File's sharing-violation, permission-denied and missing-folder errors", "[promises][file]") {
    TempFile temp("file-errors");
    (void)File::create(temp.path());
    std::error_code ec;
    {
        // Another handle that lets others only read.
        HANDLE h = CreateFileW(temp.path().wstring().c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                               FILE_ATTRIBUTE_NORMAL, nullptr);
        REQUIRE(h != INVALID_HANDLE_VALUE);
        (void)File::open(temp.path(), Access::read_write, ec);
        CHECK(ec == sharemap::errc::sharing_violation);
        CHECK(ec == std::errc::device_or_resource_busy);
        (void)File::open_or_create(temp.path(), ec);
        CHECK(ec == sharemap::errc::sharing_violation);
        CHECK(File::open(temp.path(), Access::read, ec)); // reading is what it shares
        CloseHandle(h);
    }
    {
        // A folder is no file to open (CreateFileW without FILE_FLAG_BACKUP_SEMANTICS: ERROR_ACCESS_DENIED). The
        // read-only attribute would be the other way to be refused, but Wine running as root ignores it.
        const auto folder = unique_temp_path("folder");
        REQUIRE(CreateDirectoryW(folder.wstring().c_str(), nullptr));
        (void)File::open(folder, Access::read, ec);
        CHECK(ec == sharemap::errc::permission_denied);
        CHECK(ec == std::errc::permission_denied);
        (void)File::open_or_create(folder, ec);
        CHECK(ec == std::errc::permission_denied);
        RemoveDirectoryW(folder.wstring().c_str());
    }
    const auto missing = unique_temp_path("no-such-folder") / "file";
    (void)File::create(missing, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    CHECK(ec == sharemap::errc::not_found);
    (void)File::open_or_create(missing, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    (void)File::open(missing, Access::read, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
}

TEST_CASE("promises: share_delete lets others delete an open file; without it they cannot", "[promises][file]") {
    TempFile temp("share-delete");
    {
        File plain = File::create(temp.path());
        CHECK_FALSE(DeleteFileW(temp.path().wstring().c_str()));
        CHECK(GetLastError() == ERROR_SHARING_VIOLATION);
    }
    File shared = File::open(temp.path(), Access::read_write, sharemap::FileOptions().share_delete());
    CHECK(DeleteFileW(temp.path().wstring().c_str()));
}

TEST_CASE("promises: resize sets the size and moves the file pointer to the new end", "[promises][file]") {
    TempFile temp("resize-pointer");
    File file = File::create(temp.path());
    DWORD written = 0;
    REQUIRE(WriteFile(file.native_handle(), "abc", 3, &written, nullptr));
    const auto pointer = [&] {
        LARGE_INTEGER zero{};
        LARGE_INTEGER at{};
        REQUIRE(SetFilePointerEx(file.native_handle(), zero, &at, FILE_CURRENT));
        return at.QuadPart;
    };
    CHECK(pointer() == 3);
    file.resize(100);
    CHECK(file.size() == 100);
    CHECK(pointer() == 100);
    file.resize(10);
    CHECK(file.size() == 10);
    CHECK(pointer() == 10);
    REQUIRE(WriteFile(file.native_handle(), "z", 1, &written, nullptr));
    CHECK(file.size() == 11); // written at the new end
    file.close();
    const std::string bytes = read_binary(temp.path());
    CHECK(bytes == std::string("abc") + std::string(7, '\0') + "z");
}

// ---------------------------------------------------------------------------------------------------------------
// Process

// Child: waits (at most 90 s) for the event args[0]; exits 0.
SHAREMAP_TEST_CHILD(promises_wait_event) { return sharemap::NamedEvent::open(args.at(0)).wait_for(90s) ? 0 : 1; }

TEST_CASE("promises: Process exit_code while running, wait_for that times out, terminate, and moves",
          "[promises][process]") {
    const std::string name = unique_name("process-go");
    auto go = sharemap::NamedEvent::create(name, sharemap::EventReset::manual);
    Process p = Process::start(self(), {"--child", "promises_wait_event", name});
    const unsigned long id = p.id();
    CHECK(id != 0);
    CHECK(p.exit_code() == STILL_ACTIVE);
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_FALSE(p.wait_for(100ms));
    CHECK(std::chrono::steady_clock::now() - t0 >= 100ms - 16ms);

    Process q(std::move(p)); // the handle moves; p is empty and fails as an empty Process does
    CHECK_FALSE(p);
    CHECK(p.id() == 0);
    CHECK(q.id() == id);
    std::error_code ec;
    (void)p.exit_code(ec);
    CHECK(ec == sharemap::errc::invalid_handle);
    Process r;
    r = std::move(q);
    CHECK_FALSE(q);
    CHECK(r.id() == id);
    auto& self_ref = r;
    r = std::move(self_ref); // self-move leaves it as it was
    CHECK(r.id() == id);

    r.terminate(7);
    CHECK(r.wait_for(90s));
    CHECK(r.exit_code() == 7);
    CHECK(r.wait() == 7);

    Process normal = Process::start(self(), {"--child", "promises_wait_event", name});
    go.set();
    CHECK(normal.wait_for(90s));
    CHECK(normal.exit_code() == 0);
}

// Child: writes every argument after its role, exactly as CommandLineToArgvW reads its command line, as UTF-8,
// each as "<length>:<bytes>\n", to its standard output (WriteFile: no text-mode translation).
SHAREMAP_TEST_CHILD(promises_echo_argv) {
    int argc = 0;
    wchar_t** argv = CommandLineToArgvW(GetCommandLineW(), &argc);
    CHILD_CHECK(argv != nullptr);
    std::string out;
    for (int i = 3; i < argc; ++i) { // after the program, --child and the role
        const std::string a = utf8(argv[i]);
        out += std::to_string(a.size()) + ":" + a + "\n";
    }
    LocalFree(argv);
    DWORD written = 0;
    CHILD_CHECK(WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), out.data(), static_cast<DWORD>(out.size()), &written,
                          nullptr) != FALSE);
    return 0;
}

TEST_CASE("promises: command-line quoting round-trips through a real child", "[promises][process]") {
    const std::vector<std::string> tricky{
        "plain",
        "with space",
        "",
        "\"",
        "a\"b",
        "\\",
        "trailing backslash\\",
        "two trailing\\\\",
        "backslash before quote\\\"",
        "three\\\\\\\"quote",
        "C:\\Program Files\\x\\",
        "\\\\server\\share\\",
        "tab\there",
        "\"\"",
        "ends with quote\"",
        "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", // é, €, and an emoji (a surrogate pair in UTF-16)
    };
    std::vector<std::string> arguments{"--child", "promises_echo_argv"};
    arguments.insert(arguments.end(), tricky.begin(), tricky.end());
    TempFile out("argv.txt");
    {
        File file = File::create(out.path());
        Process child = Process::start(self(), arguments, ProcessOptions().standard_output(file));
        REQUIRE(child.wait_for(90s));
        REQUIRE(child.exit_code() == 0);
    }
    std::string expected;
    for (const auto& a : tricky) {
        expected += std::to_string(a.size()) + ":" + a + "\n";
    }
    CHECK(read_binary(out.path()) == expected);
}

// ---------------------------------------------------------------------------------------------------------------
// Timeouts of 49.7 days and more

TEST_CASE("promises: one wait is at most 49.7 days; longer timeouts say they are not complete", "[promises][wait]") {
    namespace sync = sharemap::detail::sync;
    constexpr auto longest = sync::longest_wait_ms;
    REQUIRE(longest == 0xFFFFFFFEu);
    bool complete = false;
    CHECK(sync::to_wait_ms(std::chrono::milliseconds(longest - 1), complete) == longest - 1);
    CHECK(complete);
    CHECK(sync::to_wait_ms(std::chrono::milliseconds(longest), complete) == longest);
    CHECK(sync::to_wait_ms(std::chrono::milliseconds(std::int64_t{longest} + 1), complete) == longest);
    CHECK_FALSE(complete);
    CHECK(sync::to_wait_ms(std::chrono::milliseconds(0xFFFFFFFFu), complete) == longest); // never INFINITE
    CHECK_FALSE(complete);
    CHECK(sync::to_wait_ms(std::chrono::hours(24 * 50), complete) == longest);
    CHECK_FALSE(complete);
    CHECK(sync::to_wait_ms(std::chrono::microseconds(1), complete) == 1); // rounded up, never 0
    CHECK(complete);
    CHECK(sync::to_wait_ms(std::chrono::microseconds(std::int64_t{longest - 1} * 1000 + 1), complete) == longest);
    CHECK(sync::to_wait_ms(-1s, complete) == 0);

    const auto now = std::chrono::steady_clock::now();
    CHECK(sync::wait_ms_until(now + std::chrono::milliseconds(longest - 1), now, complete) == longest - 1);
    CHECK(complete);
    CHECK(sync::wait_ms_until(now + std::chrono::milliseconds(std::int64_t{longest} + 1), now, complete) == longest);
    CHECK_FALSE(complete);
    CHECK(sync::wait_ms_until(now + std::chrono::hours(24 * 60), now, complete) == longest);
    CHECK_FALSE(complete);
    CHECK(sync::wait_ms_until(now - 1ms, now, complete) == 0);
}

namespace {
// A clock that moves only when the fake wait below says time passed.
struct FakeClock {
    using rep = std::int64_t;
    using period = std::milli;
    using duration = std::chrono::duration<rep, period>;
    using time_point = std::chrono::time_point<FakeClock>;
    [[maybe_unused]] static constexpr bool is_steady = true; // a Clock must say; wait_until does not ask
    static inline rep ms = 0;
    static time_point now() noexcept { return time_point(duration(ms)); }
};
} // namespace

TEST_CASE("promises: the long-wait loop waits 100 days as three waits, each at most 49.7 days", "[promises][wait]") {
    namespace sync = sharemap::detail::sync;
    FakeClock::ms = 0;
    std::vector<std::uint32_t> waits;
    const auto deadline = FakeClock::time_point(std::chrono::hours(24 * 100));
    const auto result = sync::wait_until(deadline, [&](std::uint32_t ms) {
        waits.push_back(ms);
        FakeClock::ms += ms;
        return static_cast<std::uint32_t>(WAIT_TIMEOUT);
    });
    CHECK(result == WAIT_TIMEOUT);
    REQUIRE(waits.size() == 3);
    CHECK(waits[0] == sync::longest_wait_ms);
    CHECK(waits[1] == sync::longest_wait_ms);
    CHECK(std::uint64_t{waits[0]} + waits[1] + waits[2] == 24ull * 100 * 3600 * 1000); // ends at the deadline
}

TEST_CASE("promises: wait_for of 50 days returns true when the event is set 200 ms later", "[promises][wait]") {
    auto event = sharemap::NamedEvent::create_unnamed(sharemap::EventReset::manual);
    std::thread setter([&] {
        Sleep(200); // not sleep_for: see support/leak_listener.cpp
        event.set();
    });
    const auto t0 = std::chrono::steady_clock::now();
    const bool signalled = event.wait_for(std::chrono::hours(24 * 50));
    const auto waited = std::chrono::steady_clock::now() - t0;
    setter.join();
    CHECK(signalled);
    CHECK(waited >= 200ms - 16ms);
    CHECK(waited < 60s);

    // A Process too: 50 days, and more than steady_clock can add (forever).
    Process child = Process::start(self(), {"--child", "promises_wait_event", unique_name("never-set")});
    child.terminate(3);
    CHECK(child.wait_for(std::chrono::hours(24 * 50)));
    CHECK(child.wait_for(std::chrono::hours::max()));
}
