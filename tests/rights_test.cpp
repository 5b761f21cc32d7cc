// SPDX-License-Identifier: MIT
// Rights: create_or_open asks only for the rights sharemap needs, so an object whose DACL grants other parties just
// those rights (SYNCHRONIZE and MODIFY_STATE; for a section, map read/write and query) can be created-or-opened by
// them, from another process, as it can be opened. And detail::sync::event_is_set / semaphore_count read an event's
// state or a semaphore's count without changing it, given the query right that sharemap's handles carry.
#include <sharemap/create_options.hpp>
#include <sharemap/detail/sync.hpp>
#include <sharemap/file_mapping.hpp>
#include <sharemap/named_event.hpp>
#include <sharemap/named_mutex.hpp>
#include <sharemap/named_semaphore.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"

#include <windows.h>

#include <cstring>
#include <string>
#include <system_error>

using sharemap::CreateOptions;
using sharemap::EventReset;
using sharemap::EventState;
using sharemap::FileMapping;
using sharemap::NamedEvent;
using sharemap::NamedMutex;
using sharemap::NamedSemaphore;
using sharemap::Security;
using sharemap_test::run_child;
using sharemap_test::unique_name;

namespace {

CreateOptions with(const char* sddl) { return CreateOptions().security(Security::sddl(sddl)); }

// Everyone (WD) may only wait and signal: SYNCHRONIZE | EVENT_MODIFY_STATE (== SEMAPHORE_MODIFY_STATE). The plain
// CreateEventW / CreateSemaphoreW ask for *_ALL_ACCESS, which includes the QUERY_STATE right this refuses.
constexpr const char* wait_and_signal_event = "D:P(A;;0x00100002;;;WD)";
// Everyone may wait, signal and query the state: also EVENT_QUERY_STATE (== SEMAPHORE_QUERY_STATE).
constexpr const char* wait_signal_and_query = "D:P(A;;0x00100003;;;WD)";
// For a mutex, SYNCHRONIZE | MUTEX_MODIFY_STATE is every specific right, and for a section FILE_MAP_READ |
// FILE_MAP_WRITE | SECTION_QUERY is all that CreateFileMappingW(PAGE_READWRITE) asks besides the standard rights. What
// the plain create calls ask for beyond those is STANDARD_RIGHTS_REQUIRED, which Windows refuses to anyone the DACL
// does not grant them to. Wine grants them here unless an ACE denies them (seen: OpenFileMappingW(DELETE | 7) opens a
// section whose DACL allows Everyone only 7). So these DACLs deny DELETE first: under Wine as on Windows, only a
// create that asks for no more than sharemap needs gets through.
constexpr const char* wait_and_signal_mutex = "D:P(D;;SD;;;WD)(A;;0x00100001;;;WD)";
constexpr const char* map_read_write = "D:P(D;;SD;;;WD)(A;;0x7;;;WD)";

// Child exit codes.
constexpr int refused = 13;    // errc::permission_denied
constexpr int not_found = 2;   // errc::no_such_file_or_directory
constexpr int not_existed = 3; // opened, but existed() was false
constexpr int exists = 17;     // errc::file_exists

int code_for(const std::error_code& ec) {
    if (ec == std::errc::permission_denied) {
        return refused;
    }
    if (ec == std::errc::no_such_file_or_directory) {
        return not_found;
    }
    if (ec == std::errc::file_exists) {
        return exists;
    }
    return 1;
}

} // namespace

// Child: NamedEvent::create_or_open (args[1] "create_or_open") or NamedEvent::create ("create") on args[0], then
// sets the manual event and waits for it.
SHAREMAP_TEST_CHILD(rights_event) {
    std::error_code ec;
    NamedEvent event = args.at(1) == "create" ? NamedEvent::create(args.at(0), EventReset::manual, ec)
                                              : NamedEvent::create_or_open(args.at(0), EventReset::manual, ec);
    if (ec) {
        return code_for(ec);
    }
    if (!event.existed()) {
        return not_existed;
    }
    event.set();
    CHILD_CHECK(event.wait_for(std::chrono::seconds(0)));
    return 0;
}

// Child: NamedSemaphore::create_or_open on args[0], then releases it twice and takes one.
SHAREMAP_TEST_CHILD(rights_semaphore) {
    std::error_code ec;
    NamedSemaphore semaphore = NamedSemaphore::create_or_open(args.at(0), 0, 10, ec);
    if (ec) {
        return code_for(ec);
    }
    if (!semaphore.existed()) {
        return not_existed;
    }
    semaphore.release(2);
    CHILD_CHECK(semaphore.try_acquire());
    return 0;
}

// Child: NamedMutex::create_or_open on args[0], then locks and unlocks it.
SHAREMAP_TEST_CHILD(rights_mutex) {
    std::error_code ec;
    NamedMutex mutex = NamedMutex::create_or_open(args.at(0), ec);
    if (ec) {
        return code_for(ec);
    }
    if (!mutex.existed()) {
        return not_existed;
    }
    CHILD_CHECK(mutex.try_lock_for(std::chrono::seconds(10)));
    mutex.unlock();
    return 0;
}

// Child: FileMapping::create_or_open (args[1] "create_or_open") or FileMapping::create ("create") on args[0], then
// maps it and writes "child" at its start.
SHAREMAP_TEST_CHILD(rights_section) {
    std::error_code ec;
    FileMapping mapping = args.at(1) == "create" ? FileMapping::create(args.at(0), 4096, ec)
                                                 : FileMapping::create_or_open(args.at(0), 4096, ec);
    if (ec) {
        return code_for(ec);
    }
    if (!mapping.existed()) {
        return not_existed;
    }
    CHILD_CHECK(mapping.size() >= 4096);
    auto view = mapping.map();
    std::memcpy(view.data(), "child", 6);
    return 0;
}

// Child: opens the event args[0] (open or create_or_open as args[1] says) and exits with event_is_set's answer:
// 0 unset, 10 set, 13 permission_denied.
SHAREMAP_TEST_CHILD(rights_query_event) {
    std::error_code ec;
    NamedEvent event = args.at(1) == "open" ? NamedEvent::open(args.at(0), ec)
                                            : NamedEvent::create_or_open(args.at(0), EventReset::manual, ec);
    CHILD_CHECK(!ec);
    const bool set = sharemap::detail::sync::event_is_set(event.native_handle(), ec);
    if (ec) {
        return code_for(ec);
    }
    return set ? 10 : 0;
}

// Child: opens the semaphore args[0] (open or create_or_open as args[1] says) and exits with semaphore_count's
// answer, or 100 + 13 for permission_denied.
SHAREMAP_TEST_CHILD(rights_query_semaphore) {
    std::error_code ec;
    NamedSemaphore semaphore = args.at(1) == "open" ? NamedSemaphore::open(args.at(0), ec)
                                                    : NamedSemaphore::create_or_open(args.at(0), 0, 10, ec);
    CHILD_CHECK(!ec);
    const long count = sharemap::detail::sync::semaphore_count(semaphore.native_handle(), ec);
    if (ec) {
        return 100 + code_for(ec);
    }
    return static_cast<int>(count);
}

TEST_CASE("create_or_open opens an event whose DACL grants others only SYNCHRONIZE | EVENT_MODIFY_STATE",
          "[rights][process]") {
    const std::string name = unique_name("rights-event");
    NamedEvent mine = NamedEvent::create(name, EventReset::manual, EventState::unset, with(wait_and_signal_event));
    CHECK(run_child("rights_event", {name, "create_or_open"}) == 0);
    CHECK(mine.wait_for(std::chrono::seconds(0))); // the child's set() reached this event
    // create on the existing name says that it exists, not that access is denied.
    CHECK(run_child("rights_event", {name, "create"}) == exists);
}

TEST_CASE("create_or_open opens a semaphore whose DACL grants others only SYNCHRONIZE | SEMAPHORE_MODIFY_STATE",
          "[rights][process]") {
    const std::string name = unique_name("rights-semaphore");
    NamedSemaphore mine = NamedSemaphore::create(name, 0, 10, with(wait_and_signal_event));
    CHECK(run_child("rights_semaphore", {name}) == 0);
    CHECK(mine.try_acquire()); // released twice, taken once by the child: one left
    CHECK_FALSE(mine.try_acquire());
}

TEST_CASE("create_or_open opens a mutex whose DACL grants others only SYNCHRONIZE | MUTEX_MODIFY_STATE",
          "[rights][process]") {
    const std::string name = unique_name("rights-mutex");
    NamedMutex mine = NamedMutex::create(name, with(wait_and_signal_mutex));
    CHECK(run_child("rights_mutex", {name}) == 0);
    CHECK(mine.try_lock()); // the child unlocked it
    mine.unlock();
}

TEST_CASE("create_or_open opens a section whose DACL grants others only map read/write and query",
          "[rights][process]") {
    const std::string name = unique_name("rights-section");
    FileMapping mine = FileMapping::create(name, 4096, with(map_read_write));
    CHECK(run_child("rights_section", {name, "create_or_open"}) == 0);
    const auto view = mine.map();
    CHECK(std::strcmp(reinterpret_cast<const char*>(view.data()), "child") == 0);
    CHECK(run_child("rights_section", {name, "create"}) == exists);
}

TEST_CASE("create_or_open keeps inheritable() where the DACL refuses the rights a create asks for", "[rights]") {
    const std::string section = unique_name("rights-inherit-section");
    const std::string event = unique_name("rights-inherit-event");
    FileMapping mine = FileMapping::create(section, 4096, with(map_read_write));
    NamedEvent my_event = NamedEvent::create(event, EventReset::manual, EventState::unset, with(wait_and_signal_event));
    // The section's create_or_open is refused the standard rights and opens by name instead: still inheritable.
    const FileMapping again = FileMapping::create_or_open(section, 4096, CreateOptions().inheritable());
    CHECK(again.existed());
    CHECK(again.is_inheritable());
    const FileMapping plain = FileMapping::create_or_open(section, 4096);
    CHECK_FALSE(plain.is_inheritable());
    const NamedEvent again_event = NamedEvent::create_or_open(event, EventReset::manual, EventState::unset,
                                                              CreateOptions().inheritable());
    CHECK(again_event.existed());
    CHECK(again_event.is_inheritable());
}

TEST_CASE("create_or_open is still refused where the DACL refuses what sharemap needs", "[rights][process]") {
    const std::string event = unique_name("rights-deny-event");
    NamedEvent e = NamedEvent::create(event, EventReset::manual, EventState::unset, with("D:P(A;;0x00100000;;;WD)"));
    CHECK(run_child("rights_event", {event, "create_or_open"}) == refused); // SYNCHRONIZE only: cannot set
    const std::string section = unique_name("rights-deny-section");
    FileMapping s = FileMapping::create(section, 4096, with("D:P(D;;SD;;;WD)(A;;0x5;;;WD)")); // read and query only
    CHECK(run_child("rights_section", {section, "create_or_open"}) == refused);
}

TEST_CASE("Handles from open and create_or_open carry the query right when the DACL grants it", "[rights][process]") {
    const std::string event = unique_name("rights-query-event");
    NamedEvent e = NamedEvent::create(event, EventReset::manual, EventState::set, with(wait_signal_and_query));
    CHECK(run_child("rights_query_event", {event, "open"}) == 10);
    CHECK(run_child("rights_query_event", {event, "create_or_open"}) == 10);
    const std::string semaphore = unique_name("rights-query-semaphore");
    NamedSemaphore s = NamedSemaphore::create(semaphore, 3, 10, with(wait_signal_and_query));
    CHECK(run_child("rights_query_semaphore", {semaphore, "open"}) == 3);
    CHECK(run_child("rights_query_semaphore", {semaphore, "create_or_open"}) == 3);
}

TEST_CASE("Without the query right in the DACL, open and create_or_open still work and only the query is refused",
          "[rights][process]") {
    const std::string event = unique_name("rights-noquery-event");
    NamedEvent e = NamedEvent::create(event, EventReset::manual, EventState::set, with(wait_and_signal_event));
    CHECK(run_child("rights_query_event", {event, "open"}) == refused);
    CHECK(run_child("rights_query_event", {event, "create_or_open"}) == refused);
    const std::string semaphore = unique_name("rights-noquery-semaphore");
    NamedSemaphore s = NamedSemaphore::create(semaphore, 3, 10, with(wait_and_signal_event));
    CHECK(run_child("rights_query_semaphore", {semaphore, "open"}) == 100 + refused);
    CHECK(run_child("rights_query_semaphore", {semaphore, "create_or_open"}) == 100 + refused);
}

TEST_CASE("event_is_set reads an automatic event's state without consuming it", "[rights]") {
    using sharemap::detail::sync::event_is_set;
    NamedEvent event = NamedEvent::create_unnamed(EventReset::automatic);
    std::error_code ec;
    CHECK_FALSE(event_is_set(event.native_handle(), ec));
    CHECK_FALSE(ec);
    event.set();
    CHECK(event_is_set(event.native_handle(), ec));
    CHECK_FALSE(ec);
    CHECK(event_is_set(event.native_handle(), ec)); // still set: the first query did not consume it
    CHECK_FALSE(ec);
    CHECK(event.wait_for(std::chrono::seconds(0))); // the wait consumes it
    CHECK_FALSE(event_is_set(event.native_handle(), ec));
    CHECK_FALSE(ec);

    // A raw Win32 manual event, created set, stays set after a query and a wait.
    HANDLE raw = CreateEventW(nullptr, TRUE, TRUE, nullptr);
    REQUIRE(raw != nullptr);
    CHECK(event_is_set(raw, ec));
    CHECK(WaitForSingleObject(raw, 0) == WAIT_OBJECT_0);
    CHECK(event_is_set(raw, ec));
    CHECK_FALSE(ec);
    ResetEvent(raw);
    CHECK_FALSE(event_is_set(raw, ec));
    CHECK_FALSE(ec);
    CloseHandle(raw);
}

TEST_CASE("semaphore_count reads a semaphore's count without taking from it", "[rights]") {
    using sharemap::detail::sync::semaphore_count;
    NamedSemaphore semaphore = NamedSemaphore::create_unnamed(0, 10);
    std::error_code ec;
    CHECK(semaphore_count(semaphore.native_handle(), ec) == 0);
    CHECK_FALSE(ec);
    semaphore.release(3);
    CHECK(semaphore_count(semaphore.native_handle(), ec) == 3);
    CHECK(semaphore_count(semaphore.native_handle(), ec) == 3);
    semaphore.release();
    CHECK(semaphore_count(semaphore.native_handle(), ec) == 4);
    CHECK(semaphore.try_acquire());
    CHECK(semaphore_count(semaphore.native_handle(), ec) == 3);
    CHECK_FALSE(ec);
}

TEST_CASE("event_is_set and semaphore_count need the query right and the right kind of object", "[rights]") {
    using sharemap::detail::sync::event_is_set;
    using sharemap::detail::sync::semaphore_count;
    NamedEvent event = NamedEvent::create_unnamed(EventReset::manual, EventState::set);
    NamedSemaphore semaphore = NamedSemaphore::create_unnamed(2, 10);
    HANDLE narrow_event = nullptr;
    HANDLE narrow_semaphore = nullptr;
    REQUIRE(DuplicateHandle(GetCurrentProcess(), event.native_handle(), GetCurrentProcess(), &narrow_event,
                            SYNCHRONIZE | EVENT_MODIFY_STATE, FALSE, 0));
    REQUIRE(DuplicateHandle(GetCurrentProcess(), semaphore.native_handle(), GetCurrentProcess(), &narrow_semaphore,
                            SYNCHRONIZE | SEMAPHORE_MODIFY_STATE, FALSE, 0));
    std::error_code ec;
    CHECK_FALSE(event_is_set(narrow_event, ec));
    CHECK(ec == std::errc::permission_denied);
    CHECK(semaphore_count(narrow_semaphore, ec) == 0);
    CHECK(ec == std::errc::permission_denied);
    CloseHandle(narrow_event);
    CloseHandle(narrow_semaphore);

    // The wrong kind of object, or no object: an error, never an answer.
    const std::error_code invalid_handle(ERROR_INVALID_HANDLE, std::system_category());
    CHECK_FALSE(event_is_set(semaphore.native_handle(), ec));
    CHECK(ec == invalid_handle);
    CHECK(semaphore_count(event.native_handle(), ec) == 0);
    CHECK(ec == invalid_handle);
    CHECK_FALSE(event_is_set(nullptr, ec));
    CHECK(ec == invalid_handle);
}

TEST_CASE("Handles sharemap creates and opens carry the query right", "[rights]") {
    using sharemap::detail::sync::event_is_set;
    using sharemap::detail::sync::semaphore_count;
    const std::string event_name = unique_name("rights-own-event");
    NamedEvent created = NamedEvent::create(event_name, EventReset::manual, EventState::set);
    NamedEvent opened = NamedEvent::open(event_name);
    NamedEvent either = NamedEvent::create_or_open(event_name, EventReset::manual);
    std::error_code ec;
    CHECK(event_is_set(created.native_handle(), ec));
    CHECK(event_is_set(opened.native_handle(), ec));
    CHECK(event_is_set(either.native_handle(), ec));
    CHECK_FALSE(ec);
    const std::string semaphore_name = unique_name("rights-own-semaphore");
    NamedSemaphore s1 = NamedSemaphore::create(semaphore_name, 5, 10);
    NamedSemaphore s2 = NamedSemaphore::open(semaphore_name);
    NamedSemaphore s3 = NamedSemaphore::create_or_open(semaphore_name, 0, 10);
    CHECK(semaphore_count(s1.native_handle(), ec) == 5);
    CHECK(semaphore_count(s2.native_handle(), ec) == 5);
    CHECK(semaphore_count(s3.native_handle(), ec) == 5);
    CHECK_FALSE(ec);
}
