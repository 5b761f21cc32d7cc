// SPDX-License-Identifier: MIT
// sharemap: the header that SharedObject<T> puts before its object, and the protocol that decides who constructs
// the object and when the others may use it. Written against the platform interface of detail/section_lock.hpp
// (P::self, P::self_start, P::watch, P::alive, and the SectionEvent state machine for the ready wait), so that the
// same code runs between Windows processes and between Linux threads under ThreadSanitizer and AddressSanitizer
// (tests/native/shared_object_test.cpp). Standard C++ only: no Win32 here.
#ifndef SHAREMAP_DETAIL_SHARED_OBJECT_HPP_INCLUDED
#define SHAREMAP_DETAIL_SHARED_OBJECT_HPP_INCLUDED

#include "sharemap/detail/section_lock.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace sharemap::detail::shared_object {

/// "SHMAPOBJ" read as a little-endian 64-bit word: the first bytes of every SharedObject section once claimed.
inline constexpr std::uint64_t magic = 0x4A424F50414D4853ull;

/// The layout version of ObjectHeader itself. 2: the roster of waiters (waiters, roster) and a 256-byte header.
/// 3: each waiter listed with its creation stamp (Waiter: its thread's creation time), and a 384-byte header.
inline constexpr std::uint32_t header_version = 3;

/// The values of ObjectHeader::state.
enum State : std::uint32_t {
    unclaimed = 0,    ///< nobody has claimed the object (or a claimant's init threw and it gave the claim back)
    initialising = 1, ///< `owner` is constructing the object
    ready = 2,        ///< the object is constructed; final
};

/// How many threads can be listed at once as waiting on an unclaimed object (ObjectHeader::waiters).
inline constexpr std::size_t roster_size = 16;

/// One entry of ObjectHeader::waiters: a thread that waits on the unclaimed object without the right to claim it.
/// The stamp is what tells the waiter from a thread given the same ids after it: a waiter killed while listed
/// leaves its entry behind, and once its process and thread ids serve a live thread of a later process, the id
/// alone would count that thread as a waiter that holds the section (roster_verdict).
struct Waiter {
    std::atomic<std::uint64_t> id;    ///< 0: a free entry; else the waiter's P::self()
    std::atomic<std::uint64_t> start; ///< the waiter's P::self_start(); 0: unknown (being taken or freed)
};

/// The header, exactly as it lies at offset 0 of the section. All zero bytes: unclaimed, never claimed. Every field
/// is atomic so that a reader never races a writer, even one that died half-way; the object's own bytes are plain
/// memory, published by the release store of `state` = ready.
struct alignas(64) ObjectHeader {
    std::atomic<std::uint64_t> magic;       ///< shared_object::magic once claimed
    std::atomic<std::uint32_t> version;     ///< header_version once claimed
    std::atomic<std::uint32_t> state;       ///< a State
    std::atomic<std::uint64_t> owner;       ///< 0: unclaimed; else the initialiser's P::self()
    std::atomic<std::uint64_t> owner_start; ///< the initialiser thread's P::self_start(); 0: unknown
    std::atomic<std::uint64_t> size;        ///< sizeof the object's type (of one element for an array)
    std::atomic<std::uint64_t> count;       ///< number of elements: 1 for a single object
    std::atomic<std::uint64_t> tag;         ///< the user's tag / version of the type
    std::atomic<std::uint32_t> align;       ///< alignof the object's type
    std::atomic<std::uint32_t> generation;  ///< how many times init started: 1, plus one per recovery; 0: never
    section_lock::EventState ready_event;   ///< manual reset, set once the state is ready
    std::atomic<std::uint32_t> roster;      ///< changes (+1) whenever an entry of `waiters` does
    unsigned char reserved[44];             ///< zero
    /// The threads that wait on the unclaimed object without the right to claim it. Each holds a handle to the
    /// section while it is listed, so that "every holder is listed" means that nobody who could still claim the
    /// object holds it (roster_verdict).
    Waiter waiters[roster_size];
};

static_assert(std::is_standard_layout_v<Waiter> && sizeof(Waiter) == 16 && offsetof(Waiter, start) == 8);
static_assert(std::is_standard_layout_v<ObjectHeader>);
static_assert(sizeof(ObjectHeader) == 384 && alignof(ObjectHeader) == 64);
static_assert(offsetof(ObjectHeader, magic) == 0 && offsetof(ObjectHeader, version) == 8 &&
              offsetof(ObjectHeader, state) == 12 && offsetof(ObjectHeader, owner) == 16 &&
              offsetof(ObjectHeader, owner_start) == 24 && offsetof(ObjectHeader, size) == 32 &&
              offsetof(ObjectHeader, count) == 40 && offsetof(ObjectHeader, tag) == 48 &&
              offsetof(ObjectHeader, align) == 56 && offsetof(ObjectHeader, generation) == 60 &&
              offsetof(ObjectHeader, ready_event) == 64 && offsetof(ObjectHeader, roster) == 80 &&
              offsetof(ObjectHeader, waiters) == 128);

/// What a program expects of the object: its type's description.
struct Layout {
    std::uint64_t size;  ///< sizeof(T), of one element
    std::uint64_t align; ///< alignof(T)
    std::uint64_t tag;   ///< the user's tag
    std::uint64_t count; ///< elements; 0: any (an array opened by a process that does not choose the count)
};

/// Where the object starts: after the header, aligned for the object.
constexpr std::uint64_t object_offset(std::uint64_t align) noexcept {
    return (sizeof(ObjectHeader) + align - 1) / align * align;
}

/// What acquire() found.
enum class Found {
    ready,          ///< the object is ready: check its layout, then use it
    claimed,        ///< the caller claimed an unclaimed object: construct it (the bytes are zero), then publish()
    reclaimed,      ///< the caller took over from a dead initialiser: zero the object, construct it, then publish()
    timed_out,      ///< the deadline passed before the object was ready
    peer_dead,      ///< the initialiser ended before the object was ready, or the creator before it claimed the object
                    ///< (and the caller chose to be told, or may not initialise)
    would_deadlock, ///< the calling thread is the initialiser (init opened its own object)
    bad_header,     ///< the header is not one of ours (a state no version of this protocol writes)
};

/// How long one wait for ready lasts at most before the initialiser's liveness is checked again
/// (section_lock::max_sleep_ms, which section_lock::sleep_ms caps every sleep at).
inline constexpr auto liveness_poll = std::chrono::milliseconds(section_lock::max_sleep_ms);

/// Which claims a caller of acquire() may make.
enum class Role {
    creator, ///< made the section: claims an unclaimed object at once
    joiner,  ///< create_or_open found the section: claims an object given back at once, a never-claimed one only
             ///< when its creator is gone (roster_verdict) and the caller chose to reinitialise
    opener,  ///< open: never claims
};

/// The count of handles to the section, for roster_verdict: always 0, "cannot tell", so that a waiter on an
/// unclaimed object waits (until its deadline) rather than judge.
struct UnknownHolders {
    std::uint64_t operator()() const noexcept { return 0; }
};

/// Records the caller as the initialiser; `owner` is already the caller's.
template <class P>
void begin_init(ObjectHeader& h) noexcept {
    h.owner_start.store(P::self_start(), std::memory_order_release); // see section_lock::stamp_of
    h.magic.store(magic, std::memory_order_relaxed);
    h.version.store(header_version, std::memory_order_relaxed);
    h.generation.fetch_add(1, std::memory_order_relaxed);
    h.state.store(initialising, std::memory_order_release);
}

/// The calling thread's entry in ObjectHeader::waiters while it waits on an unclaimed object; left on destruction.
/// An entry is taken with a CAS of its id from 0, then stamped; it is left by clearing the stamp, then the id.
template <class P>
class RosterEntry {
public:
    RosterEntry(ObjectHeader& h, std::uint64_t self) noexcept : h_(h), self_(self) {}
    RosterEntry(const RosterEntry&) = delete;
    RosterEntry& operator=(const RosterEntry&) = delete;
    ~RosterEntry() {
        if (listed()) {
            slot_->start.store(0, std::memory_order_seq_cst);
            slot_->id.store(0, std::memory_order_seq_cst);
            h_.roster.fetch_add(1, std::memory_order_seq_cst);
        }
    }

    /// Takes a free entry (freeing the entries of waiters that are gone, if none is free); false if all are taken.
    bool join() noexcept {
        for (int pass = 0; pass < 2 && slot_ == nullptr; ++pass) {
            for (Waiter& w : h_.waiters) {
                std::uint64_t id = w.id.load(std::memory_order_acquire);
                if (pass == 1 && id != 0 && free_if_dead(w, id)) {
                    id = 0;
                }
                if (id == 0 && w.id.compare_exchange_strong(id, self_, std::memory_order_seq_cst)) {
                    w.start.store(P::self_start(), std::memory_order_seq_cst);
                    h_.roster.fetch_add(1, std::memory_order_seq_cst);
                    slot_ = &w;
                    break;
                }
            }
        }
        return slot_ != nullptr;
    }

    /// True while the caller holds its entry. An entry freed under the caller is dropped, so that join() lists it
    /// again: unlisted, its handle would count against the verdict until its deadline. (Only an unstamped entry,
    /// left by a waiter killed between taking and stamping it, can be freed under a live thread: one with the same
    /// ids that took the entry between another waiter's judging it dead and freeing it.)
    bool listed() noexcept {
        if (slot_ != nullptr && slot_->id.load(std::memory_order_seq_cst) != self_) {
            slot_ = nullptr;
        }
        return slot_ != nullptr;
    }

private:
    // Frees `w`, read as held by `id`, if that waiter is certainly gone (its thread ended, or its ids now serve a
    // process created at another time): a take-over of the entry by nobody (section_lock::claim_from_dead, the
    // stamp judged cleared first, then the id), so that if the entry changed hands since it was read the new waiter
    // keeps it (at worst with its stamp cleared, which leaves its thread to be checked).
    bool free_if_dead(Waiter& w, std::uint64_t id) noexcept {
        std::uint64_t start = 0;
        if (!section_lock::stamp_of(w.id, w.start, id, start) || P::alive(id, start) ||
            !section_lock::claim_from_dead(w.id, w.start, id, start, 0)) {
            return false;
        }
        h_.roster.fetch_add(1, std::memory_order_seq_cst);
        return true;
    }

    ObjectHeader& h_;
    std::uint64_t self_;
    Waiter* slot_ = nullptr;
};

/// True if nobody but listed waiters holds the section, so that nobody who could claim the never-claimed object
/// is left: `holders()` handles to the section (0: cannot tell), and each live listed waiter holds one. A waiter
/// lists itself after it opens its handle and unlists itself before it closes it, so that with the roster
/// unchanged around the count every listed entry's handle is in the count; entries are checked for life after the
/// count, so that one that ended meanwhile is not counted against a handle already closed.
///
/// Counting a waiter that holds no handle would judge too early (a live creator that has not claimed yet, or a
/// plain holder, would be taken for gone: peer_dead, or a joiner claiming in the creator's place), so an entry
/// counts only if it is found alive: its thread lives, in a process created at the entry's stamp (which an entry
/// left by a killed waiter, its ids now serving another process's thread, fails), and the platform could look at
/// it (P::watch leaves the watch empty when it cannot tell). Counting too few makes the waiters wait: until the
/// next look, or, for an entry never counted, until their deadlines.
template <class P, class Holders>
bool roster_verdict(ObjectHeader& h, Holders& holders) noexcept {
    // A waiter that left the list meanwhile (another verdict) changes the roster: count again, a few times, rather
    // than wait for the next look.
    for (int attempt = 0; attempt < 3; ++attempt) {
        const std::uint32_t before = h.roster.load(std::memory_order_seq_cst);
        const std::uint64_t handles = holders();
        if (handles == 0) {
            return false;
        }
        std::uint64_t listed = 0;
        for (const Waiter& w : h.waiters) {
            const std::uint64_t id = w.id.load(std::memory_order_seq_cst);
            if (id != 0) {
                typename P::Watch watch;
                listed += P::watch(id, w.start.load(std::memory_order_seq_cst), watch) && watch ? 1 : 0;
            }
        }
        if (h.roster.load(std::memory_order_seq_cst) == before) {
            return handles <= listed && h.owner.load(std::memory_order_acquire) == 0 &&
                   h.state.load(std::memory_order_acquire) == unclaimed;
        }
    }
    return false;
}

/// Waits until the object is ready, or claims it, as `role` allows. `reclaim_dead`: an initialiser found dead (or
/// a creator gone before it claimed, for a joiner) is replaced by the caller; else peer_dead. The wait sleeps on
/// the header's ready event and, where the platform can, on the initialiser itself (P::watch: its thread on
/// Windows), so that its end wakes the waiter at once; it looks again at least every liveness_poll regardless. On
/// an unclaimed object that the caller may not claim yet, the caller lists itself in the roster and, each time it
/// looks, asks roster_verdict whether anyone who could claim the object is left (`holders`: the section's handle
/// count).
template <class P, class Holders = UnknownHolders>
Found acquire(ObjectHeader& h, Role role, bool reclaim_dead, std::chrono::steady_clock::time_point deadline,
              Holders holders = Holders()) noexcept {
    const std::uint64_t self = P::self();
    typename P::Watch watch;
    std::uint64_t watched = 0; // the initialiser `watch` watches; 0: none
    RosterEntry<P> entry(h, self);
    for (;;) {
        const std::uint32_t state = h.state.load(std::memory_order_acquire);
        if (state == ready) {
            return Found::ready;
        }
        if (state > ready) {
            return Found::bad_header;
        }
        std::uint64_t owner = h.owner.load(std::memory_order_acquire);
        if (owner == 0) {
            // Given back (an init threw): anyone with an init may claim it. Never claimed: its creator only, while
            // it may still; a joiner or opener waits, listed, until it has or nobody is left who could.
            const bool given_back = h.generation.load(std::memory_order_acquire) != 0;
            bool claim = role == Role::creator || (role == Role::joiner && given_back);
            if (!claim && (entry.listed() || entry.join()) && roster_verdict<P>(h, holders)) {
                if (role != Role::joiner || !reclaim_dead) {
                    return Found::peer_dead;
                }
                claim = true;
            }
            if (claim) {
                if (h.owner.compare_exchange_strong(owner, self, std::memory_order_acq_rel,
                                                    std::memory_order_acquire)) {
                    begin_init<P>(h);
                    return Found::claimed;
                }
                continue; // another claimed it first: look again
            }
        } else if (section_lock::caller_of<P>(owner, h.owner_start) != section_lock::Caller::other) {
            return Found::would_deadlock;
        } else if (owner != watched) {
            watched = 0;
            std::uint64_t start = 0;
            if (!section_lock::stamp_of(h.owner, h.owner_start, owner, start)) {
                continue;
            }
            typename P::Watch fresh; // opened while `watch` still holds the id it watched
            if (!P::watch(owner, start, fresh)) {
                if (h.state.load(std::memory_order_acquire) == ready) {
                    return Found::ready; // it finished just before it ended
                }
                if (!reclaim_dead || role == Role::opener) {
                    return Found::peer_dead;
                }
                if (section_lock::claim_from_dead(h.owner, h.owner_start, owner, start, self)) {
                    begin_init<P>(h);
                    return Found::reclaimed;
                }
                continue; // another waiter took over first: it is the initialiser now
            }
            watch = static_cast<typename P::Watch&&>(fresh);
            watched = owner;
        }
        // Alive, or not claimed yet: sleep on the ready event (and the initialiser), at most liveness_poll.
        const std::uint32_t ms = section_lock::sleep_ms(deadline);
        if (ms == 0) {
            return h.state.load(std::memory_order_acquire) == ready ? Found::ready : Found::timed_out;
        }
        section_lock::EventState& e = h.ready_event;
        const std::uint32_t key = section_lock::ensure_key<P>(e.wake_key, &e);
        e.sleepers.fetch_add(1, std::memory_order_seq_cst);
        // Announced as a sleeper, look once more: a publish before the announcement woke nobody. (publish stores
        // signaled, then reads sleepers, both seq_cst: one of the two sees the other.)
        section_lock::Woke woke = section_lock::Woke::woken;
        if (e.signaled.load(std::memory_order_seq_cst) == 0 && h.owner.load(std::memory_order_acquire) == owner) {
            woke = P::sleep(key, watched != 0 ? &watch : nullptr, ms);
        }
        const std::uint32_t left = e.sleepers.fetch_sub(1, std::memory_order_seq_cst) - 1;
        if (woke == section_lock::Woke::woken && left != 0 && e.signaled.load(std::memory_order_acquire) != 0) {
            P::wake(key); // the wake object releases one sleeper per set: pass it on to the next
        }
        if (woke == section_lock::Woke::owner_ended || woke == section_lock::Woke::timed_out) {
            watched = 0; // look at the initialiser afresh: watch() says whether it is gone
        }
    }
}

/// Publishes the constructed object: records its layout, then the release store of `ready` that makes the object's
/// bytes visible to every acquire load of the state, then wakes the waiters.
template <class P>
void publish(ObjectHeader& h, const Layout& layout) noexcept {
    h.size.store(layout.size, std::memory_order_relaxed);
    h.align.store(static_cast<std::uint32_t>(layout.align), std::memory_order_relaxed);
    h.tag.store(layout.tag, std::memory_order_relaxed);
    h.count.store(layout.count, std::memory_order_relaxed);
    h.state.store(ready, std::memory_order_release);
    section_lock::set<P>(h.ready_event);
}

/// Gives the claim back after init failed (threw): the object is unclaimed again, so that the next create_or_open
/// claims it; waiters are woken to look. The caller has zeroed the object.
template <class P>
void give_back(ObjectHeader& h) noexcept {
    h.state.store(unclaimed, std::memory_order_release);
    h.owner_start.store(0, std::memory_order_relaxed);
    h.owner.store(0, std::memory_order_release);
    // Wake the sleepers without setting the event for good: set, then reset (a sleeper looks at the state anyway).
    section_lock::set<P>(h.ready_event);
    section_lock::reset(h.ready_event);
}

/// True if the ready header describes `expected` (a count of 0 in `expected` accepts any count).
inline bool matches(const ObjectHeader& h, const Layout& expected) noexcept {
    return h.magic.load(std::memory_order_relaxed) == magic &&
           h.version.load(std::memory_order_relaxed) == header_version &&
           h.size.load(std::memory_order_relaxed) == expected.size &&
           h.align.load(std::memory_order_relaxed) == expected.align &&
           h.tag.load(std::memory_order_relaxed) == expected.tag &&
           (expected.count == 0 || h.count.load(std::memory_order_relaxed) == expected.count);
}

/// The layout a ready header describes.
inline Layout recorded(const ObjectHeader& h) noexcept {
    return {h.size.load(std::memory_order_relaxed), h.align.load(std::memory_order_relaxed),
            h.tag.load(std::memory_order_relaxed), h.count.load(std::memory_order_relaxed)};
}

} // namespace sharemap::detail::shared_object

#endif // SHAREMAP_DETAIL_SHARED_OBJECT_HPP_INCLUDED
