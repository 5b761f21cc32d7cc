// SPDX-License-Identifier: MIT
// sharemap: the macros that write the throwing forms, for the class defined between this header and
// detail/throwing_forms_end.hpp (which takes them back, so users never see them).
//
// Every operation has an error_code form, where the work is done, and a throwing form that calls it and throws
// std::system_error if it failed. The throwing form's signature and doc comment are written out in each class; these
// macros write only its body, so that each throwing form is one line of its own header.
//
// No include guard, on purpose: each public header includes this after its other includes and the end header after
// its class. The class must have `type_name`, its qualified name ("sharemap::Type").

// The body of a throwing form: `return` the result of `call`, the error_code form of the same member with its
// std::error_code& argument written `ec`, and throw std::system_error naming "Type::member" (detail::or_throw) if it
// set `ec`. `call` is copied into a lambda whose parameter is that `ec`.
// NOLINTBEGIN(bugprone-macro-parentheses): `call` names the lambda's parameter `ec`; it is an expression as written
#define SHAREMAP_DETAIL_OR_THROW(call)                                                                                 \
    return ::sharemap::detail::or_throw(type_name, __func__, [&](auto& ec) { return call; })

// As SHAREMAP_DETAIL_OR_THROW, with the message built by `describe`: a detail::CallDescription (named_call,
// path_call, object_call) for a member whose name, path or numbers are worth showing, or any callable taking the
// error_code and returning the text.
#define SHAREMAP_DETAIL_OR_THROW_AS(describe, call)                                                                    \
    return ::sharemap::detail::or_throw((describe), [&](auto& ec) { return call; })

// The throwing forms of `name_for(timeout, ec)` and `name_until(deadline, ec)`, returning `result`, with the member
// qualifiers `qualifiers` (`const` or nothing). Several types wait with a timeout and a deadline, each under its own
// standard names (wait_for, acquire_for, try_acquire_for, receive_for...); only the names differ, so the pair is
// written here once rather than in each. A timeout is the error_code form's result, not an exception.
#define SHAREMAP_DETAIL_TIMED_THROWING_FORMS(result, name_for, name_until, qualifiers)                                 \
    template <class Rep, class Period>                                                                                 \
    [[nodiscard]] result name_for(const std::chrono::duration<Rep, Period>& timeout) qualifiers {                      \
        SHAREMAP_DETAIL_OR_THROW(name_for(timeout, ec));                                                               \
    }                                                                                                                  \
    template <class Clock, class Duration>                                                                             \
    [[nodiscard]] result name_until(const std::chrono::time_point<Clock, Duration>& deadline) qualifiers {             \
        SHAREMAP_DETAIL_OR_THROW(name_until(deadline, ec));                                                            \
    }
// NOLINTEND(bugprone-macro-parentheses)
