// SPDX-License-Identifier: MIT
// sharemap: the one move-only owner of a kernel handle. Each API's failure value is part of the owner's type:
// CreateFileW returns INVALID_HANDLE_VALUE, every other creating call returns NULL.
#ifndef SHAREMAP_DETAIL_UNIQUE_HANDLE_HPP_INCLUDED
#define SHAREMAP_DETAIL_UNIQUE_HANDLE_HPP_INCLUDED

#include "sharemap/detail/win32.hpp"

namespace sharemap::detail {

/// Policy for handles whose "none" value is NULL (sections, mutexes, events, semaphores, processes).
struct NullHandlePolicy {
    static win32::handle_t invalid() noexcept { return nullptr; }
};

/// Policy for handles whose "none" value is INVALID_HANDLE_VALUE (files from CreateFileW).
struct InvalidValueHandlePolicy {
    static win32::handle_t invalid() noexcept { return win32::invalid_handle_value(); }
};

/// Owns one handle; closes it on destruction. The size of a HANDLE.
template <class Policy>
class UniqueHandle {
public:
    UniqueHandle() noexcept = default;
    explicit UniqueHandle(win32::handle_t h) noexcept : handle_(h) {}
    ~UniqueHandle() { reset(); }

    UniqueHandle(UniqueHandle&& other) noexcept : handle_(other.release()) {}
    UniqueHandle& operator=(UniqueHandle&& other) noexcept {
        if (this != &other) {
            reset(other.release());
        }
        return *this;
    }
    UniqueHandle(const UniqueHandle&) = delete;
    UniqueHandle& operator=(const UniqueHandle&) = delete;

    win32::handle_t get() const noexcept { return handle_; }
    explicit operator bool() const noexcept { return handle_ != Policy::invalid(); }

    win32::handle_t release() noexcept {
        win32::handle_t h = handle_;
        handle_ = Policy::invalid();
        return h;
    }

    /// Closes the owned handle, if any, keeping the thread's last-error value intact for the caller.
    void reset(win32::handle_t h = Policy::invalid()) noexcept {
        if (handle_ != Policy::invalid()) {
            const win32::LastErrorPreserver keep;
            ::CloseHandle(handle_);
        }
        handle_ = h;
    }

private:
    win32::handle_t handle_ = Policy::invalid();
};

} // namespace sharemap::detail

#endif // SHAREMAP_DETAIL_UNIQUE_HANDLE_HPP_INCLUDED
