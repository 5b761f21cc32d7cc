// SPDX-License-Identifier: MIT
#include "support/example_process.hpp"

#include "support/child.hpp"

#include <windows.h>

#include <stdexcept>
#include <utility>

namespace sharemap_test {
namespace {

std::wstring widen(std::string_view s) {
    const int n = MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
    std::wstring w(static_cast<std::size_t>(n), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), w.data(), n);
    return w;
}

void close(void*& h) {
    if (h != nullptr) {
        CloseHandle(h);
        h = nullptr;
    }
}

// A pipe whose child end is inheritable and whose parent end is not, so that only the child we start gets it.
void make_pipe(bool child_reads, HANDLE& parent_end, HANDLE& child_end) {
    SECURITY_ATTRIBUTES inherit{sizeof inherit, nullptr, TRUE};
    HANDLE read_end = nullptr;
    HANDLE write_end = nullptr;
    if (!CreatePipe(&read_end, &write_end, &inherit, 0)) {
        throw std::runtime_error("CreatePipe failed: error " + std::to_string(GetLastError()));
    }
    parent_end = child_reads ? write_end : read_end;
    child_end = child_reads ? read_end : write_end;
    SetHandleInformation(parent_end, HANDLE_FLAG_INHERIT, 0);
}

} // namespace

ExampleProcess::ExampleProcess(const std::string& path, const std::vector<std::string>& args, bool pipe_stdin) {
    HANDLE out_parent = nullptr;
    HANDLE out_child = nullptr;
    HANDLE in_parent = nullptr;
    HANDLE in_child = nullptr;
    make_pipe(false, out_parent, out_child);
    if (pipe_stdin) {
        make_pipe(true, in_parent, in_child);
    }
    // The arguments used here hold no quotes and do not end in a backslash, so plain quoting passes them unchanged.
    std::wstring command = L"\"" + widen(path) + L"\"";
    for (const std::string& a : args) {
        command += L" \"" + widen(a) + L"\"";
    }
    STARTUPINFOW si{};
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in_child;
    si.hStdOutput = out_child;
    si.hStdError = out_child;
    PROCESS_INFORMATION pi{};
    const bool ok = create_process(command, true, &si, &pi);
    const DWORD error = GetLastError();
    // Our copies of the child's ends go now: the pipe then reports end-of-file as soon as the child exits.
    CloseHandle(out_child);
    if (in_child != nullptr) {
        CloseHandle(in_child);
    }
    stdout_ = out_parent;
    stdin_ = in_parent;
    if (!ok) {
        close(stdout_);
        close(stdin_);
        throw std::runtime_error("CreateProcessW(" + path + ") failed: error " + std::to_string(error));
    }
    CloseHandle(pi.hThread);
    process_ = pi.hProcess;
}

ExampleProcess::~ExampleProcess() {
    kill();
    close(process_);
    close(stdout_);
    close(stdin_);
}

bool ExampleProcess::read_line(std::string& line) {
    const ULONGLONG deadline = GetTickCount64() + example_timeout_ms;
    std::size_t end = 0;
    while ((end = output_.find('\n', line_start_)) == std::string::npos) {
        if (!read_some(deadline)) {
            return false;
        }
    }
    line = output_.substr(line_start_, end - line_start_);
    line_start_ = end + 1;
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return true;
}

const std::string& ExampleProcess::read_to_end() {
    const ULONGLONG deadline = GetTickCount64() + example_timeout_ms;
    while (read_some(deadline)) {
    }
    return output_;
}

bool ExampleProcess::send_and_close(std::string_view text) {
    DWORD written = 0;
    const bool ok = WriteFile(stdin_, text.data(), static_cast<DWORD>(text.size()), &written, nullptr) &&
                    written == text.size();
    close(stdin_);
    return ok;
}

unsigned long ExampleProcess::wait() {
    if (WaitForSingleObject(process_, example_timeout_ms) != WAIT_OBJECT_0) {
        kill();
        return example_killed_exit_code;
    }
    DWORD code = example_killed_exit_code;
    GetExitCodeProcess(process_, &code);
    return code;
}

// Appends what the pipe holds, polling until `deadline`; false at end-of-file or on timeout. Anonymous pipes have
// no timed read, but PeekNamedPipe never blocks.
bool ExampleProcess::read_some(unsigned long long deadline) {
    for (;;) {
        DWORD available = 0;
        if (!PeekNamedPipe(stdout_, nullptr, 0, nullptr, &available, nullptr)) {
            return false; // ERROR_BROKEN_PIPE: the child exited and its end is closed
        }
        if (available > 0) {
            std::string chunk(available, '\0');
            DWORD got = 0;
            if (!ReadFile(stdout_, chunk.data(), available, &got, nullptr)) {
                return false;
            }
            output_.append(chunk, 0, got);
            return true;
        }
        if (GetTickCount64() >= deadline) {
            return false;
        }
        Sleep(10);
    }
}

void ExampleProcess::kill() {
    if (process_ != nullptr && WaitForSingleObject(process_, 0) == WAIT_TIMEOUT) {
        TerminateProcess(process_, example_killed_exit_code);
        WaitForSingleObject(process_, example_timeout_ms);
    }
}

} // namespace sharemap_test
