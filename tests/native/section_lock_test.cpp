// SPDX-License-Identifier: MIT
// The state machines of SectionMutex and SectionEvent (sharemap/detail/section_lock.hpp), built natively on Linux
// with threads and run under ThreadSanitizer and under AddressSanitizer + UBSan: exclusion is exact, a thread that
// ends holding the lock is reported as abandoned and the lock keeps working, timeouts, recursion and unlock by a
// non-owner are refused, an automatic event wakes exactly one waiter and a manual one wakes all.
#include "common.hpp"
#include "stamped_platform.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

namespace sl = sharemap::detail::section_lock;

namespace {

// A Lockable over the shared state, as SectionMutex is.
struct Mutex {
    sl::MutexState state{};
    void lock() { expect(sl::lock<P>(state, forever()) == sl::Acquired::acquired); }
    void unlock() { expect(sl::unlock<P>(state)); }
};

bool wait_for(sl::EventState& e, std::chrono::milliseconds d) { return sl::wait<P>(e, Clock::now() + d); }

// Starts `waiters` threads that each wait for `e` at most `wait`, sets `e` once they sleep; returns how many woke.
int woken_by_one_set(sl::EventState& e, int waiters, std::chrono::milliseconds wait) {
    std::atomic<int> woken{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < waiters; ++i) {
        threads.emplace_back([&] {
            if (wait_for(e, wait)) {
                woken.fetch_add(1);
            }
        });
    }
    std::this_thread::sleep_for(300ms);
    sl::set<P>(e);
    for (auto& t : threads) {
        t.join();
    }
    return woken.load();
}

} // namespace

TEST_CASE_METHOD(NoThreadFailures, "native: zero bytes are an unlocked mutex and an unset manual event", "[native]") {
    alignas(8) unsigned char bytes[sizeof(sl::MutexState) + sizeof(sl::EventState)] = {};
    auto* m = reinterpret_cast<sl::MutexState*>(bytes);
    auto* e = reinterpret_cast<sl::EventState*>(bytes + sizeof(sl::MutexState));
    CHECK(sl::lock<P>(*m, Clock::now()) == sl::Acquired::acquired);
    CHECK(sl::owned_by_caller<P>(*m));
    CHECK(sl::unlock<P>(*m));
    CHECK_FALSE(sl::wait<P>(*e, Clock::now()));
    sl::set<P>(*e);
    CHECK(sl::wait<P>(*e, Clock::now()));
    CHECK(sl::wait<P>(*e, Clock::now())); // manual: stays set
}

TEST_CASE_METHOD(NoThreadFailures, "native: 8 threads x 20,000 increments under the lock come out exact", "[native]") {
    Mutex m;
    long counter = 0; // plain: ThreadSanitizer reports any access the lock does not order
    constexpr int threads = 8;
    constexpr int times = 20000;
    std::vector<std::thread> running;
    for (int t = 0; t < threads; ++t) {
        running.emplace_back([&] {
            for (int i = 0; i < times; ++i) {
                std::lock_guard<Mutex> guard(m);
                ++counter;
            }
        });
    }
    for (auto& t : running) {
        t.join();
    }
    CHECK(counter == static_cast<long>(threads) * times);
    CHECK(m.state.owner.load() == 0);
    CHECK(m.state.abandoned.load() == 0);
}

TEST_CASE_METHOD(NoThreadFailures,
                 "native: a thread that ends holding the lock is reported as abandoned; the lock keeps working",
                 "[native][abandoned]") {
    Mutex m;
    long data = 0;
    SECTION("found by a later waiter") {
        std::thread([&] {
            expect(sl::lock<P>(m.state, forever()) == sl::Acquired::acquired);
            data = 1; // half-done work
        }).join();
        CHECK(sl::lock<P>(m.state, Clock::now() + 5s) == sl::Acquired::abandoned);
        CHECK(data == 1);
        CHECK(m.state.abandoned.load() == 1);
        m.unlock();
    }
    SECTION("found by a waiter already asleep when the owner ends") {
        sl::EventState go{};
        std::thread owner([&] {
            m.lock();
            data = 2;
            expect(wait_for(go, 30s));
        });
        while (m.state.owner.load() == 0) {
            std::this_thread::yield();
        }
        std::thread ender([&] {
            std::this_thread::sleep_for(200ms);
            sl::set<P>(go);
        });
        const auto t0 = Clock::now();
        CHECK(sl::lock<P>(m.state, Clock::now() + 30s) == sl::Acquired::abandoned);
        CHECK(Clock::now() - t0 < 5s);
        CHECK(data == 2);
        m.unlock();
        owner.join();
        ender.join();
    }
    SECTION("only one of several waiters takes it over; the others then get it normally") {
        sl::EventState go{};
        std::thread owner([&] {
            m.lock();
            expect(wait_for(go, 30s));
        });
        while (m.state.owner.load() == 0) {
            std::this_thread::yield();
        }
        std::atomic<int> abandoned{0};
        std::atomic<int> acquired{0};
        std::vector<std::thread> waiters;
        for (int i = 0; i < 4; ++i) {
            waiters.emplace_back([&] {
                const sl::Acquired r = sl::lock<P>(m.state, Clock::now() + 30s);
                (r == sl::Acquired::abandoned ? abandoned : acquired).fetch_add(1);
                ++data;
                expect(sl::unlock<P>(m.state));
            });
        }
        std::this_thread::sleep_for(100ms);
        sl::set<P>(go);
        owner.join();
        for (auto& t : waiters) {
            t.join();
        }
        CHECK(abandoned.load() == 1);
        CHECK(acquired.load() == 3);
        CHECK(data == 4);
    }
    // Afterwards the mutex works as before.
    for (int i = 0; i < 100; ++i) {
        CHECK(sl::lock<P>(m.state, Clock::now()) == sl::Acquired::acquired);
        CHECK(sl::unlock<P>(m.state));
    }
}

TEST_CASE_METHOD(NoThreadFailures, "native: timeouts, recursion and unlock by a non-owner", "[native]") {
    Mutex m;
    m.lock();
    CHECK(sl::lock<P>(m.state, forever()) == sl::Acquired::would_deadlock);
    CHECK(sl::lock<P>(m.state, Clock::now()) == sl::Acquired::would_deadlock);
    std::thread([&] {
        expect(!sl::unlock<P>(m.state)); // not the owner: refused, nothing changes
        expect(sl::lock<P>(m.state, Clock::now()) == sl::Acquired::timed_out);
        const auto t0 = Clock::now();
        expect(sl::lock<P>(m.state, Clock::now() + 250ms) == sl::Acquired::timed_out);
        const auto elapsed = Clock::now() - t0;
        expect(elapsed >= 250ms);
        expect(elapsed < 5s);
    }).join();
    CHECK(sl::owned_by_caller<P>(m.state));
    CHECK(sl::unlock<P>(m.state));
    CHECK_FALSE(sl::unlock<P>(m.state)); // not locked at all
    CHECK(m.state.abandoned.load() == 0);
}

TEST_CASE_METHOD(NoThreadFailures,
                 "native: a waiter woken by unlock gets the lock; no wake is lost under contention with sleepers",
                 "[native]") {
    Mutex m;
    long counter = 0;
    std::vector<std::thread> running;
    for (int t = 0; t < 4; ++t) {
        running.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                std::lock_guard<Mutex> guard(m);
                ++counter;
                std::this_thread::sleep_for(50us); // long holds: the others go to sleep
            }
        });
    }
    for (auto& t : running) {
        t.join();
    }
    CHECK(counter == 800);
    CHECK(m.state.sleepers.load() == 0);
}

TEST_CASE_METHOD(NoThreadFailures,
                 "native: a waiter that took over a dead owner is not taken for dead while it stores its stamp",
                 "[native][stamp]") {
    using S = sharemap_native::StampedPlatform;
    sl::MutexState m{};
    std::thread([&] { expect(sl::lock<S>(m, forever()) == sl::Acquired::acquired); }).join(); // ends holding it
    std::atomic<std::uint64_t> first_id{0};
    std::atomic<int> first{-1};
    std::atomic<bool> leave{false};
    std::thread first_waiter([&] {
        first_id = S::self();
        S::stall_in_next_self_start(); // right after its take-over CAS
        first = static_cast<int>(sl::lock<S>(m, forever()));
        while (!leave) {
            std::this_thread::sleep_for(1ms);
        }
        expect(sl::unlock<S>(m));
    });
    while (first_id.load() == 0 || m.owner.load() != first_id.load()) {
        std::this_thread::sleep_for(1ms);
    }
    // The first waiter owns the mutex and has not stored its stamp yet. The dead owner's stamp must not be read as
    // its own: it would make this live owner look like a reused id, and this second waiter take the mutex too.
    const sl::Acquired second = sl::lock<S>(m, Clock::now() + S::stall + 700ms);
    leave = true;
    first_waiter.join();
    CHECK(first.load() == static_cast<int>(sl::Acquired::abandoned));
    CHECK(second == sl::Acquired::timed_out);
    if (second != sl::Acquired::timed_out) {
        (void)sl::unlock<S>(m);
    }
}

TEST_CASE_METHOD(NoThreadFailures,
                 "native: a thread given the id of a thread that ended owning the mutex does not pass for its owner: "
                 "its lock takes it as abandoned",
                 "[native][abandoned]") {
    using S = sharemap_native::StampedPlatform;
    sl::MutexState m{};
    int owned_before = -1;
    sl::Acquired got = sl::Acquired::timed_out;
    S::pass_id([&] { expect(sl::lock<S>(m, forever()) == sl::Acquired::acquired); }, // ends owning it
               [&] {
                   owned_before = sl::owned_by_caller<S>(m) ? 1 : 0;
                   got = sl::lock<S>(m, Clock::now() + 5s);
                   expect(sl::unlock<S>(m));
               });
    CHECK(owned_before == 0);
    CHECK(got == sl::Acquired::abandoned);
    CHECK(m.owner.load() == 0);
    CHECK(m.abandoned.load() == 1);
}

TEST_CASE_METHOD(NoThreadFailures,
                 "native: an automatic event wakes exactly one waiter per set; a manual one wakes all",
                 "[native][event]") {
    SECTION("automatic") {
        sl::EventState e{};
        e.flags.store(sl::event_automatic_flag);
        CHECK(woken_by_one_set(e, 2, 1500ms) == 1);
        CHECK(e.signaled.load() == 0);
    }
    SECTION("manual") {
        sl::EventState e{};
        CHECK(woken_by_one_set(e, 5, 10s) == 5);
        CHECK(e.signaled.load() == 1);
        sl::reset(e);
        CHECK_FALSE(wait_for(e, 0ms));
    }
}

TEST_CASE_METHOD(NoThreadFailures, "native: two threads ping-pong 20,000 times through two automatic events",
                 "[native][event]") {
    sl::EventState ping{};
    sl::EventState pong{};
    ping.flags.store(sl::event_automatic_flag);
    pong.flags.store(sl::event_automatic_flag);
    long rounds = 0; // handed over by the events alone
    constexpr int times = 20000;
    std::thread other([&] {
        for (int i = 0; i < times; ++i) {
            expect(wait_for(ping, 30s));
            ++rounds;
            sl::set<P>(pong);
        }
    });
    for (int i = 0; i < times; ++i) {
        sl::set<P>(ping);
        REQUIRE(wait_for(pong, 30s));
    }
    other.join();
    CHECK(rounds == times);
}
