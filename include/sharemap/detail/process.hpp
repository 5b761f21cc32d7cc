// SPDX-License-Identifier: MIT
// sharemap: the Win32 calls behind Process: CreateProcessW with inheritable duplicates made for that child alone.
#ifndef SHAREMAP_DETAIL_PROCESS_HPP_INCLUDED
#define SHAREMAP_DETAIL_PROCESS_HPP_INCLUDED

#include "sharemap/detail/error.hpp"
#include "sharemap/detail/wide_name.hpp"
#include "sharemap/detail/win32.hpp"
#include "sharemap/name_view.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

namespace sharemap::detail::process {

/// Appends `arg` to `out` quoted so that CommandLineToArgvW and the C runtime give it back unchanged.
inline void append_quoted(std::wstring& out, const wchar_t* arg) {
    out.push_back(L'"');
    std::size_t backslashes = 0;
    for (const wchar_t* p = arg; *p != L'\0'; ++p) {
        if (*p == L'\\') {
            ++backslashes;
            continue;
        }
        out.append(*p == L'"' ? backslashes * 2 + 1 : backslashes, L'\\');
        backslashes = 0;
        out.push_back(*p);
    }
    out.append(backslashes * 2, L'\\');
    out.push_back(L'"');
}

/// Appends the decimal value of `h`, the spelling a child parses back (std::stoull, then a cast to HANDLE).
inline void append_handle_value(std::wstring& out, win32::handle_t h) {
    out += std::to_wstring(reinterpret_cast<std::uintptr_t>(h));
}

/// Appends `argument` quoted; an empty one as `""`, so that the child still counts it.
inline std::error_code append_argument(std::wstring& out, NameView argument) {
    if (argument.empty()) {
        out.append(L"\"\"");
        return {};
    }
    WideName wide;
    if (const std::error_code ec = wide.assign(argument)) {
        return ec;
    }
    append_quoted(out, wide.c_str());
    return {};
}

/// Everything one CreateProcessW call passes to a child besides its command line: inheritable duplicates of the
/// handles it gets (PROC_THREAD_ATTRIBUTE_HANDLE_LIST names exactly these) and its standard handles. The duplicates
/// are closed when this object is destroyed, whether the child was started or not, so the caller's own handles never
/// become inheritable and no other child (one started by std::system, say) can get them.
class Spawn {
public:
    Spawn() = default;
    Spawn(const Spawn&) = delete;
    Spawn& operator=(const Spawn&) = delete;
    ~Spawn() {
        const win32::LastErrorPreserver keep;
        for (std::size_t i = 0; i < count_; ++i) {
            ::CloseHandle(handles_[i]);
        }
    }

    /// Makes an inheritable duplicate of `h` (same access) for the child; returns the value the child will see.
    /// \errors ERROR_INVALID_HANDLE for nullptr and INVALID_HANDLE_VALUE (which DuplicateHandle would take as this
    /// process); DuplicateHandle's error; errc::not_enough_memory.
    win32::handle_t inherit(win32::handle_t h, std::error_code& ec) noexcept {
        if (h == nullptr || h == win32::invalid_handle_value()) {
            ec = win32_error(win32::error_invalid_handle);
            return nullptr;
        }
        if (count_ == capacity_ && !grow()) { // room first, so that a duplicate is never made and then lost
            ec = errc_error(std::errc::not_enough_memory);
            return nullptr;
        }
        win32::handle_t self = ::GetCurrentProcess();
        win32::handle_t copy = nullptr;
        if (::DuplicateHandle(self, h, self, &copy, 0, 1, win32::duplicate_same_access) == 0) {
            ec = last_error();
            return nullptr;
        }
        handles_[count_++] = copy;
        ec.clear();
        return copy;
    }

    /// Sets standard handle `slot` (0 input, 1 output, 2 error) to `given` (nullptr: none), or to the parent's
    /// (GetStdHandle) when nothing is given. A parent's handle that is missing or that DuplicateHandle refuses is
    /// skipped: the child gets none there rather than start() failing.
    void standard_handle(int slot, const std::optional<win32::handle_t>& given, std::error_code& ec) noexcept {
        static constexpr win32::dword_t ids[] = {win32::std_input_handle, win32::std_output_handle,
                                                 win32::std_error_handle};
        ec.clear();
        if (given.has_value()) {
            use_std_handles_ = true;
            std_[slot] = *given == nullptr ? nullptr : inherit(*given, ec);
            return;
        }
        win32::handle_t parent = ::GetStdHandle(ids[slot]);
        if (parent == nullptr || parent == win32::invalid_handle_value()) {
            return;
        }
        std::error_code skipped;
        win32::handle_t copy = inherit(parent, skipped);
        if (!skipped) {
            use_std_handles_ = true;
            std_[slot] = copy;
        }
    }

    /// CreateProcessW of `command_line` in `directory` (nullptr: the parent's), inheriting exactly the duplicates
    /// made so far. Returns the process handle (the thread handle is closed) and its id.
    win32::handle_t create(std::wstring& command_line, const wchar_t* directory, win32::dword_t& pid,
                           std::error_code& ec) noexcept {
        win32::StartupInfoEx si{};
        si.cb = sizeof(si);
        if (use_std_handles_) {
            si.flags = win32::startf_usestdhandles;
            si.std_input = std_[0];
            si.std_output = std_[1];
            si.std_error = std_[2];
        }
        const bool inherit_any = count_ != 0;
        std::unique_ptr<unsigned char[]> list_storage;
        if (inherit_any) {
            win32::size_type list_size = 0;
            ::InitializeProcThreadAttributeList(nullptr, 1, 0, &list_size);
            list_storage.reset(new (std::nothrow) unsigned char[list_size]);
            if (list_storage == nullptr) {
                ec = errc_error(std::errc::not_enough_memory);
                return nullptr;
            }
            si.attribute_list = reinterpret_cast<::_PROC_THREAD_ATTRIBUTE_LIST*>(list_storage.get());
            if (::InitializeProcThreadAttributeList(si.attribute_list, 1, 0, &list_size) == 0) {
                ec = last_error();
                return nullptr;
            }
            if (::UpdateProcThreadAttribute(si.attribute_list, 0, win32::proc_thread_attribute_handle_list,
                                            static_cast<void*>(handles_.get()), count_ * sizeof(win32::handle_t),
                                            nullptr, nullptr) == 0) {
                ec = last_error();
                ::DeleteProcThreadAttributeList(si.attribute_list);
                return nullptr;
            }
        }
        win32::ProcessInformation pi{};
        const int ok = ::CreateProcessW(nullptr, command_line.data(), nullptr, nullptr, inherit_any ? 1 : 0,
                                        inherit_any ? win32::extended_startupinfo_present : 0, nullptr, directory,
                                        reinterpret_cast<::_STARTUPINFOW*>(&si),
                                        reinterpret_cast<::_PROCESS_INFORMATION*>(&pi));
        if (ok == 0) {
            ec = last_error();
        }
        if (si.attribute_list != nullptr) {
            const win32::LastErrorPreserver keep;
            ::DeleteProcThreadAttributeList(si.attribute_list);
        }
        if (ok == 0) {
            return nullptr;
        }
        ::CloseHandle(pi.thread);
        pid = pi.process_id;
        ec.clear();
        return pi.process;
    }

private:
    // No std::vector: libstdc++'s <vector> does not survive the min/max macros of a <windows.h> included before
    // sharemap.
    bool grow() noexcept {
        const std::size_t capacity = capacity_ == 0 ? 8 : capacity_ * 2;
        std::unique_ptr<win32::handle_t[]> bigger(new (std::nothrow) win32::handle_t[capacity]);
        if (bigger == nullptr) {
            return false;
        }
        for (std::size_t i = 0; i < count_; ++i) {
            bigger[i] = handles_[i];
        }
        handles_ = std::move(bigger);
        capacity_ = capacity;
        return true;
    }

    std::unique_ptr<win32::handle_t[]> handles_;
    std::size_t count_ = 0;
    std::size_t capacity_ = 0;
    win32::handle_t std_[3] = {};
    bool use_std_handles_ = false;
};

/// GetModuleFileNameW for this process's program, with as much room as the path needs.
inline std::wstring current_executable(std::error_code& ec) {
    std::wstring path(260, L'\0');
    for (;;) {
        const auto capacity = static_cast<win32::dword_t>(path.size());
        const win32::dword_t n = ::GetModuleFileNameW(nullptr, path.data(), capacity);
        if (n == 0) {
            ec = last_error();
            return {};
        }
        if (n < capacity) { // otherwise the path was cut short: try again with more room
            path.resize(n);
            ec.clear();
            return path;
        }
        path.resize(path.size() * 2);
    }
}

/// GetExitCodeProcess.
inline unsigned long exit_code(win32::handle_t h, std::error_code& ec) noexcept {
    unsigned long code = 0;
    if (::GetExitCodeProcess(h, &code) == 0) {
        ec = last_error();
        return 0;
    }
    ec.clear();
    return code;
}

/// TerminateProcess.
inline void terminate(win32::handle_t h, unsigned int code, std::error_code& ec) noexcept {
    check_call(::TerminateProcess(h, code), ec);
}

} // namespace sharemap::detail::process

#endif // SHAREMAP_DETAIL_PROCESS_HPP_INCLUDED
