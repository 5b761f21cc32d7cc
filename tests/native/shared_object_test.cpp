// SPDX-License-Identifier: MIT
// The SharedObject protocol (sharemap/detail/shared_object.hpp), built natively on Linux with threads and run under
// ThreadSanitizer and under AddressSanitizer + UBSan: among racing threads exactly one claims and initialises, the
// others wait and then see the initialised data (the release/acquire of the ready state), an initialiser that ends
// before ready is replaced or reported as the caller chose, a claim given back is taken by the next, a header
// describing another layout does not match, a creator gone before it claimed is noticed through the handle count and
// the roster of waiters, and a roster entry whose ids now serve another thread is not counted as a waiter.
#include <sharemap/detail/shared_object.hpp>

#include "common.hpp"
#include "stamped_platform.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <thread>
#include <vector>

namespace so = sharemap::detail::shared_object;

namespace {

struct Payload {
    std::uint64_t a;
    std::uint64_t b[15];
};

// What a section holds: the header, then the object at its offset.
struct Region {
    so::ObjectHeader header{};
    Payload object{};
};
static_assert(offsetof(Region, object) == so::object_offset(alignof(Payload)));

constexpr so::Layout payload_layout{sizeof(Payload), alignof(Payload), 7, 1};

// One create / create_or_open / open as SharedObject does it, with `init` writing the payload.
template <class Init, class Holders = so::UnknownHolders>
so::Found run(Region& r, so::Role role, bool reclaim, Clock::duration timeout, Init init, Holders holders = {}) {
    const so::Found found = so::acquire<P>(r.header, role, reclaim, Clock::now() + timeout, holders);
    if (found == so::Found::claimed || found == so::Found::reclaimed) {
        if (found == so::Found::reclaimed) {
            std::memset(static_cast<void*>(&r.object), 0, sizeof(r.object));
        }
        init(r.object);
        so::publish<P>(r.header, payload_layout);
    }
    return found;
}

void fill(Payload& p) {
    p.a = 42;
    for (std::uint64_t i = 0; i < 15; ++i) {
        p.b[i] = i * 3;
    }
}

bool filled(const Payload& p) {
    bool ok = p.a == 42;
    for (std::uint64_t i = 0; i < 15; ++i) {
        ok = ok && p.b[i] == i * 3;
    }
    return ok;
}

} // namespace

TEST_CASE_METHOD(NoThreadFailures, "native: exactly one of 8 racing threads initialises; all see its data",
                 "[native][shared_object]") {
    for (int round = 0; round < 50; ++round) {
        Region r;
        std::atomic<int> inits{0};
        std::atomic<bool> go{false};
        std::atomic<bool> created{false}; // as FileMapping::create_or_open: exactly one makes the section
        std::vector<std::thread> threads;
        for (int i = 0; i < 8; ++i) {
            threads.emplace_back([&] {
                while (!go.load()) {
                    std::this_thread::yield();
                }
                const so::Role role = created.exchange(true) ? so::Role::joiner : so::Role::creator;
                const so::Found f = run(r, role, true, 10s, [&](Payload& p) {
                    inits.fetch_add(1);
                    fill(p);
                });
                expect(f == (role == so::Role::creator ? so::Found::claimed : so::Found::ready));
                expect(filled(r.object)); // a plain read after the acquire of ready, or by the initialiser itself
                expect(so::matches(r.header, payload_layout));
            });
        }
        go.store(true);
        for (auto& t : threads) {
            t.join();
        }
        CHECK(inits.load() == 1);
        CHECK(r.header.generation.load() == 1);
    }
}

TEST_CASE_METHOD(NoThreadFailures, "native: openers that arrive before ready wait, then see the data",
                 "[native][shared_object]") {
    Region r;
    std::atomic<bool> claimed{false};
    std::thread creator([&] {
        run(r, so::Role::creator, true, 10s, [&](Payload& p) {
            claimed.store(true);
            std::this_thread::sleep_for(300ms);
            fill(p);
        });
    });
    while (!claimed.load()) {
        std::this_thread::yield();
    }
    std::vector<std::thread> openers;
    for (int i = 0; i < 4; ++i) {
        openers.emplace_back([&] {
            const so::Found f = run(r, so::Role::opener, false, 10s, [](Payload&) { expect(false); });
            expect(f == so::Found::ready);
            expect(filled(r.object));
        });
    }
    // An opener with a short deadline times out rather than waiting for ever.
    CHECK(so::acquire<P>(r.header, so::Role::opener, false, Clock::now() + 20ms) == so::Found::timed_out);
    creator.join();
    for (auto& t : openers) {
        t.join();
    }
}

TEST_CASE_METHOD(NoThreadFailures, "native: an initialiser that ended before ready is replaced, or reported",
                 "[native][shared_object]") {
    Region r;
    // A thread claims, writes half the object and ends without publishing (as a killed process would).
    std::thread doomed([&] {
        expect(so::acquire<P>(r.header, so::Role::creator, true, Clock::now() + 1s) == so::Found::claimed);
        r.object.a = 666;
    });
    doomed.join();
    // report: peer_dead, and nothing is touched.
    CHECK(so::acquire<P>(r.header, so::Role::joiner, false, Clock::now() + 5s) == so::Found::peer_dead);
    CHECK(so::acquire<P>(r.header, so::Role::opener, true, Clock::now() + 5s) == so::Found::peer_dead);
    CHECK(r.object.a == 666);
    // reinitialize: this thread takes over, the object is zeroed, init runs again.
    std::thread recoverer([&] {
        expect(run(r, so::Role::joiner, true, 5s, [](Payload& p) {
                   expect(p.a == 0);
                   fill(p);
               }) == so::Found::reclaimed);
    });
    recoverer.join();
    CHECK(filled(r.object));
    CHECK(r.header.generation.load() == 2);
    CHECK(so::acquire<P>(r.header, so::Role::opener, false, Clock::now()) == so::Found::ready);
}

TEST_CASE_METHOD(NoThreadFailures,
                 "native: of two waiters that find the initialiser dead, one reinitialises; the other waits for it",
                 "[native][stamp]") {
    using S = sharemap_native::StampedPlatform;
    so::ObjectHeader h{};
    std::thread([&] {
        expect(so::acquire<S>(h, so::Role::creator, false, Clock::now() + 1s) == so::Found::claimed);
    }).join(); // claimed, then ended before it published
    std::atomic<std::uint64_t> first_id{0};
    std::atomic<int> first{-1};
    std::atomic<bool> leave{false};
    std::thread first_waiter([&] {
        first_id = S::self();
        S::stall_in_next_self_start(); // right after its reclaim CAS, before it records its stamp
        first = static_cast<int>(so::acquire<S>(h, so::Role::joiner, true, Clock::now() + 5s));
        while (!leave) {
            std::this_thread::sleep_for(1ms);
        }
    });
    while (first_id.load() == 0 || h.owner.load() != first_id.load()) {
        std::this_thread::sleep_for(1ms);
    }
    // The first waiter is the initialiser now; the dead one's stamp must not make it look dead too.
    const so::Found second = so::acquire<S>(h, so::Role::joiner, true, Clock::now() + S::stall + 700ms);
    leave = true;
    first_waiter.join();
    CHECK(first.load() == static_cast<int>(so::Found::reclaimed));
    CHECK(second == so::Found::timed_out);
    CHECK(h.generation.load() == 2);
}

TEST_CASE_METHOD(NoThreadFailures,
                 "native: a thread given the id of an initialiser that ended before ready reinitialises the object "
                 "instead of waiting for itself",
                 "[native][stamp]") {
    using S = sharemap_native::StampedPlatform;
    so::ObjectHeader h{};
    so::Found got = so::Found::timed_out;
    S::pass_id(
        [&] { // claims, then ends before it publishes
            expect(so::acquire<S>(h, so::Role::creator, false, Clock::now() + 1s) == so::Found::claimed);
        },
        [&] { got = so::acquire<S>(h, so::Role::joiner, true, Clock::now() + 5s); });
    CHECK(got == so::Found::reclaimed);
    CHECK(h.generation.load() == 2);
}

TEST_CASE_METHOD(NoThreadFailures, "native: a waiter notices within the liveness poll an initialiser that ends",
                 "[native][shared_object]") {
    Region r;
    std::atomic<bool> claimed{false};
    std::atomic<std::int64_t> ended_at{0};
    std::thread doomed([&] {
        expect(so::acquire<P>(r.header, so::Role::creator, true, Clock::now() + 1s) == so::Found::claimed);
        claimed.store(true);
        std::this_thread::sleep_for(200ms);
        ended_at.store(Clock::now().time_since_epoch().count());
    });
    while (!claimed.load()) {
        std::this_thread::yield();
    }
    const so::Found f = so::acquire<P>(r.header, so::Role::joiner, true, Clock::now() + 10s);
    const auto noticed = Clock::now();
    doomed.join();
    CHECK(f == so::Found::reclaimed);
    const auto delay = noticed - Clock::time_point(Clock::duration(ended_at.load()));
    CHECK(delay < 2s);
    std::printf("native shared object: a dead initialiser noticed %.1f ms after its thread ended\n",
                std::chrono::duration<double, std::milli>(delay).count());
    so::publish<P>(r.header, payload_layout);
}

TEST_CASE_METHOD(NoThreadFailures,
                 "native: a claim given back (init threw) is taken by the next; a waiting opener "
                 "sees the second init's data",
                 "[native][shared_object]") {
    Region r;
    REQUIRE(so::acquire<P>(r.header, so::Role::creator, true, Clock::now()) == so::Found::claimed);
    std::thread opener([&] {
        expect(so::acquire<P>(r.header, so::Role::opener, false, Clock::now() + 10s) == so::Found::ready);
        expect(filled(r.object));
    });
    std::this_thread::sleep_for(50ms);
    so::give_back<P>(r.header); // as SharedObject does when init throws (the object is still zero)
    // Given back: a joiner (create_or_open that found the section) claims it at once.
    std::thread second([&] { expect(run(r, so::Role::joiner, true, 10s, fill) == so::Found::claimed); });
    second.join();
    opener.join();
    CHECK(r.header.generation.load() == 2);
}

TEST_CASE_METHOD(NoThreadFailures, "native: a header of another layout does not match; one not ours is refused",
                 "[native][shared_object]") {
    Region r;
    REQUIRE(run(r, so::Role::creator, true, 1s, fill) == so::Found::claimed);
    CHECK(so::matches(r.header, payload_layout));
    CHECK(so::matches(r.header, {sizeof(Payload), alignof(Payload), 7, 0})); // any count
    CHECK_FALSE(so::matches(r.header, {sizeof(Payload) + 8, alignof(Payload), 7, 1}));
    CHECK_FALSE(so::matches(r.header, {sizeof(Payload), 16, 7, 1}));
    CHECK_FALSE(so::matches(r.header, {sizeof(Payload), alignof(Payload), 8, 1}));
    CHECK_FALSE(so::matches(r.header, {sizeof(Payload), alignof(Payload), 7, 2}));
    Region junk;
    junk.header.state.store(77);
    CHECK(so::acquire<P>(junk.header, so::Role::creator, true, Clock::now()) == so::Found::bad_header);
    // The initialiser opening its own object is refused rather than waiting on itself.
    Region self;
    REQUIRE(so::acquire<P>(self.header, so::Role::creator, true, Clock::now()) == so::Found::claimed);
    CHECK(so::acquire<P>(self.header, so::Role::joiner, true, Clock::now() + 1s) == so::Found::would_deadlock);
}

// The section's handles, as the kernel counts them: each thread that "opens" the region adds one, and removes it
// when it is done (or ends, as a process's handles close when it dies).
struct Handles {
    std::atomic<std::uint64_t> count{0};
    std::uint64_t operator()() const noexcept { return count.load(); }
};

TEST_CASE_METHOD(NoThreadFailures,
                 "native: a creator gone before it claimed is reported to openers and replaced by a joiner; "
                 "while it holds the section they wait",
                 "[native][shared_object]") {
    Region r;
    Handles handles;
    auto holders = [&handles]() noexcept { return handles(); };
    handles.count.fetch_add(1); // the creator made the section: its handle
    std::atomic<bool> creator_gone{false};
    std::atomic<std::int64_t> gone_at{0};
    std::vector<std::thread> openers;
    std::atomic<int> listed{0};
    for (int i = 0; i < 3; ++i) {
        openers.emplace_back([&] {
            handles.count.fetch_add(1);
            listed.fetch_add(1);
            const so::Found f = so::acquire<P>(r.header, so::Role::opener, false, Clock::now() + 10s, holders);
            expect(f == so::Found::peer_dead);
            expect(creator_gone.load()); // never while the creator held the section
            handles.count.fetch_sub(1);
        });
    }
    while (listed.load() < 3) {
        std::this_thread::yield();
    }
    // Alive (it holds the section): a short wait times out instead of judging.
    handles.count.fetch_add(1);
    CHECK(so::acquire<P>(r.header, so::Role::opener, false, Clock::now() + 150ms, holders) == so::Found::timed_out);
    CHECK(so::acquire<P>(r.header, so::Role::joiner, true, Clock::now() + 150ms, holders) == so::Found::timed_out);
    handles.count.fetch_sub(1);
    // The creator ends without claiming: its handle closes.
    creator_gone.store(true);
    gone_at.store(Clock::now().time_since_epoch().count());
    handles.count.fetch_sub(1);
    for (auto& t : openers) {
        t.join();
    }
    const auto delay = Clock::now() - Clock::time_point(Clock::duration(gone_at.load()));
    std::printf("native shared object: 3 openers told of a creator gone before claiming within %.1f ms\n",
                std::chrono::duration<double, std::milli>(delay).count());
    CHECK(r.header.owner.load() == 0);
    for (const auto& w : r.header.waiters) {
        CHECK(w.id.load() == 0); // every waiter left the roster
    }
    // Two joiners: a report one is told; of two reinitialising ones exactly one initialises, the other gets it.
    handles.count.fetch_add(1);
    CHECK(so::acquire<P>(r.header, so::Role::joiner, false, Clock::now() + 10s, holders) == so::Found::peer_dead);
    handles.count.fetch_sub(1);
    std::atomic<int> inits{0};
    std::vector<std::thread> joiners;
    for (int i = 0; i < 2; ++i) {
        joiners.emplace_back([&] {
            handles.count.fetch_add(1);
            const so::Found f = run(
                r, so::Role::joiner, true, 10s,
                [&](Payload& p) {
                    inits.fetch_add(1);
                    fill(p);
                },
                holders);
            expect(f == so::Found::claimed || f == so::Found::ready);
            expect(filled(r.object));
            handles.count.fetch_sub(1);
        });
    }
    for (auto& t : joiners) {
        t.join();
    }
    CHECK(inits.load() == 1);
    CHECK(r.header.generation.load() == 1);
}

TEST_CASE_METHOD(NoThreadFailures, "native: a holder that is not a listed waiter keeps openers waiting",
                 "[native][shared_object]") {
    Region r;
    Handles handles;
    auto holders = [&handles]() noexcept { return handles(); };
    handles.count.store(2); // this opener and somebody else (a creator about to claim, or a plain holder)
    CHECK(so::acquire<P>(r.header, so::Role::opener, false, Clock::now() + 250ms, holders) == so::Found::timed_out);
    // Cannot tell (no count): waits too.
    CHECK(so::acquire<P>(r.header, so::Role::opener, false, Clock::now() + 150ms) == so::Found::timed_out);
    handles.count.store(1);
    CHECK(so::acquire<P>(r.header, so::Role::opener, false, Clock::now() + 5s, holders) == so::Found::peer_dead);
}

namespace {

// LinuxPlatform with a creation stamp, as Win32Platform has: there the stamp is the thread's creation time, and an
// id whose thread was created at another time is dead (its ids were given again); here too the stamp is the
// thread's start time (/proc, in clock ticks since boot, + 1 so that it is never 0)
// and an id whose thread started at another time than the stamp given is dead. An id equal to `unreadable` is one
// the platform cannot look at (on Windows, a thread it may not open): watch() says it may live and leaves the watch
// empty, as Win32Platform::watch does.
struct StampedPlatform : P {
    static inline std::atomic<std::uint64_t> unreadable{0};

    static std::uint64_t started(std::uint64_t id) noexcept {
        char path[64];
        std::snprintf(path, sizeof path, "/proc/self/task/%u/stat", static_cast<unsigned>(id & 0xFFFFFFFFu));
        std::FILE* f = std::fopen(path, "r");
        if (f == nullptr) {
            return 0;
        }
        char text[1024];
        const std::size_t n = std::fread(text, 1, sizeof text - 1, f);
        std::fclose(f);
        text[n] = '\0';
        const char* p = std::strrchr(text, ')'); // field 2, the command, may hold spaces: count from its end
        if (p == nullptr) {
            return 0;
        }
        int field = 2;
        for (++p; *p != '\0' && field < 22; ++p) {
            field += *p == ' ' ? 1 : 0;
        }
        return std::strtoull(p, nullptr, 10) + 1; // field 22: starttime
    }
    static std::uint64_t self_start() noexcept {
        thread_local const std::uint64_t start = started(self());
        return start;
    }
    static bool watch(std::uint64_t id, std::uint64_t start, Watch& w) noexcept {
        w = Watch();
        if (id == unreadable.load()) {
            return true;
        }
        const std::uint64_t created = start != 0 ? started(id) : 0;
        return (created == 0 || created == start) && P::watch(id, start, w);
    }
    static bool alive(std::uint64_t id, std::uint64_t start) noexcept {
        Watch w;
        return watch(id, start, w);
    }
};
using S = StampedPlatform;

// Lists `id` in entry `i`, stamped `start`: an entry a waiter left, planted directly.
void plant(Region& r, std::size_t i, std::uint64_t id, std::uint64_t start) {
    r.header.waiters[i].start.store(start);
    r.header.waiters[i].id.store(id);
}

// A live thread whose id the planted entries name, until the test ends.
struct LiveThread {
    std::atomic<std::uint64_t> id{0};
    std::atomic<bool> stop{false};
    std::thread thread{[this] {
        id.store(S::self());
        while (!stop.load()) {
            std::this_thread::sleep_for(1ms);
        }
    }};
    LiveThread() {
        while (id.load() == 0) {
            std::this_thread::yield();
        }
    }
    LiveThread(const LiveThread&) = delete;
    LiveThread& operator=(const LiveThread&) = delete;
    ~LiveThread() {
        stop.store(true);
        thread.join();
    }
};

// The roster cases: one header, the section's handle count as the test sets it, a live thread whose ids the
// planted entries name, and an opener's wait on them.
struct RosterCase : NoThreadFailures {
    Region r;
    Handles handles;
    const LiveThread live;

    so::Found open_within(Clock::duration wait) {
        return so::acquire<S>(r.header, so::Role::opener, false, Clock::now() + wait,
                              [this]() noexcept { return handles(); });
    }
};

} // namespace

TEST_CASE_METHOD(RosterCase,
                 "native: a roster entry whose ids now serve a thread started at another time is not counted as a "
                 "waiter; one started at its stamp is",
                 "[native][shared_object]") {
    // A waiter that died listed leaves its entry, and its ids may later serve a live thread; the test plants such
    // entries directly: the ids of a live thread, stamped with another start time than that thread's.
    const std::uint64_t started = S::started(live.id.load());
    REQUIRE(started > 1);
    const std::uint64_t earlier = started - 1; // the thread that had these ids before
    // This opener and a creator that has not claimed yet (it holds the section, unlisted): the stale entry must not
    // stand for the creator, so the opener waits.
    handles.count.store(2);
    plant(r, 0, live.id.load(), earlier);
    CHECK(open_within(250ms) == so::Found::timed_out);
    // The same ids with the thread's own stamp are a waiter, which holds the other handle: nobody else is left.
    plant(r, 0, live.id.load(), started);
    CHECK(open_within(5s) == so::Found::peer_dead);
    // Every entry stale, and only this opener holds the section: it frees one for itself and judges.
    for (std::size_t i = 0; i < so::roster_size; ++i) {
        plant(r, i, live.id.load(), earlier);
    }
    handles.count.store(1);
    CHECK(open_within(5s) == so::Found::peer_dead);
    CHECK(r.header.owner.load() == 0);
}

TEST_CASE_METHOD(RosterCase,
                 "native: a roster entry the platform cannot look at is not counted as a waiter: the waiters wait "
                 "rather than judge",
                 "[native][shared_object]") {
    handles.count.store(2); // this opener and the holder the entry may stand for
    plant(r, 0, live.id.load(), 0);
    S::unreadable.store(live.id.load());
    CHECK(open_within(250ms) == so::Found::timed_out);
    // Readable, and not stamped yet (0: being taken): its live thread is enough.
    S::unreadable.store(0);
    CHECK(open_within(5s) == so::Found::peer_dead);
}
