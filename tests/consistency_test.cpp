// SPDX-License-Identifier: MIT
// One way to read every type: one size for one section in every process, the same handle members on every kernel
// object, const waits and signals, what a view and the system tell about themselves, and File::adopt's checks.
#include <sharemap/sharemap.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/common.hpp"
#include "support/leaks.hpp"

#include <windows.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <type_traits>

using namespace std::chrono_literals;
using sharemap::Access;
using sharemap::FileMapping;
using sharemap_test::run_child;
using sharemap_test::unique_name;
using sharemap_test::win32_code;

namespace {

std::uint64_t page_rounded(std::uint64_t n) {
    SYSTEM_INFO si{};
    GetSystemInfo(&si);
    return (n + si.dwPageSize - 1) / si.dwPageSize * si.dwPageSize;
}

} // namespace

// Child: reaches the section named args[0] as args[1] says ("open", "create_or_open", or "adopt" of the inherited
// handle value args[2]), and exits 0 if size() and a whole-section view's size are args[3].
SHAREMAP_TEST_CHILD(report_size) {
    const std::string how = args.at(1);
    FileMapping mapping;
    if (how == "open") {
        mapping = FileMapping::open(args.at(0), Access::read);
    } else if (how == "create_or_open") {
        mapping = FileMapping::create_or_open(args.at(0), 5000);
        CHILD_CHECK(mapping.existed());
    } else {
        mapping = FileMapping::adopt(sharemap_test::handle_from(args.at(2)), Access::read);
    }
    const auto expected = std::stoull(args.at(3));
    CHILD_CHECK(mapping.size() == expected);
    CHILD_CHECK(mapping.map().size() == expected);
    return 0;
}

// Child: creates the section named args[0] with 5000 bytes, signals the event args[1], and holds it until killed.
SHAREMAP_TEST_CHILD(create_5000_and_hold) {
    auto mapping = FileMapping::create(args.at(0), 5000);
    sharemap::NamedEvent::open(args.at(1)).set();
    Sleep(120000);
    return 0;
}

TEST_CASE("One size for one section: every way of reaching it reports the kernel's page-rounded size",
          "[file_mapping][process]") {
    const std::uint64_t expected = page_rounded(5000);
    REQUIRE(expected != 5000);
    const std::string e = std::to_string(expected);

    SECTION("creator first: create, open, duplicate, and open / adopt in another process") {
        const std::string name = unique_name("one-size");
        auto created = FileMapping::create(name, 5000, sharemap::CreateOptions().inheritable());
        CHECK(created.size() == expected);
        CHECK(created.map().size() == expected);
        CHECK(FileMapping::open(name, Access::read).size() == expected);
        CHECK(FileMapping::create_or_open(name, 5000).size() == expected);
        CHECK(created.duplicate().size() == expected);
        CHECK(created.duplicate(Access::read).size() == expected);
        CHECK(run_child("report_size", {name, "open", "0", e}) == 0);
        CHECK(run_child("report_size", {name, "create_or_open", "0", e}) == 0);
        const auto value = sharemap_test::handle_text(created.native_handle());
        auto child = sharemap_test::Child::start("report_size", {name, "adopt", value, e}, true);
        CHECK(child.wait() == 0);
    }
    SECTION("another process first: create_or_open here finds its section and reports the same size") {
        const std::string name = unique_name("one-size-late");
        const std::string ready = unique_name("one-size-ready");
        const auto event = sharemap::NamedEvent::create(ready, sharemap::EventReset::manual);
        auto holder = sharemap_test::Child::start("create_5000_and_hold", {name, ready});
        REQUIRE(event.wait_for(60s));
        auto found = FileMapping::create_or_open(name, 5000);
        CHECK(found.existed());
        CHECK(found.size() == expected);
        CHECK(found.map().size() == expected);
        holder.kill(0);
    }
    SECTION("a file-backed section keeps its exact size") {
        sharemap_test::TempFile temp("one-size-file");
        auto file = sharemap::File::create(temp.path());
        auto mapping = FileMapping::from_file(file, Access::read_write, 5000);
        CHECK(mapping.size() == 5000);
        CHECK(mapping.duplicate().size() == 5000);
        CHECK(file.size() == 5000);
    }
}

TEST_CASE("A view tells its offset and access; the system's page size and granularity are public", "[mapped_view]") {
    SYSTEM_INFO si{};
    GetSystemInfo(&si);
    CHECK(sharemap::allocation_granularity() == si.dwAllocationGranularity);
    CHECK(sharemap::page_size() == si.dwPageSize);

    auto mapping = FileMapping::create_unnamed(4 * sharemap::allocation_granularity());
    const auto whole = mapping.map();
    whole.data()[70000] = std::byte{42};
    const auto view = mapping.map(Access::read, 70000, 100);
    CHECK(view.offset() == 70000);
    CHECK(view.access() == Access::read);
    CHECK(view.data()[0] == std::byte{42}); // the offset is where data() is in the section
    CHECK(whole.offset() == 0);
    CHECK(whole.access() == Access::read_write);
    sharemap::MappedView moved = std::move(const_cast<sharemap::MappedView&>(view));
    CHECK(moved.offset() == 70000);
    moved.close();
    CHECK(moved.empty());
    CHECK(moved.offset() == 0);
}

namespace {

// Every kernel-object type gives up its handle with release() (NamedSemaphore: release_handle(), since its release
// is std::counting_semaphore's) and closes with close(); both leave an empty object, and only release leaks.
template <class T, class Make, class GiveUp>
void check_handle_members(Make&& make, GiveUp&& give_up) {
    const auto before = sharemap_test::count_resources();
    {
        T object = make();
        REQUIRE(object);
        void* h = give_up(object);
        CHECK_FALSE(object);
        CHECK_FALSE(object.existed());
        DWORD flags = 0;
        CHECK(GetHandleInformation(h, &flags)); // still open: it is the caller's now
        CHECK(CloseHandle(h));
    }
    {
        T object = make();
        T copy = object.duplicate();
        CHECK(copy.native_handle() != object.native_handle());
        object.close();
        CHECK_FALSE(object);
        object.close(); // closing an empty object does nothing
        std::error_code ec;
        CHECK_FALSE(object.duplicate(ec));
        CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    }
    CHECK(sharemap_test::count_resources() == before);
}

} // namespace

TEST_CASE("Every kernel-object type has the same handle members: duplicate, close, release", "[handles]") {
    const std::string name = unique_name("members");
    check_handle_members<FileMapping>([&] { return FileMapping::create_unnamed(4096); },
                                      [](FileMapping& m) { return m.release(); });
    check_handle_members<sharemap::NamedMutex>([&] { return sharemap::NamedMutex::create_unnamed(); },
                                               [](sharemap::NamedMutex& m) { return m.release(); });
    check_handle_members<sharemap::NamedEvent>(
        [&] { return sharemap::NamedEvent::create_unnamed(sharemap::EventReset::manual); },
        [](sharemap::NamedEvent& e) { return e.release(); });
    check_handle_members<sharemap::NamedSemaphore>([&] { return sharemap::NamedSemaphore::create_unnamed(0, 1); },
                                                   [](sharemap::NamedSemaphore& s) { return s.release_handle(); });
    sharemap_test::TempFile temp("members-file");
    check_handle_members<sharemap::File>([&] { return sharemap::File::open_or_create(temp.path()); },
                                         [](sharemap::File& f) { return f.release(); });
}

TEST_CASE("Waits and signals are const: a const object can be locked, set, waited for and released", "[sync]") {
    const auto mutex = sharemap::NamedMutex::create_unnamed();
    {
        std::lock_guard<const sharemap::NamedMutex> guard(mutex);
        CHECK(mutex.acquire_for(0ms) == sharemap::LockStatus::acquired); // recursive: this thread owns it
        mutex.unlock();
    }
    const auto event = sharemap::NamedEvent::create_unnamed(sharemap::EventReset::automatic);
    event.set();
    CHECK(event.wait_for(0ms));
    CHECK_FALSE(event.wait_for(0ms));
    const auto semaphore = sharemap::NamedSemaphore::create_unnamed(0, 2);
    CHECK(semaphore.release() == 0);
    CHECK(semaphore.try_acquire());
    static_assert(noexcept(mutex.unlock()), "unlock() is called from lock guards' destructors");
}

TEST_CASE("File::open takes only files on disk: a device, pipe or directory name is refused and nothing stays open",
          "[file][errors]") {
    std::error_code ec;
    CHECK_FALSE(sharemap::File::open("NUL", Access::read_write, ec));
    CHECK(ec == sharemap::errc::not_a_disk_file);
    CHECK_FALSE(sharemap::File::open_or_create("NUL", ec));
    CHECK(ec == sharemap::errc::not_a_disk_file);
    // Two instances of a pipe server: each open below connects to one.
    const std::string pipe_name = "\\\\.\\pipe\\" + sharemap_test::unique_name("file-open-pipe");
    HANDLE servers[2] = {};
    for (HANDLE& server : servers) {
        server = CreateNamedPipeA(pipe_name.c_str(), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 2, 64, 64, 0, nullptr);
        REQUIRE(server != INVALID_HANDLE_VALUE);
    }
    CHECK_FALSE(sharemap::File::open(pipe_name, Access::read_write, ec));
    CHECK(ec == sharemap::errc::not_a_disk_file);
    try {
        (void)sharemap::File::open(pipe_name, Access::read);
        FAIL("a pipe was opened as a File");
    } catch (const std::system_error& e) {
        CHECK(e.code() == sharemap::errc::not_a_disk_file);
    }
    for (HANDLE server : servers) {
        CHECK(CloseHandle(server));
    }
    // A directory: CreateFileW refuses it without FILE_FLAG_BACKUP_SEMANTICS, so open's type check needs no
    // directory test of its own (adopt's does).
    const std::filesystem::path folder = std::filesystem::temp_directory_path();
    CHECK_FALSE(sharemap::File::open(folder, Access::read, ec));
    CHECK(ec == sharemap::errc::permission_denied);
    CHECK_FALSE(sharemap::File::open_or_create(folder, ec));
    CHECK(ec == sharemap::errc::permission_denied);
}

TEST_CASE("File::adopt takes only files on disk: a pipe or a directory is refused and left to the caller",
          "[file][errors]") {
    HANDLE read_end = nullptr;
    HANDLE write_end = nullptr;
    REQUIRE(CreatePipe(&read_end, &write_end, nullptr, 0));
    std::error_code ec;
    CHECK_FALSE(sharemap::File::adopt(read_end, Access::read, ec));
    CHECK(ec == sharemap::errc::not_a_disk_file);
    CHECK_THROWS_AS(sharemap::File::adopt(write_end, Access::read_write), std::system_error);
    DWORD written = 0;
    CHECK(WriteFile(write_end, "x", 1, &written, nullptr)); // still open, still the caller's
    CloseHandle(read_end);
    CloseHandle(write_end);

    const std::wstring folder = std::filesystem::temp_directory_path().wstring();
    HANDLE directory = CreateFileW(folder.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                                   OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
    REQUIRE(directory != INVALID_HANDLE_VALUE);
    CHECK_FALSE(sharemap::File::adopt(directory, Access::read, ec));
    CHECK(ec == sharemap::errc::not_a_disk_file);
    CHECK(CloseHandle(directory));

    sharemap_test::TempFile temp("adopt-disk");
    HANDLE file = CreateFileW(temp.path().c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                              FILE_ATTRIBUTE_NORMAL, nullptr);
    REQUIRE(file != INVALID_HANDLE_VALUE);
    auto adopted = sharemap::File::adopt(file, Access::read_write, ec);
    CHECK_FALSE(ec);
    CHECK(adopted);
}

TEST_CASE("NamedEvent::is_set and NamedSemaphore::count read the state without changing it", "[sync]") {
    const std::string event_name = unique_name("is-set");
    const auto event = sharemap::NamedEvent::create(event_name, sharemap::EventReset::automatic);
    CHECK_FALSE(event.is_set());
    event.set();
    CHECK(event.is_set());
    CHECK(event.is_set());                                  // not consumed by asking
    CHECK(sharemap::NamedEvent::open(event_name).is_set()); // through another handle: the event's own state
    CHECK(event.wait_for(0ms));                             // the wait consumes it
    CHECK_FALSE(event.is_set());

    const auto semaphore = sharemap::NamedSemaphore::create_unnamed(1, 5);
    CHECK(semaphore.count() == 1);
    CHECK(semaphore.release(3) == 1);
    CHECK(semaphore.count() == 4);
    CHECK(semaphore.try_acquire());
    CHECK(semaphore.count() == 3);

    std::error_code ec;
    CHECK_FALSE(sharemap::NamedEvent().is_set(ec));
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK(sharemap::NamedSemaphore().count(ec) == 0);
    CHECK(ec == sharemap::errc::invalid_handle);
}
