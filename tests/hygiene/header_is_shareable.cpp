// SPDX-License-Identifier: MIT
// is_shareable.hpp compiles on its own, first in its translation unit, and leaks no Windows macro.
#include <sharemap/is_shareable.hpp>

#include "check_no_leaked_macros.hpp"

namespace {
struct Plain {
    int value;
};
struct Polymorphic {
    virtual ~Polymorphic() = default;
};
} // namespace

static_assert(sharemap::is_shareable_v<Plain> && sharemap::is_shareable_v<Plain[4]>, "plain data is shareable");
static_assert(!sharemap::is_shareable_v<Polymorphic>, "a function table pointer is an address in one process");
