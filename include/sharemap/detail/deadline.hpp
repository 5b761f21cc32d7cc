// SPDX-License-Identifier: MIT
// sharemap: how far a deadline of any clock and duration type is, without overflow. Standard C++ only: the kernel
// waits (detail/sync.hpp) and the section locks' waits (detail/section_lock.hpp, also built natively) both use it.
#ifndef SHAREMAP_DETAIL_DEADLINE_HPP_INCLUDED
#define SHAREMAP_DETAIL_DEADLINE_HPP_INCLUDED

#include <chrono>

namespace sharemap::detail {

/// How far `deadline` is from `now` (Clock::now()) in floating-point seconds: negative once it has passed, NaN for
/// a NaN deadline. Comparing or subtracting the time points themselves converts both to their common duration,
/// which overflows when one is far away in a coarser duration (time_point<system_clock, seconds>::max() in
/// nanoseconds) and then reads as long past; floating point cannot overflow. It is exact only to about a microsecond
/// for today's clocks, so callers decide with it alone beyond deadline_margin, and within it compare the time points
/// exactly: both are then close to now and convert without overflow. (Unless the common duration is finer than both,
/// as for a period of 1/7 s against nanoseconds: std::chrono's own limit, which no caller here works around.)
template <class Clock, class Duration>
std::chrono::duration<double> time_left(const std::chrono::time_point<Clock, Duration>& deadline,
                                        const typename Clock::time_point& now) noexcept {
    using seconds = std::chrono::duration<double>;
    return seconds(deadline.time_since_epoch()) - seconds(now.time_since_epoch());
}

/// A day: the distance beyond which time_left's rounding can never decide whether a deadline has passed.
inline constexpr std::chrono::duration<double> deadline_margin{86400.0};

/// Whether `deadline` by `Clock` has been reached at `now` (Clock::now()), for any duration type; a NaN deadline
/// counts as reached (there is nothing to wait for).
template <class Clock, class Duration>
bool deadline_reached(const std::chrono::time_point<Clock, Duration>& deadline,
                      const typename Clock::time_point& now) noexcept {
    const std::chrono::duration<double> left = time_left(deadline, now);
    if (left > deadline_margin) {
        return false;
    }
    if (!(left > -deadline_margin)) { // also NaN
        return true;
    }
    return !(now < deadline);
}

} // namespace sharemap::detail

#endif // SHAREMAP_DETAIL_DEADLINE_HPP_INCLUDED
