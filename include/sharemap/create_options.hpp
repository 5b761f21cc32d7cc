// SPDX-License-Identifier: MIT
// sharemap: CreateOptions, how a new kernel object and its handle are made, and Security, who may open it.
#ifndef SHAREMAP_CREATE_OPTIONS_HPP_INCLUDED
#define SHAREMAP_CREATE_OPTIONS_HPP_INCLUDED

#include "sharemap/detail/inheritable_option.hpp"
#include "sharemap/name_view.hpp"

#include <string>
#include <utility>

namespace sharemap {

/// Who may open a new section, mutex, event or semaphore: its security descriptor.
///
/// Security is decided when the object is created; later opens, by any process, are checked against it. Opening
/// with less access than the descriptor grants is always possible (a read-only open of a read-write object).
class Security {
public:
    /// How the descriptor is chosen.
    enum class Kind {
        /// What a NULL SECURITY_ATTRIBUTES gives: the default DACL of the creating process's token (on Windows,
        /// typically the user, SYSTEM and Administrators).
        os_default,
        /// A protected DACL with one entry, all access for the current user's SID: other accounts are refused when
        /// they open the object (an administrator can still take ownership and change the DACL, as with any
        /// object). The creator's own handle works whatever the DACL says.
        current_user_only,
        /// A descriptor given in SDDL, e.g. "D:P(A;;GR;;;WD)" (everyone may open for reading, nothing more).
        sddl,
    };

    /// The OS default.
    Security() = default;

    /// The OS default (Kind::os_default).
    static Security os_default() { return Security(); }
    /// Only the current user may open the object (Kind::current_user_only).
    static Security current_user_only() {
        Security s;
        s.kind_ = Kind::current_user_only;
        return s;
    }
    /// A descriptor written in SDDL, UTF-8 or UTF-16 (Kind::sddl). The text is copied; it is checked when an object
    /// is created with it, and bad SDDL then fails that create (ERROR_INVALID_PARAMETER or a similar Win32 code).
    static Security sddl(NameView text) {
        Security s;
        s.kind_ = Kind::sddl;
        s.is_wide_ = text.is_wide();
        s.narrow_ = std::string(text.utf8());
        s.wide_ = std::wstring(text.utf16());
        return s;
    }

    /// How the descriptor is chosen.
    Kind kind() const noexcept { return kind_; }
    /// The SDDL text of a Kind::sddl descriptor, as given.
    NameView sddl_text() const noexcept { return is_wide_ ? NameView(wide_) : NameView(narrow_); }

private:
    Kind kind_ = Kind::os_default;
    bool is_wide_ = false;
    std::string narrow_;
    std::wstring wide_;
};

/// Options for creating a section, mutex, event or semaphore. The defaults are what Windows does with a NULL
/// SECURITY_ATTRIBUTES: the OS default security, and a handle that child processes do not inherit. Set what you need
/// by chaining:
///
/// \code
/// auto m = sharemap::FileMapping::create(name, 4096, sharemap::CreateOptions().security(
///                                                         sharemap::Security::current_user_only()));
/// auto s = sharemap::FileMapping::create_unnamed(4096, sharemap::CreateOptions().inheritable());
/// \endcode
class CreateOptions : public detail::InheritableOption<CreateOptions> {
public:
    /// Who may open the object. Has no effect on an existing object that create_or_open opens.
    CreateOptions& security(Security value) {
        security_ = std::move(value);
        return *this;
    }
    /// The security the object will be created with.
    const Security& security() const noexcept { return security_; }

private:
    Security security_;
};

} // namespace sharemap

#endif // SHAREMAP_CREATE_OPTIONS_HPP_INCLUDED
