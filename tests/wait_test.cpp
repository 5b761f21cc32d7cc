// SPDX-License-Identifier: MIT
// wait_any / wait_all: which object, what was taken, timeouts, mutexes held or abandoned by other processes, lists
// built at run time (a vector, an array, a pointer and a count), and the argument errors (0 or 65 objects, empty
// objects) in both forms.
#include <sharemap/errc.hpp>
#include <sharemap/named_event.hpp>
#include <sharemap/named_mutex.hpp>
#include <sharemap/named_semaphore.hpp>
#include <sharemap/wait.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/common.hpp"

#include <windows.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

using sharemap::EventReset;
using sharemap::EventState;
using sharemap::LockStatus;
using sharemap::NamedEvent;
using sharemap::NamedMutex;
using sharemap::NamedSemaphore;
using sharemap::WaitResult;
using sharemap::WaitStatus;
using sharemap::WaitTarget;
using sharemap::WaitTargets;
using sharemap_test::Child;
using sharemap_test::run_child;
using sharemap_test::unique_name;
using sharemap_test::win32_code;
using namespace std::chrono_literals;

namespace {

NamedEvent manual(EventState state = EventState::unset) {
    return NamedEvent::create_unnamed(EventReset::manual, state);
}

} // namespace

static_assert(std::is_convertible_v<NamedMutex&, WaitTarget> && std::is_convertible_v<NamedEvent&, WaitTarget> &&
              std::is_convertible_v<NamedSemaphore&, WaitTarget>);
static_assert(!std::is_convertible_v<NamedMutex, WaitTarget>, "a temporary would be gone before the wait");
// The list: a braced list, a contiguous container of WaitTarget, or a pointer and a count; not a container of the
// objects themselves, nor a container that is not contiguous.
static_assert(std::is_convertible_v<std::initializer_list<WaitTarget>, WaitTargets> &&
              std::is_convertible_v<const std::vector<WaitTarget>&, WaitTargets> &&
              std::is_convertible_v<std::array<WaitTarget, 2>&, WaitTargets> &&
              std::is_convertible_v<const WaitTarget (&)[2], WaitTargets> &&
              std::is_constructible_v<WaitTargets, const WaitTarget*, std::size_t>);
static_assert(!std::is_convertible_v<const std::vector<NamedEvent>&, WaitTargets> &&
              !std::is_convertible_v<const WaitTarget*, WaitTargets>);

// ---------------------------------------------------------------------------------------------------------------
// Children

// Sets the event args[0] after args[1] ms.
SHAREMAP_TEST_CHILD(wait_set_event_later) {
    auto event = NamedEvent::open(args.at(0));
    Sleep(static_cast<DWORD>(std::stoul(args.at(1))));
    event.set();
    return 0;
}

// Locks the mutex and exits without unlocking it.
SHAREMAP_TEST_CHILD(wait_lock_and_exit) {
    NamedMutex::open(args.at(0)).lock();
    return 0;
}

// Locks the mutex, sets the ready event, and holds the mutex until killed (at most args[2] ms).
SHAREMAP_TEST_CHILD(wait_hold_mutex) {
    auto mutex = NamedMutex::open(args.at(0));
    mutex.lock();
    NamedEvent::open(args.at(1)).set();
    Sleep(static_cast<DWORD>(std::stoul(args.at(2))));
    mutex.unlock();
    return 0;
}

// ---------------------------------------------------------------------------------------------------------------
// wait_any

TEST_CASE("wait_any returns the lowest signalled index and takes only that object", "[wait]") {
    auto e0 = manual();
    auto e1 = manual(EventState::set);
    auto e2 = manual(EventState::set);
    WaitResult r = sharemap::wait_any({e0, e1, e2});
    CHECK(r.status == WaitStatus::signaled);
    CHECK(r.index == 1);
    r = sharemap::wait_any({e0, e2}, 0ms);
    CHECK(r.status == WaitStatus::signaled);
    CHECK(r.index == 1);

    // Two semaphores with one each: only the first is taken.
    auto s0 = NamedSemaphore::create_unnamed(1, 1);
    auto s1 = NamedSemaphore::create_unnamed(1, 1);
    std::error_code ec = make_error_code(std::errc::io_error);
    r = sharemap::wait_any({s0, s1}, 10s, ec);
    CHECK_FALSE(ec);
    CHECK(r.status == WaitStatus::signaled);
    CHECK(r.index == 0);
    CHECK_FALSE(s0.try_acquire());
    CHECK(s1.try_acquire());

    // Nothing signalled: timed_out, in both forms, without an error.
    r = sharemap::wait_any({e0, s0, s1}, 30ms);
    CHECK(r.status == WaitStatus::timed_out);
    ec = make_error_code(std::errc::io_error);
    r = sharemap::wait_any({e0, s0, s1}, 30ms, ec);
    CHECK(r.status == WaitStatus::timed_out);
    CHECK_FALSE(ec);
}

TEST_CASE("wait_any is woken by an event another process sets, and names it", "[wait][process]") {
    const std::string name = unique_name("any-later");
    auto e0 = NamedEvent::create_unnamed(EventReset::automatic);
    auto e1 = NamedEvent::create_unnamed(EventReset::automatic);
    auto e2 = NamedEvent::create(name, EventReset::automatic);
    Child child = Child::start("wait_set_event_later", {name, "100"});
    const WaitResult r = sharemap::wait_any({e0, e1, e2}, 30s);
    CHECK(r.status == WaitStatus::signaled);
    CHECK(r.index == 2);
    CHECK_FALSE(e2.wait_for(0ms)); // the wait consumed the automatic event
    CHECK(child.wait(60s) == 0);
}

TEST_CASE("wait_any on a mutex another process holds times out, then reports the mutex abandoned when it is killed",
          "[wait][process][abandoned]") {
    const std::string name = unique_name("any-held");
    const std::string ready_name = unique_name("any-held-ready");
    auto mutex = NamedMutex::create(name);
    auto ready = NamedEvent::create(ready_name, EventReset::manual);
    auto other = NamedEvent::create_unnamed(EventReset::automatic);
    Child child = Child::start("wait_hold_mutex", {name, ready_name, "60000"});
    REQUIRE(ready.wait_for(30s));

    CHECK(sharemap::wait_any({mutex, other}, 50ms).status == WaitStatus::timed_out);
    other.set();
    WaitResult r = sharemap::wait_any({mutex, other}, 10s);
    CHECK(r.status == WaitStatus::signaled);
    CHECK(r.index == 1);

    child.kill();
    r = sharemap::wait_any({other, mutex}, 10s);
    CHECK(r.status == WaitStatus::abandoned);
    CHECK(r.index == 1);
    mutex.unlock(); // owned
}

TEST_CASE("A mutex abandoned by an exiting process is reported by wait_any as abandoned, with its index",
          "[wait][process][abandoned]") {
    const std::string name = unique_name("any-abandoned");
    auto mutex = NamedMutex::create(name);
    auto unset = manual();
    auto empty_count = NamedSemaphore::create_unnamed(0, 1);
    REQUIRE(run_child("wait_lock_and_exit", {name}) == 0);

    std::error_code ec = make_error_code(std::errc::io_error);
    WaitResult r = sharemap::wait_any({unset, empty_count, mutex}, 10s, ec);
    CHECK_FALSE(ec); // abandonment is a result, not an error
    CHECK(r.status == WaitStatus::abandoned);
    CHECK(r.index == 2);
    CHECK_FALSE(mutex.was_abandoned());                         // reported in the WaitResult only, as documented
    CHECK_FALSE(sharemap_test::free_for_another_thread(mutex)); // this thread owns it now
    mutex.unlock();
    CHECK(sharemap_test::free_for_another_thread(mutex));

    r = sharemap::wait_any({unset, empty_count, mutex});
    CHECK(r.status == WaitStatus::signaled); // reported once, to the first new owner
    CHECK(r.index == 2);
    mutex.unlock();
}

// ---------------------------------------------------------------------------------------------------------------
// wait_all

TEST_CASE("wait_all takes everything at once, or nothing before the timeout", "[wait]") {
    auto automatic = NamedEvent::create_unnamed(EventReset::automatic, EventState::set);
    auto later = manual();
    auto count = NamedSemaphore::create_unnamed(1, 1);
    auto mutex = NamedMutex::create_unnamed();

    std::error_code ec = make_error_code(std::errc::io_error);
    WaitResult r = sharemap::wait_all({automatic, count, mutex, later}, 30ms, ec);
    CHECK_FALSE(ec);
    CHECK(r.status == WaitStatus::timed_out);
    // Nothing was taken while one of them was unset.
    CHECK(sharemap_test::free_for_another_thread(mutex));
    CHECK(automatic.wait_for(0ms));
    automatic.set();
    CHECK(count.try_acquire());
    count.release();

    later.set();
    r = sharemap::wait_all({automatic, count, mutex, later});
    CHECK(r.status == WaitStatus::signaled);
    CHECK_FALSE(automatic.wait_for(0ms));                       // consumed
    CHECK_FALSE(count.try_acquire());                           // taken
    CHECK_FALSE(sharemap_test::free_for_another_thread(mutex)); // owned by this thread
    CHECK(later.wait_for(0ms));                                 // a manual event stays set
    mutex.unlock();
}

TEST_CASE("wait_all reports a mutex abandoned by another process", "[wait][process][abandoned]") {
    const std::string name = unique_name("all-abandoned");
    auto mutex = NamedMutex::create(name);
    auto set = manual(EventState::set);
    REQUIRE(run_child("wait_lock_and_exit", {name}) == 0);
    const WaitResult r = sharemap::wait_all({set, mutex}, 10s);
    CHECK(r.status == WaitStatus::abandoned);
    CHECK_FALSE(sharemap_test::free_for_another_thread(mutex));
    mutex.unlock();
}

// ---------------------------------------------------------------------------------------------------------------
// Lists built at run time

TEST_CASE("wait_any and wait_all take a std::vector of WaitTarget built at run time", "[wait]") {
    std::vector<NamedSemaphore> counts;
    std::vector<WaitTarget> targets;
    counts.reserve(5);
    for (int i = 0; i < 5; ++i) {
        counts.push_back(NamedSemaphore::create_unnamed(0, 1));
    }
    targets.assign(counts.begin(), counts.end());
    auto stop = manual();
    targets.emplace_back(stop);

    std::error_code ec = make_error_code(std::errc::io_error);
    CHECK(sharemap::wait_any(targets, 0ms, ec).status == WaitStatus::timed_out);
    CHECK_FALSE(ec);
    counts[3].release();
    WaitResult r = sharemap::wait_any(targets, 10s, ec);
    CHECK_FALSE(ec);
    CHECK(r.status == WaitStatus::signaled);
    CHECK(r.index == 3);
    CHECK_FALSE(counts[3].try_acquire()); // taken by the wait
    stop.set();
    r = sharemap::wait_any(targets, 10s);
    CHECK(r.status == WaitStatus::signaled);
    CHECK(r.index == 5);

    // wait_all: nothing while one count is empty, then every count at once.
    for (std::size_t i = 0; i < 4; ++i) {
        counts[i].release();
    }
    r = sharemap::wait_all(targets, 30ms);
    CHECK(r.status == WaitStatus::timed_out);
    CHECK(counts[0].try_acquire()); // not taken
    counts[0].release();
    counts[4].release();
    r = sharemap::wait_all(targets, 10s, ec);
    CHECK_FALSE(ec);
    CHECK(r.status == WaitStatus::signaled);
    for (const NamedSemaphore& count : counts) {
        CHECK_FALSE(count.try_acquire()); // all taken
    }
}

TEST_CASE("wait_any and wait_all take a std::array and a C array of WaitTarget", "[wait]") {
    auto first = manual();
    auto second = NamedEvent::create_unnamed(EventReset::automatic);
    auto mutex = NamedMutex::create_unnamed();
    const std::array<WaitTarget, 3> targets{first, second, mutex};

    std::error_code ec = make_error_code(std::errc::io_error);
    WaitResult r = sharemap::wait_any(targets, 10s, ec);
    CHECK_FALSE(ec);
    CHECK(r.status == WaitStatus::signaled);
    CHECK(r.index == 2); // the only one signalled: the mutex, now owned
    CHECK_FALSE(sharemap_test::free_for_another_thread(mutex));
    mutex.unlock();

    CHECK(sharemap::wait_all(targets, 30ms, ec).status == WaitStatus::timed_out);
    CHECK_FALSE(ec);
    CHECK(sharemap_test::free_for_another_thread(mutex)); // not taken
    first.set();
    second.set();
    r = sharemap::wait_all(targets, 10s);
    CHECK(r.status == WaitStatus::signaled);
    CHECK_FALSE(second.wait_for(0ms));                          // consumed
    CHECK_FALSE(sharemap_test::free_for_another_thread(mutex)); // owned
    mutex.unlock();

    const WaitTarget events[] = {first, second}; // a C array, as a caller may have one
    r = sharemap::wait_any(events, 10s);
    CHECK(r.status == WaitStatus::signaled);
    CHECK(r.index == 0); // `first` is a manual event, still set
    first.reset();
    second.set();
    r = sharemap::wait_all(events, 30ms, ec);
    CHECK(r.status == WaitStatus::timed_out);
    CHECK(second.wait_for(0ms)); // not taken
}

TEST_CASE("wait_any and wait_all on a pointer and a count see those targets only", "[wait]") {
    auto e0 = manual(EventState::set);
    auto e1 = manual();
    auto e2 = manual(EventState::set);
    auto e3 = manual(EventState::set);
    const std::vector<WaitTarget> targets{e0, e1, e2, e3};

    // From the second, two: e0 (set) is before the view, so the first signalled in it is e2, at index 1.
    std::error_code ec = make_error_code(std::errc::io_error);
    WaitResult r = sharemap::wait_any({targets.data() + 1, 2}, 10s, ec);
    CHECK_FALSE(ec);
    CHECK(r.status == WaitStatus::signaled);
    CHECK(r.index == 1);
    // One, from the second: e1 alone, unset.
    CHECK(sharemap::wait_any({targets.data() + 1, 1}, 30ms).status == WaitStatus::timed_out);
    // wait_all on the last two (both set), not on e1.
    r = sharemap::wait_all({targets.data() + 2, 2}, 10s, ec);
    CHECK_FALSE(ec);
    CHECK(r.status == WaitStatus::signaled);
    CHECK(sharemap::wait_all({targets.data(), 2}, 30ms).status == WaitStatus::timed_out);
    // A WaitTargets made first, as a parameter would be.
    const WaitTargets view(targets.data() + 1, 1);
    CHECK(view.size() == 1);
    CHECK(view.data() == targets.data() + 1);
    e1.set();
    r = sharemap::wait_any(view, 0ms);
    CHECK(r.status == WaitStatus::signaled);
    CHECK(r.index == 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Argument errors

TEST_CASE("No objects, or more than 64, is invalid_argument in both forms before Windows is asked", "[wait][errors]") {
    auto event = manual(EventState::set);
    std::vector<WaitTarget> too_many(65, WaitTarget(event));
    std::error_code ec;

    SECTION("none") {
        CHECK(sharemap::wait_any({}, ec).status == WaitStatus::timed_out);
        CHECK(ec == std::errc::invalid_argument);
        ec.clear();
        CHECK(sharemap::wait_all({}, 0ms, ec).status == WaitStatus::timed_out);
        CHECK(ec == std::errc::invalid_argument);
        ec.clear();
        (void)sharemap::wait_any({too_many.data(), 0}, 0ms, ec);
        CHECK(ec == std::errc::invalid_argument);
        ec.clear();
        (void)sharemap::wait_all({too_many.data(), 0}, ec);
        CHECK(ec == std::errc::invalid_argument);
        CHECK_THROWS_AS(sharemap::wait_any({}), std::system_error);
        CHECK_THROWS_AS(sharemap::wait_all({}, 0ms), std::system_error);
        CHECK_THROWS_AS(sharemap::wait_any({too_many.data(), 0}), std::system_error);
    }
    SECTION("65") {
        (void)sharemap::wait_any(too_many, ec);
        CHECK(ec == std::errc::invalid_argument);
        ec.clear();
        (void)sharemap::wait_all({too_many.data(), too_many.size()}, 0ms, ec);
        CHECK(ec == std::errc::invalid_argument);
        try {
            (void)sharemap::wait_any(too_many, 0ms);
            FAIL("65 objects must throw");
        } catch (const std::system_error& e) {
            CHECK(e.code() == std::errc::invalid_argument);
        }
        CHECK_THROWS_AS(sharemap::wait_all(too_many), std::system_error);
    }
    SECTION("a null list") {
        (void)sharemap::wait_any({nullptr, 1}, 0ms, ec);
        CHECK(ec == std::errc::invalid_argument);
    }
    SECTION("64 distinct objects are fine; the last one is found") {
        std::vector<NamedEvent> events;
        for (int i = 0; i < 64; ++i) {
            events.push_back(manual());
        }
        events.back().set();
        const std::vector<WaitTarget> targets(events.begin(), events.end());
        const WaitResult r = sharemap::wait_any(targets, 0ms, ec);
        CHECK_FALSE(ec);
        CHECK(r.status == WaitStatus::signaled);
        CHECK(r.index == 63);
        CHECK(sharemap::wait_all({targets.data(), targets.size()}, 0ms).status == WaitStatus::timed_out);
    }
}

TEST_CASE("An empty object in the list is errc::invalid_handle in both forms", "[wait][errors]") {
    auto set = manual(EventState::set);
    NamedMutex empty_mutex;
    NamedSemaphore moved_from = NamedSemaphore::create_unnamed(1, 1);
    NamedSemaphore taker(std::move(moved_from));
    std::error_code ec;
    CHECK(sharemap::wait_any({set, empty_mutex}, 0ms, ec).status == WaitStatus::timed_out);
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    ec.clear();
    (void)sharemap::wait_all({moved_from, set}, 0ms, ec); // NOLINT(bugprone-use-after-move): that is the point
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_THROWS_AS(sharemap::wait_any({set, empty_mutex}), std::system_error);
    CHECK(taker.try_acquire()); // nothing was taken from the live objects
}
