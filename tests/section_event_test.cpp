// SPDX-License-Identifier: MIT
// SectionEvent: zero bytes are an unset manual-reset event; set, reset and timed waits; set() with nobody waiting
// opens no handle; across real processes an automatic event wakes exactly one of two waiters, a manual one wakes
// both, and two events carry a ping-pong.
#include <sharemap/section_event.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/leaks.hpp"
#include "support/shared_section.hpp"

#include <windows.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

using sharemap::EventReset;
using sharemap::SectionEvent;
using sharemap_test::Child;
using sharemap_test::unique_name;
using namespace std::chrono_literals;

namespace {

struct Shared {
    SectionEvent manual;    // zero bytes: manual reset
    SectionEvent automatic; // constructed as automatic by the parent before any child starts
    SectionEvent ping;      // automatic
    SectionEvent pong;      // automatic
    std::atomic<std::uint32_t> waiting;
    std::uint32_t rounds;
};

using Section = sharemap_test::SharedSection<Shared>;

// Makes the section and constructs its automatic events.
Section create_section(const std::string& name) {
    Section s = Section::create(name);
    new (&s.shared->automatic) SectionEvent(EventReset::automatic);
    new (&s.shared->ping) SectionEvent(EventReset::automatic);
    new (&s.shared->pong) SectionEvent(EventReset::automatic);
    return s;
}

} // namespace

static_assert(sizeof(SectionEvent) == 16 && alignof(SectionEvent) == 8);

// Waits for `args[1]` ("manual" or "automatic") at most `args[2]` ms; exits 0 if it was set, 1 at the timeout.
SHAREMAP_TEST_CHILD(sevent_wait) {
    Section s = Section::open(args.at(0));
    SectionEvent& event = args.at(1) == "manual" ? s.shared->manual : s.shared->automatic;
    s.shared->waiting.fetch_add(1);
    return event.wait_for(std::chrono::milliseconds(std::stol(args.at(2)))) ? 0 : 1;
}

// The other side of the ping-pong: `args[1]` times, waits for ping, then sets pong.
SHAREMAP_TEST_CHILD(sevent_pong) {
    Section s = Section::open(args.at(0));
    const unsigned long times = std::stoul(args.at(1));
    for (unsigned long i = 0; i < times; ++i) {
        CHILD_CHECK(s.shared->ping.wait_for(30s));
        ++s.shared->rounds;
        s.shared->pong.set();
    }
    return 0;
}

TEST_CASE("SectionEvent: zero bytes are an unset manual event; set, reset, wait_for and automatic reset in one "
          "process",
          "[section_event]") {
    alignas(SectionEvent) unsigned char bytes[sizeof(SectionEvent)] = {};
    auto& e = *std::launder(reinterpret_cast<SectionEvent*>(bytes));
    CHECK(e.layout() == SectionEvent::layout_version);
    CHECK(e.reset_kind() == EventReset::manual);
    CHECK_FALSE(e.is_set());
    CHECK_FALSE(e.wait_for(0ms));
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_FALSE(e.wait_for(200ms));
    CHECK(std::chrono::steady_clock::now() - t0 >= 190ms);
    e.set();
    CHECK(e.is_set());
    CHECK(e.wait_for(0ms));
    CHECK(e.wait()); // manual: stays set
    CHECK(e.wait_until(std::chrono::system_clock::now()));
    e.reset();
    CHECK_FALSE(e.wait_for(10ms));

    SectionEvent a(EventReset::automatic);
    CHECK(a.reset_kind() == EventReset::automatic);
    a.set();
    a.set(); // no count
    CHECK(a.wait_for(0ms));
    CHECK_FALSE(a.wait_for(20ms)); // consumed

    SECTION("a sleeping thread is woken by set()") {
        std::thread waiter([&] { CHECK(a.wait_for(30s)); });
        std::this_thread::sleep_for(200ms);
        a.set();
        waiter.join();
        CHECK_FALSE(a.is_set());
    }
    SECTION("a manual set() wakes every sleeping thread") {
        std::vector<std::thread> waiters;
        for (int i = 0; i < 4; ++i) {
            waiters.emplace_back([&] { CHECK(e.wait_for(30s)); });
        }
        std::this_thread::sleep_for(200ms);
        e.set();
        for (auto& t : waiters) {
            t.join();
        }
    }
    SECTION("another layout version is refused") {
        alignas(SectionEvent) unsigned char other[sizeof(SectionEvent)] = {};
        other[13] = 1; // flags bits 8..15: version 2
        auto& v2 = *std::launder(reinterpret_cast<SectionEvent*>(other));
        CHECK(v2.layout() == 2);
        std::error_code ec;
        v2.set(ec);
        CHECK(ec == sharemap::errc::incompatible_layout);
        CHECK_FALSE(v2.wait_for(0ms, ec));
        CHECK(ec == sharemap::errc::incompatible_layout);
        CHECK_THROWS_AS(v2.set(), std::system_error);
    }
}

TEST_CASE("SectionEvent: set() and a wait on a set event open no handle", "[section_event][leaks]") {
    SectionEvent e;
    e.set();
    const auto before = sharemap_test::count_resources();
    for (int i = 0; i < 10000; ++i) {
        e.set();
        CHECK(e.wait_for(0ms));
        e.reset();
    }
    CHECK(sharemap_test::count_resources() == before);
}

TEST_CASE("SectionEvent: an automatic event wakes exactly one of two waiting processes; a manual one wakes both",
          "[section_event][process]") {
    const std::string name = unique_name("sevent-one");
    Section s = create_section(name);
    const std::string kind = GENERATE(as<std::string>{}, "automatic", "manual");
    std::vector<Child> waiters;
    waiters.push_back(Child::start("sevent_wait", {name, kind, "4000"}));
    waiters.push_back(Child::start("sevent_wait", {name, kind, "4000"}));
    while (s.shared->waiting.load() < 2) {
        std::this_thread::sleep_for(1ms);
    }
    std::this_thread::sleep_for(500ms); // both asleep
    (kind == "manual" ? s.shared->manual : s.shared->automatic).set();
    int woken = 0;
    for (auto& w : waiters) {
        const unsigned long code = w.wait(60s);
        CHECK((code == 0 || code == 1));
        woken += code == 0 ? 1 : 0;
    }
    CHECK(woken == (kind == "manual" ? 2 : 1));
}

TEST_CASE("SectionEvent: two processes ping-pong 2,000 times through two automatic events",
          "[section_event][process]") {
    const std::string name = unique_name("sevent-pingpong");
    Section s = create_section(name);
    constexpr int rounds = 2000;
    Child child = Child::start("sevent_pong", {name, std::to_string(rounds)});
    for (int i = 0; i < rounds; ++i) {
        s.shared->ping.set();
        REQUIRE(s.shared->pong.wait_for(30s));
    }
    CHECK(child.wait(60s) == 0);
    CHECK(s.shared->rounds == static_cast<std::uint32_t>(rounds));
}
