// SPDX-License-Identifier: MIT
// sharemap: the Win32 calls behind Process: CreateProcessW with an explicit list of inherited handles.
#ifndef SHAREMAP_DETAIL_PROCESS_HPP_INCLUDED
#define SHAREMAP_DETAIL_PROCESS_HPP_INCLUDED

#include "sharemap/detail/error.hpp"
#include "sharemap/detail/object.hpp"
#include "sharemap/detail/win32.hpp"

#include <cstddef>
#include <memory>
#include <new>
#include <string>
#include <system_error>

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

/// CreateProcessW of `command_line` inheriting exactly `handles` (every one must already be inheritable).
/// Returns the process handle (the thread handle is closed) and its id.
inline win32::handle_t start(std::wstring& command_line, void* const* handles, std::size_t count, win32::dword_t& pid,
                             std::error_code& ec) noexcept {
    for (std::size_t i = 0; i < count; ++i) {
        const bool inheritable = is_inheritable(handles[i], ec);
        if (ec) {
            return nullptr;
        }
        if (!inheritable) { // Windows fails CreateProcessW for these, but not every system does: say it here
            ec = errc_error(std::errc::invalid_argument);
            return nullptr;
        }
    }
    win32::StartupInfoEx si{};
    si.cb = sizeof(si);
    std::unique_ptr<unsigned char[]> list_storage;
    if (count != 0) {
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
                                        static_cast<void*>(const_cast<void**>(handles)), count * sizeof(void*), nullptr,
                                        nullptr) == 0) {
            ec = last_error();
            ::DeleteProcThreadAttributeList(si.attribute_list);
            return nullptr;
        }
    }
    win32::ProcessInformation pi{};
    const int ok = ::CreateProcessW(nullptr, command_line.data(), nullptr, nullptr, count != 0 ? 1 : 0,
                                    count != 0 ? win32::extended_startupinfo_present : 0, nullptr, nullptr,
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
