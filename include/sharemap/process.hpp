// SPDX-License-Identifier: MIT
// sharemap: Process, a child process that inherits exactly the handles it is given.
#ifndef SHAREMAP_PROCESS_HPP_INCLUDED
#define SHAREMAP_PROCESS_HPP_INCLUDED

#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/process.hpp"
#include "sharemap/detail/sync.hpp"
#include "sharemap/detail/unique_handle.hpp"
#include "sharemap/detail/wide_name.hpp"
#include "sharemap/name_view.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <system_error>
#include <utility>

namespace sharemap {

/// Move-only owner of a child process started to share sections (or other objects) with it by inheritance.
///
/// Plain CreateProcess with bInheritHandles passes *every* inheritable handle of the parent to the child. Process
/// passes only the handles it is given (PROC_THREAD_ATTRIBUTE_HANDLE_LIST); each must have been made inheritable
/// (CreateOptions::inheritable, or set_inheritable(true)). The child learns the handle values from its command line
/// and takes them with FileMapping::adopt. Destroying a Process closes its handle; the child keeps running.
///
/// \code
/// auto section = sharemap::FileMapping::anonymous(4096, sharemap::CreateOptions().inheritable());
/// auto child = sharemap::Process::start(L"child.exe", {std::to_wstring(reinterpret_cast<std::uintptr_t>(
///                                           section.native_handle()))}, {section.native_handle()});
/// \endcode
class Process {
public:
    /// The type of native_handle(): a Win32 process HANDLE.
    using native_handle_type = void*;

    /// An empty Process: every operation fails with ERROR_INVALID_HANDLE.
    Process() noexcept = default;
    /// Takes over `other`'s process handle; `other` becomes empty.
    Process(Process&& other) noexcept : handle_(std::move(other.handle_)), id_(std::exchange(other.id_, 0)) {}
    /// Closes this process handle (the process keeps running), then takes over `other`'s.
    Process& operator=(Process&& other) noexcept {
        if (this != &other) {
            handle_ = std::move(other.handle_);
            id_ = std::exchange(other.id_, 0);
        }
        return *this;
    }
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
    ~Process() = default;

    /// Starts `program` with `arguments` (each quoted as the C runtime expects), inheriting exactly `inherit`.
    /// Not noexcept: building the command line may throw std::bad_alloc; everything else is reported in `ec`.
    /// \errors errc::invalid_argument if a handle in `inherit` is not inheritable; CreateProcessW's error
    /// (errc::no_such_file_or_directory for a missing program).
    static Process start(NameView program, std::initializer_list<NameView> arguments,
                         std::initializer_list<native_handle_type> inherit, std::error_code& ec) {
        detail::WideName wide;
        ec = wide.assign(program);
        if (ec) {
            return {};
        }
        std::wstring command_line;
        detail::process::append_quoted(command_line, wide.c_str());
        for (const NameView& argument : arguments) {
            ec = wide.assign(argument);
            if (ec) {
                return {};
            }
            command_line.push_back(L' ');
            detail::process::append_quoted(command_line, wide.c_str());
        }
        unsigned long id = 0;
        void* h = detail::process::start(command_line, inherit.begin(), inherit.size(), id, ec);
        Process p;
        if (!ec) {
            p.handle_.reset(h);
            p.id_ = id;
        }
        return p;
    }

    /// The path of this process's own program, to start another copy of it (GetModuleFileNameW).
    /// Not noexcept: the path may throw std::bad_alloc. \errors GetModuleFileNameW's error.
    static std::filesystem::path current_executable(std::error_code& ec) {
        return detail::process::current_executable(ec);
    }

    /// Waits until the process ends or `timeout` passes; returns true if it ended. Any length works: a timeout
    /// longer than one Windows wait (about 49.7 days) goes on waiting, and one Windows ends early is resumed.
    /// \errors ERROR_INVALID_HANDLE on an empty Process; WaitForSingleObject's error.
    template <class Rep, class Period>
    bool wait_for(const std::chrono::duration<Rep, Period>& timeout, std::error_code& ec) const noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return false;
        }
        void* const h = handle_.get();
        const detail::win32::dword_t r = detail::sync::wait_for(
            timeout, [h](detail::win32::dword_t ms) noexcept { return detail::sync::wait_one(h, ms); });
        if (r == detail::win32::wait_failed) {
            ec = detail::last_error();
            return false;
        }
        ec.clear();
        return r == detail::win32::wait_object_0;
    }

    /// Waits until the process ends and returns its exit code.
    /// \errors ERROR_INVALID_HANDLE on an empty Process; WaitForSingleObject's or GetExitCodeProcess's error.
    unsigned long wait(std::error_code& ec) const noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return 0;
        }
        if (detail::sync::wait_one(handle_.get(), detail::win32::infinite) == detail::win32::wait_failed) {
            ec = detail::last_error();
            return 0;
        }
        return exit_code(ec);
    }

    /// The exit code; STILL_ACTIVE (259) while the process runs. A crashed process's code is its exception code,
    /// such as 0xC0000005 for an access violation. \errors ERROR_INVALID_HANDLE on an empty Process;
    /// GetExitCodeProcess's error.
    unsigned long exit_code(std::error_code& ec) const noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return 0;
        }
        return detail::process::exit_code(handle_.get(), ec);
    }

    /// Ends the process at once (TerminateProcess) with `code`. Mutexes it owned become abandoned.
    /// \errors ERROR_INVALID_HANDLE on an empty Process; TerminateProcess's error (errc::permission_denied
    /// without PROCESS_TERMINATE access).
    void terminate(unsigned int code, std::error_code& ec) noexcept {
        if (!handle_) {
            ec = detail::empty_object_error();
            return;
        }
        detail::process::terminate(handle_.get(), code, ec);
    }

    /// The process id; 0 if empty.
    unsigned long id() const noexcept { return id_; }
    /// The process HANDLE, still owned by this object (for DuplicateHandle into the child, for instance).
    native_handle_type native_handle() const noexcept { return handle_.get(); }
    /// True if this object owns a process handle.
    explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of start(program, arguments, inherit, ec).
    static Process start(NameView program, std::initializer_list<NameView> arguments = {},
                         std::initializer_list<native_handle_type> inherit = {}) {
        std::error_code ec;
        return detail::value_or_throw(start(program, arguments, inherit, ec), ec, "sharemap::Process::start");
    }
    /// Throwing form of current_executable(ec).
    static std::filesystem::path current_executable() {
        std::error_code ec;
        return detail::value_or_throw(current_executable(ec), ec, "sharemap::Process::current_executable");
    }
    /// Throwing form of wait_for(timeout, ec).
    template <class Rep, class Period>
    bool wait_for(const std::chrono::duration<Rep, Period>& timeout) const {
        std::error_code ec;
        return detail::value_or_throw(wait_for(timeout, ec), ec, "sharemap::Process::wait_for");
    }
    /// Throwing form of wait(ec).
    unsigned long wait() const {
        std::error_code ec;
        return detail::value_or_throw(wait(ec), ec, "sharemap::Process::wait");
    }
    /// Throwing form of exit_code(ec).
    unsigned long exit_code() const {
        std::error_code ec;
        return detail::value_or_throw(exit_code(ec), ec, "sharemap::Process::exit_code");
    }
    /// Throwing form of terminate(code, ec).
    void terminate(unsigned int code) {
        std::error_code ec;
        terminate(code, ec);
        detail::throw_if(ec, "sharemap::Process::terminate");
    }
#endif

private:
    detail::UniqueHandle<detail::NullHandlePolicy> handle_;
    unsigned long id_ = 0;
};

} // namespace sharemap

#endif // SHAREMAP_PROCESS_HPP_INCLUDED
