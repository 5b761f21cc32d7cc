// SPDX-License-Identifier: MIT
// NamedMutex: mutual exclusion across real processes, abandonment (exit and TerminateProcess), timeouts, recursion,
// thread affinity, the standard lock types, errors in both forms, and the move checklist.
#include <sharemap/errc.hpp>
#include <sharemap/file_mapping.hpp>
#include <sharemap/named_event.hpp>
#include <sharemap/named_mutex.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/common.hpp"
#include "support/example_process.hpp"

#include <windows.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

using sharemap::Access;
using sharemap::EventReset;
using sharemap::FileMapping;
using sharemap::LockStatus;
using sharemap::NamedEvent;
using sharemap::NamedMutex;
using sharemap_test::Child;
using sharemap_test::free_for_another_thread;
using sharemap_test::handle_from;
using sharemap_test::handle_text;
using sharemap_test::inheritable;
using sharemap_test::object_exists;
using sharemap_test::run_child;
using sharemap_test::same;
using sharemap_test::unique_name;
using sharemap_test::verbose;
using sharemap_test::win32_code;
using namespace std::chrono_literals;

namespace {

// Exit codes of the mutex_acquire_status child: 10 + the LockStatus it got.
constexpr unsigned long status_code(LockStatus s) { return 10 + static_cast<unsigned long>(s); }

void check_empty(NamedMutex& m) {
    CHECK_FALSE(m);
    CHECK(m.native_handle() == nullptr);
    CHECK_FALSE(m.existed());
    CHECK_FALSE(m.was_abandoned());
    std::error_code ec;
    CHECK(m.acquire(ec) == LockStatus::timed_out);
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    CHECK(m.acquire_for(10ms, ec) == LockStatus::timed_out);
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK(m.acquire_until(std::chrono::steady_clock::now(), ec) == LockStatus::timed_out);
    CHECK(ec == sharemap::errc::invalid_handle);
    m.unlock(ec);
    CHECK(ec == sharemap::errc::invalid_handle);
    m.set_inheritable(true, ec);
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_FALSE(m.is_inheritable(ec));
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_THROWS_AS(m.lock(), std::system_error);
    CHECK_THROWS_AS(m.try_lock(), std::system_error); // an empty object is an error, never "busy"
    CHECK_THROWS_AS(m.try_lock_for(1ms), std::system_error);
    CHECK_THROWS_AS(m.try_lock_until(std::chrono::system_clock::now()), std::system_error);
    CHECK_THROWS_AS(m.acquire(), std::system_error);
    CHECK_NOTHROW(m.unlock()); // never throws: it is called from lock guards' destructors
    CHECK_THROWS_AS(m.set_inheritable(true), std::system_error);
    CHECK_THROWS_AS(m.is_inheritable(), std::system_error);
}

} // namespace

static_assert(!std::is_copy_constructible_v<NamedMutex> && !std::is_copy_assignable_v<NamedMutex>);
static_assert(std::is_nothrow_move_constructible_v<NamedMutex> && std::is_nothrow_move_assignable_v<NamedMutex>);
static_assert(sizeof(NamedMutex) <= 2 * sizeof(void*), "a NamedMutex is a handle and two flags");
static_assert(sharemap::owns_lock(LockStatus::acquired) && sharemap::owns_lock(LockStatus::abandoned) &&
              !sharemap::owns_lock(LockStatus::timed_out));

// ---------------------------------------------------------------------------------------------------------------
// Children

// Opens the mutex, the counter's section and the start event; after the start, adds 1 to the counter `args[3]`
// times, each time under std::lock_guard, with a deliberately non-atomic read-yield-write.
SHAREMAP_TEST_CHILD(mutex_counter) {
    auto mutex = NamedMutex::open(args.at(0));
    auto section = FileMapping::open(args.at(1), Access::read_write);
    auto view = section.map(Access::read_write, 0, 4096);
    volatile std::uint32_t* counter = view.as<std::uint32_t>(0);
    auto start = NamedEvent::open(args.at(2));
    CHILD_CHECK(start.wait_for(30s));
    const unsigned long times = std::stoul(args.at(3));
    for (unsigned long i = 0; i < times; ++i) {
        std::lock_guard<NamedMutex> guard(mutex);
        const std::uint32_t value = *counter;
        std::this_thread::yield(); // invite another process in between: a broken mutex would lose updates here
        *counter = value + 1;
    }
    CHILD_CHECK(!mutex.was_abandoned());
    return 0;
}

// Locks the mutex and exits without unlocking it: the exiting thread abandons it.
SHAREMAP_TEST_CHILD(mutex_lock_and_exit) {
    auto mutex = NamedMutex::open(args.at(0));
    mutex.lock();
    return 0;
}

// Locks the mutex, sets the ready event, then holds the mutex for `args[2]` ms (the parent kills it before that).
SHAREMAP_TEST_CHILD(mutex_hold) {
    auto mutex = NamedMutex::open(args.at(0));
    CHILD_CHECK(mutex.acquire() == LockStatus::acquired);
    NamedEvent::open(args.at(1)).set();
    Sleep(static_cast<DWORD>(std::stoul(args.at(2))));
    mutex.unlock();
    return 0;
}

// Tries to acquire the mutex within `args[1]` ms; unlocks it if it got it; exits with 10 + the LockStatus.
SHAREMAP_TEST_CHILD(mutex_acquire_status) {
    auto mutex = NamedMutex::open(args.at(0));
    const LockStatus status = mutex.acquire_for(std::chrono::milliseconds(std::stol(args.at(1))));
    if (sharemap::owns_lock(status)) {
        mutex.unlock();
    }
    return static_cast<int>(status_code(status));
}

// Takes an inherited mutex handle whose value is on the command line; exits with 10 + the LockStatus of a try.
SHAREMAP_TEST_CHILD(mutex_inherited_status) {
    auto mutex = NamedMutex::adopt(handle_from(args.at(0)));
    const LockStatus status = mutex.acquire_for(0ms);
    if (sharemap::owns_lock(status)) {
        mutex.unlock();
    }
    return static_cast<int>(status_code(status));
}

// ---------------------------------------------------------------------------------------------------------------
// Cross-process exclusion

TEST_CASE("6 processes add 2,000 each to a shared counter under std::lock_guard<NamedMutex>: no update is lost",
          "[named_mutex][process]") {
    constexpr int children = 6;
    constexpr int times = 2000;
    const std::string mutex_name = unique_name("counter-mutex");
    const std::string section_name = unique_name("counter-section");
    const std::string start_name = unique_name("counter-start");
    auto mutex = NamedMutex::create(mutex_name);
    auto section = FileMapping::create(section_name, 4096);
    auto view = section.map(Access::read_write);
    auto start = NamedEvent::create(start_name, EventReset::manual);

    std::vector<Child> running;
    for (int i = 0; i < children; ++i) {
        running.push_back(Child::start("mutex_counter", {mutex_name, section_name, start_name, std::to_string(times)}));
    }
    const auto t0 = std::chrono::steady_clock::now();
    start.set(); // all of them begin together, so that they contend
    // One deadline for all, 90 s, less than CTest's 120 s: a child that hangs is reported here, not by a timeout.
    const auto deadline = std::chrono::steady_clock::now() + 90s;
    for (auto& child : running) {
        CHECK(child.wait(std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::max(deadline - std::chrono::steady_clock::now(), std::chrono::steady_clock::duration(0)))) == 0);
    }
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    const std::uint32_t total = *view.as<std::uint32_t>(0);
    CHECK(total == static_cast<std::uint32_t>(children * times));
    if (verbose()) {
        std::printf("counter: %u of %d in %lld ms\n", static_cast<unsigned>(total), children * times,
                    static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
    }
}

TEST_CASE("try_lock_for on a mutex another process holds returns false after about the timeout",
          "[named_mutex][process][timing]") {
    const std::string name = unique_name("held");
    const std::string ready_name = unique_name("held-ready");
    auto mutex = NamedMutex::create(name);
    auto ready = NamedEvent::create(ready_name, EventReset::manual);
    Child child = Child::start("mutex_hold", {name, ready_name, "60000"});
    REQUIRE(ready.wait_for(30s));

    const auto timeout = 300ms;
    const auto t0 = std::chrono::steady_clock::now();
    const bool got = mutex.try_lock_for(timeout);
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    CHECK_FALSE(got);
    CHECK(elapsed >= timeout - 20ms); // Windows timers may fire up to a tick early; the rounding is up
    CHECK(elapsed < timeout + 5s);
    if (verbose()) {
        std::printf("try_lock_for(300ms) on a held mutex returned after %.1f ms\n",
                    std::chrono::duration<double, std::milli>(elapsed).count());
    }

    // Every other way of trying also reports "busy", in both forms, without an error.
    CHECK_FALSE(mutex.try_lock());
    CHECK_FALSE(mutex.try_lock_until(std::chrono::steady_clock::now() + 50ms));
    CHECK_FALSE(mutex.try_lock_until(std::chrono::system_clock::now() + 50ms));
    CHECK_FALSE(mutex.try_lock_until(std::chrono::steady_clock::now() - 1h)); // a deadline already past: one try
    CHECK(mutex.acquire_for(0ms) == LockStatus::timed_out);
    CHECK(mutex.acquire_for(-5s) == LockStatus::timed_out);
    std::error_code ec = make_error_code(std::errc::io_error);
    CHECK(mutex.acquire_for(50ms, ec) == LockStatus::timed_out);
    CHECK_FALSE(ec);
    ec = make_error_code(std::errc::io_error);
    CHECK(mutex.acquire_until(std::chrono::system_clock::now() + 20ms, ec) == LockStatus::timed_out);
    CHECK_FALSE(ec);
    CHECK_FALSE(mutex.was_abandoned());
    {
        std::unique_lock<NamedMutex> lock(mutex, 20ms);
        CHECK_FALSE(lock.owns_lock());
    }
    child.kill();
}

// ---------------------------------------------------------------------------------------------------------------
// Abandonment

TEST_CASE("A mutex whose owner process exits without unlocking is acquired abandoned, and the new owner decides",
          "[named_mutex][process][abandoned]") {
    const std::string name = unique_name("abandon-exit");
    auto mutex = NamedMutex::create(name); // keeps the mutex alive while the child runs
    REQUIRE(run_child("mutex_lock_and_exit", {name}) == 0);

    SECTION("acquire() returns abandoned; the caller owns the mutex; the next owner gets acquired") {
        CHECK(mutex.acquire() == LockStatus::abandoned);
        CHECK(mutex.was_abandoned()); // recorded for this object too
        mutex.unlock();               // owned: the unlock succeeds
        // Another thread of this process, then another process, now get an ordinary acquisition.
        LockStatus other = LockStatus::timed_out;
        std::thread([&] {
            other = mutex.acquire_for(10s);
            mutex.unlock();
        }).join();
        CHECK(other == LockStatus::acquired);
        CHECK(run_child("mutex_acquire_status", {name, "10000"}) == status_code(LockStatus::acquired));
    }
    SECTION("acquire(timeout, ec) returns abandoned without an error") {
        std::error_code ec = make_error_code(std::errc::io_error);
        CHECK(mutex.acquire_for(5s, ec) == LockStatus::abandoned);
        CHECK_FALSE(ec);
        mutex.unlock();
    }
    SECTION("lock() does not throw, owns the mutex, and was_abandoned() shows it until cleared") {
        CHECK_FALSE(mutex.was_abandoned());
        CHECK_NOTHROW(mutex.lock());
        CHECK(mutex.was_abandoned());
        // A nested lock by the owner (an ordinary acquisition) does not hide the abandonment.
        mutex.lock();
        CHECK(mutex.was_abandoned());
        mutex.unlock();
        mutex.unlock();
        CHECK(mutex.was_abandoned()); // still observable after unlocking
        mutex.clear_abandoned();
        mutex.lock();
        CHECK_FALSE(mutex.was_abandoned()); // the next acquisition was an ordinary one
        mutex.unlock();
        CHECK(run_child("mutex_acquire_status", {name, "10000"}) == status_code(LockStatus::acquired));
    }
    SECTION("under std::lock_guard, was_abandoned() is checked inside the guarded scope") {
        bool seen = false;
        {
            std::lock_guard<NamedMutex> guard(mutex);
            seen = mutex.was_abandoned();
            mutex.clear_abandoned();
        }
        CHECK(seen);
        CHECK(run_child("mutex_acquire_status", {name, "10000"}) == status_code(LockStatus::acquired));
    }
    SECTION("try_lock() and try_lock_for() return true for an abandoned mutex and record it") {
        CHECK(mutex.try_lock());
        CHECK(mutex.was_abandoned());
        mutex.unlock();
        mutex.clear_abandoned();
        CHECK(mutex.try_lock_for(1s));
        CHECK_FALSE(mutex.was_abandoned()); // abandonment is reported once, to the first new owner
        mutex.unlock();
    }
}

TEST_CASE("A mutex whose owner is killed with TerminateProcess is acquired abandoned", "[named_mutex][process]"
                                                                                       "[abandoned]") {
    const std::string name = unique_name("abandon-kill");
    const std::string ready_name = unique_name("abandon-kill-ready");
    auto mutex = NamedMutex::create(name);
    auto ready = NamedEvent::create(ready_name, EventReset::manual);
    Child child = Child::start("mutex_hold", {name, ready_name, "60000"});
    REQUIRE(ready.wait_for(30s));
    CHECK_FALSE(mutex.try_lock()); // really held
    child.kill(9);

    SECTION("through acquire()") {
        CHECK(mutex.acquire_for(10s) == LockStatus::abandoned);
        mutex.unlock();
        CHECK(mutex.acquire_for(10s) == LockStatus::acquired);
        mutex.unlock();
    }
    SECTION("through lock(), observable afterwards") {
        mutex.lock();
        CHECK(mutex.was_abandoned());
        mutex.unlock();
        CHECK(run_child("mutex_acquire_status", {name, "10000"}) == status_code(LockStatus::acquired));
    }
}

TEST_CASE("A mutex whose owner thread exits is abandoned to the next thread", "[named_mutex][abandoned]") {
    auto mutex = NamedMutex::create_unnamed();
    std::thread([&] { mutex.lock(); }).join(); // the thread ends owning it
    CHECK(mutex.acquire_for(5s) == LockStatus::abandoned);
    mutex.unlock();
}

// ---------------------------------------------------------------------------------------------------------------
// Recursion and thread affinity

TEST_CASE("Recursion: the owner locks 3 times and must unlock 3 times; a 4th unlock is not_owner",
          "[named_mutex][process]") {
    const std::string name = unique_name("recursive");
    auto mutex = NamedMutex::create(name);
    mutex.lock();
    CHECK(mutex.try_lock());
    CHECK(mutex.try_lock_for(10ms));
    CHECK(run_child("mutex_acquire_status", {name, "0"}) == status_code(LockStatus::timed_out));
    mutex.unlock();
    mutex.unlock();
    CHECK(run_child("mutex_acquire_status", {name, "0"}) == status_code(LockStatus::timed_out)); // still held once
    mutex.unlock();
    CHECK(run_child("mutex_acquire_status", {name, "10000"}) == status_code(LockStatus::acquired));

    SECTION("error_code form") {
        std::error_code ec;
        mutex.unlock(ec);
        CHECK(ec == win32_code(ERROR_NOT_OWNER));
        CHECK(ec == sharemap::errc::not_owner);
    }
    SECTION("unlock() does not throw, and leaves the mutex as it was") {
        static_assert(noexcept(mutex.unlock()), "std::lock_guard calls unlock() from a destructor");
        CHECK_NOTHROW(mutex.unlock());
        mutex.lock();
        CHECK(run_child("mutex_acquire_status", {name, "0"}) == status_code(LockStatus::timed_out));
        mutex.unlock();
        CHECK(run_child("mutex_acquire_status", {name, "10000"}) == status_code(LockStatus::acquired));
    }
}

TEST_CASE("Thread affinity: only the locking thread can unlock; another thread's unlock is not_owner",
          "[named_mutex]") {
    auto mutex = NamedMutex::create(unique_name("affinity"));
    mutex.lock();
    std::error_code ec;
    bool other_could_take = true;
    std::thread([&] {
        mutex.unlock(ec);
        mutex.unlock();                      // does not throw, and does nothing
        other_could_take = mutex.try_lock(); // still held by the main thread
    }).join();
    CHECK(ec == win32_code(ERROR_NOT_OWNER));
    CHECK_FALSE(other_could_take);
    mutex.unlock(); // the owner can
    CHECK(free_for_another_thread(mutex));
}

TEST_CASE("std::lock_guard, std::unique_lock and std::scoped_lock work with NamedMutex", "[named_mutex]") {
    auto a = NamedMutex::create(unique_name("std-a"));
    auto b = NamedMutex::create(unique_name("std-b"));
    const auto held_elsewhere = [](NamedMutex& m) { return !free_for_another_thread(m); };
    {
        std::lock_guard<NamedMutex> guard(a);
        CHECK(held_elsewhere(a));
    }
    CHECK_FALSE(held_elsewhere(a));
    {
        std::unique_lock<NamedMutex> lock(a, std::defer_lock);
        CHECK(lock.try_lock_for(100ms));
        CHECK(held_elsewhere(a));
        lock.unlock();
        CHECK_FALSE(held_elsewhere(a));
        CHECK(lock.try_lock_until(std::chrono::steady_clock::now() + 100ms));
    }
    CHECK_FALSE(held_elsewhere(a));
    {
        std::scoped_lock both(a, b); // std::lock's deadlock avoidance uses try_lock
        CHECK(held_elsewhere(a));
        CHECK(held_elsewhere(b));
    }
    CHECK_FALSE(held_elsewhere(a));
    CHECK_FALSE(held_elsewhere(b));
}

// ---------------------------------------------------------------------------------------------------------------
// Creating and opening

TEST_CASE("create, create_or_open and open of a named mutex, and their errors in both forms", "[named_mutex]") {
    const std::string name = unique_name("names");
    auto first = NamedMutex::create(name);
    CHECK(first);
    CHECK_FALSE(first.existed());

    SECTION("create on a name in use fails with file_exists") {
        std::error_code ec;
        auto second = NamedMutex::create(name, ec);
        CHECK(ec == std::errc::file_exists);
        CHECK(ec == win32_code(ERROR_ALREADY_EXISTS));
        CHECK_FALSE(second);
        try {
            (void)NamedMutex::create(name);
            FAIL("create on a name in use must throw");
        } catch (const std::system_error& e) {
            CHECK(e.code() == std::errc::file_exists);
        }
    }
    SECTION("create_or_open and open find the same mutex") {
        auto either = NamedMutex::create_or_open(name);
        CHECK(either.existed());
        auto opened = NamedMutex::open(name);
        CHECK(opened.existed());
        opened.lock();
        CHECK_FALSE(free_for_another_thread(either)); // one mutex behind the three handles
        opened.unlock();
    }
    SECTION("create_or_open on a new name creates it") {
        std::error_code ec;
        auto fresh = NamedMutex::create_or_open(unique_name("fresh"), ec);
        CHECK_FALSE(ec);
        CHECK_FALSE(fresh.existed());
    }
    SECTION("open of a missing name is no_such_file_or_directory") {
        const std::string missing = unique_name("missing");
        std::error_code ec;
        CHECK_FALSE(NamedMutex::open(missing, ec));
        CHECK(ec == std::errc::no_such_file_or_directory);
        CHECK_THROWS_AS(NamedMutex::open(missing), std::system_error);
    }
    SECTION("bad names are invalid_argument / illegal_byte_sequence before Windows is asked") {
        std::error_code ec;
        CHECK_FALSE(NamedMutex::create("", ec));
        CHECK(ec == std::errc::invalid_argument);
        CHECK_FALSE(NamedMutex::create_or_open(std::string_view("a\0b", 3), ec));
        CHECK(ec == std::errc::invalid_argument);
        CHECK_FALSE(NamedMutex::open("\xff", ec));
        CHECK(ec == std::errc::illegal_byte_sequence);
        CHECK_THROWS_AS(NamedMutex::create(""), std::system_error);
    }
    SECTION("a UTF-16 name reaches the same mutex as its UTF-8 spelling") {
        const std::wstring wide(name.begin(), name.end());
        CHECK(NamedMutex::open(wide).existed());
    }
}

TEST_CASE("An anonymous mutex is shared with a child by inheritance", "[named_mutex][process]") {
    auto mutex = NamedMutex::create_unnamed(inheritable());
    CHECK(mutex.is_inheritable());
    CHECK_FALSE(mutex.existed());
    const std::string value = handle_text(mutex.native_handle());
    mutex.lock();
    CHECK(Child::start("mutex_inherited_status", {value}, true).wait(60s) == status_code(LockStatus::timed_out));
    mutex.unlock();
    CHECK(Child::start("mutex_inherited_status", {value}, true).wait(60s) == status_code(LockStatus::acquired));

    mutex.set_inheritable(false);
    CHECK_FALSE(mutex.is_inheritable());
    std::error_code ec;
    auto plain = NamedMutex::create_unnamed(ec);
    CHECK_FALSE(ec);
    CHECK_FALSE(plain.is_inheritable());
}

TEST_CASE("adopt takes only mutex handles; duplicate and duplicate_into hand the same mutex on", "[named_mutex]") {
    auto mutex = NamedMutex::create_unnamed();
    SECTION("adopt refuses another kind of handle and leaves it to the caller") {
        HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
        REQUIRE(event != nullptr);
        std::error_code ec;
        CHECK_FALSE(NamedMutex::adopt(event, ec));
        CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
        CHECK_THROWS_AS(NamedMutex::adopt(event), std::system_error);
        CHECK(SetEvent(event)); // still open, still the caller's
        CloseHandle(event);
        CHECK_FALSE(NamedMutex::adopt(nullptr, ec));
        CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    }
    SECTION("a handle without SYNCHRONIZE or without MUTEX_MODIFY_STATE is refused, and left to the caller") {
        for (const DWORD rights : {DWORD{MUTEX_MODIFY_STATE}, DWORD{SYNCHRONIZE}}) {
            HANDLE weak = nullptr;
            REQUIRE(DuplicateHandle(GetCurrentProcess(), mutex.native_handle(), GetCurrentProcess(), &weak, rights,
                                    FALSE, 0));
            std::error_code ec;
            CHECK_FALSE(NamedMutex::adopt(weak, ec));
            CHECK(ec == win32_code(ERROR_ACCESS_DENIED));
            CHECK_THROWS_AS(NamedMutex::adopt(weak), std::system_error);
            CHECK(CloseHandle(weak)); // still the caller's
        }
        HANDLE full = nullptr;
        REQUIRE(DuplicateHandle(GetCurrentProcess(), mutex.native_handle(), GetCurrentProcess(), &full,
                                SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, 0));
        NamedMutex enough = NamedMutex::adopt(full);
        CHECK(enough.existed());
        CHECK(enough.try_lock());
        enough.unlock();
    }
    SECTION("duplicate: a second object for the same mutex, with its own abandonment flag") {
        NamedMutex second = mutex.duplicate();
        CHECK(second.native_handle() != mutex.native_handle());
        std::thread([&] { second.lock(); }).join(); // abandoned by the thread's end
        CHECK(mutex.acquire() == LockStatus::abandoned);
        CHECK(mutex.was_abandoned());
        CHECK_FALSE(second.was_abandoned());
        second.unlock(); // the same mutex, owned by this thread
        std::error_code ec;
        CHECK_FALSE(NamedMutex().duplicate(ec));
        CHECK(ec == sharemap::errc::invalid_handle);
    }
    SECTION("duplicate_into this process, then adopt") {
        std::error_code ec;
        void* value = mutex.duplicate_into(GetCurrentProcess(), ec);
        REQUIRE_FALSE(ec);
        NamedMutex adopted = NamedMutex::adopt(value);
        mutex.lock();
        CHECK(adopted.try_lock()); // recursive: the same mutex, the same thread
        adopted.unlock();
        mutex.unlock();
        CHECK(mutex.duplicate_into(nullptr, ec) == nullptr);
        CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Move checklist

TEST_CASE("NamedMutex move checklist", "[move][named_mutex]") {
    SECTION("default-constructed, closed and released objects are empty and fail every operation") {
        NamedMutex m;
        check_empty(m);
        NamedMutex closed = NamedMutex::create_unnamed();
        closed.close();
        check_empty(closed);
        NamedMutex released = NamedMutex::create_unnamed();
        void* h = released.release();
        CHECK(h != nullptr);
        CloseHandle(h);
        check_empty(released);
    }
    SECTION("move construction transfers the handle and the abandonment flag") {
        const std::string name = unique_name("move-ctor");
        NamedMutex a = NamedMutex::create(name);
        std::thread([&] { a.lock(); }).join();
        REQUIRE(a.acquire() == LockStatus::abandoned);
        void* h = a.native_handle();
        NamedMutex b(std::move(a));
        CHECK(b.native_handle() == h);
        CHECK(b.was_abandoned());
        b.unlock();     // ownership belongs to the thread, not to the object
        check_empty(a); // NOLINT(bugprone-use-after-move): the moved-from state is what is tested
        CHECK(object_exists<NamedMutex>(name));
    }
    SECTION("move assignment over a live object closes its handle") {
        const std::string old_name = unique_name("move-old");
        const std::string new_name = unique_name("move-new");
        NamedMutex target = NamedMutex::create(old_name);
        NamedMutex source = NamedMutex::create(new_name);
        REQUIRE(object_exists<NamedMutex>(old_name));
        target = std::move(source);
        std::error_code ec;
        CHECK_FALSE(NamedMutex::open(old_name, ec)); // its only handle was closed: the mutex is gone
        CHECK(ec == std::errc::no_such_file_or_directory);
        CHECK(object_exists<NamedMutex>(new_name));
        check_empty(source); // NOLINT(bugprone-use-after-move)
        CHECK(target.acquire_for(0ms) == LockStatus::acquired);
        target.unlock();
    }
    SECTION("self-move leaves the object as it was") {
        const std::string name = unique_name("move-self");
        NamedMutex a = NamedMutex::create(name);
        void* h = a.native_handle();
        a = std::move(same(a));
        CHECK(a.native_handle() == h);
        CHECK(object_exists<NamedMutex>(name));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The example

#ifdef SHAREMAP_EXAMPLES_DIR
namespace {

std::string example(const std::string& target) { return std::string(SHAREMAP_EXAMPLES_DIR) + "/" + target + ".exe"; }

// The first line the program prints (called once per program: read_line returns the next line each time).
std::string first_line(sharemap_test::ExampleProcess& program) {
    std::string line;
    return program.read_line(line) ? line : std::string("(no line: ") + program.output() + ")";
}

bool contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

} // namespace

TEST_CASE("example 03-single-instance: a second copy sees the first; a waiting copy learns whether it crashed",
          "[examples][named_mutex][abandoned]") {
    using sharemap_test::ExampleProcess;
    const std::string name = unique_name("single-instance");
    const std::string guard = example("03-single-instance-guard");

    ExampleProcess first(guard, {name}, true);
    CHECK(contains(first_line(first), "guard: no other instance"));
    {
        ExampleProcess second(guard, {name}, false);
        const std::string out = second.read_to_end();
        INFO("second copy: " << out);
        CHECK(contains(out, "another instance is running"));
        CHECK(second.wait() == 2);
    }

    // A copy that waits; its Enter is already queued, so it exits as soon as it has taken over and reported.
    ExampleProcess waiter(guard, {"--wait", name}, true);
    CHECK(contains(first_line(waiter), "another instance is running; waiting for it to end"));
    CHECK(waiter.send_and_close("\n"));
    CHECK(first.send_and_close("crash\n"));
    CHECK(first.wait() == 3);
    const std::string took_over = waiter.read_to_end();
    INFO("waiting copy: " << took_over);
    CHECK(contains(took_over, "the previous instance crashed while holding the guard"));
    CHECK(contains(took_over, "running as the only instance"));
    CHECK(waiter.wait() == 0);

    // And a clean end is reported as such.
    ExampleProcess holder(guard, {name}, true);
    CHECK(contains(first_line(holder), "guard: no other instance"));
    ExampleProcess next(guard, {"--wait", name}, true);
    CHECK(contains(first_line(next), "waiting for it to end"));
    CHECK(next.send_and_close("\n"));
    CHECK(holder.send_and_close("\n"));
    CHECK(holder.wait() == 0);
    const std::string after_clean_end = next.read_to_end();
    INFO("next copy: " << after_clean_end);
    CHECK(contains(after_clean_end, "the previous instance ended normally"));
    CHECK(next.wait() == 0);
}
#endif // SHAREMAP_EXAMPLES_DIR
