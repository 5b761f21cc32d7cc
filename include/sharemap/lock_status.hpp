// SPDX-License-Identifier: MIT
// sharemap: LockStatus, the outcome of acquiring a NamedMutex or a SectionMutex.
#ifndef SHAREMAP_LOCK_STATUS_HPP_INCLUDED
#define SHAREMAP_LOCK_STATUS_HPP_INCLUDED

namespace sharemap {

/// What NamedMutex::acquire or SectionMutex::acquire found. Failures (a broken handle, missing rights, recursion)
/// are errors, never a LockStatus.
enum class LockStatus {
    /// The calling thread now owns the mutex.
    acquired,
    /// The calling thread now owns the mutex, but its previous owner ended (its thread or process exited, or was
    /// killed) without unlocking it. Whatever the mutex protects may be half-updated: check or repair it before
    /// relying on it. The caller must unlock the mutex as after `acquired`.
    abandoned,
    /// The timeout passed; the calling thread does not own the mutex.
    timed_out,
};

/// True for the statuses in which the calling thread owns the mutex (`acquired` and `abandoned`).
constexpr bool owns_lock(LockStatus status) noexcept { return status != LockStatus::timed_out; }

} // namespace sharemap

#endif // SHAREMAP_LOCK_STATUS_HPP_INCLUDED
