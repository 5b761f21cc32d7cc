// SPDX-License-Identifier: MIT
// NamedEvent: manual- vs automatic-reset semantics with waiters in other processes, initial state, timeouts,
// create / create_or_open / open, errors in both forms, and the move checklist.
#include <sharemap/errc.hpp>
#include <sharemap/named_event.hpp>
#include <sharemap/named_semaphore.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/common.hpp"

#include <windows.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <system_error>
#include <type_traits>
#include <vector>

using sharemap::EventReset;
using sharemap::EventState;
using sharemap::NamedEvent;
using sharemap::NamedSemaphore;
using sharemap_test::Child;
using sharemap_test::handle_from;
using sharemap_test::handle_text;
using sharemap_test::inheritable;
using sharemap_test::object_exists;
using sharemap_test::run_child;
using sharemap_test::same;
using sharemap_test::unique_name;
using sharemap_test::win32_code;
using namespace std::chrono_literals;

namespace {

void check_empty(NamedEvent& e) {
    CHECK_FALSE(e);
    CHECK(e.native_handle() == nullptr);
    CHECK_FALSE(e.existed());
    std::error_code ec;
    e.set(ec);
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    e.reset(ec);
    CHECK(ec == sharemap::errc::invalid_handle);
    e.wait(ec);
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_FALSE(e.wait_for(1ms, ec));
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_FALSE(e.wait_until(std::chrono::steady_clock::now(), ec));
    CHECK(ec == sharemap::errc::invalid_handle);
    e.set_inheritable(true, ec);
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_FALSE(e.is_inheritable(ec));
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_THROWS_AS(e.set(), std::system_error);
    CHECK_THROWS_AS(e.reset(), std::system_error);
    CHECK_THROWS_AS(e.wait(), std::system_error);
    CHECK_THROWS_AS(e.wait_for(1ms), std::system_error); // an error, never a timeout
    CHECK_THROWS_AS(e.wait_until(std::chrono::system_clock::now()), std::system_error);
    CHECK_THROWS_AS(e.set_inheritable(true), std::system_error);
    CHECK_THROWS_AS(e.is_inheritable(), std::system_error);
}

} // namespace

static_assert(!std::is_copy_constructible_v<NamedEvent> && !std::is_copy_assignable_v<NamedEvent>);
static_assert(std::is_nothrow_move_constructible_v<NamedEvent> && std::is_nothrow_move_assignable_v<NamedEvent>);
static_assert(sizeof(NamedEvent) <= 2 * sizeof(void*));

// ---------------------------------------------------------------------------------------------------------------
// Children

// Says it is ready (releases semaphore args[1]), waits for the event args[0] at most args[3] ms, and if it was set
// says so (releases semaphore args[2]) and exits 0; exits 2 if the wait timed out.
SHAREMAP_TEST_CHILD(event_waiter) {
    auto event = NamedEvent::open(args.at(0));
    auto ready = NamedSemaphore::open(args.at(1));
    auto woken = NamedSemaphore::open(args.at(2));
    ready.release();
    if (!event.wait_for(std::chrono::milliseconds(std::stol(args.at(3))))) {
        return 2;
    }
    woken.release();
    return 0;
}

// Opens the event and sets it.
SHAREMAP_TEST_CHILD(event_setter) {
    NamedEvent::open(args.at(0)).set();
    return 0;
}

// Sets an inherited event whose handle value is on the command line.
SHAREMAP_TEST_CHILD(event_set_inherited) {
    NamedEvent::adopt(handle_from(args.at(0))).set();
    return 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Semantics across processes

namespace {

// Three processes waiting on one event; `ready` and `woken` count them in and out.
struct Waiters {
    explicit Waiters(const std::string& event_name) {
        const std::string ready_name = unique_name("ev-ready");
        const std::string woken_name = unique_name("ev-woken");
        ready = NamedSemaphore::create(ready_name, 0, 10);
        woken = NamedSemaphore::create(woken_name, 0, 10);
        for (int i = 0; i < 3; ++i) {
            children.push_back(Child::start("event_waiter", {event_name, ready_name, woken_name, "30000"}));
        }
        for (int i = 0; i < 3; ++i) {
            REQUIRE(ready.try_acquire_for(30s));
        }
        Sleep(100); // let them reach their wait; the assertions do not depend on it
    }
    NamedSemaphore ready;
    NamedSemaphore woken;
    std::vector<Child> children;
};

} // namespace

TEST_CASE("A manual-reset event releases every waiting process and stays set until reset", "[named_event][process]") {
    const std::string name = unique_name("manual");
    auto event = NamedEvent::create(name, EventReset::manual);
    Waiters waiters(name);
    CHECK_FALSE(waiters.woken.try_acquire_for(100ms)); // unset: nobody passes

    event.set(); // once
    for (int i = 0; i < 3; ++i) {
        CHECK(waiters.woken.try_acquire_for(30s)); // all three pass
    }
    for (auto& child : waiters.children) {
        CHECK(child.wait(60s) == 0);
    }
    CHECK(event.wait_for(0ms)); // still set, however many waits
    CHECK(event.wait_for(0ms));
    event.reset();
    CHECK_FALSE(event.wait_for(0ms));
    event.set();
    event.set(); // setting a set event changes nothing
    CHECK(event.wait_for(0ms));
}

TEST_CASE("An automatic-reset event releases exactly one waiting process per set and is unset after",
          "[named_event][process]") {
    const std::string name = unique_name("auto");
    auto event = NamedEvent::create(name, EventReset::automatic);
    Waiters waiters(name);

    for (int round = 0; round < 3; ++round) {
        event.set();
        CHECK(waiters.woken.try_acquire_for(30s));         // one passes...
        CHECK_FALSE(waiters.woken.try_acquire_for(300ms)); // ...and only one
        CHECK_FALSE(event.wait_for(0ms));                  // the wake-up consumed the set
    }
    for (auto& child : waiters.children) {
        CHECK(child.wait(60s) == 0);
    }
    // With nobody waiting, a set is kept for the next wait, and only one: an event does not count.
    event.set();
    event.set();
    CHECK(event.wait_for(0ms));
    CHECK_FALSE(event.wait_for(0ms));
}

TEST_CASE("An event set by another process is seen by this one", "[named_event][process]") {
    const std::string name = unique_name("setter");
    auto event = NamedEvent::create(name, EventReset::automatic);
    CHECK_FALSE(event.wait_for(0ms));
    REQUIRE(run_child("event_setter", {name}) == 0);
    CHECK(event.wait_for(10s));
    std::error_code ec = make_error_code(std::errc::io_error);
    CHECK_FALSE(event.wait_for(0ms, ec)); // a timeout is not an error
    CHECK_FALSE(ec);
    REQUIRE(run_child("event_setter", {name}) == 0);
    event.wait(ec);
    CHECK_FALSE(ec);
}

TEST_CASE("Initial state, and timeouts of wait_for and wait_until with any clock", "[named_event]") {
    auto set = NamedEvent::create(unique_name("initially-set"), EventReset::manual, EventState::set);
    CHECK(set.wait_for(0ms));
    CHECK(set.wait_until(std::chrono::system_clock::now() - 1h)); // a past deadline still checks once
    auto unset = NamedEvent::create(unique_name("initially-unset"), EventReset::manual, EventState::unset);
    // Each of the three waits its whole timeout (less at most a 16 ms timer tick), not only the three together.
    const auto timed = [](auto wait) {
        const auto t0 = std::chrono::steady_clock::now();
        CHECK_FALSE(wait());
        return std::chrono::steady_clock::now() - t0;
    };
    CHECK(timed([&] { return unset.wait_until(std::chrono::steady_clock::now() + 50ms); }) >= 50ms - 16ms);
    CHECK(timed([&] { return unset.wait_until(std::chrono::system_clock::now() + 50ms); }) >= 50ms - 16ms);
    CHECK(timed([&] { return unset.wait_for(std::chrono::duration<double>(0.05)); }) >= 50ms - 16ms);
    std::error_code ec = make_error_code(std::errc::io_error);
    CHECK_FALSE(unset.wait_until(std::chrono::steady_clock::now() + 10ms, ec));
    CHECK_FALSE(ec);
    unset.set();
    CHECK(unset.wait_until(std::chrono::steady_clock::now() + 10s, ec));
    CHECK_FALSE(ec);
}

// ---------------------------------------------------------------------------------------------------------------
// Creating and opening

TEST_CASE("create, create_or_open and open of a named event, and their errors in both forms", "[named_event]") {
    const std::string name = unique_name("names");
    auto first = NamedEvent::create(name, EventReset::manual, EventState::set);
    CHECK_FALSE(first.existed());

    SECTION("create on a name in use fails with file_exists") {
        std::error_code ec;
        CHECK_FALSE(NamedEvent::create(name, EventReset::automatic, ec));
        CHECK(ec == std::errc::file_exists);
        CHECK_THROWS_AS(NamedEvent::create(name, EventReset::automatic), std::system_error);
        CHECK(first.wait_for(0ms)); // untouched
    }
    SECTION("create_or_open finds it and keeps its own reset kind and state") {
        auto second = NamedEvent::create_or_open(name, EventReset::automatic, EventState::unset);
        CHECK(second.existed());
        CHECK(second.wait_for(0ms)); // still set...
        CHECK(second.wait_for(0ms)); // ...and still manual
        second.reset();
        CHECK_FALSE(first.wait_for(0ms)); // one event behind both handles
    }
    SECTION("open finds it; a missing name is no_such_file_or_directory") {
        auto opened = NamedEvent::open(name);
        CHECK(opened.existed());
        opened.reset();
        CHECK_FALSE(first.wait_for(0ms));
        std::error_code ec;
        CHECK_FALSE(NamedEvent::open(unique_name("missing"), ec));
        CHECK(ec == std::errc::no_such_file_or_directory);
        CHECK_THROWS_AS(NamedEvent::open(unique_name("missing")), std::system_error);
    }
    SECTION("create_or_open on a new name creates it with the given kind and state") {
        std::error_code ec;
        auto fresh = NamedEvent::create_or_open(unique_name("fresh"), EventReset::automatic, EventState::set, {}, ec);
        CHECK_FALSE(ec);
        CHECK_FALSE(fresh.existed());
        CHECK(fresh.wait_for(0ms));
        CHECK_FALSE(fresh.wait_for(0ms));
    }
    SECTION("bad names are errors before Windows is asked") {
        std::error_code ec;
        CHECK_FALSE(NamedEvent::create("", EventReset::manual, ec));
        CHECK(ec == std::errc::invalid_argument);
        // (A surrogate in UTF-8; UTF-16 goes to Windows unchecked, see paths_test.cpp.)
        CHECK_FALSE(NamedEvent::open("\xED\xA0\x80", ec));
        CHECK(ec == std::errc::illegal_byte_sequence);
        CHECK_THROWS_AS(NamedEvent::create_or_open("", EventReset::manual), std::system_error);
    }
}

TEST_CASE("An anonymous event is shared with a child by inheritance", "[named_event][process]") {
    auto event = NamedEvent::create_unnamed(EventReset::manual, EventState::unset, inheritable());
    CHECK(event.is_inheritable());
    const std::string value = handle_text(event.native_handle());
    CHECK(Child::start("event_set_inherited", {value}, true).wait(60s) == 0);
    CHECK(event.wait_for(0ms));
    std::error_code ec;
    auto plain = NamedEvent::create_unnamed(EventReset::automatic, ec);
    CHECK_FALSE(ec);
    CHECK_FALSE(plain.is_inheritable());
    CHECK_FALSE(plain.wait_for(0ms));
}

TEST_CASE("NamedEvent::adopt takes only event handles; duplicate shares the event", "[named_event]") {
    auto event = NamedEvent::create_unnamed(EventReset::manual);
    HANDLE mutex = CreateMutexW(nullptr, FALSE, nullptr);
    REQUIRE(mutex != nullptr);
    std::error_code ec;
    CHECK_FALSE(NamedEvent::adopt(mutex, ec));
    CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    CHECK_THROWS_AS(NamedEvent::adopt(mutex), std::system_error);
    CHECK(ReleaseMutex(mutex) == FALSE); // still the caller's, still a mutex
    CloseHandle(mutex);

    NamedEvent second = event.duplicate();
    second.set();
    CHECK(event.wait_for(0ms));
    NamedEvent third = NamedEvent::adopt(event.duplicate_into(GetCurrentProcess()));
    third.reset();
    CHECK_FALSE(event.wait_for(0ms));
}

// ---------------------------------------------------------------------------------------------------------------
// Move checklist

TEST_CASE("NamedEvent move checklist", "[move][named_event]") {
    SECTION("default-constructed, closed and released objects are empty and fail every operation") {
        NamedEvent e;
        check_empty(e);
        NamedEvent closed = NamedEvent::create_unnamed(EventReset::manual);
        closed.close();
        check_empty(closed);
        NamedEvent released = NamedEvent::create_unnamed(EventReset::manual);
        CloseHandle(released.release());
        check_empty(released);
    }
    SECTION("move construction transfers the handle") {
        const std::string name = unique_name("move-ctor");
        NamedEvent a = NamedEvent::create(name, EventReset::manual);
        void* h = a.native_handle();
        NamedEvent b(std::move(a));
        CHECK(b.native_handle() == h);
        check_empty(a); // NOLINT(bugprone-use-after-move): the moved-from state is what is tested
        CHECK(object_exists<NamedEvent>(name));
    }
    SECTION("move assignment over a live object closes its handle") {
        const std::string old_name = unique_name("move-old");
        const std::string new_name = unique_name("move-new");
        NamedEvent target = NamedEvent::create(old_name, EventReset::manual);
        NamedEvent source = NamedEvent::create(new_name, EventReset::manual, EventState::set);
        target = std::move(source);
        std::error_code ec;
        CHECK_FALSE(NamedEvent::open(old_name, ec));
        CHECK(ec == std::errc::no_such_file_or_directory);
        CHECK(target.wait_for(0ms));
        check_empty(source); // NOLINT(bugprone-use-after-move)
    }
    SECTION("self-move leaves the object as it was") {
        const std::string name = unique_name("move-self");
        NamedEvent a = NamedEvent::create(name, EventReset::manual);
        void* h = a.native_handle();
        a = std::move(same(a));
        CHECK(a.native_handle() == h);
        CHECK(object_exists<NamedEvent>(name));
    }
}
