// SPDX-License-Identifier: MIT
#include "support/child.hpp"

#include <windows.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <random>
#include <stdexcept>
#include <utility>

namespace sharemap_test {
namespace {

std::map<std::string, ChildFunction>& registry() {
    static std::map<std::string, ChildFunction> roles;
    return roles;
}

std::wstring widen(const std::string& s) {
    if (s.empty()) {
        return {};
    }
    const int n = MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
    std::wstring w(static_cast<std::size_t>(n), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), w.data(), n);
    return w;
}

// Quotes one argument so that CommandLineToArgvW / the CRT give it back unchanged.
std::wstring quote(const std::wstring& arg) {
    std::wstring out = L"\"";
    std::size_t backslashes = 0;
    for (wchar_t c : arg) {
        if (c == L'\\') {
            ++backslashes;
            continue;
        }
        out.append(c == L'"' ? backslashes * 2 + 1 : backslashes, L'\\');
        backslashes = 0;
        out.push_back(c);
    }
    out.append(backslashes * 2, L'\\');
    out.push_back(L'"');
    return out;
}

std::wstring self_path() {
    std::wstring path(32768, L'\0');
    const DWORD n = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
    path.resize(n);
    return path;
}

// The program a Child runs: another build of these tests if SHAREMAP_TEST_CHILD_PROGRAM names one (scripts/bitness.sh
// names the other bitness's, so that every child role runs 32-bit under a 64-bit parent and the other way round),
// else this one.
std::wstring child_program() {
    static const std::wstring program = [] {
        std::wstring other(32768, L'\0');
        const DWORD n = GetEnvironmentVariableW(L"SHAREMAP_TEST_CHILD_PROGRAM", other.data(),
                                                static_cast<DWORD>(other.size()));
        other.resize(n < other.size() ? n : 0);
        return other.empty() ? self_path() : other;
    }();
    return program;
}

} // namespace

ChildRegistrar::ChildRegistrar(const char* role, ChildFunction fn) { registry()[role] = fn; }

bool dispatch_child(int argc, char** argv, int& exit_code) {
    if (argc < 3 || std::string(argv[1]) != "--child") {
        return false;
    }
    const auto it = registry().find(argv[2]);
    if (it == registry().end()) {
        std::fprintf(stderr, "child: unknown role %s\n", argv[2]);
        exit_code = 100;
        return true;
    }
    const Args args(argv + 3, argv + argc);
    try {
        exit_code = it->second(args);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "child %s: %s\n", argv[2], e.what());
        exit_code = 101;
    }
    std::fflush(stdout);
    std::fflush(stderr);
    return true;
}

unsigned long start_retrying(const std::function<unsigned long()>& start) {
    for (int attempt = 1;; ++attempt) {
        const unsigned long error = start();
        if (error != ERROR_INTERNAL_ERROR || attempt == 3) {
            return error;
        }
        std::fprintf(stderr, "note: starting a process failed with ERROR_INTERNAL_ERROR (Wine did not start it); "
                             "trying again\n");
    }
}

bool create_process(std::wstring& command_line, bool inherit_handles, void* startup_info, void* process_information) {
    const unsigned long error = start_retrying([&]() -> unsigned long {
        if (CreateProcessW(nullptr, command_line.data(), nullptr, nullptr, inherit_handles ? TRUE : FALSE, 0, nullptr,
                           nullptr, static_cast<STARTUPINFOW*>(startup_info),
                           static_cast<PROCESS_INFORMATION*>(process_information))) {
            return 0;
        }
        const DWORD failure = GetLastError();
        return failure != 0 ? failure : ERROR_GEN_FAILURE; // a failure is never 0, which means started
    });
    SetLastError(error);
    return error == 0;
}

Child Child::start(const std::string& role, const Args& args, bool inherit_handles) {
    std::wstring cmd = quote(child_program()) + L" --child " + quote(widen(role));
    for (const auto& a : args) {
        cmd += L" " + quote(widen(a));
    }
    STARTUPINFOW si{};
    si.cb = sizeof si;
    PROCESS_INFORMATION pi{};
    std::fflush(stdout);
    if (!create_process(cmd, inherit_handles, &si, &pi)) {
        throw std::runtime_error("CreateProcessW failed: " + std::to_string(GetLastError()));
    }
    CloseHandle(pi.hThread);
    Child c;
    c.process_ = pi.hProcess;
    c.pid_ = pi.dwProcessId;
    return c;
}

Child::Child(Child&& other) noexcept
    : process_(std::exchange(other.process_, nullptr)), pid_(std::exchange(other.pid_, 0)) {}

Child& Child::operator=(Child&& other) noexcept {
    if (this != &other) {
        kill();
        process_ = std::exchange(other.process_, nullptr);
        pid_ = std::exchange(other.pid_, 0);
    }
    return *this;
}

Child::~Child() { kill(); }

void Child::kill(unsigned long exit_code) {
    if (process_ == nullptr) {
        return;
    }
    if (WaitForSingleObject(process_, 0) == WAIT_TIMEOUT) {
        TerminateProcess(process_, exit_code);
        WaitForSingleObject(process_, 10000);
    }
    CloseHandle(process_);
    process_ = nullptr;
}

unsigned long Child::wait(std::chrono::milliseconds timeout) {
    if (process_ == nullptr) {
        throw std::logic_error("Child::wait on an empty Child");
    }
    if (WaitForSingleObject(process_, static_cast<DWORD>(timeout.count())) != WAIT_OBJECT_0) {
        std::fprintf(stderr, "child %lu hung for %lld ms: killed\n", pid_, static_cast<long long>(timeout.count()));
        kill(timed_out_exit_code);
        return timed_out_exit_code;
    }
    DWORD code = 0;
    GetExitCodeProcess(process_, &code);
    CloseHandle(process_);
    process_ = nullptr;
    return code;
}

unsigned long run_child(const std::string& role, const Args& args, std::chrono::milliseconds timeout) {
    return Child::start(role, args).wait(timeout);
}

namespace {
// "<pid>-<random>": process ids repeat across runs (a fresh wineserver hands out the same ones), and a file left
// in the temporary folder by a run that was killed must not collide with a later run's.
const std::string& process_token() {
    static const std::string token = [] {
        std::random_device random;
        char text[32];
        (void)std::snprintf(text, sizeof text, "%lu-%08x", static_cast<unsigned long>(GetCurrentProcessId()),
                            static_cast<unsigned>(random()));
        return std::string(text);
    }();
    return token;
}
} // namespace

std::string unique_name(const std::string& tag) {
    static std::atomic<unsigned> counter{0};
    return "Local\\sharemap-test-" + process_token() + "-" + std::to_string(++counter) + "-" + tag;
}

std::filesystem::path unique_temp_path(const std::string& tag) {
    static std::atomic<unsigned> counter{0};
    return std::filesystem::temp_directory_path() /
           ("sharemap-test-" + process_token() + "-" + std::to_string(++counter) + "-" + tag);
}

void child_check(bool condition, const char* what) {
    if (!condition) {
        throw std::runtime_error(std::string("check failed: ") + what);
    }
}

} // namespace sharemap_test
