// SPDX-License-Identifier: MIT
// sharemap: the state machine of a channel (Sender / Receiver): a bounded ring of variable-size records in shared
// memory, one receiver, one sender or several serialised by a mutex. Written against the platform interface of
// detail/section_lock.hpp, plus four process-level calls (P::process_self, P::process_start, P::process_watch,
// P::process_alive), so that the same code runs between Windows processes and between Linux threads under
// ThreadSanitizer and AddressSanitizer (tests/native/channel_test.cpp). Standard C++ only: no Win32 here.
//
// Design choices:
// - Two 64-bit byte counters that only grow: `tail` (written by the sender that holds the channel) and `head`
//   (written by the receiver), each on its own cache line; a record lies at counter % capacity. Full is
//   tail - head == capacity, empty is tail == read; no wrap-around ambiguity, no count to keep in step.
// - A record is an 8-byte header (payload size, flags) and the payload padded to 8. The ring is mapped twice back
//   to back where the platform allows it (a record may cross the end and is still contiguous); otherwise the
//   sender ends the lap with a padding record and starts the message at offset 0 (the wrap-marker mode, recorded
//   in the header by the creator so that every process writes and reads the same way).
// - The receiver keeps its read position `read` in the header (it alone writes it) apart from `head`: a received
//   message keeps its bytes until it is released. Messages may be released in any order: a release marks the
//   record, and head moves over every marked record from the oldest one, so space is given back in ring order.
// - No kernel call per message while both sides keep up: a side sleeps only when the ring is empty (receiver) or
//   full (sender), through section_lock::wait_ready, and the other side's notify() makes a kernel call only when a
//   sleeper announced itself (Dekker on the counter and the sleepers count, both seq_cst).
// - A wake object releases one sleeper per wake, so each kind of waiter sleeps on a state of its own: the receiver
//   on not_empty, the sender that reserves (at most one: it holds the send lock) on not_full, and callers of
//   Sender::wait_drained_for on drained. A drained waiter woken by the receiver passes the wake on to the next one
//   (several may wait at once), and a sender waiting for space never loses its wake to one of them.
// - A sender waiting for the send lock (behind another sender, which may hold a reservation for long) looks at the
//   receiver between slices of at most max_sleep_ms, so that a receiver that closes or dies ends that wait too.
// - Each end is recorded as a process id and creation stamp. A side that would sleep checks the other side's
//   liveness at least every max_sleep_ms (and wakes at once where the platform can wait on the process), so a dead
//   peer is an answer, never a hang. Closing an end clears its record; a dead end keeps it until taken over.
// - The peer a side sleeps on is kept by its end across waits (PeerWatch), keyed by the record it was read from:
//   while the record is unchanged, a sleep costs only the wait itself, not an open, a query and a close of the
//   peer's process each time. The watch is dropped when the peer's end is seen ending (the sleep says so) and
//   looked up afresh when the record changes.
#ifndef SHAREMAP_DETAIL_CHANNEL_HPP_INCLUDED
#define SHAREMAP_DETAIL_CHANNEL_HPP_INCLUDED

#include "sharemap/detail/section_lock.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace sharemap::detail::channel {

/// "SHMAPCHN" read as a little-endian 64-bit word: the first bytes of every channel section once made.
inline constexpr std::uint64_t magic = 0x4E4843504D414853ull;

/// The layout version of Header and of the records. 2: the drained event (a process of version 1 would neither
/// sleep on it nor wake it).
inline constexpr std::uint32_t layout_version = 2;

/// Where the ring starts in the section: the allocation granularity, so that it is a legal view offset.
inline constexpr std::uint64_t ring_offset = 65536;

/// The ring's capacity is a multiple of this (the allocation granularity: a double mapping needs it).
inline constexpr std::uint64_t capacity_unit = 65536;

/// The largest ring: record sizes are 32-bit.
inline constexpr std::uint64_t max_capacity = std::uint64_t{1} << 32;

/// How many senders a multiple-sender channel records at once.
inline constexpr std::uint32_t max_senders = 16;

/// The size of a record's header.
inline constexpr std::uint64_t record_header = 8;

/// Header::flags.
inline constexpr std::uint32_t flag_multiple_senders = 1; ///< up to max_senders senders attach at once
inline constexpr std::uint32_t flag_wrap_markers = 2;     ///< single mapping: records never cross the ring's end

/// Record flags.
inline constexpr std::uint32_t record_padding = 1;  ///< no message: skip to the ring's start
inline constexpr std::uint32_t record_released = 2; ///< the receiver released it (set by the receiver only)

/// One end: a process, while attached. All zero: nobody.
struct alignas(8) EndRecord {
    std::atomic<std::uint64_t> id;    ///< 0: free; else the owner's P::process_self()
    std::atomic<std::uint64_t> start; ///< the owner's P::process_start(); 0: unknown
};

/// The header, exactly as it lies at offset 0 of the section; the ring starts at ring_offset.
struct alignas(64) Header {
    // Line 0: written once by the creator (magic last), then read only, but for the *_seen flags.
    std::atomic<std::uint64_t> magic;         ///< channel::magic once made
    std::atomic<std::uint32_t> version;       ///< layout_version
    std::atomic<std::uint32_t> flags;         ///< flag_multiple_senders | flag_wrap_markers
    std::atomic<std::uint64_t> capacity;      ///< ring bytes, a multiple of capacity_unit
    std::atomic<std::uint64_t> ring;          ///< the ring's offset in the section: ring_offset
    std::atomic<std::uint32_t> sender_slots;  ///< 1, or max_senders with flag_multiple_senders
    std::atomic<std::uint32_t> senders_seen;  ///< 1 once a sender attached
    std::atomic<std::uint32_t> receiver_seen; ///< 1 once a receiver attached
    std::atomic<std::uint32_t> senders;       ///< senders attached (closing decrements, dying does not)
    unsigned char reserved0[16];
    // Line 1: the sending side's.
    std::atomic<std::uint64_t> tail;    ///< bytes ever committed
    section_lock::EventState not_empty; ///< the receiver sleeps here when the ring is empty
    unsigned char reserved1[40];
    // Line 2: the receiving side's.
    std::atomic<std::uint64_t> head;   ///< bytes ever given back
    std::atomic<std::uint64_t> read;   ///< bytes ever received (head <= read <= tail)
    section_lock::EventState not_full; ///< the sender that reserves sleeps here when the ring is full
    section_lock::EventState drained;  ///< Sender::wait_drained_for sleeps here
    unsigned char reserved2[16];
    // Line 3: the senders' mutex, held from reserve to commit (with one sender too).
    section_lock::MutexState send_lock;
    unsigned char reserved3[32];
    // Lines 4 to 5: the ends.
    EndRecord receiver;
    unsigned char reserved4[48];
    EndRecord senders_at[max_senders];
};

static_assert(std::is_standard_layout_v<Header>);
static_assert(sizeof(Header) == 576 && alignof(Header) == 64);
static_assert(offsetof(Header, magic) == 0 && offsetof(Header, version) == 8 && offsetof(Header, flags) == 12 &&
              offsetof(Header, capacity) == 16 && offsetof(Header, ring) == 24 &&
              offsetof(Header, sender_slots) == 32 && offsetof(Header, senders_seen) == 36 &&
              offsetof(Header, receiver_seen) == 40 && offsetof(Header, senders) == 44 &&
              offsetof(Header, tail) == 64 && offsetof(Header, not_empty) == 72 && offsetof(Header, head) == 128 &&
              offsetof(Header, read) == 136 && offsetof(Header, not_full) == 144 && offsetof(Header, drained) == 160 &&
              offsetof(Header, send_lock) == 192 && offsetof(Header, receiver) == 256 &&
              offsetof(Header, senders_at) == 320);

/// A record's size in the ring: header plus payload padded to 8.
constexpr std::uint64_t record_size(std::uint64_t payload) noexcept { return record_header + (payload + 7) / 8 * 8; }

/// The largest payload a ring of `capacity` bytes can ever hold (in both modes: a padding record is sent on its
/// own before a message that would cross the end, so the whole ring is then free for the message).
constexpr std::uint64_t max_payload(std::uint64_t capacity) noexcept {
    const std::uint64_t whole = capacity - record_header;
    return whole < 0xFFFFFFFFu ? whole : 0xFFFFFFFFu; // no <algorithm>: a <windows.h> before us may define min
}

/// True if a process whose std::size_t has `size_max` as its largest value can map a ring of `capacity` bytes: twice
/// the capacity (the double mapping) must be a size, and every offset into it too. Above SIZE_MAX / 2, that is in a
/// 32-bit process above 2 GiB - 64 KiB, the sizes given to the mapping calls would wrap.
constexpr bool mappable(std::uint64_t capacity,
                        std::uint64_t size_max = (std::numeric_limits<std::size_t>::max)()) noexcept {
    return capacity <= size_max / 2;
}

/// The capacity a request for `wanted` bytes gets: rounded up to capacity_unit, at least one unit; 0 if too large
/// (above max_capacity, or not mappable() in a process whose largest std::size_t is `size_max`).
constexpr std::uint64_t round_capacity(std::uint64_t wanted,
                                       std::uint64_t size_max = (std::numeric_limits<std::size_t>::max)()) noexcept {
    if (wanted > max_capacity) {
        return 0;
    }
    const std::uint64_t c = (wanted + capacity_unit - 1) / capacity_unit * capacity_unit;
    if (!mappable(c, size_max)) {
        return 0;
    }
    return c == 0 ? capacity_unit : c;
}

/// Writes a new header into the zero bytes of a section just made, publishing it with the release store of magic.
inline void initialise(Header& h, std::uint64_t capacity, bool multiple_senders, bool wrap_markers) noexcept {
    h.version.store(layout_version, std::memory_order_relaxed);
    h.flags.store((multiple_senders ? flag_multiple_senders : 0u) | (wrap_markers ? flag_wrap_markers : 0u),
                  std::memory_order_relaxed);
    h.capacity.store(capacity, std::memory_order_relaxed);
    h.ring.store(ring_offset, std::memory_order_relaxed);
    h.sender_slots.store(multiple_senders ? max_senders : 1u, std::memory_order_relaxed);
    h.not_empty.flags.store(section_lock::event_automatic_flag, std::memory_order_relaxed);
    h.not_full.flags.store(section_lock::event_automatic_flag, std::memory_order_relaxed);
    h.drained.flags.store(section_lock::event_automatic_flag, std::memory_order_relaxed);
    h.magic.store(magic, std::memory_order_release);
}

/// True if a published header is one this code reads and its fields agree with a section of `section_size` bytes.
inline bool valid(const Header& h, std::uint64_t section_size) noexcept {
    // The magic first, with acquire: the creator's release store of it publishes the other fields, which are read
    // only after it (read before it, they could be the zero bytes of a header still being written).
    if (h.magic.load(std::memory_order_acquire) != magic) {
        return false;
    }
    const std::uint64_t capacity = h.capacity.load(std::memory_order_relaxed);
    const std::uint32_t flags = h.flags.load(std::memory_order_relaxed);
    const std::uint32_t slots = h.sender_slots.load(std::memory_order_relaxed);
    return h.version.load(std::memory_order_relaxed) == layout_version &&
           (flags & ~(flag_multiple_senders | flag_wrap_markers)) == 0 &&
           slots == ((flags & flag_multiple_senders) != 0 ? max_senders : 1u) &&
           h.ring.load(std::memory_order_relaxed) == ring_offset && capacity != 0 && capacity % capacity_unit == 0 &&
           capacity <= max_capacity && section_size >= ring_offset && capacity <= section_size - ring_offset;
}

/// What an operation ended with.
enum class Status {
    ok,
    timed_out,      ///< nothing now / the deadline passed
    ended,          ///< (receiver) every sender closed and everything committed was received
    peer_dead,      ///< the other side died (for the receiver: every sender still recorded is dead)
    broken_pipe,    ///< (sender) the receiver closed its end
    end_in_use,     ///< attaching: that end is held by a live process
    would_deadlock, ///< (sender) this thread already holds a reservation of this channel
};

/// A process's view of the ring: the header and the ring's first byte (followed by a second mapping of the ring
/// when the mode is contiguous).
struct Ring {
    Header* header = nullptr;
    std::byte* bytes = nullptr;
    std::uint64_t capacity = 0;
    bool wrap = false;     ///< wrap-marker mode
    bool multiple = false; ///< multiple senders

    std::byte* at(std::uint64_t counter) const noexcept { return bytes + counter % capacity; }

    void read_record(std::uint64_t counter, std::uint32_t& size, std::uint32_t& flags) const noexcept {
        unsigned char raw[record_header];
        std::memcpy(raw, at(counter), record_header);
        std::memcpy(&size, raw, 4);
        std::memcpy(&flags, raw + 4, 4);
    }
    void write_record(std::uint64_t counter, std::uint32_t size, std::uint32_t flags) const noexcept {
        unsigned char raw[record_header];
        std::memcpy(raw, &size, 4);
        std::memcpy(raw + 4, &flags, 4);
        std::memcpy(at(counter), raw, record_header);
    }
};

/// A ring over `h` once it is valid().
inline Ring ring_of(Header& h, std::byte* bytes) noexcept {
    const std::uint32_t flags = h.flags.load(std::memory_order_relaxed);
    return {&h, bytes, h.capacity.load(std::memory_order_relaxed), (flags & flag_wrap_markers) != 0,
            (flags & flag_multiple_senders) != 0};
}

// ---------------------------------------------------------------------------------------------------------------
// Ends

/// Takes `e` for the calling process: a free record, or one whose owner is dead. \returns ok, or end_in_use if a
/// live process holds it. `fresh` tells whether the record was free (not taken over).
template <class P>
Status attach(EndRecord& e, bool& fresh) noexcept {
    const std::uint64_t self = P::process_self();
    for (;;) {
        std::uint64_t owner = e.id.load(std::memory_order_acquire);
        if (owner == 0) {
            if (e.id.compare_exchange_strong(owner, self, std::memory_order_acq_rel, std::memory_order_acquire)) {
                e.start.store(P::process_start(), std::memory_order_release);
                fresh = true;
                return Status::ok;
            }
            continue;
        }
        std::uint64_t start = 0;
        if (!section_lock::stamp_of(e.id, e.start, owner, start)) {
            continue;
        }
        if (P::process_alive(owner, start)) {
            return Status::end_in_use;
        }
        // Dead: take it over (the stamp claimed first, then the id; else the record changed hands: look again).
        if (section_lock::claim_from_dead(e.id, e.start, owner, start, self)) {
            e.start.store(P::process_start(), std::memory_order_release);
            fresh = false;
            return Status::ok;
        }
    }
}

/// Clears an end the calling process holds.
inline void detach(EndRecord& e) noexcept {
    e.start.store(0, std::memory_order_relaxed);
    e.id.store(0, std::memory_order_seq_cst);
}

/// Attaches the calling process as a sender. \returns the slot in `slot`.
template <class P>
Status attach_sender(Header& h, std::uint32_t& slot) noexcept {
    const std::uint32_t slots = h.sender_slots.load(std::memory_order_relaxed);
    // A dead sender's record first, so that a new sender ends the receiver's peer_dead state (its close then
    // ends the stream); then a free one. A live sender's record is never taken.
    for (int pass = 0; pass < 2; ++pass) {
        for (std::uint32_t i = 0; i < slots; ++i) {
            EndRecord& e = h.senders_at[i];
            if ((e.id.load(std::memory_order_acquire) == 0) != (pass == 1)) {
                continue;
            }
            bool fresh = false;
            if (attach<P>(e, fresh) == Status::ok) {
                if (fresh) {
                    h.senders.fetch_add(1, std::memory_order_seq_cst);
                }
                h.senders_seen.store(1, std::memory_order_seq_cst);
                slot = i;
                return Status::ok;
            }
        }
    }
    return Status::end_in_use;
}

/// Departs as a sender: the receiver gets what was committed, then end of stream once no sender is left.
template <class P>
void detach_sender(Header& h, std::uint32_t slot) noexcept {
    detach(h.senders_at[slot]);
    h.senders.fetch_sub(1, std::memory_order_seq_cst);
    section_lock::notify<P>(h.not_empty);
}

/// Attaches the calling process as the receiver; it starts at the first message not given back (messages a dead
/// receiver had received but not released are delivered again).
template <class P>
Status attach_receiver(Header& h) noexcept {
    bool fresh = false;
    const Status s = attach<P>(h.receiver, fresh);
    if (s == Status::ok) {
        if (!fresh) {
            // Only the receiver sleeps on not_empty, and the one taken over from is dead: a count it left (killed
            // asleep) would make every later commit call the kernel to wake nobody.
            h.not_empty.sleepers.store(0, std::memory_order_seq_cst);
        }
        h.read.store(h.head.load(std::memory_order_acquire), std::memory_order_relaxed);
        h.receiver_seen.store(1, std::memory_order_seq_cst);
    }
    return s;
}

/// Departs as the receiver: a sender then gets broken_pipe.
template <class P>
void detach_receiver(Header& h) noexcept {
    detach(h.receiver);
    section_lock::notify<P>(h.not_full);
    section_lock::notify<P>(h.drained);
}

// ---------------------------------------------------------------------------------------------------------------
// Sending

/// A reservation: the counter its record starts at; the send lock is held while it is active.
struct Pending {
    std::uint64_t at = 0; ///< the counter of the record's header
    bool active = false;
};

/// The receiver's state as the sender sees it, without a kernel call: broken_pipe if it closed; ok otherwise.
inline Status receiver_closed(const Header& h) noexcept {
    return h.receiver.id.load(std::memory_order_seq_cst) == 0 && h.receiver_seen.load(std::memory_order_seq_cst) != 0
               ? Status::broken_pipe
               : Status::ok;
}

/// The peer process a side sleeps on, kept by its end across waits, with the record it was read from (the slot, for
/// a sender of a multiple-sender channel, and the record's id and start). While the record is unchanged the watch
/// is the same process: on Windows the handle it holds keeps the process id from being reused, and the process's
/// end signals the handle, which ends a sleep on it at once (section_lock::Woke::owner_ended); the watch is then
/// dropped and the record looked at afresh. A peer that could not be opened but may live (no watch) is not kept:
/// it is looked at again before every sleep, as the polling it needs.
template <class P>
struct PeerWatch {
    std::uint32_t slot = 0;
    std::uint64_t id = 0;
    std::uint64_t start = 0;
    typename P::Watch watch; ///< empty: nothing kept

    /// True if a watch is kept for the record `slot` holding `id`, `start`.
    bool holds(std::uint32_t s, std::uint64_t i, std::uint64_t t) const noexcept {
        return static_cast<bool>(watch) && slot == s && id == i && start == t;
    }
    /// Looks up the process of the record (`s`, `i`, `t`) afresh (a kernel call) and keeps it if it can be watched.
    /// \returns false if it is certainly dead.
    bool renew(std::uint32_t s, std::uint64_t i, std::uint64_t t) noexcept {
        reset();
        typename P::Watch w;
        if (!P::process_watch(i, t, w)) {
            return false;
        }
        if (w) {
            slot = s;
            id = i;
            start = t;
            watch = static_cast<typename P::Watch&&>(w);
        }
        return true;
    }
    /// Drops the watch (closing its handle).
    void reset() noexcept {
        watch = typename P::Watch();
        slot = 0;
        id = 0;
        start = 0;
    }
    /// The watch to sleep on, or nullptr.
    const typename P::Watch* get() const noexcept { return watch ? &watch : nullptr; }
};

/// The receiver's liveness: ok (alive, or none yet: the messages wait for one), peer_dead, broken_pipe. A kernel
/// call only when `peer` does not already watch the receiver's current record; prepares `peer` to sleep on it.
template <class P>
Status receiver_state(const Header& h, PeerWatch<P>& peer) noexcept {
    const std::uint64_t id = h.receiver.id.load(std::memory_order_acquire);
    if (id == 0) {
        peer.reset();
        return receiver_closed(h);
    }
    const std::uint64_t start = h.receiver.start.load(std::memory_order_acquire);
    if (peer.holds(0, id, start)) {
        return Status::ok;
    }
    return peer.renew(0, id, start) ? Status::ok : Status::peer_dead;
}

/// Spins a while until `ready()`: the other side is usually a few instructions away, and looking at its liveness
/// (a kernel call) or sleeping would cost far more than the wait.
template <class P, class Ready>
bool spin(Ready&& ready) noexcept {
    for (int i = 0; i < section_lock::event_spin_count; ++i) {
        if (ready()) {
            return true;
        }
        P::relax();
    }
    return ready();
}

/// Waits until `need` bytes are free at the tail, or the receiver is gone, or `deadline`. `peer`: the receiver's
/// watch, kept by the caller across waits. Only the holder of the send lock waits here (it sleeps on not_full).
template <class P>
Status wait_space(const Ring& r, std::uint64_t tail, std::uint64_t need, std::chrono::steady_clock::time_point deadline,
                  PeerWatch<P>& peer) noexcept {
    Header& h = *r.header;
    auto has_space = [&] { return r.capacity - (tail - h.head.load(std::memory_order_seq_cst)) >= need; };
    if (has_space()) {
        return Status::ok;
    }
    if (deadline <= std::chrono::steady_clock::now()) { // one look: no liveness check, no kernel call
        return receiver_closed(h) != Status::ok ? Status::broken_pipe : Status::timed_out;
    }
    if (spin<P>([&] { return has_space() || receiver_closed(h) != Status::ok; }) && has_space()) {
        return Status::ok;
    }
    for (;;) {
        const Status s = receiver_state<P>(h, peer);
        if (s != Status::ok) {
            return s;
        }
        // One slice at most max_sleep_ms long, so that the receiver's liveness is looked at again after it.
        const auto now = std::chrono::steady_clock::now();
        const auto slice_end = now + std::chrono::milliseconds(section_lock::max_sleep_ms);
        const bool last = deadline <= slice_end;
        const section_lock::Woke woke = section_lock::wait_ready<P>(
            h.not_full, last ? deadline : slice_end, peer.get(),
            [&] { return has_space() || receiver_closed(h) != Status::ok; });
        if (has_space()) {
            return Status::ok;
        }
        if (woke == section_lock::Woke::owner_ended) {
            peer.reset(); // that process ended: receiver_state looks at the record afresh
            continue;
        }
        if (woke == section_lock::Woke::woken) {
            continue; // the receiver closed: receiver_state says so
        }
        if (last && woke == section_lock::Woke::timed_out) {
            return Status::timed_out;
        }
    }
}

/// Waits until the receiver has given back every byte up to `target` (the tail when the wait began), or the receiver
/// is gone (broken_pipe if it closed before that, peer_dead if it died), or `deadline`. Any thread of any sender may
/// wait so, without the send lock, and several at once, each for its own target: they sleep on `drained` (never on
/// not_full, whose one wake is the reserving sender's), and the receiver's wake releases one of them. A woken
/// waiter that finds head moved since it went to sleep passes the wake on, so that every sleeper of the moment
/// looks at head; each passes it on at most once for each head it sees, so the passing ends.
template <class P>
Status wait_drained(const Ring& r, std::uint64_t target, std::chrono::steady_clock::time_point deadline) noexcept {
    Header& h = *r.header;
    section_lock::EventState& e = h.drained;
    // head has reached target: the counters only grow, so head - target is "negative" (above 2^63) until then.
    auto drained = [&] { return h.head.load(std::memory_order_seq_cst) - target < (std::uint64_t{1} << 63); };
    auto ready = [&] { return drained() || receiver_closed(h) != Status::ok; };
    if (drained()) {
        return Status::ok;
    }
    if (deadline <= std::chrono::steady_clock::now()) { // one look: no liveness check, no kernel call
        return receiver_closed(h) != Status::ok ? Status::broken_pipe : Status::timed_out;
    }
    if (spin<P>(ready) && drained()) {
        return Status::ok;
    }
    const bool forever = deadline == (std::chrono::steady_clock::time_point::max)();
    PeerWatch<P> peer; // this wait's own: the end's watch is used only under the send lock
    for (;;) {
        const Status s = receiver_state<P>(h, peer);
        if (s != Status::ok) {
            return drained() ? Status::ok : s; // it may have given everything back just before it went
        }
        const std::uint32_t ms = forever ? section_lock::max_sleep_ms : section_lock::sleep_ms(deadline);
        if (ms == 0) {
            return drained() ? Status::ok : Status::timed_out;
        }
        const std::uint32_t key = section_lock::ensure_key<P>(e.wake_key, &e);
        const std::uint64_t seen = h.head.load(std::memory_order_seq_cst);
        e.sleepers.fetch_add(1, std::memory_order_seq_cst);
        // Announced, look once more (Dekker with advance_head and detach_receiver: they store, then read sleepers).
        bool woken = false;
        section_lock::Woke woke = section_lock::Woke::woken;
        if (!ready()) {
            woke = P::sleep(key, peer.get(), ms);
            woken = woke == section_lock::Woke::woken;
        }
        const std::uint32_t left = e.sleepers.fetch_sub(1, std::memory_order_seq_cst) - 1;
        if (woken && left != 0 && h.head.load(std::memory_order_seq_cst) != seen) {
            P::wake(key); // the wake object released only this sleeper: pass it on to the next
        }
        if (drained()) {
            return Status::ok;
        }
        if (woke == section_lock::Woke::owner_ended) {
            peer.reset(); // that process ended: receiver_state looks at the record afresh
        }
    }
}

/// Takes the send lock, waiting until `deadline`, while the receiver lives: the wait behind another sender (which
/// may hold a reservation for as long as it likes) is cut into slices of at most max_sleep_ms, and after each the
/// receiver is looked at, so that a receiver that closes or dies ends this wait as it ends a wait for space (the
/// first look comes after the first slice: a lock held briefly costs no kernel call for the receiver).
template <class P>
Status take_send_lock(Header& h, std::chrono::steady_clock::time_point deadline) noexcept {
    PeerWatch<P> peer; // this wait's own: the end's watch belongs to the lock's holder
    for (;;) {
        const auto now = std::chrono::steady_clock::now();
        const auto slice_end = now + std::chrono::milliseconds(section_lock::max_sleep_ms);
        const bool last = deadline <= slice_end;
        switch (section_lock::lock<P>(h.send_lock, last ? deadline : slice_end)) {
        case section_lock::Acquired::acquired:
            return Status::ok;
        case section_lock::Acquired::abandoned:
            // A sender died holding it: its message was never committed (tail did not move), so nothing is
            // half-sent. The channel goes on. Only the lock's holder sleeps on not_full: a count the dead one left
            // (killed while it waited for space) would make every later release call the kernel to wake nobody.
            h.send_lock.abandoned.store(0, std::memory_order_relaxed);
            h.not_full.sleepers.store(0, std::memory_order_seq_cst);
            return Status::ok;
        case section_lock::Acquired::would_deadlock:
            return Status::would_deadlock;
        case section_lock::Acquired::timed_out:
        default:
            break;
        }
        if (last) { // at the deadline: as a wait for space there, a closed receiver is said, a dead one not looked for
            return receiver_closed(h) != Status::ok ? Status::broken_pipe : Status::timed_out;
        }
        const Status s = receiver_state<P>(h, peer);
        if (s != Status::ok) {
            return s;
        }
    }
}

/// Reserves a record for `size` bytes (size <= max_payload). \returns ok with the payload at
/// r.at(p.at + record_header) and the send lock held (by the calling thread); else what stopped it. `peer`: the
/// receiver's watch, kept by the caller across waits and used only while the send lock is held.
template <class P>
Status reserve(const Ring& r, std::uint64_t size, std::chrono::steady_clock::time_point deadline, Pending& p,
               PeerWatch<P>& peer) noexcept {
    Header& h = *r.header;
    if (receiver_closed(h) != Status::ok) {
        return Status::broken_pipe;
    }
    // The send lock is taken with one sender too: it is one uncontended CAS, and it makes a second reservation
    // of the same thread an error and one of another thread a wait, instead of two messages in one place.
    Status s = take_send_lock<P>(h, deadline);
    if (s != Status::ok) {
        return s;
    }
    std::uint64_t tail = h.tail.load(std::memory_order_relaxed); // only the holder writes it
    const std::uint64_t need = record_size(size);
    const std::uint64_t to_end = r.capacity - tail % r.capacity;
    if (r.wrap && to_end < need) {
        // Single mapping: end the lap with a padding record, sent on its own, and start at the ring's start.
        s = wait_space<P>(r, tail, to_end, deadline, peer);
        if (s == Status::ok) {
            r.write_record(tail, static_cast<std::uint32_t>(to_end - record_header), record_padding);
            tail += to_end;
            h.tail.store(tail, std::memory_order_seq_cst);
            section_lock::notify<P>(h.not_empty);
        }
    }
    if (s == Status::ok) {
        s = wait_space<P>(r, tail, need, deadline, peer);
    }
    if (s != Status::ok) {
        (void)section_lock::unlock<P>(h.send_lock);
        return s;
    }
    p.at = tail;
    p.active = true;
    return Status::ok;
}

/// reserve with a watch for this reservation only.
template <class P>
Status reserve(const Ring& r, std::uint64_t size, std::chrono::steady_clock::time_point deadline, Pending& p) noexcept {
    PeerWatch<P> peer;
    return reserve<P>(r, size, deadline, p, peer);
}

/// Commits a reservation as a message of `size` bytes (at most what was reserved) and lets the next sender go.
template <class P>
void commit(const Ring& r, Pending& p, std::uint64_t size) noexcept {
    Header& h = *r.header;
    r.write_record(p.at, static_cast<std::uint32_t>(size), 0);
    h.tail.store(p.at + record_size(size), std::memory_order_seq_cst); // publishes the payload
    p.active = false;
    (void)section_lock::unlock<P>(h.send_lock);
    section_lock::notify<P>(h.not_empty);
}

/// Drops a reservation: nothing is sent; the next sender may go.
template <class P>
void drop(const Ring& r, Pending& p) noexcept {
    p.active = false;
    (void)section_lock::unlock<P>(r.header->send_lock);
}

// ---------------------------------------------------------------------------------------------------------------
// Receiving

/// One received record: the counter of its header and its payload size.
struct Received {
    std::uint64_t at = 0;
    std::uint32_t size = 0;
};

/// Gives back every released record from head on, in ring order; wakes a sender waiting for space and one waiting
/// for the ring to drain.
template <class P>
void advance_head(const Ring& r) noexcept {
    Header& h = *r.header;
    const std::uint64_t old_head = h.head.load(std::memory_order_relaxed); // only the receiver writes it
    const std::uint64_t read = h.read.load(std::memory_order_relaxed);
    std::uint64_t head = old_head;
    while (head != read) {
        std::uint32_t size = 0;
        std::uint32_t flags = 0;
        r.read_record(head, size, flags);
        if ((flags & record_released) == 0) {
            break;
        }
        head += record_size(size);
    }
    if (head != old_head) {
        h.head.store(head, std::memory_order_seq_cst);
        section_lock::notify<P>(h.not_full);
        section_lock::notify<P>(h.drained);
    }
}

/// Releases the received record at `at`: its space is given back once every older one is released too.
template <class P>
void release(const Ring& r, std::uint64_t at) noexcept {
    std::uint32_t size = 0;
    std::uint32_t flags = 0;
    r.read_record(at, size, flags);
    r.write_record(at, size, flags | record_released);
    advance_head<P>(r);
}

/// The next message, if one is committed (padding skipped): one look, no kernel call. `consume`: move the read
/// position past it (else it is only looked at).
template <class P>
bool take(const Ring& r, Received& out, bool consume) noexcept {
    Header& h = *r.header;
    for (;;) {
        const std::uint64_t read = h.read.load(std::memory_order_relaxed);
        if (h.tail.load(std::memory_order_acquire) == read) {
            return false;
        }
        std::uint32_t size = 0;
        std::uint32_t flags = 0;
        r.read_record(read, size, flags);
        if ((flags & record_padding) != 0) {
            r.write_record(read, size, flags | record_released);
            h.read.store(read + record_size(size), std::memory_order_relaxed);
            advance_head<P>(r);
            continue;
        }
        if (consume) {
            // A receiver that took over from a dead one may find the flag its predecessor left: clear it.
            r.write_record(read, size, flags & ~record_released);
            h.read.store(read + record_size(size), std::memory_order_relaxed);
        }
        out = {read, size};
        return true;
    }
}

/// Consumes the record `got` that take() only looked at (it is the next one), and releases it.
template <class P>
void consume_and_release(const Ring& r, const Received& got) noexcept {
    r.header->read.store(got.at + record_size(got.size), std::memory_order_relaxed);
    release<P>(r, got.at);
}

/// The senders' state as the receiver sees it on an empty ring, without a kernel call: ended if every sender
/// closed (and one ever attached); ok otherwise.
inline Status senders_closed(const Header& h) noexcept {
    return h.senders.load(std::memory_order_seq_cst) == 0 && h.senders_seen.load(std::memory_order_seq_cst) != 0
               ? Status::ended
               : Status::ok;
}

/// The senders' liveness: ok if one lives (prepares `peer` to sleep on a live one) or none is recorded yet; ended
/// if every one closed; peer_dead if every one still recorded is dead. No kernel call while `peer` watches a
/// sender whose record is unchanged (one live sender is enough for ok); else one per recorded sender, until one
/// that can be watched is found.
template <class P>
Status senders_state(const Header& h, PeerWatch<P>& peer, bool& orphaned) noexcept {
    if (senders_closed(h) == Status::ended) {
        peer.reset();
        return Status::ended;
    }
    const std::uint32_t slots = h.sender_slots.load(std::memory_order_relaxed);
    if (peer.watch && peer.slot < slots) {
        const EndRecord& e = h.senders_at[peer.slot];
        const std::uint64_t id = e.id.load(std::memory_order_acquire);
        if (peer.holds(peer.slot, id, e.start.load(std::memory_order_acquire))) {
            return Status::ok;
        }
    }
    peer.reset();
    bool dead = false;
    bool live = false;
    for (std::uint32_t i = 0; i < slots && !peer.watch; ++i) {
        const EndRecord& e = h.senders_at[i];
        const std::uint64_t id = e.id.load(std::memory_order_acquire);
        if (id == 0) {
            continue;
        }
        PeerWatch<P> one;
        if (one.renew(i, id, e.start.load(std::memory_order_acquire))) {
            if (one.watch) {
                peer = static_cast<PeerWatch<P>&&>(one);
            }
            live = true;
        } else {
            dead = true;
        }
    }
    // No record left but a sender still counted: one that cleared its record and was killed before it counted
    // itself out (detach_sender), or one between those two steps right now. The caller judges it on a second look.
    orphaned = !dead && !live && h.senders.load(std::memory_order_seq_cst) != 0 &&
               h.senders_seen.load(std::memory_order_seq_cst) != 0;
    return dead && !live ? Status::peer_dead : Status::ok;
}

/// Waits for the next message until `deadline`: ok with `out` (consumed if `consume`), timed_out, ended or
/// peer_dead (both only once every committed message was received). `peer`: the senders' watch, kept by the
/// caller across waits.
template <class P>
Status receive(const Ring& r, std::chrono::steady_clock::time_point deadline, Received& out, bool consume,
               PeerWatch<P>& peer) noexcept {
    Header& h = *r.header;
    if (take<P>(r, out, consume)) {
        return Status::ok;
    }
    if (deadline <= std::chrono::steady_clock::now()) { // one look: no liveness check, no kernel call
        const Status s = senders_closed(h);
        return take<P>(r, out, consume) ? Status::ok : s == Status::ended ? Status::ended : Status::timed_out;
    }
    auto ready = [&] {
        return h.tail.load(std::memory_order_seq_cst) != h.read.load(std::memory_order_relaxed) ||
               senders_closed(h) != Status::ok;
    };
    if (spin<P>(ready) && take<P>(r, out, consume)) {
        return Status::ok;
    }
    bool orphaned_before = false; // the last look found a sender counted without a record
    for (;;) {
        bool orphaned = false;
        Status s = senders_state<P>(h, peer, orphaned);
        if (orphaned && orphaned_before) {
            s = Status::peer_dead; // two looks a sleep apart: not a sender between two instructions
        }
        orphaned_before = orphaned;
        if (s != Status::ok) {
            // Ended or dead: what they committed before still comes first (tail is read after their state).
            return take<P>(r, out, consume) ? Status::ok : s;
        }
        const auto now = std::chrono::steady_clock::now();
        const auto slice_end = now + std::chrono::milliseconds(section_lock::max_sleep_ms);
        const bool last = deadline <= slice_end;
        const section_lock::Woke woke = section_lock::wait_ready<P>(h.not_empty, last ? deadline : slice_end,
                                                                    peer.get(), ready);
        if (take<P>(r, out, consume)) {
            return Status::ok;
        }
        if (woke == section_lock::Woke::owner_ended) {
            peer.reset(); // that sender ended: senders_state looks at the records afresh
            continue;
        }
        if (last && woke == section_lock::Woke::timed_out) {
            return Status::timed_out;
        }
    }
}

/// receive with a watch for this wait only.
template <class P>
Status receive(const Ring& r, std::chrono::steady_clock::time_point deadline, Received& out, bool consume) noexcept {
    PeerWatch<P> peer;
    return receive<P>(r, deadline, out, consume, peer);
}

} // namespace sharemap::detail::channel

#endif // SHAREMAP_DETAIL_CHANNEL_HPP_INCLUDED
