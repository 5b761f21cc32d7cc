// SPDX-License-Identifier: MIT
// sharemap: the macros that write the throwing forms, for the class defined between this header and
// detail/throwing_forms_end.hpp (which takes them back, so users never see them).
//
// Every operation has an error_code form, where the work is done, and a throwing form that calls it and throws
// std::system_error if it failed. In the public classes each throwing form's signature and doc comment are written
// out, and its body is one of the first two macros: `return SHAREMAP_DETAIL_OR_THROW(member(args, ec));`. The third
// writes both forms of a timed pair, signatures included, since only their names differ from type to type.
//
// No include guard, on purpose: each public header that uses them includes this after its other includes and the end
// header after its class.

// The throwing call of `call`, the error_code form of the member it is written in, with its std::error_code& argument
// written `ec` (the parameter of the lambda the call is pasted into): detail::or_throw, which returns what `call`
// returns and throws std::system_error naming "Type::member" if `call` set `ec`. The class must have `type_name`; the
// member's name is `__func__`, so the macro must stand in that member's own body (never in a lambda, an operator or a
// constructor, where `__func__` says something else).
#define SHAREMAP_DETAIL_OR_THROW(call) ::sharemap::detail::or_throw(type_name, __func__, [&](auto& ec) { return call; })

// As SHAREMAP_DETAIL_OR_THROW, with the message built by `describe`: a detail::CallDescription (named_call,
// path_call, object_call) for a member whose name, path or numbers are worth showing, or any callable taking the
// error_code and returning the text. Needs neither `type_name` nor `__func__`.
#define SHAREMAP_DETAIL_OR_THROW_AS(describe, call)                                                                    \
    ::sharemap::detail::or_throw((describe), [&](auto& ec) { return call; })

// The throwing forms of `name_for(timeout, ec)` and `name_until(deadline, ec)`, returning `result`, with the member
// qualifiers `qualifiers` (`const` or nothing). Several types wait with a timeout and a deadline, each under its own
// standard names (wait_for, acquire_for, try_acquire_for, receive_for...); only the names differ, so the pair is
// written here once rather than in each. A timeout is the error_code form's result, not an exception. The forms are
// [[nodiscard]] for the bool and LockStatus results; a Receiver::Message is already, by its class.
// NOLINTBEGIN(bugprone-macro-parentheses): `result` is a type and `qualifiers` a qualifier, not expressions
#define SHAREMAP_DETAIL_TIMED_THROWING_FORMS(result, name_for, name_until, qualifiers)                                 \
    template <class Rep, class Period>                                                                                 \
    [[nodiscard]] result name_for(const std::chrono::duration<Rep, Period>& timeout) qualifiers {                      \
        return SHAREMAP_DETAIL_OR_THROW(name_for(timeout, ec));                                                        \
    }                                                                                                                  \
    template <class Clock, class Duration>                                                                             \
    [[nodiscard]] result name_until(const std::chrono::time_point<Clock, Duration>& deadline) qualifiers {             \
        return SHAREMAP_DETAIL_OR_THROW(name_until(deadline, ec));                                                     \
    }
// NOLINTEND(bugprone-macro-parentheses)
