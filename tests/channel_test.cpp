// SPDX-License-Identifier: MIT
// Sender / Receiver across real processes: every message arrives once, in order and intact (random sizes, across
// the ring's end), with the ring mapped twice and in the wrap-marker mode; a sender killed mid-stream (its
// committed messages are delivered, then peer_dead) and taken over by a new one; a receiver killed (a send gets
// peer_dead) and taken over; a closed end (end of stream, broken_pipe); a send waiting for another thread's
// reservation when the receiver is killed or closes; an end held by a live process (end_in_use); sections that are
// not channels of this layout (incompatible_layout); message_size; several senders in several processes, one killed
// in the middle of a message; example 02-producer-consumer.
#include <sharemap/file_mapping.hpp>
#include <sharemap/named_event.hpp>
#include <sharemap/named_semaphore.hpp>
#include <sharemap/receiver.hpp>
#include <sharemap/sender.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/example_process.hpp"

#include <windows.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

using sharemap::ChannelOptions;
using sharemap::Receiver;
using sharemap::Sender;
using sharemap_test::Child;
using sharemap_test::unique_name;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t capacity = 64 * 1024;

// The byte `i` of message `seq` of sender `who`.
std::byte pattern(std::uint32_t who, std::uint64_t seq, std::size_t i) {
    return static_cast<std::byte>((seq * 131 + i * 7 + who * 29) & 0xFF);
}

// A message: (who, seq), then the pattern; sizes random from 12 to the largest, mostly small.
std::vector<std::byte> make_message(std::uint32_t who, std::uint64_t seq, std::size_t max, std::mt19937& rng) {
    const std::uint32_t pick = rng() % 100;
    std::size_t size = pick < 90 ? rng() % 300 : pick < 99 ? rng() % (max + 1) : max;
    size = size < 12 ? 12 : size;
    std::vector<std::byte> m(size);
    std::memcpy(m.data(), &who, 4);
    std::memcpy(m.data() + 4, &seq, 8);
    for (std::size_t i = 12; i < size; ++i) {
        m[i] = pattern(who, seq, i);
    }
    return m;
}

// Checks a received message; `next[who]` is the sequence number expected from `who`.
bool check_message(const std::byte* data, std::size_t size, std::vector<std::uint64_t>& next) {
    if (size < 12) {
        return false;
    }
    std::uint32_t who = 0;
    std::uint64_t seq = 0;
    std::memcpy(&who, data, 4);
    std::memcpy(&seq, data + 4, 8);
    if (who >= next.size() || seq != next[who]) {
        return false;
    }
    ++next[who];
    for (std::size_t i = 12; i < size; ++i) {
        if (data[i] != pattern(who, seq, i)) {
            return false;
        }
    }
    return true;
}

// Sends `count` messages as `who` through `s`, half copied, half reserved and written in place; sizes up to `max`.
void send_messages(Sender& s, std::uint32_t who, std::uint64_t count, unsigned seed, std::size_t max) {
    std::mt19937 rng(seed);
    for (std::uint64_t seq = 0; seq < count; ++seq) {
        const std::vector<std::byte> m = make_message(who, seq, max, rng);
        if (seq % 2 == 0) {
            s.send(m.data(), m.size());
        } else {
            Sender::Reservation r = s.reserve((std::min)(m.size() + 5, s.max_message_size())); // commit shortens it
            std::memcpy(r.data(), m.data(), m.size());
            r.commit(m.size());
        }
    }
}

// Starts the child `role` on the channel args[0] and waits until it says (through the event "<name>-held") that
// it holds its end, or a reservation.
Child start_holding(const std::string& role, const sharemap_test::Args& args) {
    auto held = sharemap::NamedEvent::create(args.at(0) + "-held", sharemap::EventReset::manual);
    Child child = Child::start(role, args);
    REQUIRE(held.wait_for(30s));
    return child;
}

// RAII for the test-only switch to the wrap-marker mode.
struct WrapMarkers {
    explicit WrapMarkers(bool on) { sharemap::detail::force_wrap_markers().store(on); }
    ~WrapMarkers() { sharemap::detail::force_wrap_markers().store(false); }
    WrapMarkers(const WrapMarkers&) = delete;
    WrapMarkers& operator=(const WrapMarkers&) = delete;
};

} // namespace

static_assert(!std::is_copy_constructible_v<Sender> && std::is_nothrow_move_constructible_v<Sender>);
static_assert(!std::is_copy_constructible_v<Receiver> && std::is_nothrow_move_constructible_v<Receiver>);
static_assert(std::is_nothrow_move_constructible_v<Sender::Reservation>);
static_assert(std::is_nothrow_move_constructible_v<Receiver::Message>);

// ---------------------------------------------------------------------------------------------------------------
// Children

// Opens the channel args[0] as a sender and sends args[1] messages as sender args[2] (seed args[2] too); then, with
// args[3] == "hold", reserves one more and waits to be killed (its messages are then small, so that they fit in
// the ring before anyone receives them); else closes.
SHAREMAP_TEST_CHILD(chan_send) {
    Sender s = Sender::open(args.at(0));
    std::error_code no_one_counts;
    if (auto attached = sharemap::NamedSemaphore::open(args.at(0) + "-attached", no_one_counts)) {
        (void)attached.release(); // a test that counts the attached senders
    }
    const auto who = static_cast<std::uint32_t>(std::stoul(args.at(2)));
    const bool hold = args.size() > 3 && args[3] == "hold";
    send_messages(s, who, std::stoull(args.at(1)), 1000 + who, hold ? 200 : s.max_message_size());
    if (hold) {
        Sender::Reservation r = s.reserve(100);
        sharemap::NamedEvent::open(args.at(0) + "-held").set();
        Sleep(60000);
    }
    return 0;
}

// Opens the channel args[0] as its receiver, receives args[1] messages from args[2] senders, checks them, and
// expects end of stream.
SHAREMAP_TEST_CHILD(chan_receive) {
    Receiver r = Receiver::open(args.at(0));
    std::vector<std::uint64_t> next(std::stoul(args.at(2)), 0);
    const std::uint64_t count = std::stoull(args.at(1));
    for (std::uint64_t i = 0; i < count; ++i) {
        Receiver::Message m = r.receive();
        CHILD_CHECK(m);
        CHILD_CHECK(check_message(m.data(), m.size(), next));
    }
    CHILD_CHECK(!r.receive());
    CHILD_CHECK(r.ended());
    return 0;
}

// Opens the channel args[0] as its receiver, says so, and waits to be killed.
SHAREMAP_TEST_CHILD(chan_receiver_hold) {
    Receiver r = Receiver::open(args.at(0));
    sharemap::NamedEvent::open(args.at(0) + "-held").set();
    Sleep(60000);
    return 0;
}

// Makes a plain section of a channel's size named args[0] and writes no header in it (a creator that has not
// written it yet), says so, and waits to be killed.
SHAREMAP_TEST_CHILD(chan_plain_hold) {
    auto m = sharemap::FileMapping::create(args.at(0), 2 * capacity);
    sharemap::NamedEvent::open(args.at(0) + "-held").set();
    Sleep(60000);
    return 0;
}

// Opens the channel args[0] as a sender: 0 if it opened, 13 if refused with permission_denied, 1 otherwise.
SHAREMAP_TEST_CHILD(chan_open_sender) {
    std::error_code ec;
    const Sender s = Sender::open(args.at(0), ec);
    return s ? 0 : ec == std::errc::permission_denied ? 13 : 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Two processes

TEST_CASE("channel: two processes, every message once, in order and intact, both ways, in both mappings", "[channel]") {
    constexpr std::uint64_t count = 3000;
    for (const bool wrap : {false, true}) {
        INFO("wrap markers " << wrap);
        const WrapMarkers mode(wrap);
        { // this process receives
            const std::string name = unique_name("chan");
            Receiver r = Receiver::create(name, capacity);
            CHECK(r.uses_wrap_markers() == wrap);
            CHECK(r.capacity() == capacity);
            CHECK(r.max_message_size() == capacity - 8);
            CHECK_FALSE(r.existed());
            Child child = Child::start("chan_send", {name, std::to_string(count), "0"});
            std::vector<std::uint64_t> next(1, 0);
            std::uint64_t good = 0;
            for (std::uint64_t i = 0; i < count; ++i) {
                Receiver::Message m = r.receive_for(30s);
                REQUIRE(m);
                good += check_message(m.data(), m.size(), next) ? 1 : 0;
            }
            CHECK(good == count);
            CHECK_FALSE(r.receive_for(30s)); // end of stream
            CHECK(r.ended());
            CHECK(child.wait() == 0);
        }
        { // this process sends; the child checks every message and the end of stream
            const std::string name = unique_name("chan");
            Sender s = Sender::create(name, capacity);
            CHECK(s.uses_wrap_markers() == wrap);
            Child child = Child::start("chan_receive", {name, std::to_string(count), "1"});
            send_messages(s, 0, count, 5, s.max_message_size());
            s.close();
            CHECK_FALSE(s);
            CHECK(child.wait() == 0);
        }
    }
}

TEST_CASE("channel: a sender killed mid-stream: its messages, then peer_dead; a new sender takes over", "[channel]") {
    const std::string name = unique_name("chan");
    Receiver r = Receiver::create(name, capacity);
    Child child = start_holding("chan_send", {name, "40", "0", "hold"});
    std::error_code ec;
    CHECK_FALSE(Sender::open(name, ec)); // a live process holds the end
    CHECK(ec == sharemap::errc::end_in_use);
    child.kill();
    std::vector<std::uint64_t> next(1, 0);
    for (int i = 0; i < 40; ++i) {
        Receiver::Message m = r.receive(ec);
        REQUIRE_FALSE(ec);
        REQUIRE(m);
        CHECK(check_message(m.data(), m.size(), next));
    }
    CHECK_FALSE(r.receive(ec));             // the reserved message was never committed
    CHECK(ec == sharemap::errc::peer_dead); // receive has no deadline: only the death could end it
    CHECK_FALSE(r.ended());

    Sender s = Sender::open(name); // takes over the dead sender's end (and the lock it died holding)
    CHECK(s.existed());
    s.send("again", 5);
    Receiver::Message m = r.receive_for(10s);
    REQUIRE(m);
    CHECK(std::string(reinterpret_cast<const char*>(m.data()), m.size()) == "again");
    m.release();
    s.close();
    CHECK_FALSE(r.receive());
    CHECK(r.ended());
}

TEST_CASE("channel: a waiting receive reports a sender killed while it waits", "[channel]") {
    const std::string name = unique_name("chan");
    Receiver r = Receiver::create(name, capacity);
    Child child = start_holding("chan_send", {name, "0", "0", "hold"});
    std::thread killer([&] {
        std::this_thread::sleep_for(300ms);
        child.kill();
    });
    std::error_code ec;
    const auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(r.receive(ec));
    const auto waited = std::chrono::steady_clock::now() - start;
    killer.join();
    CHECK(ec == sharemap::errc::peer_dead);
    CHECK(waited >= 250ms);
    CHECK(waited < 1500ms);
}

TEST_CASE("channel: each end keeps its watch on the peer across waits: a death between waits and a new peer in the "
          "record are both noticed",
          "[channel]") {
    const std::string name = unique_name("chan");
    std::error_code ec;
    SECTION("the receiver") {
        Receiver r = Receiver::create(name, capacity);
        Child child = start_holding("chan_send", {name, "0", "0", "hold"});
        CHECK_FALSE(r.receive_for(200ms, ec)); // sleeps on the sender's process, and keeps it
        CHECK_FALSE(ec);
        child.kill();
        const auto killed = std::chrono::steady_clock::now();
        CHECK_FALSE(r.receive(ec));
        CHECK(ec == sharemap::errc::peer_dead);
        CHECK(std::chrono::steady_clock::now() - killed < 1500ms);
        Sender s = Sender::open(name); // a new process in the record: the watch kept is not its
        CHECK_FALSE(r.receive_for(200ms, ec));
        CHECK_FALSE(ec); // it lives: the wait timed out
        s.send("x", 1);
        CHECK(r.receive_for(10s, ec));
        CHECK_FALSE(ec);
    }
    SECTION("the sender") {
        Sender s = Sender::create(name, capacity);
        Child child = start_holding("chan_receiver_hold", {name});
        const std::array<char, 1000> block{};
        while (s.try_send(block.data(), block.size())) {
        }
        CHECK_FALSE(s.send_for(block.data(), block.size(), 200ms, ec)); // full: sleeps on the receiver, keeps it
        CHECK_FALSE(ec);
        child.kill();
        const auto killed = std::chrono::steady_clock::now();
        s.send(block.data(), block.size(), ec);
        CHECK(ec == sharemap::errc::peer_dead);
        CHECK(std::chrono::steady_clock::now() - killed < 1500ms);
        Receiver r = Receiver::open(name); // a new process in the record
        CHECK_FALSE(s.send_for(block.data(), block.size(), 200ms, ec));
        CHECK_FALSE(ec); // it lives: the wait timed out
        std::array<char, 1000> got{};
        CHECK(r.try_receive_into(got.data(), got.size()) == std::optional<std::size_t>(1000));
        CHECK(s.send_for(block.data(), block.size(), 10s, ec)); // its space given back: sent
        CHECK_FALSE(ec);
    }
}

TEST_CASE("channel: wait_drained_for ends with peer_dead when the receiver is killed while it waits", "[channel]") {
    const std::string name = unique_name("chan");
    Sender s = Sender::create(name, capacity);
    Child child = start_holding("chan_receiver_hold", {name});
    s.send("x", 1); // never taken: the wait can end only by the receiver's death (or its 30 s deadline)
    std::thread killer([&] {
        std::this_thread::sleep_for(300ms); // the sender is asleep in wait_drained_for by then
        child.kill();
    });
    std::error_code ec;
    const bool drained = s.wait_drained_for(30s, ec);
    killer.join();
    CHECK_FALSE(drained);
    CHECK(ec == sharemap::errc::peer_dead); // a timeout would leave ec clear
}

TEST_CASE("channel: a receiver killed: a send gets peer_dead; a new receiver takes over", "[channel]") {
    const std::string name = unique_name("chan");
    Sender s = Sender::create(name, capacity);
    Child child = start_holding("chan_receiver_hold", {name});
    std::error_code ec;
    CHECK_FALSE(Receiver::open(name, ec));
    CHECK(ec == sharemap::errc::end_in_use);
    child.kill(); // returns once the process has ended
    const std::array<char, 1000> block{};
    int sent = 0;
    for (;;) {
        s.send(block.data(), block.size(), ec);
        if (ec) {
            break;
        }
        ++sent;
    }
    CHECK(ec == sharemap::errc::peer_dead);
    CHECK(sent == static_cast<int>(capacity / 1008));
    CHECK_FALSE(s.wait_drained_for(5s, ec));
    CHECK(ec == sharemap::errc::peer_dead);

    Receiver r = Receiver::open(name); // takes over; every buffered message is there
    for (int i = 0; i < sent; ++i) {
        std::array<char, 1000> got{};
        CHECK(r.try_receive_into(got.data(), got.size()) == std::optional<std::size_t>(1000));
    }
    CHECK_FALSE(r.try_receive());
    CHECK_FALSE(r.ended());
    r.close();
    s.send(block.data(), 1, ec); // closed, not dead
    CHECK(ec == sharemap::errc::broken_pipe);
    CHECK(ec == std::errc::broken_pipe);
    CHECK_FALSE(s.try_send(block.data(), 1, ec));
    CHECK(ec == sharemap::errc::broken_pipe);
}

TEST_CASE("channel: a send waiting behind another thread's reservation ends when the receiver is killed or closes",
          "[channel]") {
    for (const bool killed : {true, false}) {
        for (const bool timed : {true, false}) {
            INFO("receiver " << (killed ? "killed" : "closed") << ", " << (timed ? "send_for" : "send"));
            const std::string name = unique_name("chan");
            Sender s = Sender::create(name, capacity);
            std::optional<Child> child;
            Receiver r;
            if (killed) {
                child.emplace(start_holding("chan_receiver_hold", {name}));
            } else {
                r = Receiver::open(name);
            }
            Sender::Reservation held = s.reserve(10); // this thread holds it, and the senders' lock with it
            std::error_code ec;
            bool sent = true;
            std::thread blocked([&] {
                if (timed) {
                    sent = s.send_for("x", 1, 30s, ec);
                } else {
                    s.send("x", 1, ec);
                    sent = !ec;
                }
            });
            { // the other thread sleeps on the senders' lock (its sleepers count, read from the header)
                auto section = sharemap::FileMapping::open(name, sharemap::Access::read);
                auto view = section.map(sharemap::Access::read, 0, sizeof(sharemap::detail::channel::Header));
                const auto* h = reinterpret_cast<const sharemap::detail::channel::Header*>(view.data());
                while (h->send_lock.sleepers.load() == 0) {
                    std::this_thread::sleep_for(1ms);
                }
            }
            if (killed) {
                child->kill();
            } else {
                r.close();
            }
            blocked.join();
            CHECK_FALSE(sent);
            CHECK(ec == (killed ? sharemap::errc::peer_dead : sharemap::errc::broken_pipe));
            held = Sender::Reservation(); // dropped: nothing sent
        }
    }
}

TEST_CASE("channel: several senders in several processes, one killed in the middle of a message", "[channel]") {
    const std::string name = unique_name("chan");
    Receiver r = Receiver::create(name, capacity, ChannelOptions().multiple_senders());
    // Sender 3 sends 5 messages, then reserves and is killed holding the reservation (and the senders' lock).
    Child holder = start_holding("chan_send", {name, "5", "3", "hold"});
    constexpr std::uint64_t each = 400;
    // The three attach while the holder lives (a sender attaching after the kill would take over the dead
    // holder's record, and its close would end the stream), then wait for the lock the holder keeps.
    auto attached = sharemap::NamedSemaphore::create(name + "-attached", 0, 3);
    std::vector<Child> senders;
    for (int who = 0; who < 3; ++who) {
        senders.push_back(Child::start("chan_send", {name, std::to_string(each), std::to_string(who)}));
    }
    for (int who = 0; who < 3; ++who) {
        REQUIRE(attached.try_acquire_for(30s));
    }
    holder.kill();
    std::vector<std::uint64_t> next(4, 0);
    std::uint64_t good = 0;
    std::error_code ec;
    for (std::uint64_t i = 0; i < 3 * each + 5; ++i) {
        Receiver::Message m = r.receive_for(30s, ec);
        REQUIRE_FALSE(ec);
        REQUIRE(m);
        good += check_message(m.data(), m.size(), next) ? 1 : 0;
    }
    CHECK(good == 3 * each + 5);
    for (Child& c : senders) {
        CHECK(c.wait() == 0);
    }
    // The three closed; the holder's record remains, dead: peer_dead. A new sender takes it over; its close ends
    // the stream.
    CHECK_FALSE(r.receive(ec));
    CHECK(ec == sharemap::errc::peer_dead);
    {
        Sender s = Sender::open(name);
        s.send("x", 1);
    }
    Receiver::Message last = r.receive();
    REQUIRE(last);
    CHECK(last.size() == 1);
    last.release();
    CHECK_FALSE(r.receive());
    CHECK(r.ended());
}

// ---------------------------------------------------------------------------------------------------------------
// One process

TEST_CASE("channel: sizes, message_size, zero-copy forms, and messages held and released in any order", "[channel]") {
    for (const bool wrap : {false, true}) {
        INFO("wrap markers " << wrap);
        const std::string name = unique_name("chan");
        const WrapMarkers mode(wrap);
        Sender s = Sender::create(name, 1);
        CHECK(s.capacity() == capacity);
        Receiver r = Receiver::open(name);
        CHECK(r.existed());
        std::error_code ec;
        std::vector<std::byte> big(s.max_message_size() + 1);
        s.send(big.data(), big.size(), ec);
        CHECK(ec == sharemap::errc::message_size);
        CHECK(ec == std::errc::message_size);
        CHECK_FALSE(s.reserve(big.size(), ec));
        CHECK(ec == sharemap::errc::message_size);
        // The largest message, twice: the second crosses the end of the ring (or follows a padding record, which
        // the receiver must take first: it runs in its own thread).
        for (int i = 0; i < 2; ++i) {
            s.send("ab", 2);
            std::optional<std::size_t> first;
            std::optional<std::size_t> refused;
            std::optional<std::size_t> largest;
            std::error_code refused_ec;
            std::vector<std::byte> into(big.size());
            std::thread receiver([&] {
                std::array<char, 2> small{};
                first = r.receive_into(small.data(), 2);
                refused = r.receive_into(small.data(), small.size(), refused_ec);
                largest = r.receive_into(into.data(), into.size());
            });
            const bool sent = s.send_for(big.data(), big.size() - 1, 10s);
            receiver.join();
            CHECK(sent);
            CHECK(first == std::optional<std::size_t>(2));
            CHECK(refused == std::nullopt);
            CHECK(refused_ec == sharemap::errc::message_size); // and not consumed:
            CHECK(largest == std::optional<std::size_t>(big.size() - 1));
        }
        // Zero-length messages are messages; a dropped reservation sends nothing; commit(n) sends n bytes.
        s.send(nullptr, 0);
        { Sender::Reservation dropped = s.reserve(10); }
        Sender::Reservation part = s.reserve(100);
        REQUIRE(part);
        CHECK(reinterpret_cast<std::uintptr_t>(part.data()) % 8 == 0);
        std::memcpy(part.data(), "xyz", 3);
        CHECK_FALSE(s.try_reserve(10, ec)); // this thread holds a reservation
        CHECK(ec == std::errc::resource_deadlock_would_occur);
        part.commit(3);
        CHECK_FALSE(part);
        Receiver::Message zero = r.try_receive();
        REQUIRE(zero);
        CHECK(zero.size() == 0);
        Receiver::Message three = r.try_receive();
        REQUIRE(three);
        CHECK(std::string(reinterpret_cast<const char*>(three.data()), 3) == "xyz");
        CHECK_FALSE(r.try_receive());
        CHECK_FALSE(r.receive_for(20ms));
        CHECK_FALSE(r.ended());
        // Held messages keep their space: the ring fills up to what they hold.
        three.release(); // released out of order: zero still holds the space of both
        std::size_t sent = 0;
        const std::array<char, 1000> block{};
        while (s.try_send(block.data(), block.size())) {
            ++sent;
        }
        CHECK_FALSE(s.send_for(block.data(), block.size(), 30ms));
        CHECK_FALSE(s.send_until(block.data(), block.size(), std::chrono::system_clock::now() + 30ms));
        CHECK_FALSE(s.reserve_until(block.size(), std::chrono::steady_clock::now() + 30ms));
        zero.release();
        std::size_t got = 0;
        while (Receiver::Message m = r.try_receive()) {
            ++got;
        }
        CHECK(got == sent);
        CHECK(s.try_send(block.data(), block.size()));
        s.close();
        std::array<char, 1000> into{};
        CHECK(r.try_receive_into(into.data(), into.size()) == std::optional<std::size_t>(1000));
        CHECK_FALSE(r.receive_until(std::chrono::system_clock::now() + 5s));
        CHECK(r.ended());
        CHECK(r.try_receive_into(into.data(), 0) == std::nullopt);
    }
}

TEST_CASE("channel: create, open and their errors", "[channel]") {
    const std::string name = unique_name("chan");
    std::error_code ec;
    CHECK_FALSE(Sender::create(name, 0, ec));
    CHECK(ec == sharemap::errc::invalid_argument);
    CHECK_FALSE(Receiver::open(name, ec));
    CHECK(ec == sharemap::errc::not_found);
    Sender s = Sender::create_or_open(name, capacity);
    CHECK_FALSE(s.existed());
    CHECK_FALSE(s.receiver_seen());
    CHECK(s.wait_drained_for(0ms)); // nothing sent: nothing to take
    s.send("x", 1);
    CHECK_FALSE(s.wait_drained_for(20ms)); // nobody takes it
    CHECK_FALSE(Sender::create(name, capacity, ec));
    CHECK(ec == sharemap::errc::already_exists);
    CHECK_FALSE(Sender::create_or_open(name, capacity, ec)); // single sender: the end is held
    CHECK(ec == sharemap::errc::end_in_use);
    CHECK_FALSE(Receiver::create_or_open(name, 2 * capacity, ec));
    CHECK(ec == sharemap::errc::size_too_small);
    Receiver r = Receiver::create_or_open(name, capacity);
    CHECK(r.existed());
    CHECK(s.receiver_seen());
    CHECK(r.try_receive());
    CHECK(s.wait_drained_for(5s)); // the message above was taken
    CHECK_FALSE(Receiver::open(name, ec));
    CHECK(ec == sharemap::errc::end_in_use);
    Sender empty;
    empty.send("x", 1, ec);
    CHECK(ec == sharemap::errc::invalid_handle);
    Receiver none;
    CHECK_FALSE(none.receive(ec));
    CHECK(ec == sharemap::errc::invalid_handle);
    CHECK_THROWS_AS(Sender::open(name), std::system_error);
    Sender moved = std::move(s);
    CHECK_FALSE(s); // NOLINT(bugprone-use-after-move): moved-from is empty
    CHECK(moved);
}

TEST_CASE("channel: an opener of a section whose creator ended before writing the header gets peer_dead", "[channel]") {
    for (const bool receiver : {true, false}) {
        const std::string name = unique_name("chan");
        Child child = start_holding("chan_plain_hold", {name});
        std::thread killer([&] {
            std::this_thread::sleep_for(300ms);
            child.kill();
        });
        std::error_code ec;
        const auto start = std::chrono::steady_clock::now();
        const bool opened = receiver ? static_cast<bool>(Receiver::open(name, ec))
                                     : static_cast<bool>(Sender::open(name, ec));
        const auto waited = std::chrono::steady_clock::now() - start;
        killer.join();
        CHECK_FALSE(opened);
        CHECK(ec == sharemap::errc::peer_dead);
        CHECK(waited >= 250ms); // it waited while the creator lived
        CHECK(waited < 1500ms); // and answered soon after it ended, long before the 5 s bound
    }
}

TEST_CASE("channel: an opener waits for a creator that takes more than a second to write the header", "[channel]") {
    const std::string name = unique_name("chan");
    auto m = sharemap::FileMapping::create(name, 2 * capacity); // this process is the slow creator
    auto v = m.map(sharemap::Access::read_write, 0, 4096);
    std::thread creator([&] {
        std::this_thread::sleep_for(1500ms);
        sharemap::detail::channel::initialise(*reinterpret_cast<sharemap::detail::channel::Header*>(v.data()), capacity,
                                              false, false);
    });
    std::error_code ec;
    const Receiver r = Receiver::open(name, ec);
    creator.join();
    CHECK_FALSE(ec);
    CHECK(r);
    CHECK(r.capacity() == capacity);
}

TEST_CASE("channel: the creator's security decides who may open the channel", "[channel][rights][process]") {
    using sharemap::Security;
    // Everyone may map for reading and query, not write (DELETE denied first: see rights_test.cpp for why).
    const std::string refused = unique_name("chan");
    const Receiver a = Receiver::create(refused, capacity,
                                        ChannelOptions().security(Security::sddl("D:P(D;;SD;;;WD)(A;;0x5;;;WD)")));
    CHECK(sharemap_test::run_child("chan_open_sender", {refused}) == 13);
    // Everyone may map for reading and writing, and query: what an end needs.
    const std::string granted = unique_name("chan");
    const Receiver b = Receiver::create(granted, capacity,
                                        ChannelOptions().security(Security::sddl("D:P(D;;SD;;;WD)(A;;0x7;;;WD)")));
    CHECK(sharemap_test::run_child("chan_open_sender", {granted}) == 0);
    CHECK(b.ended()); // the child attached as a sender, then closed
}

TEST_CASE("channel: a section that is not a channel of this layout is refused", "[channel]") {
    std::error_code ec;
    { // too small to be a channel
        const std::string name = unique_name("chan");
        auto m = sharemap::FileMapping::create(name, 4096);
        CHECK_FALSE(Receiver::open(name, ec));
        CHECK(ec == sharemap::errc::incompatible_layout);
    }
    { // large enough, but not a channel (its creator wrote something else)
        const std::string name = unique_name("chan");
        auto m = sharemap::FileMapping::create(name, 4 * capacity);
        auto v = m.map(sharemap::Access::read_write);
        std::memset(v.data(), 0x5A, 4096);
        CHECK_FALSE(Sender::open(name, ec));
        CHECK(ec == sharemap::errc::incompatible_layout);
    }
    // A channel whose header is changed at `offset`: refused by every opener, never used.
    const auto tampered = [&](std::size_t offset, const void* bytes, std::size_t size) {
        const std::string name = unique_name("chan");
        Receiver r = Receiver::create(name, capacity);
        auto m = sharemap::FileMapping::open(name, sharemap::Access::read_write);
        auto v = m.map(sharemap::Access::read_write, 0, 64);
        std::memcpy(v.data() + offset, bytes, size);
        CHECK_FALSE(Sender::open(name, ec));
        CHECK(ec == sharemap::errc::incompatible_layout);
        CHECK_FALSE(Receiver::create_or_open(name, capacity, ec));
        CHECK(ec == sharemap::errc::incompatible_layout);
    };
    const std::uint32_t version_1 = 1; // the layout before the drained event: its processes would not wake ours
    tampered(8, &version_1, sizeof version_1);
    const std::uint32_t version_3 = 3;
    tampered(8, &version_3, sizeof version_3);
    const std::uint64_t huge_capacity = 1024 * capacity; // more than the section holds
    tampered(16, &huge_capacity, sizeof huge_capacity);
}

// ---------------------------------------------------------------------------------------------------------------
// Example 02-producer-consumer (the channel)

#ifdef SHAREMAP_EXAMPLES_DIR
TEST_CASE("example 02-producer-consumer: the messages arrive in order, whichever program starts first",
          "[examples][channel]") {
    using sharemap_test::ExampleProcess;
    const auto example = [](const std::string& stem) {
        return std::string(SHAREMAP_EXAMPLES_DIR) + "/02-producer-consumer-" + stem + ".exe";
    };
    const std::string name = unique_name("example-02");
    SECTION("consumer first") {
        ExampleProcess consumer(example("consumer"), {name}, false);
        std::string line;
        REQUIRE(consumer.read_line(line));
        REQUIRE(line.find("consumer: ready") != std::string::npos);
        // 100 messages: few enough that the consumer's output (a line each, read only once the producer is done)
        // fits in its pipe; the ring (64 KiB, 24 bytes a message) holds them all, so the producer never waits.
        ExampleProcess producer(example("producer"), {"100", name}, false);
        const std::string produced = producer.read_to_end();
        INFO("producer: " << produced);
        CHECK(producer.wait() == 0);
        CHECK(produced.find("sent 100 messages") != std::string::npos);
        const std::string consumed = consumer.read_to_end();
        INFO("consumer: " << consumed);
        CHECK(consumer.wait() == 0);
        CHECK(consumed.find("consumer: message 100") != std::string::npos);
        CHECK(consumed.find("received 100 messages in order") != std::string::npos);
    }
    SECTION("producer first") {
        ExampleProcess producer(example("producer"), {"5", name}, false);
        ExampleProcess consumer(example("consumer"), {name}, false);
        const std::string consumed = consumer.read_to_end();
        INFO("consumer: " << consumed);
        CHECK(consumer.wait() == 0);
        CHECK(consumed.find("received 5 messages in order") != std::string::npos);
        CHECK(producer.wait() == 0);
    }
}
#endif // SHAREMAP_EXAMPLES_DIR
