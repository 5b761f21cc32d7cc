// SPDX-License-Identifier: MIT
// sharemap: SectionEvent, an event whose state lives in shared memory: set() makes no kernel call when nobody waits.
#ifndef SHAREMAP_SECTION_EVENT_HPP_INCLUDED
#define SHAREMAP_SECTION_EVENT_HPP_INCLUDED

#include "sharemap/detail/section_object.hpp"
#include "sharemap/named_event.hpp"

#include <chrono>
#include <cstdint>
#include <system_error>
#include <type_traits>

// Defines helper macros for this header's class; throwing_forms_end.hpp at the end takes them back.
#include "sharemap/detail/throwing_forms_begin.hpp"

namespace sharemap {

/// An event ("the data is ready") whose whole state (16 bytes) lives where you put it: inside a struct in a mapped
/// section that several processes share. All zero bytes are an unset manual-reset event, so a new pagefile section
/// (zero-filled) already holds ready events. For an automatic-reset event, construct it as such in the process that
/// made the section, before others use it (`new (&shared->ready) sharemap::SectionEvent(EventReset::automatic)`):
/// the reset kind is part of the shared state.
///
/// **Semantics** as NamedEvent's: a manual-reset event stays set, releasing every waiter, until reset(); an
/// automatic-reset one releases exactly one wait per set() and is unset again in the same step (if nobody waits, the
/// next wait consumes it). No count: two set() calls with no wait in between release one wait.
///
/// **Cost.** set() and reset() are one atomic operation each, plus a kernel call (SetEvent) only when a thread
/// sleeps; a wait on an event already set is one atomic operation. A wait spins briefly, then sleeps on the same
/// kind of wake event as SectionMutex (`Local\sharemap-wake-<key>`, key stored in the state on first sleep). A
/// sleeper looks at the state again at least every 100 ms, so a wake lost to a process killed between setting the
/// state and waking costs at most that delay, never a hang.
///
/// **Layout** (version 1, layout_version): 16 bytes, alignment 8: signalled (4), sleepers (4), wake key (4), flags
/// (4: bit 0 automatic reset, bits 8..15 layout version - 1). A state of another version is refused with
/// errc::incompatible_layout. Never copy, move or zero an event someone waits for.
///
/// Errors: a throwing form and a noexcept form taking std::error_code&.
class SectionEvent {
public:
    /// An unset manual-reset event: all zero bytes.
    constexpr SectionEvent() noexcept = default;
    /// An unset event of the reset kind `reset`.
    explicit SectionEvent(EventReset reset) noexcept {
        if (reset == EventReset::automatic) {
            state_.flags.store(detail::section_lock::event_automatic_flag, std::memory_order_relaxed);
        }
    }

    /// The layout version this header reads and writes.
    static constexpr std::uint32_t layout_version = 1;

    /// The layout version the state says it has; layout_version if it can be used.
    [[nodiscard]] std::uint32_t layout() const noexcept {
        return ((state_.flags.load(std::memory_order_relaxed) >> 8) & 0xFFu) + 1;
    }

    /// The reset kind recorded in the state.
    [[nodiscard]] EventReset reset_kind() const noexcept {
        return (state_.flags.load(std::memory_order_relaxed) & detail::section_lock::event_automatic_flag) != 0
                   ? EventReset::automatic
                   : EventReset::manual;
    }

    /// Sets the event. No kernel call unless a thread sleeps on it. \errors errc::incompatible_layout.
    void set(std::error_code& ec) noexcept {
        if (check(ec)) {
            detail::section_lock::set<Platform>(state_);
        }
    }

    /// Unsets the event. \errors errc::incompatible_layout.
    void reset(std::error_code& ec) noexcept {
        if (check(ec)) {
            detail::section_lock::reset(state_);
        }
    }

    /// True if the event is set now (a look, which consumes nothing).
    [[nodiscard]] bool is_set() const noexcept { return state_.signaled.load(std::memory_order_acquire) != 0; }

    /// Waits until the event is set, however long that takes; an automatic event is consumed. \returns true.
    /// \errors errc::incompatible_layout (returns false).
    [[nodiscard]] bool wait(std::error_code& ec) noexcept {
        return check(ec) &&
               detail::section_lock::wait<Platform>(state_, (std::chrono::steady_clock::time_point::max)());
    }

    /// Waits at most `timeout` (zero or negative: one look) until the event is set. \returns true if it was set
    /// (and, automatic, consumed by this wait), false at the timeout. \errors as wait(ec).
    template <class Rep, class Period>
    [[nodiscard]] bool wait_for(const std::chrono::duration<Rep, Period>& timeout, std::error_code& ec) noexcept {
        return check(ec) &&
               detail::section_lock::wait<Platform>(state_, detail::section_lock::steady_deadline(timeout));
    }

    /// Waits until `deadline` at the latest (by `Clock`, read again after each timeout). \returns as wait_for.
    /// \errors as wait(ec).
    template <class Clock, class Duration>
    [[nodiscard]] bool wait_until(const std::chrono::time_point<Clock, Duration>& deadline,
                                  std::error_code& ec) noexcept {
        bool done = false;
        if (check(ec)) {
            detail::section_lock::until_deadline(deadline, [&](std::chrono::steady_clock::time_point steady) {
                done = detail::section_lock::wait<Platform>(state_, steady);
                return done;
            });
        }
        return done;
    }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of set(ec). (The layout is checked before any error_code is made: set() stays one atomic
    /// operation.)
    void set() {
        if (layout_ok()) {
            detail::section_lock::set<Platform>(state_);
        } else {
            SHAREMAP_DETAIL_OR_THROW(set(ec));
        }
    }
    /// Throwing form of reset(ec).
    void reset() { SHAREMAP_DETAIL_OR_THROW(reset(ec)); }
    /// Throwing form of wait(ec). \returns true.
    bool wait() {
        if (layout_ok()) {
            return detail::section_lock::wait<Platform>(state_, (std::chrono::steady_clock::time_point::max)());
        }
        return SHAREMAP_DETAIL_OR_THROW(wait(ec));
    }
    /// Throwing forms of wait_for(timeout, ec) and wait_until(deadline, ec): false at the timeout.
    ///@{
    SHAREMAP_DETAIL_TIMED_THROWING_FORMS(bool, wait_for, wait_until, )
    ///@}
#endif

private:
    using Platform = detail::Win32Platform;
    static constexpr const char* type_name = "sharemap::SectionEvent";

    bool layout_ok() const noexcept {
        return ((state_.flags.load(std::memory_order_relaxed) >> 8) & 0xFFu) == layout_version - 1;
    }

    bool check(std::error_code& ec) const noexcept {
        return detail::section_lock::check_layout(layout(), layout_version, ec);
    }

    detail::section_lock::EventState state_{};
};

static_assert(sizeof(SectionEvent) == 16 && alignof(SectionEvent) == 8, "SectionEvent layout version 1");
static_assert(std::is_standard_layout_v<SectionEvent>, "SectionEvent lies in shared memory");

} // namespace sharemap

#include "sharemap/detail/throwing_forms_end.hpp"

#endif // SHAREMAP_SECTION_EVENT_HPP_INCLUDED
