// SPDX-License-Identifier: MIT
// Test support: an example program run as a child process, its stdout and stderr captured through a pipe and its
// stdin optionally fed through another. Every wait is bounded; a child still running at the end is killed.
#ifndef SHAREMAP_TESTS_SUPPORT_EXAMPLE_PROCESS_HPP_INCLUDED
#define SHAREMAP_TESTS_SUPPORT_EXAMPLE_PROCESS_HPP_INCLUDED

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sharemap_test {

/// Bound on every wait: a line of output, a process's exit.
inline constexpr unsigned long example_timeout_ms = 20000;
/// What wait() reports for a child that hung and was killed.
inline constexpr unsigned long example_killed_exit_code = 0xDEAD7117;

class ExampleProcess {
public:
    /// Starts `path` with `args`; with `pipe_stdin`, its stdin is a pipe that send_and_close() writes.
    ExampleProcess(const std::string& path, const std::vector<std::string>& args, bool pipe_stdin);
    ExampleProcess(const ExampleProcess&) = delete;
    ExampleProcess& operator=(const ExampleProcess&) = delete;
    ~ExampleProcess();

    /// Everything read from the child so far.
    const std::string& output() const { return output_; }
    /// The next line not yet returned by read_line (the first line on the first call), without its line ending;
    /// reads more output as needed. False if the child closed its output first, or after the timeout.
    bool read_line(std::string& line);
    /// Reads until the child closes its output (it exited) or the timeout; returns everything read.
    const std::string& read_to_end();
    /// Writes to the child's stdin and closes it.
    bool send_and_close(std::string_view text);
    /// Waits for the child to exit (bounded); its exit code, or example_killed_exit_code if it hung.
    unsigned long wait();

private:
    bool read_some(unsigned long long deadline);
    void kill();

    void* process_ = nullptr;
    void* stdout_ = nullptr;
    void* stdin_ = nullptr;
    std::string output_;
    std::size_t line_start_ = 0; // where read_line's next line begins in output_
};

} // namespace sharemap_test

#endif // SHAREMAP_TESTS_SUPPORT_EXAMPLE_PROCESS_HPP_INCLUDED
