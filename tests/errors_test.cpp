// SPDX-License-Identifier: MIT
// The errors table (docs/errors.md), one test case per row: every bad input gives its documented error in both the
// error_code and the throwing form, and leaves this process's handle and view counts exactly as they were.
#include <sharemap/sharemap.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/common.hpp"
#include "support/leaks.hpp"

#include <windows.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace sharemap;
using sharemap_test::count_resources;
using sharemap_test::TempFile;
using sharemap_test::unique_name;
using sharemap_test::win32_code;

namespace {

// Runs the row's two forms once to warm up (a first call may load a DLL or open a registry key once for the whole
// process), then three more times between two resource counts. Each call must report `expected`.
template <class Expected, class EcForm, class ThrowingForm>
void check_row(const Expected& expected, EcForm&& ec_form, ThrowingForm&& throwing_form) {
    const auto run = [&] {
        std::error_code ec;
        ec_form(ec);
        CHECK(ec == expected);
        bool threw = false;
        try {
            throwing_form();
        } catch (const std::system_error& e) {
            threw = true;
            CHECK(e.code() == expected);
        }
        CHECK(threw);
    };
    run();
    const auto before = count_resources();
    for (int i = 0; i < 3; ++i) {
        run();
    }
    CHECK(count_resources() == before);
}

constexpr auto invalid_handle = ERROR_INVALID_HANDLE;

} // namespace

TEST_CASE("errors: empty name", "[errors]") {
    check_row(
        std::errc::invalid_argument, [](std::error_code& ec) { (void)FileMapping::create("", 4096, ec); },
        [] { (void)FileMapping::create("", 4096); });
    check_row(
        std::errc::invalid_argument, [](std::error_code& ec) { (void)FileMapping::open(L"", Access::read, ec); },
        [] { (void)FileMapping::open(L"", Access::read); });
    check_row(
        std::errc::invalid_argument, [](std::error_code& ec) { (void)NamedMutex::create("", ec); },
        [] { (void)NamedMutex::create(""); });
    check_row(
        std::errc::invalid_argument, [](std::error_code& ec) { (void)NamedEvent::create("", EventReset::manual, ec); },
        [] { (void)NamedEvent::create("", EventReset::manual); });
    check_row(
        std::errc::invalid_argument, [](std::error_code& ec) { (void)NamedSemaphore::create("", 0, 1, ec); },
        [] { (void)NamedSemaphore::create("", 0, 1); });
}

TEST_CASE("errors: a backslash after the Local\\ or Global\\ prefix", "[errors]") {
    const std::string name = unique_name("a") + "\\b";
    check_row(
        win32_code(ERROR_PATH_NOT_FOUND), [&](std::error_code& ec) { (void)FileMapping::create(name, 4096, ec); },
        [&] { (void)FileMapping::create(name, 4096); });
    check_row(
        win32_code(ERROR_PATH_NOT_FOUND), [&](std::error_code& ec) { (void)NamedMutex::create(name, ec); },
        [&] { (void)NamedMutex::create(name); });
}

// (UTF-16 is passed on unchanged, unpaired surrogates included: tests/paths_test.cpp.)
TEST_CASE("errors: invalid UTF-8 in a name", "[errors]") {
    check_row(
        std::errc::illegal_byte_sequence,
        [](std::error_code& ec) { (void)FileMapping::create("Local\\bad-\xC3(", 4096, ec); },
        [] { (void)FileMapping::create("Local\\bad-\xC3(", 4096); });
    check_row(
        std::errc::illegal_byte_sequence,
        [](std::error_code& ec) { (void)File::open("bad-\xFF.bin", Access::read, ec); },
        [] { (void)File::open("bad-\xFF.bin", Access::read); });
}

TEST_CASE("errors: size 0", "[errors]") {
    const std::string name = unique_name("size0");
    check_row(
        std::errc::invalid_argument, [&](std::error_code& ec) { (void)FileMapping::create(name, 0, ec); },
        [&] { (void)FileMapping::create(name, 0); });
    check_row(
        std::errc::invalid_argument, [&](std::error_code& ec) { (void)FileMapping::create_unnamed(0, ec); },
        [&] { (void)FileMapping::create_unnamed(0); });
}

TEST_CASE("errors: a view length past the end", "[errors]") {
    const auto mapping = FileMapping::create_unnamed(65536);
    check_row(
        std::errc::invalid_argument,
        [&](std::error_code& ec) { (void)mapping.map(Access::read, 4096, 65536 - 4095, ec); },
        [&] { (void)mapping.map(Access::read, 4096, 65536 - 4095); });
}

TEST_CASE("errors: an offset past the end", "[errors]") {
    const auto mapping = FileMapping::create_unnamed(65536);
    check_row(
        std::errc::invalid_argument, [&](std::error_code& ec) { (void)mapping.map(Access::read, 65536, 0, ec); },
        [&] { (void)mapping.map(Access::read, 65536, 0); });
    check_row(
        std::errc::invalid_argument, [&](std::error_code& ec) { (void)mapping.map(Access::read, 1ull << 40, 1, ec); },
        [&] { (void)mapping.map(Access::read, 1ull << 40, 1); });
}

TEST_CASE("errors: a size that cannot be mapped in the address space", "[errors]") {
    const std::uint64_t huge = FileMapping::max_size; // the largest size sharemap lets Windows refuse itself
    check_row(
        sharemap::errc::not_enough_memory, [&](std::error_code& ec) { (void)FileMapping::create_unnamed(huge, ec); },
        [&] { (void)FileMapping::create_unnamed(huge); });
}

TEST_CASE("errors: a size above FileMapping::max_size", "[errors]") {
    // Refused before Windows is asked: Wine creates a section of size uint64_t(-1) and reports that size.
    for (const std::uint64_t size : {FileMapping::max_size + 1, std::uint64_t{1} << 60, ~std::uint64_t{0}}) {
        const std::string name = unique_name("too-big");
        check_row(
            std::errc::invalid_argument, [&](std::error_code& ec) { (void)FileMapping::create(name, size, ec); },
            [&] { (void)FileMapping::create(name, size); });
        check_row(
            std::errc::invalid_argument,
            [&](std::error_code& ec) { (void)FileMapping::create_or_open(name, size, ec); },
            [&] { (void)FileMapping::create_or_open(name, size); });
        check_row(
            std::errc::invalid_argument, [&](std::error_code& ec) { (void)FileMapping::create_unnamed(size, ec); },
            [&] { (void)FileMapping::create_unnamed(size); });
    }
}

TEST_CASE("errors: create_or_open of an existing section smaller than the size asked", "[errors]") {
    const std::string name = unique_name("small");
    const auto existing = FileMapping::create(name, 4096);
    check_row(
        sharemap::errc::size_too_small,
        [&](std::error_code& ec) { (void)FileMapping::create_or_open(name, 1 << 20, ec); },
        [&] { (void)FileMapping::create_or_open(name, 1 << 20); });
    std::error_code ec;
    const auto any = FileMapping::create_or_open(name, 1 << 20, sharemap::accept_existing_size, ec);
    CHECK_FALSE(ec);
    CHECK(any.existed());
    CHECK(any.size() == 4096);
}

TEST_CASE("errors: an unaligned or occupied requested address", "[errors]") {
    const auto mapping = FileMapping::create_unnamed(65536);
    const auto occupant = mapping.map();
    void* unaligned = static_cast<std::byte*>(occupant.data()) + 0x200000 + 4096;
    check_row(
        win32_code(ERROR_MAPPED_ALIGNMENT),
        [&](std::error_code& ec) { (void)mapping.map_at(unaligned, Access::read, 0, 0, ec); },
        [&] { (void)mapping.map_at(unaligned, Access::read); });
    check_row(
        win32_code(ERROR_INVALID_ADDRESS),
        [&](std::error_code& ec) { (void)mapping.map_at(occupant.data(), Access::read, 0, 0, ec); },
        [&] { (void)mapping.map_at(occupant.data(), Access::read); });
}

TEST_CASE("errors: open of a missing name", "[errors]") {
    const std::string name = unique_name("missing");
    check_row(
        std::errc::no_such_file_or_directory,
        [&](std::error_code& ec) { (void)FileMapping::open(name, Access::read, ec); },
        [&] { (void)FileMapping::open(name, Access::read); });
    check_row(
        std::errc::no_such_file_or_directory, [&](std::error_code& ec) { (void)NamedMutex::open(name, ec); },
        [&] { (void)NamedMutex::open(name); });
    check_row(
        std::errc::no_such_file_or_directory, [&](std::error_code& ec) { (void)NamedEvent::open(name, ec); },
        [&] { (void)NamedEvent::open(name); });
    check_row(
        std::errc::no_such_file_or_directory, [&](std::error_code& ec) { (void)NamedSemaphore::open(name, ec); },
        [&] { (void)NamedSemaphore::open(name); });
}

TEST_CASE("errors: open or create of a name held by another object type", "[errors]") {
    const std::string name = unique_name("taken");
    const auto mutex = NamedMutex::create(name);
    check_row(
        win32_code(invalid_handle), [&](std::error_code& ec) { (void)FileMapping::create(name, 4096, ec); },
        [&] { (void)FileMapping::create(name, 4096); });
    check_row(
        win32_code(invalid_handle), [&](std::error_code& ec) { (void)FileMapping::open(name, Access::read, ec); },
        [&] { (void)FileMapping::open(name, Access::read); });
    check_row(
        win32_code(invalid_handle), [&](std::error_code& ec) { (void)NamedEvent::open(name, ec); },
        [&] { (void)NamedEvent::open(name); });
    const std::string section_name = unique_name("taken-by-section");
    const auto section = FileMapping::create(section_name, 4096);
    check_row(
        win32_code(invalid_handle), [&](std::error_code& ec) { (void)NamedMutex::create(section_name, ec); },
        [&] { (void)NamedMutex::create(section_name); });
    check_row(
        win32_code(invalid_handle),
        [&](std::error_code& ec) { (void)NamedSemaphore::create_or_open(section_name, 0, 1, ec); },
        [&] { (void)NamedSemaphore::create_or_open(section_name, 0, 1); });
}

TEST_CASE("errors: mapping for write through a read-only handle", "[errors]") {
    const std::string name = unique_name("ro-handle");
    const auto mapping = FileMapping::create(name, 4096);
    const auto reader = FileMapping::open(name, Access::read);
    check_row(
        std::errc::permission_denied, [&](std::error_code& ec) { (void)reader.map(Access::read_write, 0, 0, ec); },
        [&] { (void)reader.map(Access::read_write); });
}

TEST_CASE("errors: a missing file path", "[errors]") {
    const auto path = sharemap_test::unique_temp_path("missing");
    check_row(
        std::errc::no_such_file_or_directory, [&](std::error_code& ec) { (void)File::open(path, Access::read, ec); },
        [&] { (void)File::open(path, Access::read); });
    check_row(
        std::errc::no_such_file_or_directory, [&](std::error_code& ec) { (void)map_file(path, Access::read, ec); },
        [&] { (void)map_file(path, Access::read); });
}

TEST_CASE("errors: mapping a read-only file for writing", "[errors]") {
    TempFile temp("ro-file");
    File::create(temp.path()).resize(4096);
    // Opened for reading only: the section cannot be writable.
    const File file = File::open(temp.path(), Access::read);
    check_row(
        std::errc::permission_denied,
        [&](std::error_code& ec) { (void)FileMapping::from_file(file, Access::read_write, 0, ec); },
        [&] { (void)FileMapping::from_file(file, Access::read_write); });
    // And a view of a readable section, asked for writing.
    const FileMapping readable = FileMapping::from_file(file, Access::read);
    check_row(
        std::errc::permission_denied, [&](std::error_code& ec) { (void)readable.map(Access::read_write, 0, 0, ec); },
        [&] { (void)readable.map(Access::read_write); });
}

TEST_CASE("errors: mapping an empty file", "[errors]") {
    TempFile temp("empty");
    const File file = File::create(temp.path());
    check_row(
        win32_code(ERROR_FILE_INVALID),
        [&](std::error_code& ec) { (void)FileMapping::from_file(file, Access::read_write, 0, ec); },
        [&] { (void)FileMapping::from_file(file, Access::read_write); });
    check_row(
        win32_code(ERROR_FILE_INVALID), [&](std::error_code& ec) { (void)map_file(temp.path(), Access::read, ec); },
        [&] { (void)map_file(temp.path(), Access::read); });
}

TEST_CASE("errors: every operation on a default-constructed or moved-from object", "[errors]") {
    const auto bad = win32_code(invalid_handle);
    FileMapping live_mapping = FileMapping::create_unnamed(4096);
    FileMapping moved_mapping = std::move(live_mapping);
    for (FileMapping* m : {&live_mapping, &moved_mapping}) {
        if (*m) {
            m->close(); // the second one: closed is empty too
        }
        check_row(
            bad, [&](std::error_code& ec) { (void)m->map(Access::read, 0, 0, ec); },
            [&] { (void)m->map(Access::read); });
        check_row(
            bad, [&](std::error_code& ec) { (void)m->map_at(nullptr, Access::read, 0, 0, ec); },
            [&] { (void)m->map(); });
        check_row(
            bad, [&](std::error_code& ec) { (void)m->size(ec); }, [&] { (void)m->size(); });
        check_row(
            bad, [&](std::error_code& ec) { m->set_inheritable(true, ec); }, [&] { m->set_inheritable(true); });
        check_row(
            bad, [&](std::error_code& ec) { (void)m->is_inheritable(ec); }, [&] { (void)m->is_inheritable(); });
        check_row(
            bad, [&](std::error_code& ec) { (void)m->duplicate(ec); }, [&] { (void)m->duplicate(); });
        check_row(
            bad, [&](std::error_code& ec) { (void)m->duplicate_into(GetCurrentProcess(), Access::read, ec); },
            [&] { (void)m->duplicate_into(GetCurrentProcess(), Access::read); });
    }
    MappedView view;
    check_row(
        bad, [&](std::error_code& ec) { view.flush(ec); }, [&] { view.flush(); });
    check_row(
        bad, [&](std::error_code& ec) { (void)view.as<int>(0, ec); }, [&] { (void)view.as<int>(); });

    File file;
    check_row(
        bad, [&](std::error_code& ec) { (void)file.size(ec); }, [&] { (void)file.size(); });
    check_row(
        bad, [&](std::error_code& ec) { file.resize(1, ec); }, [&] { file.resize(1); });
    check_row(
        bad, [&](std::error_code& ec) { file.flush(ec); }, [&] { file.flush(); });
    check_row(
        bad, [&](std::error_code& ec) { (void)FileMapping::from_file(file, Access::read, 0, ec); },
        [&] { (void)FileMapping::from_file(file, Access::read); });

    NamedMutex mutex;
    check_row(
        bad, [&](std::error_code& ec) { (void)mutex.acquire(ec); }, [&] { (void)mutex.acquire(); });
    check_row(
        bad, [&](std::error_code& ec) { (void)mutex.acquire_for(std::chrono::milliseconds(1), ec); },
        [&] { (void)mutex.try_lock(); });
    check_row(
        bad, [&](std::error_code& ec) { (void)mutex.duplicate(ec); }, [&] { mutex.lock(); });
    std::error_code unlock_ec;
    mutex.unlock(unlock_ec); // only the error_code form reports it: unlock() never throws
    CHECK(unlock_ec == bad);
    CHECK_NOTHROW(mutex.unlock());

    NamedEvent event;
    check_row(
        bad, [&](std::error_code& ec) { event.set(ec); }, [&] { event.set(); });
    check_row(
        bad, [&](std::error_code& ec) { event.reset(ec); }, [&] { event.reset(); });
    check_row(
        bad, [&](std::error_code& ec) { event.wait(ec); }, [&] { event.wait(); });
    check_row(
        bad, [&](std::error_code& ec) { (void)event.wait_for(std::chrono::milliseconds(1), ec); },
        [&] { (void)event.wait_for(std::chrono::milliseconds(1)); });

    NamedSemaphore semaphore;
    check_row(
        bad, [&](std::error_code& ec) { semaphore.acquire(ec); }, [&] { semaphore.acquire(); });
    check_row(
        bad, [&](std::error_code& ec) { (void)semaphore.try_acquire(ec); }, [&] { (void)semaphore.try_acquire(); });
    check_row(
        bad, [&](std::error_code& ec) { (void)semaphore.release(1, ec); }, [&] { (void)semaphore.release(1); });

    Process process;
    check_row(
        bad, [&](std::error_code& ec) { (void)process.wait(ec); }, [&] { (void)process.wait(); });
    check_row(
        bad, [&](std::error_code& ec) { (void)process.exit_code(ec); }, [&] { (void)process.exit_code(); });
    check_row(
        bad, [&](std::error_code& ec) { process.terminate(1, ec); }, [&] { process.terminate(1); });

    check_row(
        bad, [&](std::error_code& ec) { (void)wait_any({event}, ec); }, [&] { (void)wait_any({event}); });
}

TEST_CASE("errors: unlock when not the owner", "[errors]") {
    auto mutex = NamedMutex::create_unnamed();
    const auto expected = win32_code(ERROR_NOT_OWNER);
    std::error_code ec;
    mutex.unlock(ec); // unlock(ec) is the one form that reports it; unlock() never throws
    CHECK(ec == expected);
    CHECK_NOTHROW(mutex.unlock());
    // Held by another thread: still not ours to release, and it stays held.
    mutex.lock();
    bool taken_by_other = true;
    std::thread other([&] {
        std::error_code other_ec;
        mutex.unlock(other_ec);
        CHECK(other_ec == expected);
        CHECK_NOTHROW(mutex.unlock());
        taken_by_other = mutex.try_lock();
    });
    other.join();
    CHECK_FALSE(taken_by_other);
    mutex.unlock();
}

TEST_CASE("errors: semaphore release past its maximum", "[errors]") {
    auto semaphore = NamedSemaphore::create_unnamed(1, 2);
    check_row(
        win32_code(ERROR_TOO_MANY_POSTS), [&](std::error_code& ec) { (void)semaphore.release(2, ec); },
        [&] { (void)semaphore.release(2); });
    // The count is unchanged: one to take, then none.
    CHECK(semaphore.try_acquire());
    CHECK_FALSE(semaphore.try_acquire());
}

TEST_CASE("errors: waiting on zero or more than 64 objects", "[errors]") {
    std::vector<NamedEvent> events;
    for (int i = 0; i < 65; ++i) {
        events.push_back(NamedEvent::create_unnamed(EventReset::manual, EventState::set));
    }
    std::vector<WaitTarget> targets(events.begin(), events.end());
    check_row(
        std::errc::invalid_argument,
        [&](std::error_code& ec) {
            (void)wait_any({targets.data(), 0}, ec);
        },
        [&] {
            (void)wait_any({targets.data(), 0});
        });
    check_row(
        std::errc::invalid_argument,
        [&](std::error_code& ec) {
            (void)wait_all({targets.data(), 65}, ec);
        },
        [&] { (void)wait_all(targets); });
}

TEST_CASE("errors: a handle value given to adopt that is not a section", "[errors]") {
    auto event = NamedEvent::create_unnamed(EventReset::manual);
    check_row(
        win32_code(invalid_handle),
        [&](std::error_code& ec) { (void)FileMapping::adopt(event.native_handle(), Access::read, ec); },
        [&] { (void)FileMapping::adopt(event.native_handle(), Access::read); });
    check_row(
        win32_code(invalid_handle),
        [&](std::error_code& ec) { (void)File::adopt(event.native_handle(), Access::read, ec); },
        [&] { (void)File::adopt(event.native_handle(), Access::read); });
    // The handle is still the event's owner's, and still works.
    std::error_code ec;
    CHECK(wait_any({event}, std::chrono::milliseconds(0), ec).status == WaitStatus::timed_out);
    CHECK_FALSE(ec);
}

TEST_CASE("leaks: 10,000 create/map/unmap/close cycles leave handle and view counts unchanged", "[errors][leaks]") {
    {
        auto warm = FileMapping::create(unique_name("warm"), 65536);
        const auto view = warm.map();
        view.data()[0] = std::byte{1};
    }
    const auto before = count_resources();
    const std::string name = unique_name("cycle");
    for (int i = 0; i < 10000; ++i) {
        const auto mapping = FileMapping::create(name, 65536);
        const auto view = mapping.map();
        view.data()[4096] = std::byte{1}; // touch one page
    }
    const auto after = count_resources();
    CHECK(after == before);

    // The check can fail: a view and a handle kept alive are counted.
    const auto kept = FileMapping::create(name, 65536);
    const auto kept_view = kept.map();
    const auto with_one = count_resources();
    CHECK(with_one.handles == before.handles + 1);
    CHECK(with_one.mapped_views == before.mapped_views + 1);
}
