// SPDX-License-Identifier: MIT
// sharemap: CreateOptions, how a new kernel object and its handle are made.
#ifndef SHAREMAP_CREATE_OPTIONS_HPP_INCLUDED
#define SHAREMAP_CREATE_OPTIONS_HPP_INCLUDED

namespace sharemap {

/// Options for creating a section, file, mutex, event or semaphore. The defaults are what Windows does with a NULL
/// SECURITY_ATTRIBUTES: the creator's default security, and a handle that child processes do not inherit.
///
/// \code
/// auto m = sharemap::FileMapping::anonymous(4096, {.inheritable = true}); // C++20 designated initialisers
/// \endcode
struct CreateOptions {
    /// The handle is inherited by child processes started with handle inheritance (CreateProcess with
    /// bInheritHandles, or a PROC_THREAD_ATTRIBUTE_HANDLE_LIST naming it). Can be changed later with
    /// set_inheritable().
    bool inheritable = false;
};

} // namespace sharemap

#endif // SHAREMAP_CREATE_OPTIONS_HPP_INCLUDED
