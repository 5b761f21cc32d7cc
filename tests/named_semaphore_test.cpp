// SPDX-License-Identifier: MIT
// NamedSemaphore: counts shared across processes, the maximum, invalid counts, a producer and a consumer process
// passing 10,000 numbered messages through a ring in a section, errors in both forms, and the move checklist.
#include <sharemap/errc.hpp>
#include <sharemap/file_mapping.hpp>
#include <sharemap/named_event.hpp>
#include <sharemap/named_semaphore.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/common.hpp"
#include "support/shared_section.hpp"

#include <windows.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>
#include <type_traits>

using sharemap::Access;
using sharemap::EventReset;
using sharemap::FileMapping;
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
using sharemap_test::verbose;
using sharemap_test::win32_code;
using namespace std::chrono_literals;

namespace {

// Takes everything the semaphore has without waiting; returns how much that was.
int drain(NamedSemaphore& s) {
    int n = 0;
    while (s.try_acquire()) {
        ++n;
    }
    return n;
}

void check_empty(NamedSemaphore& s) {
    CHECK_FALSE(s);
    CHECK(s.native_handle() == nullptr);
    CHECK_FALSE(s.existed());
    std::error_code ec;
    s.acquire(ec);
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    CHECK_FALSE(s.try_acquire(ec));
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_FALSE(s.try_acquire_for(1ms, ec));
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_FALSE(s.try_acquire_until(std::chrono::steady_clock::now(), ec));
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK(s.release(ec) == 0);
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK(s.release(0, ec) == 0);
    CHECK(ec == sharemap::errc::invalid_handle); // an empty object is reported before the argument
    s.set_inheritable(true, ec);
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_FALSE(s.is_inheritable(ec));
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_THROWS_AS(s.acquire(), std::system_error);
    CHECK_THROWS_AS(s.try_acquire(), std::system_error); // an error, never "count is zero"
    CHECK_THROWS_AS(s.try_acquire_for(1ms), std::system_error);
    CHECK_THROWS_AS(s.try_acquire_until(std::chrono::system_clock::now()), std::system_error);
    CHECK_THROWS_AS(s.release(), std::system_error);
    CHECK_THROWS_AS(s.set_inheritable(true), std::system_error);
    CHECK_THROWS_AS(s.is_inheritable(), std::system_error);
}

// The producer/consumer ring: slots guarded by two semaphores, "free" (starts full) and "filled" (starts empty).
constexpr std::uint32_t ring_slots = 64;

struct Message {
    std::uint32_t sequence;
    std::uint32_t check; // a function of the sequence, so a torn or stale slot is caught
};

constexpr std::uint32_t check_of(std::uint32_t sequence) { return (sequence * 2654435761u) ^ 0x5bd1e995u; }

struct Ring {
    std::uint32_t received; // written by the consumer: messages accepted in order
    std::uint32_t bad;      // written by the consumer: the first sequence it expected but did not get, plus one
    Message slots[ring_slots];
};

// What the producer and the consumer open, from their arguments: the ring's section (args[0]), the "free" and
// "filled" semaphores (args[1], args[2]), and how many messages pass (args[3]).
struct RingEnd {
    explicit RingEnd(const sharemap_test::Args& args)
        : section(sharemap_test::SharedSection<Ring>::open(args.at(0))), ring(section.shared),
          free_slots(NamedSemaphore::open(args.at(1))), filled(NamedSemaphore::open(args.at(2))),
          count(static_cast<std::uint32_t>(std::stoul(args.at(3)))) {}

    sharemap_test::SharedSection<Ring> section;
    Ring* ring;
    NamedSemaphore free_slots;
    NamedSemaphore filled;
    std::uint32_t count;
};

} // namespace

static_assert(!std::is_copy_constructible_v<NamedSemaphore> && !std::is_copy_assignable_v<NamedSemaphore>);
static_assert(std::is_nothrow_move_constructible_v<NamedSemaphore> &&
              std::is_nothrow_move_assignable_v<NamedSemaphore>);
static_assert(sizeof(NamedSemaphore) <= 2 * sizeof(void*));

// ---------------------------------------------------------------------------------------------------------------
// Children

// Opens the semaphore and releases args[1]; exits with 10 + the previous count.
SHAREMAP_TEST_CHILD(sem_release) {
    auto s = NamedSemaphore::open(args.at(0));
    return 10 + static_cast<int>(s.release(std::stoi(args.at(1))));
}

// Opens the semaphore and takes all it can without waiting; exits with 10 + how many.
SHAREMAP_TEST_CHILD(sem_drain) {
    auto s = NamedSemaphore::open(args.at(0));
    return 10 + drain(s);
}

// Releases an inherited semaphore whose handle value is on the command line.
SHAREMAP_TEST_CHILD(sem_release_inherited) {
    NamedSemaphore::adopt(handle_from(args.at(0))).release();
    return 0;
}

// Waits for the event args[1], reads a semaphore handle value the parent duplicated into this process from the
// section args[0], adopts it and releases it once.
SHAREMAP_TEST_CHILD(sem_adopt_duplicated) {
    auto section = FileMapping::open(args.at(0), Access::read);
    auto view = section.map(Access::read, 0, sizeof(std::uint64_t));
    CHILD_CHECK(NamedEvent::open(args.at(1)).wait_for(30s));
    const std::uint64_t value = *view.as<std::uint64_t>(0);
    auto s = NamedSemaphore::adopt(reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(value)));
    CHILD_CHECK(s.release() == 0);
    return 0;
}

// Producer: writes messages 0 .. args[3]-1 into the ring, each into a free slot, announcing it on "filled".
SHAREMAP_TEST_CHILD(sem_producer) {
    RingEnd end(args);
    for (std::uint32_t i = 0; i < end.count; ++i) {
        CHILD_CHECK(end.free_slots.try_acquire_for(30s));
        end.ring->slots[i % ring_slots] = Message{i, check_of(i)};
        end.filled.release();
    }
    return 0;
}

// Consumer: takes args[3] messages; exits 0 only if each is the next in sequence and intact, and nothing more is
// announced. Records its count (and the first failure) in the ring's header for the parent to check too.
SHAREMAP_TEST_CHILD(sem_consumer) {
    RingEnd end(args);
    for (std::uint32_t expected = 0; expected < end.count; ++expected) {
        if (!end.filled.try_acquire_for(30s)) {
            return 2; // the producer stopped: messages lost
        }
        const Message m = end.ring->slots[expected % ring_slots];
        if (m.sequence != expected || m.check != check_of(expected)) {
            end.ring->bad = expected + 1;
            return 3; // out of order, duplicated or torn
        }
        end.ring->received = expected + 1;
        end.free_slots.release();
    }
    return end.filled.try_acquire_for(200ms) ? 4 : 0; // nothing beyond the last message
}

// ---------------------------------------------------------------------------------------------------------------
// Tests

TEST_CASE("A producer and a consumer process pass 10,000 numbered messages through a ring guarded by two semaphores",
          "[named_semaphore][process]") {
    constexpr std::uint32_t messages = 10000;
    const std::string section_name = unique_name("ring");
    const std::string free_name = unique_name("ring-free");
    const std::string filled_name = unique_name("ring-filled");
    auto section = FileMapping::create(section_name, sizeof(Ring));
    auto view = section.map(Access::read_write);
    auto free_slots = NamedSemaphore::create(free_name, ring_slots, ring_slots);
    auto filled = NamedSemaphore::create(filled_name, 0, ring_slots);

    const auto t0 = std::chrono::steady_clock::now();
    const sharemap_test::Args args{section_name, free_name, filled_name, std::to_string(messages)};
    Child consumer = Child::start("sem_consumer", args);
    Child producer = Child::start("sem_producer", args);
    // Both within 90 s in all, less than CTest's 120 s: a child that hangs is reported here, not by a CTest timeout.
    CHECK(producer.wait(60s) == 0);
    CHECK(consumer.wait(30s) == 0);
    const auto elapsed = std::chrono::steady_clock::now() - t0;

    const Ring* ring = view.as<Ring>(0);
    CHECK(ring->bad == 0);
    CHECK(ring->received == messages);
    CHECK(drain(free_slots) == static_cast<int>(ring_slots)); // every slot was given back
    CHECK(drain(filled) == 0);
    if (verbose()) {
        std::printf("ring: %u of %u messages in order in %lld ms\n", static_cast<unsigned>(ring->received),
                    static_cast<unsigned>(messages),
                    static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
    }
}

TEST_CASE("Semaphore counts are shared across processes, and release returns the previous count",
          "[named_semaphore][process]") {
    const std::string name = unique_name("counts");
    auto s = NamedSemaphore::create(name, 0, 10);
    CHECK_FALSE(s.try_acquire());
    CHECK(run_child("sem_release", {name, "3"}) == 10 + 0); // the child saw 0 before its release
    CHECK(s.try_acquire());
    CHECK(s.try_acquire());
    CHECK(s.try_acquire());
    CHECK_FALSE(s.try_acquire());

    CHECK(s.release(2) == 0);
    CHECK(s.release() == 2);
    CHECK(run_child("sem_drain", {name}) == 10 + 3); // the child took all three
    CHECK_FALSE(s.try_acquire());

    // A process waiting in try_acquire_for is woken by another's release.
    Child child = Child::start("sem_release", {name, "1"});
    CHECK(s.try_acquire_for(30s));
    CHECK(child.wait(60s) == 10 + 0);
    s.release();
    s.acquire(); // the count is 1: returns at once
    CHECK_FALSE(s.try_acquire_for(20ms));
    CHECK_FALSE(s.try_acquire_until(std::chrono::system_clock::now() + 20ms));
    std::error_code ec = make_error_code(std::errc::io_error);
    CHECK_FALSE(s.try_acquire_until(std::chrono::steady_clock::now() + 20ms, ec));
    CHECK_FALSE(ec); // a timeout is not an error
}

TEST_CASE("A release past the maximum is too_many_posts and leaves the count unchanged", "[named_semaphore]") {
    auto s = NamedSemaphore::create(unique_name("max"), 1, 2);
    SECTION("error_code form") {
        std::error_code ec;
        CHECK(s.release(2, ec) == 0);
        CHECK(ec == win32_code(ERROR_TOO_MANY_POSTS));
        CHECK(s.release(1, ec) == 1); // the count was still 1
        CHECK_FALSE(ec);
        s.release(ec); // at the maximum
        CHECK(ec == win32_code(ERROR_TOO_MANY_POSTS));
    }
    SECTION("throwing form") {
        try {
            s.release(2);
            FAIL("a release past the maximum must throw");
        } catch (const std::system_error& e) {
            CHECK(e.code() == win32_code(ERROR_TOO_MANY_POSTS));
            CHECK(e.code().category() == std::system_category());
        }
        CHECK(s.release() == 1);
        CHECK_THROWS_AS(s.release(), std::system_error);
    }
    CHECK(drain(s) == 2); // at the maximum, not past it
}

TEST_CASE("release(0) and negative releases are invalid_argument, before Windows is asked", "[named_semaphore]") {
    auto s = NamedSemaphore::create_unnamed(0, 5);
    std::error_code ec;
    CHECK(s.release(0, ec) == 0);
    CHECK(ec == std::errc::invalid_argument);
    CHECK(s.release(-1, ec) == 0);
    CHECK(ec == std::errc::invalid_argument);
    CHECK_THROWS_AS(s.release(0), std::system_error);
    CHECK_THROWS_AS(s.release(-3), std::system_error);
    CHECK_FALSE(s.try_acquire()); // nothing was added
}

TEST_CASE("Invalid counts are invalid_argument in every constructor and both forms; nothing is created",
          "[named_semaphore]") {
    const std::string name = unique_name("bad-counts");
    struct Counts {
        std::int32_t initial;
        std::int32_t maximum;
    };
    for (const Counts c : {Counts{2, 1}, Counts{0, 0}, Counts{-1, 5}, Counts{0, -1}, Counts{-2, -1}}) {
        CAPTURE(c.initial, c.maximum);
        std::error_code ec;
        CHECK_FALSE(NamedSemaphore::create(name, c.initial, c.maximum, ec));
        CHECK(ec == std::errc::invalid_argument);
        ec.clear();
        CHECK_FALSE(NamedSemaphore::create_or_open(name, c.initial, c.maximum, ec));
        CHECK(ec == std::errc::invalid_argument);
        ec.clear();
        CHECK_FALSE(NamedSemaphore::create_unnamed(c.initial, c.maximum, ec));
        CHECK(ec == std::errc::invalid_argument);
        CHECK_THROWS_AS(NamedSemaphore::create(name, c.initial, c.maximum), std::system_error);
        CHECK_THROWS_AS(NamedSemaphore::create_or_open(name, c.initial, c.maximum), std::system_error);
        CHECK_THROWS_AS(NamedSemaphore::create_unnamed(c.initial, c.maximum), std::system_error);
    }
    CHECK_FALSE(object_exists<NamedSemaphore>(name));
    // The limits themselves are valid.
    auto largest = NamedSemaphore::create_unnamed(0x7FFFFFFF, 0x7FFFFFFF);
    CHECK(largest.try_acquire());
    auto smallest = NamedSemaphore::create_unnamed(0, 1);
    CHECK_FALSE(smallest.try_acquire());
}

TEST_CASE("create, create_or_open and open of a named semaphore, and their errors in both forms", "[named_semaphore]") {
    const std::string name = unique_name("names");
    auto first = NamedSemaphore::create(name, 0, 1);
    CHECK_FALSE(first.existed());

    SECTION("create on a name in use fails with file_exists") {
        std::error_code ec;
        CHECK_FALSE(NamedSemaphore::create(name, 0, 1, ec));
        CHECK(ec == std::errc::file_exists);
        CHECK_THROWS_AS(NamedSemaphore::create(name, 0, 1), std::system_error);
    }
    SECTION("create_or_open finds it and keeps its counts") {
        auto second = NamedSemaphore::create_or_open(name, 5, 10);
        CHECK(second.existed());
        CHECK_FALSE(second.try_acquire()); // still 0, not 5
        second.release();
        std::error_code ec;
        second.release(ec); // the maximum is still 1, not 10
        CHECK(ec == win32_code(ERROR_TOO_MANY_POSTS));
        CHECK(first.try_acquire()); // one semaphore behind both handles
    }
    SECTION("open finds it; a missing name is no_such_file_or_directory") {
        auto opened = NamedSemaphore::open(name);
        CHECK(opened.existed());
        opened.release();
        CHECK(first.try_acquire());
        std::error_code ec;
        CHECK_FALSE(NamedSemaphore::open(unique_name("missing"), ec));
        CHECK(ec == std::errc::no_such_file_or_directory);
        CHECK_THROWS_AS(NamedSemaphore::open(unique_name("missing")), std::system_error);
    }
    SECTION("bad names are errors before Windows is asked") {
        std::error_code ec;
        CHECK_FALSE(NamedSemaphore::create("", 0, 1, ec));
        CHECK(ec == std::errc::invalid_argument);
        CHECK_FALSE(NamedSemaphore::open("\xc0\x80", ec)); // overlong UTF-8
        CHECK(ec == std::errc::illegal_byte_sequence);
    }
}

TEST_CASE("An anonymous semaphore is shared with a child by inheritance", "[named_semaphore][process]") {
    auto s = NamedSemaphore::create_unnamed(0, 1, inheritable());
    CHECK(s.is_inheritable());
    const std::string value = handle_text(s.native_handle());
    CHECK(Child::start("sem_release_inherited", {value}, true).wait(60s) == 0);
    CHECK(s.try_acquire());
    s.set_inheritable(false);
    CHECK_FALSE(s.is_inheritable());
}

TEST_CASE("An anonymous semaphore is handed to a running process with duplicate_into and taken with adopt",
          "[named_semaphore][process]") {
    auto s = NamedSemaphore::create_unnamed(0, 5); // not inheritable
    const std::string section_name = unique_name("dup-value");
    const std::string go_name = unique_name("dup-go");
    auto section = FileMapping::create(section_name, 4096);
    auto view = section.map(Access::read_write);
    auto go = NamedEvent::create(go_name, EventReset::manual);
    Child child = Child::start("sem_adopt_duplicated", {section_name, go_name});
    *view.as<std::uint64_t>(0) = reinterpret_cast<std::uintptr_t>(s.duplicate_into(child.process_handle()));
    go.set();
    CHECK(s.try_acquire_for(30s)); // the child's release
    CHECK(child.wait(60s) == 0);

    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    std::error_code ec;
    CHECK_FALSE(NamedSemaphore::adopt(event, ec));
    CHECK(ec == win32_code(ERROR_INVALID_HANDLE));
    CloseHandle(event);
    auto second = s.duplicate();
    second.release();
    CHECK(s.try_acquire());
}

TEST_CASE("NamedSemaphore move checklist", "[move][named_semaphore]") {
    SECTION("default-constructed, closed and released objects are empty and fail every operation") {
        NamedSemaphore s;
        check_empty(s);
        NamedSemaphore closed = NamedSemaphore::create_unnamed(0, 1);
        closed.close();
        check_empty(closed);
        NamedSemaphore released = NamedSemaphore::create_unnamed(0, 1);
        CloseHandle(released.release_handle());
        check_empty(released);
    }
    SECTION("move construction transfers the handle") {
        const std::string name = unique_name("move-ctor");
        NamedSemaphore a = NamedSemaphore::create(name, 1, 1);
        void* h = a.native_handle();
        NamedSemaphore b(std::move(a));
        CHECK(b.native_handle() == h);
        CHECK(b.try_acquire());
        check_empty(a); // NOLINT(bugprone-use-after-move): the moved-from state is what is tested
        CHECK(object_exists<NamedSemaphore>(name));
    }
    SECTION("move assignment over a live object closes its handle") {
        const std::string old_name = unique_name("move-old");
        const std::string new_name = unique_name("move-new");
        NamedSemaphore target = NamedSemaphore::create(old_name, 0, 1);
        NamedSemaphore source = NamedSemaphore::create(new_name, 1, 1);
        target = std::move(source);
        std::error_code ec;
        CHECK_FALSE(NamedSemaphore::open(old_name, ec));
        CHECK(ec == std::errc::no_such_file_or_directory);
        CHECK(target.try_acquire());
        check_empty(source); // NOLINT(bugprone-use-after-move)
    }
    SECTION("self-move leaves the object as it was") {
        const std::string name = unique_name("move-self");
        NamedSemaphore a = NamedSemaphore::create(name, 0, 1);
        void* h = a.native_handle();
        a = std::move(same(a));
        CHECK(a.native_handle() == h);
        CHECK(object_exists<NamedSemaphore>(name));
    }
}
