// SPDX-License-Identifier: MIT
// The channel's state machine (sharemap/detail/channel.hpp), built natively on Linux with threads and run under
// ThreadSanitizer and AddressSanitizer + UBSan: every message arrives once, in order and intact, with random sizes
// from 0 to the largest, across the ring's end, in both modes (a ring mapped twice back to back, as a memfd mapped
// twice with MAP_FIXED; and one mapping with padding records); an end that "dies" (here a thread that returns
// without detaching: the platform's stand-in for a process) is reported to the other side; several senders, one of
// which dies in the middle of a message; a wake reaches the waiter that needs it (reserve, drained waiters); a send
// waiting for the senders' lock sees the receiver go; the 32-bit capacity limit.
#include <sharemap/detail/channel.hpp>

#include "common.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <random>
#include <sys/mman.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace ch = sharemap::detail::channel;

namespace {

constexpr std::uint64_t capacity = ch::capacity_unit; // 64 KiB: many laps in a short test

// A channel's memory: a header, and the ring mapped twice back to back (a memfd mapped at base and base +
// capacity, as the Windows double mapping does) or once (wrap-marker mode).
class Channel {
public:
    Channel(bool wrap, bool multiple) : header_(std::make_unique<ch::Header>()) {
        if (wrap) {
            single_.resize(capacity);
            bytes_ = single_.data();
        } else {
            fd_ = ::memfd_create("sharemap-native-ring", 0);
            REQUIRE(fd_ >= 0);
            REQUIRE(::ftruncate(fd_, static_cast<off_t>(capacity)) == 0);
            void* base = ::mmap(nullptr, 2 * capacity, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            REQUIRE(base != MAP_FAILED);
            auto* b = static_cast<std::byte*>(base);
            REQUIRE(::mmap(b, capacity, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd_, 0) == b);
            REQUIRE(::mmap(b + capacity, capacity, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd_, 0) ==
                    b + capacity);
            bytes_ = b;
        }
        ch::initialise(*header_, capacity, multiple, wrap);
        REQUIRE(ch::valid(*header_, ch::ring_offset + capacity));
        ring_ = ch::ring_of(*header_, bytes_);
    }
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;
    ~Channel() {
        if (fd_ >= 0) {
            ::munmap(bytes_, 2 * capacity);
            ::close(fd_);
        }
    }
    const ch::Ring& ring() const { return ring_; }
    ch::Header& header() { return *header_; }

private:
    std::unique_ptr<ch::Header> header_;
    std::vector<std::byte> single_;
    std::byte* bytes_ = nullptr;
    int fd_ = -1;
    ch::Ring ring_;
};

// The byte `i` of message `seq` of sender `who`: a pattern that catches a misplaced, stale or torn byte.
std::byte pattern(std::uint32_t who, std::uint64_t seq, std::size_t i) {
    return static_cast<std::byte>((seq * 131 + i * 7 + who * 29) & 0xFF);
}

// Sends `count` messages of random sizes (0 to max_payload, mostly small, sometimes the largest) as `who`.
// Each starts with (who, seq) when it is large enough.
void send_messages(const ch::Ring& ring, std::uint32_t who, std::uint64_t count, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<std::size_t> small(0, 300);
    std::uniform_int_distribution<std::size_t> any(0, static_cast<std::size_t>(ch::max_payload(capacity)));
    for (std::uint64_t seq = 0; seq < count; ++seq) {
        const std::uint32_t pick = rng() % 100;
        std::size_t size = pick < 90 ? small(rng) : pick < 99 ? any(rng) : ch::max_payload(capacity);
        if (size < 12) {
            size = 12;
        }
        ch::Pending p;
        if (ch::reserve<P>(ring, size, forever(), p) != ch::Status::ok) {
            expect(false);
            return;
        }
        std::byte* data = ring.at(p.at + ch::record_header);
        std::memcpy(data, &who, 4);
        std::memcpy(data + 4, &seq, 8);
        for (std::size_t i = 12; i < size; ++i) {
            data[i] = pattern(who, seq, i);
        }
        ch::commit<P>(ring, p, size);
    }
}

// Receives until end of stream; checks each message's pattern and that each sender's messages come in order.
// Holds up to `hold` messages at once and releases them in a shuffled order. \returns messages received; `last`
// is what ended the stream (ended, or peer_dead).
std::uint64_t receive_messages(const ch::Ring& ring, std::uint32_t senders, std::size_t hold, ch::Status& last) {
    std::vector<std::uint64_t> next(senders, 0);
    std::vector<ch::Received> held;
    std::mt19937 rng(7);
    std::uint64_t total = 0;
    for (;;) {
        ch::Received got;
        ch::Status s = ch::receive<P>(ring, Clock::now(), got, true);
        if (s == ch::Status::timed_out) {
            // Nothing now: give back what is held before waiting, or a sender that needs that space never comes.
            for (const ch::Received& r : held) {
                ch::release<P>(ring, r.at);
            }
            held.clear();
            s = ch::receive<P>(ring, forever(), got, true);
        }
        last = s;
        if (s == ch::Status::ended || s == ch::Status::peer_dead) {
            break;
        }
        if (s != ch::Status::ok) {
            expect(false);
            break;
        }
        const std::byte* data = ring.at(got.at + ch::record_header);
        std::uint32_t who = 0;
        std::uint64_t seq = 0;
        expect(got.size >= 12);
        std::memcpy(&who, data, 4);
        std::memcpy(&seq, data + 4, 8);
        expect(who < senders && seq == next[who]);
        if (who < senders) {
            next[who] = seq + 1;
        }
        bool intact = true;
        for (std::size_t i = 12; i < got.size; ++i) {
            intact = intact && data[i] == pattern(who, seq, i);
        }
        expect(intact);
        ++total;
        held.push_back(got);
        if (held.size() > hold) {
            std::shuffle(held.begin(), held.end(), rng);
            for (const ch::Received& r : held) {
                ch::release<P>(ring, r.at);
            }
            held.clear();
        }
    }
    for (const ch::Received& r : held) {
        ch::release<P>(ring, r.at);
    }
    return total;
}

// The Linux platform with wake objects that say whether a wake reached the sleeper that needed it: each key names
// its own object (no two states share one), a wake releases the sleeper that went to sleep first (or is kept for
// the next one), and a sleep ends only when woken, never at its slice. A sleep still asleep after `give_up` is a wake
// that went elsewhere: it ends there, counted in missed(), and the test fails on that count, not on a time.
struct WakeCheck : P {
    static constexpr auto give_up = 5s;

    static std::atomic<int>& missed() {
        static std::atomic<int> count{0};
        return count;
    }
    /// Sleepers not woken yet (a woken one leaves the count when it is woken, not when it runs again).
    static std::atomic<int>& asleep() {
        static std::atomic<int> count{0};
        return count;
    }

    static std::uint32_t new_key(const void*) noexcept {
        static std::atomic<std::uint32_t> next{1000};
        return next.fetch_add(1);
    }

    struct Object {
        std::mutex mutex;
        std::condition_variable cv;
        std::deque<std::uint64_t> queue; // tickets of the sleepers, oldest first
        std::uint64_t next = 0;
        bool kept = false; // a wake that found nobody asleep
    };
    static sharemap::detail::section_lock::Woke sleep(std::uint32_t key, const Watch* w, std::uint32_t) noexcept {
        using sharemap::detail::section_lock::Woke;
        Object& o = sharemap_native::keyed_object<Object>(key);
        std::unique_lock<std::mutex> lock(o.mutex);
        if (o.kept) {
            o.kept = false;
            return Woke::woken;
        }
        const std::uint64_t ticket = o.next++;
        o.queue.push_back(ticket);
        asleep().fetch_add(1);
        if (o.cv.wait_for(lock, give_up,
                          [&] { return std::find(o.queue.begin(), o.queue.end(), ticket) == o.queue.end(); })) {
            return Woke::woken; // the wake took it off the queue
        }
        o.queue.erase(std::find(o.queue.begin(), o.queue.end(), ticket));
        asleep().fetch_sub(1);
        missed().fetch_add(1);
        return w != nullptr && *w && !alive(w->id, 0) ? Woke::owner_ended : Woke::timed_out;
    }

    static void wake(std::uint32_t key) noexcept {
        if (key == 0) {
            return;
        }
        Object& o = sharemap_native::keyed_object<Object>(key);
        const std::lock_guard<std::mutex> lock(o.mutex);
        if (o.queue.empty()) {
            o.kept = true;
        } else {
            o.queue.pop_front();
            asleep().fetch_sub(1);
            o.cv.notify_all();
        }
    }
};

// Waits until `n` threads sleep on WakeCheck's wake objects.
void wait_asleep(int n) {
    while (WakeCheck::asleep().load() != n) {
        std::this_thread::yield();
    }
}

// A channel (the ring mapped twice) whose ends run on WakeCheck, missed() zeroed: its receiver and one sender are
// attached for the life of the object.
class WakeCheckChannel : public Channel {
public:
    explicit WakeCheckChannel(bool multiple) : Channel(false, multiple) {
        WakeCheck::missed().store(0);
        REQUIRE(ch::attach_receiver<WakeCheck>(header()) == ch::Status::ok);
        REQUIRE(ch::attach_sender<WakeCheck>(header(), slot_) == ch::Status::ok);
    }
    ~WakeCheckChannel() {
        ch::detach_sender<WakeCheck>(header(), slot_);
        ch::detach_receiver<WakeCheck>(header());
    }

private:
    std::uint32_t slot_ = 0;
};

// Commits a message of `size` bytes (there must be room).
template <class Platform>
void commit_one(const ch::Ring& ring, std::uint64_t size) {
    ch::Pending p;
    REQUIRE(ch::reserve<Platform>(ring, size, Clock::now(), p) == ch::Status::ok);
    ch::commit<Platform>(ring, p, size);
}

// Receives the next message and gives it back.
template <class Platform>
void take_one(const ch::Ring& ring) {
    ch::Received got;
    REQUIRE(ch::receive<Platform>(ring, Clock::now(), got, true) == ch::Status::ok);
    ch::release<Platform>(ring, got.at);
}

} // namespace

TEST_CASE_METHOD(NoThreadFailures, "native channel: every message once, in order, intact, in both mappings",
                 "[native][channel]") {
    for (const bool wrap : {false, true}) {
        for (const std::size_t hold : {std::size_t{0}, std::size_t{3}}) {
            INFO("wrap markers " << wrap << ", messages held " << hold);
            Channel c(wrap, false);
            constexpr std::uint64_t count = 20000;
            std::uint64_t received = 0;
            ch::Status last = ch::Status::ok;
            std::thread receiver([&] {
                expect(ch::attach_receiver<P>(c.header()) == ch::Status::ok);
                received = receive_messages(c.ring(), 1, hold, last);
                ch::detach_receiver<P>(c.header());
            });
            std::thread sender([&] {
                std::uint32_t slot = 0;
                expect(ch::attach_sender<P>(c.header(), slot) == ch::Status::ok);
                send_messages(c.ring(), 0, count, 42);
                ch::detach_sender<P>(c.header(), slot);
            });
            sender.join();
            receiver.join();
            CHECK(received == count);
            CHECK(last == ch::Status::ended);
            CHECK(c.header().tail.load() > 4 * capacity); // several laps: the end was crossed many times
            CHECK(c.header().head.load() == c.header().tail.load());
        }
    }
}

TEST_CASE_METHOD(NoThreadFailures, "native channel: a sender that dies: committed messages, then peer_dead",
                 "[native][channel]") {
    for (const bool wrap : {false, true}) {
        Channel c(wrap, false);
        REQUIRE(ch::attach_receiver<P>(c.header()) == ch::Status::ok);
        std::thread sender([&] { // attaches, commits 3, reserves a 4th, and ends without committing or closing
            std::uint32_t slot = 0;
            expect(ch::attach_sender<P>(c.header(), slot) == ch::Status::ok);
            send_messages(c.ring(), 0, 3, 1);
            ch::Pending p;
            expect(ch::reserve<P>(c.ring(), 100, forever(), p) == ch::Status::ok);
        });
        sender.join();
        for (int i = 0; i < 3; ++i) {
            ch::Received got;
            REQUIRE(ch::receive<P>(c.ring(), forever(), got, true) == ch::Status::ok);
            ch::release<P>(c.ring(), got.at);
        }
        ch::Received got;
        const auto start = Clock::now();
        CHECK(ch::receive<P>(c.ring(), Clock::now() + 5s, got, true) == ch::Status::peer_dead);
        CHECK(Clock::now() - start < 1s);
        // A new sender takes over the dead one's end; the lock it died holding comes back abandoned, and the
        // channel goes on.
        std::uint32_t slot = 9;
        REQUIRE(ch::attach_sender<P>(c.header(), slot) == ch::Status::ok);
        CHECK(slot == 0);
        send_messages(c.ring(), 0, 2, 2);
        for (int i = 0; i < 2; ++i) {
            REQUIRE(ch::receive<P>(c.ring(), forever(), got, true) == ch::Status::ok);
            ch::release<P>(c.ring(), got.at);
        }
        ch::detach_sender<P>(c.header(), slot);
        CHECK(ch::receive<P>(c.ring(), forever(), got, true) == ch::Status::ended);
        ch::detach_receiver<P>(c.header());
    }
}

TEST_CASE_METHOD(NoThreadFailures, "native channel: a receiver that dies or closes is reported to the sender",
                 "[native][channel]") {
    Channel c(false, false);
    std::uint32_t slot = 0;
    REQUIRE(ch::attach_sender<P>(c.header(), slot) == ch::Status::ok);
    std::thread receiver([&] { expect(ch::attach_receiver<P>(c.header()) == ch::Status::ok); });
    receiver.join(); // "died" attached
    ch::Pending p;
    ch::Status s = ch::Status::ok;
    int sent = 0;
    while ((s = ch::reserve<P>(c.ring(), 1000, Clock::now() + 5s, p)) == ch::Status::ok) {
        ch::commit<P>(c.ring(), p, 1000);
        ++sent;
    }
    CHECK(s == ch::Status::peer_dead);
    CHECK(sent == static_cast<int>(capacity / ch::record_size(1000)));
    // A new receiver takes over, gets every message, and closes: the sender then gets broken_pipe at once.
    REQUIRE(ch::attach_receiver<P>(c.header()) == ch::Status::ok);
    CHECK(ch::attach_receiver<P>(c.header()) == ch::Status::end_in_use);
    for (int i = 0; i < sent; ++i) {
        ch::Received got;
        REQUIRE(ch::receive<P>(c.ring(), Clock::now(), got, true) == ch::Status::ok);
        CHECK(got.size == 1000);
        ch::release<P>(c.ring(), got.at);
    }
    ch::detach_receiver<P>(c.header());
    CHECK(ch::reserve<P>(c.ring(), 10, forever(), p) == ch::Status::broken_pipe);
    ch::detach_sender<P>(c.header(), slot);
}

TEST_CASE_METHOD(NoThreadFailures,
                 "native channel: an end that takes over from a dead one clears the sleepers count it left",
                 "[native][channel]") {
    Channel c(false, false);
    std::uint32_t slot = 0;
    // A receiver and a sender holding the senders' lock "die" (their threads end attached, the lock held), as if
    // killed asleep: the counts of sleepers they were in stay behind (planted here: a thread cannot die asleep).
    std::thread dead([&] {
        expect(ch::attach_receiver<P>(c.header()) == ch::Status::ok);
        expect(ch::attach_sender<P>(c.header(), slot) == ch::Status::ok);
        ch::Pending p;
        expect(ch::reserve<P>(c.ring(), 10, forever(), p) == ch::Status::ok);
    });
    dead.join();
    c.header().not_empty.sleepers.store(1);
    c.header().not_full.sleepers.store(1);
    // The new ends take over: the counts are back to 0, so commits and releases make no kernel call again.
    REQUIRE(ch::attach_receiver<P>(c.header()) == ch::Status::ok);
    CHECK(c.header().not_empty.sleepers.load() == 0);
    REQUIRE(ch::attach_sender<P>(c.header(), slot) == ch::Status::ok);
    ch::Pending p;
    REQUIRE(ch::reserve<P>(c.ring(), 10, forever(), p) == ch::Status::ok);
    CHECK(c.header().not_full.sleepers.load() == 0);
    ch::commit<P>(c.ring(), p, 10);
    ch::Received got;
    REQUIRE(ch::receive<P>(c.ring(), Clock::now(), got, true) == ch::Status::ok);
    ch::release<P>(c.ring(), got.at);
    ch::detach_sender<P>(c.header(), slot);
    ch::detach_receiver<P>(c.header());
}

TEST_CASE_METHOD(NoThreadFailures, "native channel: several senders, one of which dies in the middle of a message",
                 "[native][channel]") {
    for (const bool wrap : {false, true}) {
        Channel c(wrap, true);
        constexpr std::uint32_t senders = 4;
        constexpr std::uint64_t each = 3000;
        std::vector<std::uint32_t> slots(senders);
        for (std::uint32_t who = 0; who < senders; ++who) {
            REQUIRE(ch::attach_sender<P>(c.header(), slots[who]) == ch::Status::ok);
        }
        // A fifth sender attaches, holds a reservation and ends: the others must get past its lock.
        std::thread dying([&] {
            std::uint32_t slot = 0;
            expect(ch::attach_sender<P>(c.header(), slot) == ch::Status::ok);
            expect(slot == senders);
            ch::Pending p;
            expect(ch::reserve<P>(c.ring(), 64, forever(), p) == ch::Status::ok);
        });
        dying.join();
        std::uint64_t received = 0;
        ch::Status last = ch::Status::ok;
        std::thread receiver([&] {
            expect(ch::attach_receiver<P>(c.header()) == ch::Status::ok);
            received = receive_messages(c.ring(), senders, 2, last);
        });
        std::vector<std::thread> threads;
        for (std::uint32_t who = 0; who < senders; ++who) {
            threads.emplace_back([&, who] { send_messages(c.ring(), who, each, 100 + who); });
        }
        for (std::thread& t : threads) {
            t.join();
        }
        for (std::uint32_t who = 0; who < senders; ++who) {
            ch::detach_sender<P>(c.header(), slots[who]);
        }
        // The dead sender's record remains: with no live sender left, the receiver gets peer_dead once every
        // message was received (and its half-written message was never delivered).
        receiver.join();
        CHECK(received == senders * each);
        CHECK(last == ch::Status::peer_dead);
        // A new sender takes over the dead one's record (before any free one); its close ends the stream.
        std::uint32_t slot = 0;
        REQUIRE(ch::attach_sender<P>(c.header(), slot) == ch::Status::ok);
        CHECK(slot == senders);
        ch::detach_sender<P>(c.header(), slot);
        ch::Received got;
        CHECK(ch::receive<P>(c.ring(), forever(), got, true) == ch::Status::ended);
        ch::detach_receiver<P>(c.header());
    }
}

TEST_CASE_METHOD(NoThreadFailures, "native channel: the receiver reports peer_dead when every sender is dead",
                 "[native][channel]") {
    Channel c(false, true);
    REQUIRE(ch::attach_receiver<P>(c.header()) == ch::Status::ok);
    std::uint32_t live = 0;
    REQUIRE(ch::attach_sender<P>(c.header(), live) == ch::Status::ok); // a live one
    std::thread a([&] {                                                // and one that sends and dies
        std::uint32_t slot = 0;
        expect(ch::attach_sender<P>(c.header(), slot) == ch::Status::ok);
        send_messages(c.ring(), 0, 1, 3);
    });
    a.join();
    ch::Received got;
    REQUIRE(ch::receive<P>(c.ring(), forever(), got, true) == ch::Status::ok);
    ch::release<P>(c.ring(), got.at);
    CHECK(ch::receive<P>(c.ring(), Clock::now() + 300ms, got, true) == ch::Status::timed_out); // one lives
    ch::detach_sender<P>(c.header(), live);
    CHECK(ch::receive<P>(c.ring(), Clock::now() + 5s, got, true) == ch::Status::peer_dead);
    ch::detach_receiver<P>(c.header());
}

TEST_CASE_METHOD(NoThreadFailures,
                 "native channel: a sender killed between clearing its record and counting itself out is peer_dead",
                 "[native][channel]") {
    Channel c(false, false);
    REQUIRE(ch::attach_receiver<P>(c.header()) == ch::Status::ok);
    std::uint32_t slot = 0;
    REQUIRE(ch::attach_sender<P>(c.header(), slot) == ch::Status::ok);
    ch::detach(c.header().senders_at[slot]); // the first half of detach_sender, and then "killed"
    ch::Received got;
    const auto t0 = Clock::now();
    CHECK(ch::receive<P>(c.ring(), Clock::now() + 5s, got, true) == ch::Status::peer_dead); // not a wait for ever
    CHECK(Clock::now() - t0 < 1s); // two looks a sleep (100 ms at most) apart
    ch::detach_receiver<P>(c.header());
}

TEST_CASE_METHOD(NoThreadFailures, "native channel: a watch kept across waits: the peer's end and a new peer are seen",
                 "[native][channel]") {
    Channel c(false, false);
    REQUIRE(ch::attach_receiver<P>(c.header()) == ch::Status::ok);
    ch::PeerWatch<P> peer;
    std::atomic<int> stage{0};
    std::thread sender([&] { // attaches, waits to be told, and ends without closing: a dead sender
        std::uint32_t slot = 0;
        expect(ch::attach_sender<P>(c.header(), slot) == ch::Status::ok);
        stage.store(1);
        while (stage.load() != 2) {
            std::this_thread::yield();
        }
    });
    while (stage.load() != 1) {
        std::this_thread::yield();
    }
    ch::Received got;
    CHECK(ch::receive<P>(c.ring(), Clock::now() + 150ms, got, true, peer) == ch::Status::timed_out);
    REQUIRE(static_cast<bool>(peer.watch)); // kept after the wait
    const std::uint64_t watched = peer.id;
    CHECK(ch::receive<P>(c.ring(), Clock::now() + 150ms, got, true, peer) == ch::Status::timed_out);
    CHECK(peer.id == watched);
    stage.store(2);
    sender.join();
    const auto start = Clock::now();
    CHECK(ch::receive<P>(c.ring(), Clock::now() + 5s, got, true, peer) == ch::Status::peer_dead);
    CHECK(Clock::now() - start < 1s);
    // A new sender takes over the record: the receiver waits for it (no peer_dead) and watches it.
    std::uint32_t slot = 9;
    REQUIRE(ch::attach_sender<P>(c.header(), slot) == ch::Status::ok);
    CHECK(ch::receive<P>(c.ring(), Clock::now() + 150ms, got, true, peer) == ch::Status::timed_out);
    CHECK(peer.id == P::process_self());
    ch::detach_sender<P>(c.header(), slot);
    CHECK(ch::receive<P>(c.ring(), forever(), got, true, peer) == ch::Status::ended);
    CHECK_FALSE(static_cast<bool>(peer.watch)); // dropped with the senders' end
    ch::detach_receiver<P>(c.header());
}

// A 32-bit process cannot map a ring above SIZE_MAX / 2 twice (nor index it): create refuses such a capacity, as it
// refuses one above 4 GiB, instead of letting 2 x capacity wrap (a 4 GiB request even rounded to 2^32, which is 0
// as a 32-bit size). round_capacity and mappable take the process's largest size, so that both widths are checked
// here whatever this build's is.
constexpr std::uint64_t size_max_32 = 0xFFFFFFFFu;
constexpr std::uint64_t size_max_64 = 0xFFFFFFFFFFFFFFFFu;
constexpr std::uint64_t largest_32 = (std::uint64_t{1} << 31) - ch::capacity_unit; // 2 GiB - 64 KiB
static_assert(ch::mappable(largest_32, size_max_32) && !ch::mappable(largest_32 + ch::capacity_unit, size_max_32));
static_assert(ch::round_capacity(largest_32, size_max_32) == largest_32);
static_assert(ch::round_capacity(largest_32 + 1, size_max_32) == 0); // rounds up to 2 GiB
static_assert(ch::round_capacity(size_max_32, size_max_32) == 0);    // rounded to 2^32: 0 as a 32-bit size
static_assert(ch::round_capacity(size_max_32, size_max_64) == ch::max_capacity);
static_assert(ch::round_capacity(ch::max_capacity + 1, size_max_64) == 0);
static_assert(ch::round_capacity(1, size_max_32) == ch::capacity_unit);

// A sender waiting in reserve for space and a sender waiting for the ring to drain both sleep; the receiver gives one
// message back. The wake must reach the sender that can now go, not the drained waiter (which cannot yet); then the
// last message given back must reach the drained waiter. Before the drained waiters had their own wake object, both
// slept on not_full and the one wake went to whoever slept first: the reserving sender was left to its 100 ms poll.
TEST_CASE_METHOD(NoThreadFailures,
                 "native channel: a wake for space reaches the reserving sender and not a drained waiter",
                 "[native][channel]") {
    using W = WakeCheck;
    WakeCheckChannel c(false);
    constexpr std::uint64_t size = capacity / 8 - ch::record_header; // 8 records fill the ring exactly
    for (int i = 0; i < 8; ++i) {
        commit_one<W>(c.ring(), size);
    }
    const std::uint64_t target = c.header().tail.load();
    std::thread drained([&] { expect(ch::wait_drained<W>(c.ring(), target, forever()) == ch::Status::ok); });
    wait_asleep(1); // the drained waiter sleeps first
    std::thread sender([&] {
        ch::Pending p;
        expect(ch::reserve<W>(c.ring(), size, forever(), p) == ch::Status::ok);
        ch::commit<W>(c.ring(), p, size);
    });
    wait_asleep(2);
    take_one<W>(c.ring()); // room for one: the sender goes
    sender.join();
    CHECK(W::missed().load() == 0);
    for (int i = 0; i < 7; ++i) { // the rest of what was sent before the drained wait: it ends
        take_one<W>(c.ring());
    }
    drained.join();
    CHECK(W::missed().load() == 0);
    take_one<W>(c.ring());
}

// Two drained waiters (two threads, or two senders of a multiple-sender channel) and one wake when the ring drains:
// the waiter it reaches passes it on, so that neither is left to its poll.
TEST_CASE_METHOD(NoThreadFailures, "native channel: every drained waiter is woken when the ring drains",
                 "[native][channel]") {
    using W = WakeCheck;
    WakeCheckChannel c(true);
    for (int i = 0; i < 4; ++i) {
        commit_one<W>(c.ring(), 1000);
    }
    const std::uint64_t target = c.header().tail.load();
    std::vector<std::thread> waiters;
    for (int i = 0; i < 2; ++i) {
        waiters.emplace_back([&] { expect(ch::wait_drained<W>(c.ring(), target, forever()) == ch::Status::ok); });
    }
    wait_asleep(2);
    for (int i = 0; i < 3; ++i) { // head moves, not far enough: each waiter that is woken sleeps again
        take_one<W>(c.ring());
        wait_asleep(2);
    }
    take_one<W>(c.ring()); // drained: one wake, for both
    for (std::thread& t : waiters) {
        t.join();
    }
    CHECK(W::missed().load() == 0);
}

// A send waiting for the senders' lock, held by a live sender with a reservation, while the receiver dies or
// closes: the send ends with peer_dead or broken_pipe, as a send waiting for space does, in its waiting and timed
// forms. Before, it watched only the lock's holder and waited on (for ever, or to its deadline: timed_out).
TEST_CASE_METHOD(NoThreadFailures,
                 "native channel: a send waiting for the senders' lock ends when the receiver dies or closes",
                 "[native][channel]") {
    for (const bool dies : {true, false}) {
        for (const bool timed : {true, false}) {
            INFO("receiver " << (dies ? "dies" : "closes") << ", " << (timed ? "timed" : "no deadline"));
            Channel c(false, true);
            std::atomic<int> stage{0};
            std::thread receiver([&] {
                expect(ch::attach_receiver<P>(c.header()) == ch::Status::ok);
                stage.store(1);
                while (stage.load() != 2) {
                    std::this_thread::yield();
                }
                if (!dies) {
                    ch::detach_receiver<P>(c.header());
                } // else: ends attached, a dead receiver
            });
            while (stage.load() != 1) {
                std::this_thread::yield();
            }
            std::uint32_t slot = 0;
            REQUIRE(ch::attach_sender<P>(c.header(), slot) == ch::Status::ok);
            ch::Pending held; // this thread holds a reservation, and with it the senders' lock
            REQUIRE(ch::reserve<P>(c.ring(), 10, forever(), held) == ch::Status::ok);
            std::atomic<bool> done{false};
            ch::Status blocked_status = ch::Status::ok;
            std::thread blocked([&] {
                ch::Pending p;
                blocked_status = ch::reserve<P>(c.ring(), 10, timed ? Clock::now() + 30s : forever(), p);
                done.store(true);
                if (blocked_status == ch::Status::ok) {
                    ch::drop<P>(c.ring(), p);
                }
            });
            while (c.header().send_lock.sleepers.load() == 0) { // it sleeps on the lock
                std::this_thread::yield();
            }
            CHECK_FALSE(done.load());
            stage.store(2);
            receiver.join();
            blocked.join();
            CHECK(blocked_status == (dies ? ch::Status::peer_dead : ch::Status::broken_pipe));
            ch::drop<P>(c.ring(), held);
            ch::detach_sender<P>(c.header(), slot);
        }
    }
}
