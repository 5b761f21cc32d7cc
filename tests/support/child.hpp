// SPDX-License-Identifier: MIT
// Test support: real child processes. The test binary relaunches itself as `<exe> --child <role> args...`;
// main() dispatches that to a function registered with SHAREMAP_TEST_CHILD before Catch ever starts.
#ifndef SHAREMAP_TESTS_SUPPORT_CHILD_HPP_INCLUDED
#define SHAREMAP_TESTS_SUPPORT_CHILD_HPP_INCLUDED

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace sharemap_test {

using Args = std::vector<std::string>;
using ChildFunction = int (*)(const Args& args);

/// Registers a child role at static-initialisation time.
struct ChildRegistrar {
    ChildRegistrar(const char* role, ChildFunction fn);
};

/// Runs the child role named in argv if argv asks for one; returns true and sets exit_code if it did.
bool dispatch_child(int argc, char** argv, int& exit_code);

/// Exit code reported by Child::wait when the child did not finish in time and was killed.
inline constexpr unsigned long timed_out_exit_code = 0xDEAD7117;

/// A child process running one registered role of this test binary (or, if the environment variable
/// SHAREMAP_TEST_CHILD_PROGRAM names another build of it, of that build: scripts/bitness.sh). Its destructor kills
/// it if still running, so a failing test never leaves a process behind.
class Child {
public:
    /// Starts `role` with `args`. `inherit_handles` passes inheritable handles to the child.
    static Child start(const std::string& role, const Args& args = {}, bool inherit_handles = false);

    Child(Child&& other) noexcept;
    Child& operator=(Child&& other) noexcept;
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child();

    /// Waits at most `timeout`; returns the exit code, or timed_out_exit_code after killing a child that hung.
    unsigned long wait(std::chrono::milliseconds timeout = std::chrono::seconds(60));
    /// Kills the child now (TerminateProcess) with `exit_code`.
    void kill(unsigned long exit_code = 1);
    /// The child's process handle (a HANDLE) and id.
    void* process_handle() const noexcept { return process_; }
    unsigned long pid() const noexcept { return pid_; }

private:
    Child() = default;
    void* process_ = nullptr;
    unsigned long pid_ = 0;
};

/// Starts `role`, waits for it (bounded), returns its exit code.
unsigned long run_child(const std::string& role, const Args& args = {},
                        std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// Runs `start`, which starts a process and returns 0 or the Win32 error it failed with, again (up to 3 times in all)
/// while it fails with ERROR_INTERNAL_ERROR (1359): that is Wine failing to start the new process (it died before
/// running any of its code), seen in CI runs and never reproduced on its own. Each retry is noted on stderr.
/// Returns the last attempt's result.
unsigned long start_retrying(const std::function<unsigned long()>& start);

/// CreateProcessW(nullptr, command_line, nullptr, nullptr, inherit_handles, 0, nullptr, nullptr, startup_info,
/// process_information) through start_retrying. Returns CreateProcessW's result, with GetLastError() as
/// CreateProcessW left it. (STARTUPINFOW and PROCESS_INFORMATION, as void* to keep <windows.h> out of this header.)
bool create_process(std::wstring& command_line, bool inherit_handles, void* startup_info, void* process_information);

/// An object name no other test process uses: "Local\sharemap-test-<pid>-<random>-<counter>-<tag>".
std::string unique_name(const std::string& tag);

/// A path in the temporary folder that no other test process uses; nothing is created.
std::filesystem::path unique_temp_path(const std::string& tag);

/// Removes a file when it goes out of scope (errors ignored: cleanup must not hide a test's own failure).
class TempFile {
public:
    explicit TempFile(const std::string& tag) : path_(unique_temp_path(tag)) {}
    ~TempFile() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

/// Thrown by child_check inside a child: main reports it and exits with code 1.
void child_check(bool condition, const char* what);

} // namespace sharemap_test

/// Defines a child role: `SHAREMAP_TEST_CHILD(role_name) { ...; return 0; }`, with `args` in scope.
#define SHAREMAP_TEST_CHILD(role)                                                                                      \
    static int role##_child_main(const ::sharemap_test::Args& args);                                                   \
    static const ::sharemap_test::ChildRegistrar role##_child_registrar(#role, &role##_child_main);                    \
    static int role##_child_main([[maybe_unused]] const ::sharemap_test::Args& args)

/// In a child: fail with a message naming the condition.
#define CHILD_CHECK(cond) ::sharemap_test::child_check(static_cast<bool>(cond), #cond)

#endif // SHAREMAP_TESTS_SUPPORT_CHILD_HPP_INCLUDED
