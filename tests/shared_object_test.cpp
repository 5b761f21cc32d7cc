// SPDX-License-Identifier: MIT
// SharedObject<T> between real processes: exactly one init among 8 processes racing create_or_open; openers that
// arrive before the object is ready wait and then see the initialised data; a process whose T differs (size, tag) is
// refused with errc::incompatible_layout; a creator killed inside init is reported (errc::peer_dead) or replaced
// (the object zeroed and init run again), as the caller chose; an init that throws gives the claim back; arrays take
// their count from the header; the flagship struct of a SectionMutex and the data it guards.
#include <sharemap/file_mapping.hpp>
#include <sharemap/section_event.hpp>
#include <sharemap/section_mutex.hpp>
#include <sharemap/shared_object.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/common.hpp"
#include "support/shared_section.hpp"

#include <windows.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

using sharemap::Access;
using sharemap::FileMapping;
using sharemap::OnDeadInitializer;
using sharemap::SectionEvent;
using sharemap::SectionMutex;
using sharemap::SharedObject;
using sharemap_test::Child;
using sharemap_test::run_child;
using sharemap_test::unique_name;
using sharemap_test::verbose;
using namespace std::chrono_literals;

namespace {

// The object the tests share.
struct Payload {
    std::uint64_t magic;
    std::uint32_t values[64];
    std::uint32_t marker; // written first by an init that is killed half-way
};
static_assert(std::is_trivially_copyable_v<Payload>);

constexpr std::uint64_t payload_magic = 0x600DDA7A;

void fill(Payload& p) {
    p.magic = payload_magic;
    for (std::uint32_t i = 0; i < 64; ++i) {
        p.values[i] = i * i;
    }
}

bool filled(const Payload& p) {
    bool ok = p.magic == payload_magic;
    for (std::uint32_t i = 0; i < 64; ++i) {
        ok = ok && p.values[i] == i * i;
    }
    return ok;
}

// Beside the object, in a section of its own: how the test sees what the processes did.
struct Control {
    SectionEvent start;   // manual: the racers begin
    SectionEvent in_init; // manual: a child is inside init
    std::atomic<std::uint32_t> inits;
    std::atomic<std::uint32_t> waiting;  // openers about to open
    std::atomic<std::uint32_t> finished; // racers that have the object
};

using ControlSection = sharemap_test::SharedSection<Control>;

ControlSection control_section(const std::string& name) { return ControlSection::create_or_open(name + "-ctl"); }

// Kills `child` with TerminateProcess (exit code 9) `after` from now, from a thread of its own, and says when.
class KillLater {
public:
    KillLater(Child& child, std::chrono::milliseconds after)
        : thread_([this, &child, after] {
              std::this_thread::sleep_for(after);
              killed_at_ = std::chrono::steady_clock::now().time_since_epoch().count();
              child.kill(9);
          }) {}
    KillLater(const KillLater&) = delete;
    KillLater& operator=(const KillLater&) = delete;
    ~KillLater() {
        if (thread_.joinable()) {
            thread_.join();
        }
    }

    /// Returns once the child is killed.
    void join() { thread_.join(); }
    /// How long after the kill `t` is (call after join).
    std::chrono::duration<double, std::milli> until(std::chrono::steady_clock::time_point t) const {
        return t - std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(killed_at_.load()));
    }

private:
    std::atomic<std::chrono::steady_clock::rep> killed_at_{0};
    std::thread thread_; // last: it uses killed_at_
};

// The flagship: a lock and the data it guards, opted in as shareable.
struct Counters {
    SectionMutex lock;
    std::uint64_t total;
    std::uint32_t workers;
};

} // namespace

// A struct of a SectionMutex and integers is shareable as it is: standard layout, trivially destructible.
static_assert(sharemap::is_shareable_v<Counters>);

static_assert(!std::is_copy_constructible_v<SharedObject<Payload>> &&
              std::is_nothrow_move_constructible_v<SharedObject<Payload>>);
static_assert(sharemap::is_shareable_v<SectionMutex> && sharemap::is_shareable_v<SectionEvent[2]>);

// ---------------------------------------------------------------------------------------------------------------
// Children

// Waits for the start, races create_or_open; exits 10 + 1 if init ran here, 10 if not; 1 on a wrong object.
SHAREMAP_TEST_CHILD(sobj_race) {
    ControlSection c = control_section(args.at(0));
    CHILD_CHECK(c.shared->start.wait_for(60s));
    auto object = SharedObject<Payload>::create_or_open_for(
        args.at(0),
        [&](Payload& p) {
            c.shared->inits.fetch_add(1);
            Sleep(50); // a slow init: the others must wait, not see half an object
            fill(p);
        },
        60s);
    CHILD_CHECK(filled(*object));
    CHILD_CHECK(object.generation() == 1);
    // Hold the section until every racer has it: the last handle closed would end the object, and a late racer
    // would then create a new one.
    c.shared->finished.fetch_add(1);
    for (int i = 0; i < 12000 && c.shared->finished.load() < 8; ++i) {
        Sleep(5);
    }
    return object.ran_init() ? 11 : 10;
}

// Opens (never initialises) an object that is not ready yet; 0 if it then sees the data.
SHAREMAP_TEST_CHILD(sobj_open) {
    ControlSection c = control_section(args.at(0));
    c.shared->waiting.fetch_add(1);
    auto object = SharedObject<Payload>::open_for(args.at(0), 60s);
    CHILD_CHECK(filled(*object));
    CHILD_CHECK(!object.ran_init() && object.existed());
    return 0;
}

// create_or_open whose init writes a marker, says it is inside, and sleeps until killed.
SHAREMAP_TEST_CHILD(sobj_die_in_init) {
    ControlSection c = control_section(args.at(0));
    auto object = SharedObject<Payload>::create_or_open(args.at(0), [&](Payload& p) {
        p.marker = 0xDEAD;
        c.shared->in_init.set();
        Sleep(120000);
        fill(p);
    });
    return 3; // never reached: the parent kills it
}

// Creates the section as SharedObject's creator does, says so, and stays alive without claiming the object until
// killed: a creator that dies between making the section and claiming its header, exactly.
SHAREMAP_TEST_CHILD(sobj_create_no_claim) {
    ControlSection c = control_section(args.at(0));
    const FileMapping section = FileMapping::create(args.at(0), 4096);
    c.shared->in_init.set();
    Sleep(120000);
    return 3; // never reached: the parent kills it
}

// Adds 1 to the guarded total `args[1]` times.
SHAREMAP_TEST_CHILD(sobj_counters) {
    auto counters = SharedObject<Counters>::create_or_open(args.at(0), [](Counters& c) { c.workers = 4; });
    const unsigned long times = std::stoul(args.at(1));
    for (unsigned long i = 0; i < times; ++i) {
        const std::lock_guard<SectionMutex> guard(counters->lock);
        counters->total += 1;
    }
    return 0;
}

namespace {

// Starts the child `role` on `name` and returns once it has set in_init: sobj_die_in_init is inside init,
// sobj_create_no_claim has made the section and will never claim it.
Child start_in_init(const char* role, const std::string& name, ControlSection& c) {
    Child child = Child::start(role, {name});
    REQUIRE(c.shared->in_init.wait_for(60s));
    return child;
}

} // namespace

// ---------------------------------------------------------------------------------------------------------------
// Tests

TEST_CASE("SharedObject: exactly one init among 8 processes racing create_or_open; every one sees the data",
          "[shared_object][process]") {
    const std::string name = unique_name("sobj-race");
    ControlSection c = control_section(name);
    std::vector<Child> racers;
    for (int i = 0; i < 8; ++i) {
        racers.push_back(Child::start("sobj_race", {name}));
    }
    c.shared->start.set();
    int ran = 0;
    for (auto& child : racers) {
        const unsigned long code = child.wait(120s);
        CHECK((code == 10 || code == 11));
        ran += code == 11 ? 1 : 0;
    }
    CHECK(ran == 1);
    CHECK(c.shared->inits.load() == 1);
}

TEST_CASE("SharedObject: openers that arrive before ready wait, then see the initialised data",
          "[shared_object][process]") {
    const std::string name = unique_name("sobj-open");
    ControlSection c = control_section(name);
    std::vector<Child> openers;
    auto object = SharedObject<Payload>::create(name, [&](Payload& p) {
        for (int i = 0; i < 3; ++i) {
            openers.push_back(Child::start("sobj_open", {name}));
        }
        // Every opener is about to open (and then wait) before the object is filled.
        for (int i = 0; i < 6000 && c.shared->waiting.load() < 3; ++i) {
            Sleep(10);
        }
        Sleep(300);
        fill(p);
    });
    CHECK(object.ran_init());
    CHECK_FALSE(object.existed());
    CHECK(c.shared->waiting.load() == 3);
    for (auto& child : openers) {
        CHECK(child.wait(120s) == 0);
    }
}

TEST_CASE("SharedObject: another T (size or tag) is refused with errc::incompatible_layout, in both forms",
          "[shared_object][layout]") {
    const std::string name = unique_name("sobj-layout");
    auto object = SharedObject<Payload>::create(name, fill);
    struct Bigger {
        Payload p;
        std::uint64_t extra;
    };
    std::error_code ec;
    CHECK_FALSE(SharedObject<Bigger>::open(name, ec));
    CHECK(ec == sharemap::errc::incompatible_layout);
    CHECK_FALSE(SharedObject<std::uint32_t>::create_or_open(
        name, [](std::uint32_t&) {}, ec));
    CHECK(ec == sharemap::errc::incompatible_layout);
    CHECK_FALSE(SharedObject<Payload, 2>::open(name, ec)); // same size, another tag
    CHECK(ec == sharemap::errc::incompatible_layout);
    CHECK_THROWS_AS(SharedObject<Bigger>::open(name), std::system_error);
    // The throwing form's what() names both layouts.
    CHECK_THROWS_WITH(SharedObject<Bigger>::open(name),
                      Catch::Matchers::Contains("SharedObject::open: found sizeof " + std::to_string(sizeof(Payload)) +
                                                ", alignof 8, tag 0, count 1; expected sizeof " +
                                                std::to_string(sizeof(Bigger))));
    using Tagged = SharedObject<Payload, 2>; // no comma inside the macro's arguments
    CHECK_THROWS_WITH(Tagged::open(name), Catch::Matchers::Contains("tag 0, count 1; expected") &&
                                              Catch::Matchers::Contains("tag 2, count 1"));
    // The throwing create_or_open forms share one body: each still names itself, and both layouts.
    const auto soon = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    const auto one = [](std::uint32_t&) {};
    const auto many = [](std::uint32_t*, std::size_t) {};
    CHECK_THROWS_WITH(SharedObject<std::uint32_t>::create_or_open_for(name, one, std::chrono::seconds(1)),
                      Catch::Matchers::Contains("SharedObject::create_or_open_for: found sizeof"));
    CHECK_THROWS_WITH(SharedObject<std::uint32_t>::create_or_open_until(name, one, soon),
                      Catch::Matchers::Contains("SharedObject::create_or_open_until: found sizeof"));
    CHECK_THROWS_WITH(SharedObject<std::uint32_t[]>::create_or_open(name, 4, many),
                      Catch::Matchers::Contains("SharedObject::create_or_open: found sizeof") &&
                          Catch::Matchers::Contains("any count"));
    // Another error right after, on the same thread and T, shows no layouts: they were the last call's.
    CHECK_THROWS_WITH(SharedObject<std::uint32_t[]>::create(unique_name("sobj-zero"), 0, many),
                      Catch::Matchers::Contains("SharedObject::create") && !Catch::Matchers::Contains("found"));
    // The right T opens it, and a raw section of another kind is refused too.
    CHECK(filled(*SharedObject<Payload>::open(name, ec)));
    CHECK_FALSE(ec);
    const std::string raw = unique_name("sobj-raw");
    auto section = FileMapping::create(raw, 4096);
    auto view = section.map();
    view.data()[12] = std::byte{9}; // a state no SharedObject writes
    CHECK_FALSE(SharedObject<Payload>::open(raw, ec));
    CHECK(ec == sharemap::errc::incompatible_layout);
    CHECK_THROWS_WITH(SharedObject<Payload>::open(raw), Catch::Matchers::Contains("found no SharedObject header"));
    CHECK_FALSE(SharedObject<Payload>::open(unique_name("sobj-none"), ec));
    CHECK(ec == sharemap::errc::not_found);
}

TEST_CASE("SharedObject: a creator killed inside init is reported (errc::peer_dead) when the caller chose report",
          "[shared_object][process][dead]") {
    const std::string name = unique_name("sobj-report");
    ControlSection c = control_section(name);
    Child child = start_in_init("sobj_die_in_init", name, c);
    const FileMapping keep = FileMapping::open(name, Access::read); // the section outlives the failed opens
    std::error_code ec;
    // Alive: a short wait times out.
    CHECK_FALSE(SharedObject<Payload>::open_for(name, 200ms, ec));
    CHECK(ec == sharemap::errc::timed_out);

    KillLater killer(child, 500ms);
    auto object = SharedObject<Payload>::create_or_open_for(name, fill, 60s, OnDeadInitializer::report, ec);
    const auto noticed = std::chrono::steady_clock::now();
    killer.join();
    CHECK_FALSE(object);
    CHECK(ec == sharemap::errc::peer_dead);
    const auto delay = killer.until(noticed);
    CHECK(delay < 30s); // long before the deadline, which looks at the initialiser too and would also report it
    if (verbose()) {
        std::printf("shared object: a killed initialiser reported %.1f ms after TerminateProcess\n", delay.count());
    }
    // open never initialises: it reports too, and the half-written object is left as it was.
    CHECK_FALSE(SharedObject<Payload>::open(name, ec));
    CHECK(ec == sharemap::errc::peer_dead);
    CHECK_THROWS_AS(SharedObject<Payload>::open(name), std::system_error);
}

TEST_CASE("SharedObject: a creator killed inside init is replaced: the object is zeroed and init runs again here",
          "[shared_object][process][dead]") {
    const std::string name = unique_name("sobj-reinit");
    ControlSection c = control_section(name);
    Child child = start_in_init("sobj_die_in_init", name, c);

    KillLater killer(child, 500ms);
    std::uint32_t marker_seen = 1;
    auto object = SharedObject<Payload>::create_or_open_for(
        name,
        [&](Payload& p) {
            marker_seen = p.marker; // what the dead initialiser wrote is gone
            fill(p);
        },
        60s);
    const auto noticed = std::chrono::steady_clock::now();
    killer.join();
    REQUIRE(object);
    CHECK(object.ran_init());
    CHECK(object.existed());
    CHECK(marker_seen == 0);
    CHECK(object->marker == 0);
    CHECK(filled(*object));
    CHECK(object.generation() == 2);
    const auto delay = killer.until(noticed);
    CHECK(delay < 30s); // long before the deadline, which looks at the initialiser too and would also replace it
    if (verbose()) {
        std::printf("shared object: a killed initialiser replaced %.1f ms after TerminateProcess\n", delay.count());
    }
    // Everyone after sees the new object.
    CHECK(filled(*SharedObject<Payload>::open(name)));
}

TEST_CASE("SharedObject: an init that throws gives the claim back; the next create_or_open runs init",
          "[shared_object]") {
    const std::string name = unique_name("sobj-throw");
    FileMapping keep; // keeps the section alive between the attempts
    CHECK_THROWS_AS(SharedObject<Payload>::create_or_open(name,
                                                          [&](Payload& p) {
                                                              keep = FileMapping::open(name, Access::read);
                                                              p.marker = 5;
                                                              throw std::runtime_error("init failed");
                                                          }),
                    std::runtime_error);
    std::error_code ec;
    // Unclaimed again, not ready; `keep` holds it, and a holder may still initialise it: an opener waits.
    CHECK_FALSE(SharedObject<Payload>::open_for(name, 150ms, ec));
    CHECK(ec == sharemap::errc::timed_out);
    std::uint32_t marker_seen = 1;
    auto object = SharedObject<Payload>::create_or_open(name, [&](Payload& p) {
        marker_seen = p.marker;
        fill(p);
    });
    CHECK(object.ran_init());
    CHECK(marker_seen == 0);
    CHECK(object.generation() == 2);
}

TEST_CASE("SharedObject<E[]>: the count is chosen by the creator and read from the header by everyone else",
          "[shared_object]") {
    const std::string name = unique_name("sobj-array");
    auto created = SharedObject<std::uint64_t[]>::create(name, 1000, [](std::uint64_t* first, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            first[i] = i + 1;
        }
    });
    CHECK(created.size() == 1000);
    auto opened = SharedObject<std::uint64_t[]>::create_or_open(name, 5, [](std::uint64_t*, std::size_t) {});
    CHECK(opened.existed());
    CHECK_FALSE(opened.ran_init());
    REQUIRE(opened.size() == 1000);
    CHECK(opened[999] == 1000);
    CHECK(SharedObject<std::uint64_t[]>::open(name).size() == 1000);
    std::error_code ec;
    CHECK_FALSE(SharedObject<std::uint32_t[]>::open(name, ec));
    CHECK(ec == sharemap::errc::incompatible_layout);
    CHECK_FALSE(SharedObject<std::uint64_t>::open(name, ec)); // a single object is not an array of 1000
    CHECK(ec == sharemap::errc::incompatible_layout);
    CHECK_FALSE(SharedObject<std::uint64_t[]>::create(
        unique_name("sobj-zero"), 0, [](std::uint64_t*, std::size_t) {}, ec));
    CHECK(ec == std::errc::invalid_argument);
}

TEST_CASE("SharedObject: a SectionMutex and the total it guards, 4 processes adding 500 each: no update lost",
          "[shared_object][process]") {
    const std::string name = unique_name("sobj-counters");
    auto counters = SharedObject<Counters>::create_or_open(name, [](Counters& c) { c.workers = 4; });
    CHECK(counters.ran_init());
    std::vector<Child> workers;
    for (int i = 0; i < 4; ++i) {
        workers.push_back(Child::start("sobj_counters", {name, "500"}));
    }
    for (auto& child : workers) {
        CHECK(child.wait(120s) == 0);
    }
    const std::lock_guard<SectionMutex> guard(counters->lock);
    CHECK(counters->total == 2000);
    CHECK(counters->workers == 4);
    CHECK_FALSE(counters->lock.was_abandoned());
}

TEST_CASE("SharedObject: empty and moved-from objects own nothing", "[shared_object]") {
    SharedObject<Payload> empty;
    CHECK_FALSE(empty);
    CHECK(empty.get() == nullptr);
    CHECK(empty.size() == 0);
    const std::string name = unique_name("sobj-move");
    auto a = SharedObject<Payload>::create(name, fill);
    Payload* p = a.get();
    SharedObject<Payload> b = std::move(a);
    CHECK_FALSE(a); // NOLINT(bugprone-use-after-move): moved-from is empty by contract
    CHECK(b.get() == p);
    CHECK(b.size() == 1);
    std::error_code ec;
    CHECK_FALSE(SharedObject<Payload>::create(name, fill, ec));
    CHECK(ec == sharemap::errc::already_exists);
}

TEST_CASE("SharedObject: a creator killed before it claimed the object: open() (no deadline) and every waiting "
          "opener get errc::peer_dead promptly; while it lives they wait",
          "[shared_object][process][dead]") {
    const std::string name = unique_name("sobj-noclaim-open");
    ControlSection c = control_section(name);
    Child child = start_in_init("sobj_create_no_claim", name, c);
    std::error_code ec;
    // Alive: it may still claim the object, so an opener waits (and here times out).
    CHECK_FALSE(SharedObject<Payload>::open_for(name, 300ms, ec));
    CHECK(ec == sharemap::errc::timed_out);
    CHECK_FALSE(SharedObject<Payload>::create_or_open_for(name, fill, 300ms, ec)); // a joiner waits for it too
    CHECK(ec == sharemap::errc::timed_out);

    std::error_code other_ec;
    std::chrono::steady_clock::time_point other_noticed;
    std::thread other([&] { // a second opener at the same time, with a far deadline
        auto object = SharedObject<Payload>::open_until(name, std::chrono::system_clock::now() + 1h, other_ec);
        other_noticed = std::chrono::steady_clock::now();
    });
    KillLater killer(child, 700ms);
    auto object = SharedObject<Payload>::open(name, ec); // no deadline
    const auto noticed = std::chrono::steady_clock::now();
    killer.join();
    other.join();
    CHECK_FALSE(object);
    CHECK(ec == sharemap::errc::peer_dead);
    CHECK(other_ec == sharemap::errc::peer_dead);
    if (verbose()) {
        std::printf("shared object: a creator killed before claiming reported to open() %.1f ms and to a second "
                    "opener %.1f ms after TerminateProcess\n",
                    killer.until(noticed).count(), killer.until(other_noticed).count());
    }
}

TEST_CASE("SharedObject: a creator killed before it claimed the object: create_or_open reports it (report) or "
          "initialises it here (reinitialize)",
          "[shared_object][process][dead]") {
    const std::string name = unique_name("sobj-noclaim-reinit");
    ControlSection c = control_section(name);
    Child child = start_in_init("sobj_create_no_claim", name, c);
    std::error_code ec;
    std::error_code report_ec;
    bool reporter_ran_init = true;
    std::thread reporter([&] { // a joiner that chose report, waiting beside the one that reinitialises
        auto object = SharedObject<Payload>::create_or_open_for(name, fill, 60s, OnDeadInitializer::report, report_ec);
        reporter_ran_init = object.ran_init();
    });
    KillLater killer(child, 700ms);
    auto object = SharedObject<Payload>::create_or_open(name, fill, ec); // reinitialize, no deadline
    const auto noticed = std::chrono::steady_clock::now();
    killer.join();
    reporter.join();
    REQUIRE_FALSE(ec);
    CHECK(object.existed());
    CHECK(object.ran_init());
    CHECK(filled(*object));
    CHECK(object.generation() == 1); // init started once: the dead creator never began it
    // The reporter either was told (it judged first) or found the object this process initialised.
    CHECK((report_ec == sharemap::errc::peer_dead || !report_ec));
    CHECK_FALSE(reporter_ran_init);
    if (verbose()) {
        std::printf("shared object: a creator killed before claiming replaced by create_or_open %.1f ms after "
                    "TerminateProcess\n",
                    killer.until(noticed).count());
    }
    CHECK(filled(*SharedObject<Payload>::open(name)));
}

namespace {

// Lists the thread `id` in entry `i` of the unclaimed header in `view`, stamped `start`: an entry a waiter left.
void plant_waiter(const sharemap::MappedView& view, std::size_t i, std::uint64_t id, std::uint64_t start) {
    auto* h = reinterpret_cast<sharemap::detail::shared_object::ObjectHeader*>(view.data());
    h->waiters[i].start.store(start);
    h->waiters[i].id.store(id);
}

} // namespace

TEST_CASE("SharedObject: a waiter entry whose ids now serve a live thread of a later process is not counted: "
          "openers wait for a live creator and are told of a dead one",
          "[shared_object][process][dead]") {
    // A waiter killed while listed leaves its entry, and its process and thread ids may later serve a live thread
    // of another process. That cannot be forced here, so the test plants such entries in the header directly: the
    // ids of a live thread of this process, stamped with another creation time than that thread's (the thread that
    // had these ids before it).
    const std::string name = unique_name("sobj-stale-waiter");
    ControlSection c = control_section(name);
    Child child = start_in_init("sobj_create_no_claim", name,
                                c); // alive and not claimed yet: it holds the section, unlisted
    std::atomic<std::uint64_t> reused{0};
    std::atomic<std::uint64_t> earlier{0};
    std::atomic<bool> stop{false};
    std::thread live([&] {                                           // the thread the stale entries name
        earlier = sharemap::detail::Win32Platform::self_start() - 1; // created before it: another thread
        reused = sharemap::detail::Win32Platform::self();
        while (!stop) {
            Sleep(5);
        }
    });
    while (reused.load() == 0) {
        Sleep(1);
    }
    sharemap::MappedView view = FileMapping::open(name, Access::read_write).map(Access::read_write); // no handle kept
    plant_waiter(view, 0, reused, earlier);
    std::error_code ec;
    // The creator lives: it may still claim, so an opener waits (here, until its deadline) rather than judge.
    CHECK_FALSE(SharedObject<Payload>::open_for(name, 400ms, ec));
    CHECK(ec == sharemap::errc::timed_out);

    // Every entry stale: an opener frees one for itself, and is told once the creator is gone.
    for (std::size_t i = 0; i < 16; ++i) {
        plant_waiter(view, i, reused, earlier);
    }
    KillLater killer(child, 300ms);
    CHECK_FALSE(SharedObject<Payload>::open_for(name, 10s, ec));
    const auto noticed = std::chrono::steady_clock::now();
    killer.join();
    stop = true;
    live.join();
    CHECK(ec == sharemap::errc::peer_dead);
    CHECK(killer.until(noticed) < 5s); // long before the deadline, which looks at the creator too
}

TEST_CASE("SharedObject: only the creator initialises; a process that opens the section while its creator runs "
          "init waits for it",
          "[shared_object][process]") {
    const std::string name = unique_name("sobj-creator-first");
    ControlSection c = control_section(name);
    Child child = start_in_init("sobj_die_in_init", name, c); // creates, claims, and sleeps inside init
    std::error_code ec;
    CHECK_FALSE(SharedObject<Payload>::create_or_open_until(name, fill, std::chrono::steady_clock::now() + 200ms,
                                                            OnDeadInitializer::reinitialize, ec));
    CHECK(ec == sharemap::errc::timed_out);
    child.kill(9);
}

TEST_CASE("SharedObject<E[]>: every form, error_code and throwing, timed and not", "[shared_object]") {
    using Array = SharedObject<std::uint32_t[]>;
    const std::string name = unique_name("sobj-array-forms");
    auto iota = [](std::uint32_t* first, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            first[i] = static_cast<std::uint32_t>(i) * 7;
        }
    };
    std::error_code ec;
    auto a = Array::create_or_open_for(name, 300, iota, 5s, ec);
    REQUIRE_FALSE(ec);
    CHECK(a.ran_init());
    CHECK(a.size() == 300);
    auto none = [](std::uint32_t*, std::size_t) {};
    auto b = Array::create_or_open_until(name, 1, none, std::chrono::system_clock::now() + 5s, ec);
    REQUIRE_FALSE(ec);
    CHECK(b.size() == 300);
    CHECK(b[299] == 299 * 7);
    auto d = Array::create_or_open_until(name, 1, none, std::chrono::steady_clock::now() + 5s,
                                         OnDeadInitializer::report, ec);
    REQUIRE_FALSE(ec);
    CHECK_FALSE(d.ran_init());
    auto e = Array::create_or_open_for(name, 1, none, 5s, OnDeadInitializer::report, ec);
    REQUIRE_FALSE(ec);
    CHECK(e.get() != nullptr);
    CHECK(Array::create_or_open_for(name, 1, none, 5s).size() == 300);
    CHECK(Array::create_or_open_until(name, 1, none, std::chrono::steady_clock::now() + 5s, OnDeadInitializer::report)
              .size() == 300);
    CHECK(Array::open_until(name, std::chrono::steady_clock::now() + 5s).size() == 300);
    CHECK(Array::open_for(name, 5s, ec).size() == 300);
    CHECK_THROWS_WITH(SharedObject<std::uint64_t[]>::create_or_open_until(
                          name, 1, [](std::uint64_t*, std::size_t) {}, std::chrono::steady_clock::now() + 5s),
                      Catch::Matchers::Contains("SharedObject::create_or_open_until: found sizeof 4"));
    const std::string fresh = unique_name("sobj-array-fresh");
    auto f = Array::create_or_open_until(fresh, 3, iota, std::chrono::system_clock::now() + 5s);
    CHECK(f.ran_init());
    CHECK(f.size() == 3);
    CHECK(f[2] == 14);
}

TEST_CASE("SharedObject: create_or_open's error_code forms take on_dead before ec or leave it out", "[shared_object]") {
    const std::string name = unique_name("sobj-tail");
    std::error_code ec;
    OnDeadInitializer on_dead = OnDeadInitializer::report; // an lvalue, as well as the prvalues below
    auto a = SharedObject<Payload>::create_or_open(name, fill, on_dead, ec);
    REQUIRE_FALSE(ec);
    CHECK(a.ran_init());
    CHECK(filled(*SharedObject<Payload>::create_or_open(name, fill, ec)));
    CHECK(filled(*SharedObject<Payload>::create_or_open_for(name, fill, 1s, ec)));
    CHECK(filled(*SharedObject<Payload>::create_or_open_for(name, fill, 1s, OnDeadInitializer::report, ec)));
    CHECK(filled(*SharedObject<Payload>::create_or_open_until(name, fill, std::chrono::steady_clock::now() + 1s, ec)));
    CHECK(filled(
        *SharedObject<Payload>::create_or_open_until(name, fill, std::chrono::steady_clock::now() + 1s, on_dead, ec)));
    CHECK_FALSE(ec);
}
