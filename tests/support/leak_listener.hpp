// SPDX-License-Identifier: MIT
// Test support: the listener that leak-checks every test case (support/leak_listener.cpp).
#ifndef SHAREMAP_TESTS_SUPPORT_LEAK_LISTENER_HPP_INCLUDED
#define SHAREMAP_TESTS_SUPPORT_LEAK_LISTENER_HPP_INCLUDED

namespace sharemap_test {

/// True once a test case not tagged [keeps-resources] ended with handles or views it did not start with; main then
/// makes the run fail even if every assertion passed (Catch2 2.13 cannot fail a case from a listener once it ended).
bool leak_check_failed() noexcept;

} // namespace sharemap_test

#endif // SHAREMAP_TESTS_SUPPORT_LEAK_LISTENER_HPP_INCLUDED
