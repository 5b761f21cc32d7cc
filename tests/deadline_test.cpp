// SPDX-License-Identifier: MIT
// Far deadlines and long timeouts wait for the object instead of overflowing into an immediate time-out: every
// *_until with any clock and duration type (time_point::max(), coarse or unsigned or floating durations) and every
// wait_for with duration::max() of any representation. Each wait here is ended by another thread after ~300 ms, so
// a wait that overflowed returns false at once and one that works returns true.
//
// Before the fix, the deadlines in a duration coarser than the clock's (seconds, minutes, hours, years against
// system_clock's or steady_clock's nanoseconds) failed: comparing them with Clock::now() converts them to
// nanoseconds, which overflows. time_point::max() of the clocks' own durations, floating durations and every
// wait_for already waited (libstdc++'s clocks count nanoseconds from an epoch near now, so max() - now() fits); they
// are kept here so that it stays so.
#include <sharemap/named_event.hpp>
#include <sharemap/named_mutex.hpp>
#include <sharemap/named_semaphore.hpp>
#include <sharemap/receiver.hpp>
#include <sharemap/section_event.hpp>
#include <sharemap/section_mutex.hpp>
#include <sharemap/sender.hpp>
#include <sharemap/shared_object.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"

#include <windows.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <ratio>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

using sharemap::EventReset;
using sharemap::NamedEvent;
using sharemap::NamedMutex;
using sharemap::NamedSemaphore;
using sharemap::Receiver;
using sharemap::SectionEvent;
using sharemap::SectionMutex;
using sharemap::Sender;
using sharemap::SharedObject;
using sharemap_test::unique_name;
using namespace std::chrono_literals;

namespace {

using std::chrono::duration;
using std::chrono::steady_clock;
using std::chrono::system_clock;
using std::chrono::time_point;

// A thread joined when it goes out of scope, as C++20's std::jthread is: a wait that throws then fails its test case
// instead of ending the program (a joinable std::thread's destructor calls std::terminate).
class JoinedThread {
public:
    template <class F>
    explicit JoinedThread(F&& f) : thread_(std::forward<F>(f)) {}
    JoinedThread(const JoinedThread&) = delete;
    JoinedThread& operator=(const JoinedThread&) = delete;
    ~JoinedThread() { join(); }
    void join() {
        if (thread_.joinable()) {
            thread_.join();
        }
    }

private:
    std::thread thread_;
};

// Runs `ready()` after ~300 ms in another thread, while `wait()` runs here; returns what `wait()` returned.
template <class Ready, class Wait>
bool ready_later(Ready&& ready, Wait&& wait) {
    JoinedThread later([&ready] {
        Sleep(300); // not sleep_for: see support/leak_listener.cpp
        ready();
    });
    const bool result = wait();
    later.join();
    return result;
}

// Runs `wait(event)` on an unset automatic event that another thread sets after ~300 ms; returns what it returned.
template <class Wait>
bool set_later(Wait&& wait) {
    NamedEvent event = NamedEvent::create_unnamed(EventReset::automatic);
    return ready_later([&event] { event.set(); }, [&] { return wait(event); });
}

// Holds `mutex` in another thread for ~300 ms; runs `lock(mutex)` while it is held and returns what it returned.
template <class Mutex, class Lock>
bool hold_then_lock(Mutex& mutex, Lock&& lock) {
    NamedEvent held = NamedEvent::create_unnamed(EventReset::manual);
    JoinedThread holder([&] {
        mutex.lock();
        held.set();
        Sleep(300); // not sleep_for: see support/leak_listener.cpp
        mutex.unlock();
    });
    held.wait();
    const bool result = lock(mutex);
    holder.join();
    if (result) {
        mutex.unlock();
    }
    return result;
}

// hold_then_lock on a new unnamed NamedMutex.
template <class Lock>
bool release_later(Lock&& lock) {
    NamedMutex mutex = NamedMutex::create_unnamed();
    return hold_then_lock(mutex, lock);
}

template <class Deadline>
bool event_until(const Deadline& deadline) {
    return set_later([&](NamedEvent& e) { return e.wait_until(deadline); });
}

template <class Timeout>
bool event_for(const Timeout& timeout) {
    return set_later([&](NamedEvent& e) { return e.wait_for(timeout); });
}

} // namespace

TEST_CASE("wait_until time_point::max() of the standard clocks waits for the event", "[deadline]") {
    CHECK(event_until((system_clock::time_point::max)()));
    CHECK(event_until((steady_clock::time_point::max)()));
}

TEST_CASE("wait_until a far deadline with a coarser duration than the clock's waits for the event", "[deadline]") {
    // Comparing these with Clock::now() converts them to the clock's (finer) duration, which overflows.
    CHECK(event_until((time_point<system_clock, std::chrono::seconds>::max)()));
    CHECK(event_until((time_point<system_clock, std::chrono::milliseconds>::max)()));
    CHECK(event_until((time_point<steady_clock, std::chrono::hours>::max)()));
    CHECK(event_until((time_point<steady_clock, duration<long long, std::ratio<31556952>>>::max)())); // years
}

TEST_CASE("wait_until a far deadline with an unsigned or floating duration waits for the event", "[deadline]") {
    CHECK(event_until((time_point<system_clock, duration<unsigned long long, std::milli>>::max)()));
    CHECK(event_until((time_point<steady_clock, duration<unsigned long long>>::max)()));
    CHECK(event_until(time_point<system_clock, duration<double>>(duration<double>(1e300))));
    CHECK(event_until((time_point<system_clock, duration<double>>::max)()));
    CHECK(event_until(time_point<steady_clock, duration<double>>(duration<double>(1e300))));
    CHECK(event_until(
        time_point<steady_clock, duration<float>>(duration<float>(std::numeric_limits<float>::infinity()))));
}

TEST_CASE("wait_until a deadline far in the past is a single try", "[deadline]") {
    NamedEvent event = NamedEvent::create_unnamed(EventReset::automatic);
    CHECK_FALSE(event.wait_until((time_point<system_clock, std::chrono::seconds>::min)()));
    CHECK_FALSE(event.wait_until((steady_clock::time_point::min)()));
    CHECK_FALSE(event.wait_until(time_point<system_clock, duration<double>>(duration<double>(-1e300))));
    event.set();
    CHECK(event.wait_until((time_point<system_clock, std::chrono::hours>::min)())); // the try takes a set event
}

TEST_CASE("wait_for duration::max() of any representation waits for the event", "[deadline]") {
    CHECK(event_for((std::chrono::nanoseconds::max)()));
    CHECK(event_for((std::chrono::hours::max)()));
    CHECK(event_for((duration<unsigned long long, std::micro>::max)()));
    CHECK(event_for(duration<double>(1e300)));
    CHECK(event_for((duration<double>::max)()));
    CHECK(event_for(duration<float>(std::numeric_limits<float>::infinity())));
}

TEST_CASE("try_lock_until a far deadline waits for a mutex another thread holds", "[deadline]") {
    CHECK(release_later([](NamedMutex& m) { return m.try_lock_until((system_clock::time_point::max)()); }));
    CHECK(release_later([](NamedMutex& m) { return m.try_lock_until((steady_clock::time_point::max)()); }));
    CHECK(release_later(
        [](NamedMutex& m) { return m.try_lock_until((time_point<system_clock, std::chrono::seconds>::max)()); }));
    CHECK(release_later([](NamedMutex& m) {
        return m.try_lock_until(time_point<system_clock, duration<double>>(duration<double>(1e300)));
    }));
    CHECK(release_later([](NamedMutex& m) { return m.try_lock_for((std::chrono::nanoseconds::max)()); }));
}

TEST_CASE("try_acquire_until a far deadline waits for a semaphore another thread releases", "[deadline]") {
    NamedSemaphore semaphore = NamedSemaphore::create_unnamed(0, 1);
    CHECK(ready_later(
        [&semaphore] { (void)semaphore.release(); },
        [&] { return semaphore.try_acquire_until((time_point<system_clock, std::chrono::minutes>::max)()); }));
}

// The section types' *_until waits (SectionMutex, SectionEvent, the channel's ends, SharedObject) share one
// conversion to a steady deadline (detail/section_lock.hpp, until_deadline), which overflowed the same way.

namespace {

// Seconds, hours and double-second deadlines far away: each overflowed into an immediate time-out before the fix
// (the first two; the last two are kept so that it stays so).
template <class Wait>
void check_far_deadlines(Wait&& wait) {
    CHECK(wait((time_point<system_clock, std::chrono::seconds>::max)()));
    CHECK(wait((time_point<steady_clock, std::chrono::hours>::max)()));
    CHECK(wait((system_clock::time_point::max)()));
    CHECK(wait(time_point<system_clock, duration<double>>(duration<double>(1e300))));
}

} // namespace

TEST_CASE("SectionEvent::wait_until a far deadline of any duration waits for the event", "[deadline]") {
    check_far_deadlines([](const auto& deadline) {
        SectionEvent event(EventReset::automatic);
        return ready_later([&event] { event.set(); }, [&] { return event.wait_until(deadline); });
    });
}

TEST_CASE("Section waits: a deadline far in the past, or NaN, is a single try", "[deadline]") {
    // A past deadline taken for a future one would loop for ever in until_deadline: each try ends at once.
    const auto long_ago = (time_point<system_clock, std::chrono::seconds>::min)();
    const time_point<system_clock, duration<double>> not_a_time{
        duration<double>(std::numeric_limits<double>::quiet_NaN())};
    SectionEvent event(EventReset::automatic);
    CHECK_FALSE(event.wait_until(long_ago));
    CHECK_FALSE(event.wait_until((steady_clock::time_point::min)()));
    CHECK_FALSE(event.wait_until(not_a_time));
    event.set();
    CHECK(event.wait_until((time_point<steady_clock, std::chrono::hours>::min)())); // the try takes a set event
    const std::string name = unique_name("deadline");
    Receiver receiver = Receiver::create(name, 4096);
    Sender sender = Sender::open(name);
    CHECK_FALSE(receiver.receive_until(long_ago));
    CHECK_FALSE(receiver.receive_until(not_a_time));
    const char one = 'x';
    sender.send(&one, 1);
    CHECK(receiver.receive_until(long_ago)); // the try takes a message that is there
}

TEST_CASE("SectionMutex::try_lock_until a far deadline of any duration waits for the mutex", "[deadline]") {
    check_far_deadlines([](const auto& deadline) {
        SectionMutex mutex;
        return hold_then_lock(mutex, [&](SectionMutex& m) { return m.try_lock_until(deadline); });
    });
}

TEST_CASE("Receiver::receive_until and Sender::send_until a far deadline of any duration wait for the other end",
          "[deadline]") {
    check_far_deadlines([](const auto& deadline) {
        const std::string name = unique_name("deadline");
        Receiver receiver = Receiver::create(name, 4096);
        Sender sender = Sender::open(name);
        const char one = 'x';
        const bool received = ready_later([&] { sender.send(&one, 1); },
                                          [&] { return static_cast<bool>(receiver.receive_until(deadline)); });
        std::size_t sent = 0;
        while (sender.try_send(&one, 1)) { // fill the ring: the next send waits for space
            ++sent;
        }
        const bool spaced = ready_later([&] { (void)receiver.try_receive(); },
                                        [&] { return sender.send_until(&one, 1, deadline); });
        return received && sent > 0 && spaced;
    });
}

TEST_CASE("SharedObject::open_until a far deadline of any duration waits for the object", "[deadline]") {
    check_far_deadlines([](const auto& deadline) {
        const std::string name = unique_name("deadline");
        NamedEvent in_init = NamedEvent::create_unnamed(EventReset::manual);
        JoinedThread creator([&] {
            (void)SharedObject<int>::create(name, [&](int& v) {
                in_init.set(); // the section exists now; the object is ready ~300 ms later
                Sleep(300);    // not sleep_for: see support/leak_listener.cpp
                v = 7;
            });
        });
        in_init.wait();
        std::error_code ec;
        const SharedObject<int> opened = SharedObject<int>::open_until(name, deadline, ec);
        creator.join();
        return !ec && opened && *opened == 7;
    });
}

namespace {

// A clock that runs at half the speed of steady_clock: a deadline 100 ms ahead by it is 200 ms of real time away.
// A wait of the distance first computed ends when this clock has advanced only half of it.
struct HalfSpeedClock {
    using rep = std::int64_t;
    using period = std::nano;
    using duration = std::chrono::duration<rep, period>;
    using time_point = std::chrono::time_point<HalfSpeedClock>;
    [[maybe_unused]] static constexpr bool is_steady = true; // a Clock must say; wait_until does not ask
    static time_point now() noexcept {
        return time_point(std::chrono::duration_cast<duration>(steady_clock::now().time_since_epoch()) / 2);
    }
};

} // namespace

TEST_CASE("wait_until with a clock slower than Windows' timer waits until that clock reaches the deadline",
          "[deadline]") {
    // Every *_until reads its clock again after a wait that timed out: one wait of the distance first computed
    // would end at 100 ms here, when the slow clock is still 50 ms short.
    NamedEvent event = NamedEvent::create_unnamed(EventReset::manual);
    NamedMutex mutex = NamedMutex::create_unnamed();
    NamedSemaphore semaphore = NamedSemaphore::create_unnamed(0, 1);
    const auto took = [](auto&& wait) {
        const auto start = steady_clock::now();
        CHECK_FALSE(wait(HalfSpeedClock::now() + 100ms));
        return steady_clock::now() - start;
    };
    CHECK(took([&](auto deadline) { return event.wait_until(deadline); }) >= 195ms);
    CHECK(took([&](auto deadline) { return semaphore.try_acquire_until(deadline); }) >= 195ms);
    NamedEvent held = NamedEvent::create_unnamed(EventReset::manual);
    NamedEvent done = NamedEvent::create_unnamed(EventReset::manual);
    JoinedThread holder([&] {
        mutex.lock();
        held.set();
        (void)done.wait_for(30s);
        mutex.unlock();
    });
    held.wait();
    CHECK(took([&](auto deadline) { return mutex.try_lock_until(deadline); }) >= 195ms);
    done.set();
    holder.join();
}
