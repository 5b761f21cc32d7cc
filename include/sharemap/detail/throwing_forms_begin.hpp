// SPDX-License-Identifier: MIT
// sharemap: SHAREMAP_DETAIL_TIMED_THROWING_FORMS, the throwing forms of a pair of timed waits, for the class
// defined between this header and detail/throwing_forms_end.hpp (which takes the macro back, so users never see
// it). Several types wait with a timeout and a deadline, each under its own standard names (wait_for, acquire_for,
// try_acquire_for, receive_for...); only the names differ, so the pair is written here once rather than in each.
//
// No include guard, on purpose: each public header includes this after its other includes and the end header after
// its class. The class must have `type_name` and both error_code forms, `name_for(timeout, ec)` and
// `name_until(deadline, ec)`.

// The throwing forms of `name_for(timeout, ec)` and `name_until(deadline, ec)`, returning `result`, with the member
// qualifiers `qualifiers` (`const` or nothing). Each throws std::system_error naming "Type::name_for" (or _until)
// where the error_code form would set its error_code; a timeout is the error_code form's result, not an exception.
// NOLINTBEGIN(bugprone-macro-parentheses): `result` is a type and `qualifiers` a qualifier, not expressions
#define SHAREMAP_DETAIL_TIMED_THROWING_FORMS(result, name_for, name_until, qualifiers)                                 \
    template <class Rep, class Period>                                                                                 \
    [[nodiscard]] result name_for(const std::chrono::duration<Rep, Period>& timeout) qualifiers {                      \
        return ::sharemap::detail::or_throw(type_name, #name_for, [&](auto& ec) { return name_for(timeout, ec); });    \
    }                                                                                                                  \
    template <class Clock, class Duration>                                                                             \
    [[nodiscard]] result name_until(const std::chrono::time_point<Clock, Duration>& deadline) qualifiers {             \
        return ::sharemap::detail::or_throw(type_name, #name_until,                                                    \
                                            [&](auto& ec) { return name_until(deadline, ec); });                       \
    }
// NOLINTEND(bugprone-macro-parentheses)
