// SPDX-License-Identifier: MIT
// FileMapping: named, anonymous and create-or-open sections, shared across real processes.
#include <sharemap/errc.hpp>
#include <sharemap/file_mapping.hpp>
#include <sharemap/named_event.hpp>
#include <sharemap/named_semaphore.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/common.hpp"

#include <windows.h>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

using sharemap::Access;
using sharemap::FileMapping;
using sharemap_test::Child;
using sharemap_test::kernel_object_name;
using sharemap_test::run_child;
using sharemap_test::unique_name;
using sharemap_test::win32_code;

namespace {

constexpr std::uint64_t section_size = 1 << 20;

void write_text(std::byte* p, const std::string& s) { std::memcpy(p, s.c_str(), s.size() + 1); }
std::string read_text(const std::byte* p) { return reinterpret_cast<const char*>(p); }

} // namespace

// Child: opens the parent's section, checks the parent's message, writes its answer.
SHAREMAP_TEST_CHILD(answer_parent) {
    auto mapping = FileMapping::open(args.at(0), Access::read_write);
    auto view = mapping.map(Access::read_write, 0, 4096);
    CHILD_CHECK(read_text(view.data()) == "hello from the parent");
    write_text(view.data() + 1024, "hello from the child");
    return 0;
}

TEST_CASE("A named section made by the parent is opened by name in a child, both ways", "[file_mapping][process]") {
    const std::string name = unique_name("answer");
    auto mapping = FileMapping::create(name, section_size);
    CHECK_FALSE(mapping.existed());
    auto view = mapping.map(Access::read_write);
    REQUIRE(view.size() == section_size);
    write_text(view.data(), "hello from the parent");

    REQUIRE(run_child("answer_parent", {name}) == 0);
    CHECK(read_text(view.data() + 1024) == "hello from the child");
}

// Child: says it is ready (semaphore args[3]), waits at the barrier (the manual-reset event args[1]), then races
// the other children and the parent in create_or_open; writes its pid in slot args[4], says so (semaphore args[5]),
// and keeps its handle until told (args[2]), so that the section cannot vanish before every side has looked at it.
// Exit code 10 + existed().
SHAREMAP_TEST_CHILD(race_create_or_open) {
    auto go = sharemap::NamedEvent::open(args.at(1));
    auto done = sharemap::NamedEvent::open(args.at(2));
    auto ready = sharemap::NamedSemaphore::open(args.at(3));
    auto wrote = sharemap::NamedSemaphore::open(args.at(5));
    ready.release();
    CHILD_CHECK(go.wait_for(std::chrono::seconds(90)));
    auto mapping = FileMapping::create_or_open(args.at(0), 4096);
    auto view = mapping.map(Access::read_write);
    view.as<std::uint32_t>(0)[std::stoul(args.at(4))] = GetCurrentProcessId();
    wrote.release();
    CHILD_CHECK(done.wait_for(std::chrono::seconds(90)));
    return 10 + (mapping.existed() ? 1 : 0);
}

TEST_CASE("create_or_open raced by parent and child: exactly one creates, both see one section",
          "[file_mapping][process]") {
    // The children are all started and waiting at the barrier before it opens, so that every side really
    // contends (a child started after a fixed sleep would lose every time to a parent that never waits).
    constexpr int children = 3;
    for (int round = 0; round < 5; ++round) {
        const std::string name = unique_name("race");
        const std::string go_name = unique_name("race-go");
        const std::string done_name = unique_name("race-done");
        const std::string ready_name = unique_name("race-ready");
        const std::string wrote_name = unique_name("race-wrote");
        auto go = sharemap::NamedEvent::create(go_name, sharemap::EventReset::manual);
        auto done = sharemap::NamedEvent::create(done_name, sharemap::EventReset::manual);
        auto ready = sharemap::NamedSemaphore::create(ready_name, 0, children);
        auto wrote = sharemap::NamedSemaphore::create(wrote_name, 0, children);
        std::vector<Child> running;
        for (int i = 0; i < children; ++i) {
            running.push_back(Child::start("race_create_or_open",
                                           {name, go_name, done_name, ready_name, std::to_string(i + 1), wrote_name}));
        }
        for (int i = 0; i < children; ++i) {
            REQUIRE(ready.try_acquire_for(std::chrono::seconds(90)));
        }
        go.set();
        auto mapping = FileMapping::create_or_open(name, 4096);
        auto view = mapping.map(Access::read_write);
        for (int i = 0; i < children; ++i) {
            REQUIRE(wrote.try_acquire_for(std::chrono::seconds(90)));
        }
        done.set();
        int created = mapping.existed() ? 0 : 1;
        for (int i = 0; i < children; ++i) {
            const unsigned long code = running[static_cast<std::size_t>(i)].wait(std::chrono::seconds(90));
            REQUIRE((code == 10 || code == 11));
            created += code == 10 ? 1 : 0;
            // Every child's write is in the parent's memory: one section for all.
            CHECK(view.as<std::uint32_t>(0)[i + 1] == running[static_cast<std::size_t>(i)].pid());
        }
        CHECK(created == 1); // exactly one of the four created it
    }
}

TEST_CASE("create on a name in use fails with file_exists and leaves the existing section untouched",
          "[file_mapping]") {
    const std::string name = unique_name("exists");
    auto first = FileMapping::create(name, 4096);
    auto view = first.map(Access::read_write);
    write_text(view.data(), "original");

    SECTION("throwing form") {
        try {
            (void)FileMapping::create(name, 8192);
            FAIL("create on a name in use must throw");
        } catch (const std::system_error& e) {
            CHECK(e.code() == std::errc::file_exists);
            CHECK(e.code() == win32_code(ERROR_ALREADY_EXISTS));
        }
    }
    SECTION("error_code form") {
        std::error_code ec;
        auto second = FileMapping::create(name, 8192, ec);
        CHECK(ec == std::errc::file_exists);
        CHECK_FALSE(second);
        CHECK(second.native_handle() == nullptr);
    }
    SECTION("create_or_open refuses it when it is smaller than the size asked for") {
        std::error_code ec;
        auto second = FileMapping::create_or_open(name, 8192, ec);
        CHECK(ec == sharemap::errc::size_too_small);
        CHECK_FALSE(second);
        CHECK_THROWS_AS(FileMapping::create_or_open(name, 8192), std::system_error);
        auto smaller = FileMapping::create_or_open(name, 4000); // at most what it has: taken
        CHECK(smaller.existed());
        CHECK(smaller.size() == 4096);
    }
    SECTION("create_or_open with accept_existing_size opens it and says it existed, with the existing size") {
        auto second = FileMapping::create_or_open(name, 8192, sharemap::accept_existing_size);
        CHECK(second.existed());
        CHECK(second.size() == 4096);
        const auto view1 = second.map(Access::read);
        CHECK(read_text(view1.data()) == "original");
    }
    CHECK(read_text(view.data()) == "original");
}

// Child: keeps a named section open until told to go (the event args[2]), or 90 s: not a fixed hold, which a loaded
// machine could outlast before the parent opens the section.
SHAREMAP_TEST_CHILD(hold_section) {
    auto mapping = FileMapping::create(args.at(0), 4096);
    const auto view2 = mapping.map(Access::read_write);
    write_text(view2.data(), "held by the child");
    sharemap::NamedEvent::open(args.at(1)).set();
    (void)sharemap::NamedEvent::open(args.at(2)).wait_for(std::chrono::seconds(90));
    return 0;
}

TEST_CASE("create fails with file_exists on a name another process holds", "[file_mapping][process]") {
    const std::string name = unique_name("held");
    const std::string ready_name = unique_name("held-ready");
    const std::string go_name = unique_name("held-go");
    auto ready = sharemap::NamedEvent::create(ready_name, sharemap::EventReset::manual);
    auto go = sharemap::NamedEvent::create(go_name, sharemap::EventReset::manual);
    Child child = Child::start("hold_section", {name, ready_name, go_name});
    REQUIRE(ready.wait_for(std::chrono::seconds(90)));
    std::error_code ec;
    auto mine = FileMapping::create(name, 4096, ec);
    CHECK(ec == std::errc::file_exists);
    CHECK_FALSE(mine);
    auto theirs = FileMapping::open(name, Access::read);
    const auto view3 = theirs.map();
    CHECK(read_text(view3.data()) == "held by the child");
    go.set();
    CHECK(child.wait(std::chrono::seconds(90)) == 0);
}

TEST_CASE("An anonymous section has no name and is distinct from every other", "[file_mapping]") {
    auto a = FileMapping::create_unnamed(4096);
    auto b = FileMapping::create_unnamed(4096);
    CHECK(kernel_object_name(a.native_handle()).empty());
    CHECK_FALSE(a.existed());
    const auto view4 = a.map(Access::read_write);
    write_text(view4.data(), "a");
    const auto view5 = b.map(Access::read);
    CHECK(read_text(view5.data()).empty());

    // The check above can fail: a named section does report its name.
    const std::string name = unique_name("named");
    auto named = FileMapping::create(name, 4096);
    const std::wstring kernel_name = kernel_object_name(named.native_handle());
    const std::string tail = name.substr(name.find('\\') + 1);
    CHECK(kernel_name.find(std::wstring(tail.begin(), tail.end())) != std::wstring::npos);
}

// Child: creates a named section, writes to it, exits (closing its only handle).
SHAREMAP_TEST_CHILD(create_and_exit) {
    auto mapping = FileMapping::create(args.at(0), 4096);
    const auto view6 = mapping.map(Access::read_write);
    write_text(view6.data(), "short-lived");
    return 0;
}

TEST_CASE("A section is gone once the last handle in every process is closed", "[file_mapping][process]") {
    SECTION("closed by another process that exits") {
        const std::string name = unique_name("gone-child");
        REQUIRE(run_child("create_and_exit", {name}) == 0);
        std::error_code ec;
        auto m = FileMapping::open(name, Access::read, ec);
        CHECK(ec == std::errc::no_such_file_or_directory);
        CHECK_FALSE(m);
    }
    SECTION("kept alive by a second handle, gone after both close") {
        const std::string name = unique_name("gone-local");
        auto first = FileMapping::create(name, 4096);
        auto second = FileMapping::open(name, Access::read);
        first.close();
        CHECK(FileMapping::open(name, Access::read)); // still reachable through the second handle
        second.close();
        std::error_code ec;
        (void)FileMapping::open(name, Access::read, ec);
        CHECK(ec == std::errc::no_such_file_or_directory);
    }
}

TEST_CASE("A name held by another kind of object makes create and open fail", "[file_mapping]") {
    const std::string name = unique_name("mutex");
    HANDLE mutex = CreateMutexW(nullptr, FALSE, std::wstring(name.begin(), name.end()).c_str());
    REQUIRE(mutex != nullptr);
    std::error_code ec;
    auto created = FileMapping::create(name, 4096, ec);
    CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    CHECK_FALSE(created);
    auto opened = FileMapping::open(name, Access::read, ec);
    CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    CHECK_FALSE(opened);
    auto either = FileMapping::create_or_open(name, 4096, ec);
    CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    CHECK_THROWS_AS(FileMapping::create(name, 4096), std::system_error);
    CHECK_THROWS_AS(FileMapping::open(name, Access::read), std::system_error);
    // The mutex is untouched.
    CHECK(WaitForSingleObject(mutex, 0) == WAIT_OBJECT_0);
    ReleaseMutex(mutex);
    CloseHandle(mutex);
}

TEST_CASE("Opening a missing name fails with no_such_file_or_directory", "[file_mapping]") {
    const std::string name = unique_name("missing");
    std::error_code ec;
    auto m = FileMapping::open(name, Access::read_write, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    CHECK_FALSE(m);
    try {
        (void)FileMapping::open(name, Access::read_write);
        FAIL("open of a missing name must throw");
    } catch (const std::system_error& e) {
        CHECK(e.code() == std::errc::no_such_file_or_directory);
        CHECK(e.code().category() == std::system_category());
    }
}

TEST_CASE("Size 0 is invalid_argument in both forms", "[file_mapping][errors]") {
    const std::string name = unique_name("size0");
    std::error_code ec;
    CHECK_FALSE(FileMapping::create(name, 0, ec));
    CHECK(ec == std::errc::invalid_argument);
    ec.clear();
    CHECK_FALSE(FileMapping::create_or_open(name, 0, ec));
    CHECK(ec == std::errc::invalid_argument);
    ec.clear();
    CHECK_FALSE(FileMapping::create_unnamed(0, ec));
    CHECK(ec == std::errc::invalid_argument);
    CHECK_THROWS_AS(FileMapping::create_unnamed(0), std::system_error);
    CHECK_THROWS_AS(FileMapping::create_or_open(name, 0), std::system_error);
    try {
        (void)FileMapping::create(name, 0);
        FAIL("size 0 must throw");
    } catch (const std::system_error& e) {
        CHECK(e.code() == std::errc::invalid_argument);
    }
    // Nothing was created under that name.
    (void)FileMapping::open(name, Access::read, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
}

TEST_CASE("size() reports the section's size, also for a section opened by name in another process",
          "[file_mapping][process]") {
    const std::string name = unique_name("size");
    auto mapping = FileMapping::create(name, 3 * 65536);
    CHECK(mapping.size() == 3 * 65536);
    auto opened = FileMapping::open(name, Access::read);
    CHECK(opened.size() == 3 * 65536);
    CHECK(opened.map().size() == 3 * 65536);
    REQUIRE(run_child("check_size", {name, std::to_string(3 * 65536)}) == 0);
}

SHAREMAP_TEST_CHILD(check_size) {
    auto mapping = FileMapping::open(args.at(0), Access::read);
    CHILD_CHECK(mapping.size() == std::stoull(args.at(1)));
    return 0;
}

TEST_CASE("UTF-8 and UTF-16 spellings of a name reach the same section; bad encodings are refused",
          "[file_mapping][names]") {
    const std::string base = unique_name("name");
    const std::string utf8 = base + "-\xC3\xBC\xF0\x9F\x98\x80"; // ü and U+1F600
    const std::wstring utf16 = std::wstring(base.begin(), base.end()) + L"-\u00FC\U0001F600";
    auto created = FileMapping::create(utf8, 4096);
    const auto view7 = created.map(Access::read_write);
    write_text(view7.data(), "same");
    auto opened = FileMapping::open(utf16, Access::read);
    const auto view8 = opened.map();
    CHECK(read_text(view8.data()) == "same");
    CHECK(kernel_object_name(created.native_handle()).find(L"\u00FC\U0001F600") != std::wstring::npos);

    std::error_code ec;
    for (const std::string& bad : {std::string("\xC3"), std::string("a\xC0\xAF"), std::string("\xED\xA0\x80"),
                                   std::string("\xF4\x90\x80\x80"), std::string("\xFF")}) {
        (void)FileMapping::create(base + bad, 4096, ec);
        CHECK(ec == std::errc::illegal_byte_sequence);
    }
    // UTF-16 is not checked: unpaired surrogates reach Windows unchanged (tests/paths_test.cpp).
    CHECK_THROWS_AS(FileMapping::create(base + "\xFF", 4096), std::system_error);
    (void)FileMapping::create(std::string_view(), 4096, ec);
    CHECK(ec == std::errc::invalid_argument);
    (void)FileMapping::create(std::string("a\0b", 3), 4096, ec);
    CHECK(ec == std::errc::invalid_argument);
}

// Child: opens the section named args[0] for reading. Exit 0 if it holds the text args[1]; 2 if the namespace has no
// object of that name (exactly ERROR_FILE_NOT_FOUND, not ERROR_PATH_NOT_FOUND, which would mean no such namespace);
// 3 if it holds other text.
SHAREMAP_TEST_CHILD(read_named_text) {
    std::error_code ec;
    const auto mapping = FileMapping::open(args.at(0), Access::read, ec);
    if (ec == win32_code(ERROR_FILE_NOT_FOUND)) {
        return 2;
    }
    CHILD_CHECK(!ec);
    const auto view9 = mapping.map();
    return read_text(view9.data()) == args.at(1) ? 0 : 3;
}

TEST_CASE("Names reach Windows unchanged: no prefix is Local\\, Global\\ is another namespace, case matters",
          "[file_mapping][names][process]") {
    const std::string local_prefix = "Local\\";
    const std::string base = unique_name("Namespace").substr(local_prefix.size()); // the name without a prefix
    auto local = FileMapping::create(local_prefix + base, 4096);
    const auto view10 = local.map();
    write_text(view10.data(), "local");

    // No prefix is the session's namespace, which Local\ names: one object, here and in another process.
    const auto view11 = FileMapping::open(base, Access::read).map();
    CHECK(read_text(view11.data()) == "local");
    CHECK(run_child("read_named_text", {base, "local"}) == 0);
    std::error_code ec;
    (void)FileMapping::create(base, 4096, ec);
    CHECK(ec == std::errc::file_exists);

    // Names are case-sensitive: another spelling is another name.
    std::string other_case = base;
    for (char& c : other_case) {
        c = (c >= 'a' && c <= 'z')   ? static_cast<char>(c - 'a' + 'A')
            : (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a')
                                     : c;
    }
    REQUIRE(other_case != base);
    CHECK(run_child("read_named_text", {local_prefix + other_case, "local"}) == 2);

    // Global\ is another namespace: the name is free there, and an object made there is a different one.
    // (Creating in Global\ needs SeCreateGlobalPrivilege on Windows outside session 0; Wine always allows it.)
    CHECK(run_child("read_named_text", {"Global\\" + base, "local"}) == 2);
    auto global = FileMapping::create("Global\\" + base, 4096, ec);
    if (ec == std::errc::permission_denied) {
        WARN("no SeCreateGlobalPrivilege: the Global\\ half of this test did not run");
        return;
    }
    REQUIRE_FALSE(ec);
    const auto view12 = global.map();
    write_text(view12.data(), "global");
    CHECK(run_child("read_named_text", {"Global\\" + base, "global"}) == 0);
    CHECK(run_child("read_named_text", {local_prefix + base, "local"}) == 0);
}

TEST_CASE("Long names (over the inline buffer) work", "[file_mapping][names]") {
    const std::string name = unique_name(std::string(300, 'n'));
    auto created = FileMapping::create(name, 4096);
    CHECK(FileMapping::open(name, Access::read));
}

TEST_CASE("release() hands the HANDLE over; closing preserves the caller's last error", "[file_mapping]") {
    auto mapping = FileMapping::create_unnamed(4096);
    void* h = mapping.native_handle();
    CHECK(mapping.release() == h);
    CHECK_FALSE(mapping);
    CHECK(mapping.native_handle() == nullptr);
    CHECK(CloseHandle(h));

    {
        auto other = FileMapping::create_unnamed(4096);
        SetLastError(1234);
    }
    CHECK(GetLastError() == 1234u);
}

TEST_CASE("CreateOptions::inheritable and set_inheritable control the handle's inherit flag", "[file_mapping]") {
    auto plain = FileMapping::create_unnamed(4096);
    CHECK_FALSE(plain.is_inheritable());
    auto inheritable = FileMapping::create_unnamed(4096, sharemap::CreateOptions().inheritable());
    CHECK(inheritable.is_inheritable());
    plain.set_inheritable(true);
    CHECK(plain.is_inheritable());
    plain.set_inheritable(false);
    CHECK_FALSE(plain.is_inheritable());
    auto named = FileMapping::create(unique_name("inherit"), 4096, sharemap::CreateOptions().inheritable());
    DWORD flags = 0;
    REQUIRE(GetHandleInformation(named.native_handle(), &flags));
    CHECK((flags & HANDLE_FLAG_INHERIT) != 0);
    FileMapping empty;
    std::error_code ec;
    empty.set_inheritable(true, ec);
    CHECK(ec == sharemap::errc::invalid_handle);
}
