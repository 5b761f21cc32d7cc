// SPDX-License-Identifier: MIT
// sharemap: Pinned, the base of detail types that point into themselves and so must stay where they were made.
#ifndef SHAREMAP_DETAIL_PINNED_HPP_INCLUDED
#define SHAREMAP_DETAIL_PINNED_HPP_INCLUDED

namespace sharemap::detail {

/// Neither copyable nor movable: a type deriving from it keeps pointers into its own members (a string's inline
/// buffer, a descriptor its attributes point at), which a copy or a move would leave pointing at the original.
class Pinned {
public:
    Pinned() noexcept = default;
    Pinned(const Pinned&) = delete;
    Pinned& operator=(const Pinned&) = delete;
    ~Pinned() = default;
};

} // namespace sharemap::detail

#endif // SHAREMAP_DETAIL_PINNED_HPP_INCLUDED
