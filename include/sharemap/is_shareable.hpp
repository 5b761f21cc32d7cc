// SPDX-License-Identifier: MIT
// sharemap: is_shareable, what may be placed in memory that another process shares, as far as the compiler can tell.
#ifndef SHAREMAP_IS_SHAREABLE_HPP_INCLUDED
#define SHAREMAP_IS_SHAREABLE_HPP_INCLUDED

#include <cstddef>
#include <type_traits>

namespace sharemap {

/// Whether a `T` may be placed in memory another process shares, as far as the compiler can tell: no virtual
/// functions (a function table pointer is an address in one process only), a trivial destructor (nobody destroys
/// it), and trivially copyable (its bytes are its value) or standard-layout (a struct of std::atomic members, a
/// SectionMutex or a SectionEvent is not copyable but is fine). MappedView::as and SharedObject check it.
///
/// The compiler cannot see addresses stored in members: a pointer, a reference or a std::string_view passes this
/// check and is still wrong in shared memory, since each process maps the section at another address. Specialise
/// it as std::true_type to opt in a type the default refuses, when you know its bytes mean the same in every process.
template <class T>
struct is_shareable : std::bool_constant<!std::is_polymorphic_v<T> && std::is_trivially_destructible_v<T> &&
                                         (std::is_trivially_copyable_v<T> || std::is_standard_layout_v<T>)> {};

/// An array of shareable elements is shareable (so an opt-in for T covers T[N]).
template <class T, std::size_t N>
struct is_shareable<T[N]> : is_shareable<T> {};

/// is_shareable<T>::value.
template <class T>
inline constexpr bool is_shareable_v = is_shareable<T>::value;

} // namespace sharemap

#endif // SHAREMAP_IS_SHAREABLE_HPP_INCLUDED
