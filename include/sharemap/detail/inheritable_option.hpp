// SPDX-License-Identifier: MIT
// sharemap: the inheritable() option, written once for CreateOptions and FileOptions.
#ifndef SHAREMAP_DETAIL_INHERITABLE_OPTION_HPP_INCLUDED
#define SHAREMAP_DETAIL_INHERITABLE_OPTION_HPP_INCLUDED

namespace sharemap::detail {

/// The base of an options type whose handle may be inheritable (CRTP: `Derived` is that type, so that the setter
/// chains with the derived type's own setters).
template <class Derived>
class InheritableOption {
public:
    /// Makes the handle inheritable by child processes started with handle inheritance (sharemap::Process, or
    /// CreateProcess with bInheritHandles), or not. Can be changed later with set_inheritable(). Process::start
    /// does not need it: it hands a child an inheritable duplicate made for that child alone.
    Derived& inheritable(bool value = true) noexcept {
        inheritable_ = value;
        return static_cast<Derived&>(*this);
    }
    /// Whether the handle will be inheritable.
    [[nodiscard]] bool is_inheritable() const noexcept { return inheritable_; }

private:
    friend Derived; // only Derived constructs its base (CRTP)
    InheritableOption() noexcept = default;

    bool inheritable_ = false;
};

} // namespace sharemap::detail

#endif // SHAREMAP_DETAIL_INHERITABLE_OPTION_HPP_INCLUDED
