// SPDX-License-Identifier: MIT
// sharemap: Process, a child process that gets exactly the handles it is given, and an object to wait on.
#ifndef SHAREMAP_PROCESS_HPP_INCLUDED
#define SHAREMAP_PROCESS_HPP_INCLUDED

#include "sharemap/detail/config.hpp"
#include "sharemap/detail/error.hpp"
#include "sharemap/detail/process.hpp"
#include "sharemap/detail/sync.hpp"
#include "sharemap/detail/unique_handle.hpp"
#include "sharemap/detail/wide_name.hpp"
#include "sharemap/name_view.hpp"
#include "sharemap/process_argument.hpp"
#include "sharemap/process_options.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

// Defines helper macros for this header's class; throwing_forms_end.hpp at the end takes them back.
#include "sharemap/detail/throwing_forms_begin.hpp"

namespace sharemap {

namespace detail::process {
/// `void` if `Range` is a range (std::begin/std::end) of things a ProcessArgument is made from; otherwise not a type,
/// which removes the start() overload that uses it. (SFINAE without enable_if: the headers are C++17.)
template <class Range>
using if_argument_range = std::void_t<decltype(std::end(std::declval<const Range&>())),
                                      decltype(ProcessArgument(*std::begin(std::declval<const Range&>())))>;
} // namespace detail::process

/// Move-only owner of a child process started to share sections (or other objects) with it.
///
/// A handle goes to the child as an argument, `sharemap::inherited(object)`: start() makes an inheritable duplicate of
/// it for this child alone (PROC_THREAD_ATTRIBUTE_HANDLE_LIST), writes the duplicate's value in decimal in place of
/// the argument, and closes the duplicate once CreateProcessW has returned. The caller's handle need not be
/// inheritable and stays private: a child started elsewhere with bInheritHandles (std::system, _popen, another
/// library) gets nothing of it. The child takes the value from its command line with adopt (FileMapping::adopt, ...).
/// The child's standard handles are the parent's unless ProcessOptions redirects them.
///
/// A Process is also something to wait on: wait_any({data_ready, child}) returns as soon as the child ends, crashed or
/// not. Destroying a Process closes its handle; the child keeps running.
///
/// \code
/// auto section = sharemap::FileMapping::create_unnamed(4096); // not inheritable
/// auto child = sharemap::Process::start(sharemap::Process::current_executable(),
///                                       {"child", sharemap::inherited(section)});
/// // in the child: sharemap::FileMapping::adopt(reinterpret_cast<void*>(std::stoull(argv[2])), access)
/// \endcode
///
/// Between the duplication and the CreateProcessW call, inside start(), the duplicates are inheritable: a
/// CreateProcess with bInheritHandles that another thread runs at that very moment would get them too.
class [[nodiscard]] Process {
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
    /// Closes the process handle; the process keeps running.
    ~Process() = default;

    /// Starts `program` with `arguments`, each a text (quoted as the C runtime expects; an empty one is passed as
    /// `""`) or sharemap::inherited(handle) (replaced by the value of an inheritable duplicate made for this child
    /// alone). The child inherits exactly those duplicates and its standard handles, set up by `options`: by default
    /// the parent's standard input, output and error (each one the parent lacks, or that DuplicateHandle refuses, is
    /// skipped: the child gets none there, and start() does not fail for it). Every duplicate is closed before
    /// start() returns, whether the child started or not.
    /// Not noexcept: building the command line may throw std::bad_alloc; everything else is reported in `ec`.
    /// \errors errc::invalid_argument for an empty `program` or a NUL in it or an argument;
    /// std::errc::illegal_byte_sequence for invalid UTF-8 (UTF-16 is passed on unchecked); ERROR_INVALID_HANDLE for
    /// an inherited() handle that is null, or an inherited() or redirected one that is INVALID_HANDLE_VALUE (an empty
    /// File) or not open (a null redirected handle gives the child none); CreateProcessW's error
    /// (std::errc::no_such_file_or_directory for a missing program; a working directory that does not exist fails
    /// too).
    static Process start(NameView program, std::initializer_list<ProcessArgument> arguments,
                         const ProcessOptions& options, std::error_code& ec) {
        return start_range(program, arguments, options, ec);
    }
    /// As start(program, {arguments...}, options, ec), with the arguments in a range built at run time: a
    /// `std::vector<std::string>`, `std::vector<std::wstring>`, `std::vector<ProcessArgument>`, ...
    template <class Range, class = detail::process::if_argument_range<Range>>
    static Process start(NameView program, const Range& arguments, const ProcessOptions& options, std::error_code& ec) {
        return start_range(program, arguments, options, ec);
    }

    /// The path of this process's own program, to start another copy of it (GetModuleFileNameW).
    /// Not noexcept: the path may throw std::bad_alloc. \errors GetModuleFileNameW's error.
    [[nodiscard]] static std::filesystem::path current_executable(std::error_code& ec) {
        return detail::process::current_executable(ec);
    }

    /// Waits until the process ends or `timeout` passes; returns true if it ended. Any length works: a timeout
    /// longer than one Windows wait (about 49.7 days) goes on waiting, and one Windows ends early is resumed.
    /// \errors ERROR_INVALID_HANDLE on an empty Process; WaitForSingleObject's error.
    template <class Rep, class Period>
    [[nodiscard]] bool wait_for(const std::chrono::duration<Rep, Period>& timeout, std::error_code& ec) const noexcept {
        return detail::check_owned(handle_, ec) && detail::sync::wait_signaled(handle_.get(), ec, timeout);
    }

    /// Waits until the process ends or `deadline` (by `Clock`) passes; returns true if it ended.
    /// \errors as wait_for.
    template <class Clock, class Duration>
    [[nodiscard]] bool wait_until(const std::chrono::time_point<Clock, Duration>& deadline,
                                  std::error_code& ec) const noexcept {
        return detail::check_owned(handle_, ec) && detail::sync::wait_signaled(handle_.get(), ec, deadline);
    }

    /// Waits until the process ends and returns its exit code.
    /// \errors ERROR_INVALID_HANDLE on an empty Process; WaitForSingleObject's or GetExitCodeProcess's error.
    unsigned long wait(std::error_code& ec) const noexcept {
        return detail::check_owned(handle_, ec) && detail::sync::wait_signaled(handle_.get(), ec) ? exit_code(ec) : 0;
    }

    /// The exit code; STILL_ACTIVE (259) while the process runs. A crashed process's code is its exception code,
    /// such as 0xC0000005 for an access violation. \errors ERROR_INVALID_HANDLE on an empty Process;
    /// GetExitCodeProcess's error.
    [[nodiscard]] unsigned long exit_code(std::error_code& ec) const noexcept {
        return detail::check_owned(handle_, ec) ? detail::process::exit_code(handle_.get(), ec) : 0;
    }

    /// Ends the process at once (TerminateProcess) with `code`. Mutexes it owned become abandoned.
    /// \errors ERROR_INVALID_HANDLE on an empty Process; TerminateProcess's error (errc::permission_denied
    /// without PROCESS_TERMINATE access).
    void terminate(unsigned int code, std::error_code& ec) noexcept {
        if (detail::check_owned(handle_, ec)) {
            detail::process::terminate(handle_.get(), code, ec);
        }
    }

    /// The process id; 0 if empty.
    unsigned long id() const noexcept { return id_; }
    /// The process HANDLE, still owned by this object (for DuplicateHandle into the child, for instance).
    [[nodiscard]] native_handle_type native_handle() const noexcept { return handle_.get(); }
    /// True if this object owns a process handle.
    explicit operator bool() const noexcept { return static_cast<bool>(handle_); }
    /// Gives up the process handle without closing it: the caller now owns it (CloseHandle). This object becomes
    /// empty; the process is not affected.
    [[nodiscard]] native_handle_type release() noexcept {
        id_ = 0;
        return handle_.release();
    }
    /// Closes the process handle now, as the destructor would (the process keeps running); the object becomes empty.
    void close() noexcept { *this = Process(); }

#if SHAREMAP_HAS_EXCEPTIONS
    /// Throwing form of start(program, arguments, options, ec).
    static Process start(NameView program, std::initializer_list<ProcessArgument> arguments = {},
                         const ProcessOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW(start(program, arguments, options, ec));
    }
    /// Throwing form of start(program, arguments, options, ec) for a range of arguments.
    template <class Range, class = detail::process::if_argument_range<Range>>
    static Process start(NameView program, const Range& arguments, const ProcessOptions& options = {}) {
        return SHAREMAP_DETAIL_OR_THROW(start(program, arguments, options, ec));
    }
    /// Throwing form of current_executable(ec).
    [[nodiscard]] static std::filesystem::path current_executable() {
        return SHAREMAP_DETAIL_OR_THROW(current_executable(ec));
    }
    /// Throwing forms of wait_for(timeout, ec) and wait_until(deadline, ec): false if the process still runs at the
    /// timeout.
    ///@{
    SHAREMAP_DETAIL_TIMED_THROWING_FORMS(bool, wait_for, wait_until, const)
    ///@}
    /// Throwing form of wait(ec).
    unsigned long wait() const { return SHAREMAP_DETAIL_OR_THROW(wait(ec)); }
    /// Throwing form of exit_code(ec).
    [[nodiscard]] unsigned long exit_code() const { return SHAREMAP_DETAIL_OR_THROW(exit_code(ec)); }
    /// Throwing form of terminate(code, ec).
    void terminate(unsigned int code) { SHAREMAP_DETAIL_OR_THROW(terminate(code, ec)); }
#endif

private:
    static constexpr const char* type_name = "sharemap::Process";

    // The one implementation of start(): duplicates and command line in one pass over `arguments`.
    template <class Range>
    static Process start_range(NameView program, const Range& arguments, const ProcessOptions& options,
                               std::error_code& ec) {
        detail::process::Spawn spawn; // closes every duplicate when start() returns, whatever happened
        std::wstring command_line;
        {
            detail::WideName wide;
            ec = wide.assign(program);
            if (ec) {
                return {};
            }
            detail::process::append_quoted(command_line, wide.c_str());
        }
        for (const auto& item : arguments) {
            const ProcessArgument argument(item);
            command_line.push_back(L' ');
            if (argument.is_inherited()) {
                void* const value = spawn.inherit(argument.handle(), ec);
                if (ec) {
                    return {};
                }
                detail::process::append_handle_value(command_line, value);
            } else {
                ec = detail::process::append_argument(command_line, argument.text());
                if (ec) {
                    return {};
                }
            }
        }
        const std::optional<void*> standard[] = {options.standard_input(), options.standard_output(),
                                                 options.standard_error()};
        for (int slot = 0; slot < 3; ++slot) {
            spawn.standard_handle(slot, standard[slot], ec);
            if (ec) {
                return {};
            }
        }
        const std::filesystem::path& directory = options.working_directory();
        unsigned long id = 0;
        void* const h = spawn.create(command_line, directory.empty() ? nullptr : directory.c_str(), id, ec);
        Process p;
        if (!ec) {
            p.handle_.reset(h);
            p.id_ = id;
        }
        return p;
    }

    detail::UniqueHandle<detail::NullHandlePolicy> handle_;
    unsigned long id_ = 0;
};

} // namespace sharemap

#include "sharemap/detail/throwing_forms_end.hpp"

#endif // SHAREMAP_PROCESS_HPP_INCLUDED
