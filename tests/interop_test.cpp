// SPDX-License-Identifier: MIT
// Interop: the 01-named-shared-memory examples run as real processes, sharemap and plain Win32 writers and readers
// in all four pairings. Compiled only when the build passes SHAREMAP_EXAMPLES_DIR, the directory of the example
// executables as a narrow string literal.
#ifdef SHAREMAP_EXAMPLES_DIR

#include <catch2/catch.hpp>

#include <windows.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace {

constexpr DWORD timeout_ms = 20000;            // bound on every wait: a line from the writer, a process's exit
constexpr DWORD killed_exit_code = 0xDEAD7117; // what a child killed for hanging reports
constexpr std::string_view message = "Message from first process.";

// Owns one HANDLE.
class Handle {
public:
    Handle() = default;
    explicit Handle(HANDLE h) : h_(h) {}
    Handle(Handle&& other) noexcept : h_(std::exchange(other.h_, nullptr)) {}
    Handle& operator=(Handle&& other) noexcept {
        if (this != &other) {
            reset();
            h_ = std::exchange(other.h_, nullptr);
        }
        return *this;
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() { reset(); }

    HANDLE get() const { return h_; }
    void reset() {
        if (h_ != nullptr) {
            CloseHandle(h_);
            h_ = nullptr;
        }
    }

private:
    HANDLE h_ = nullptr;
};

std::wstring widen(std::string_view s) {
    const int n = MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
    std::wstring w(static_cast<std::size_t>(n), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), w.data(), n);
    return w;
}

// A pipe whose `child` end is inheritable and whose `parent` end is not, so that only the child we start gets it.
struct Pipe {
    Handle parent;
    Handle child;
};

Pipe make_pipe(bool child_reads) {
    SECURITY_ATTRIBUTES inherit{sizeof inherit, nullptr, TRUE};
    HANDLE read_end = nullptr;
    HANDLE write_end = nullptr;
    if (!CreatePipe(&read_end, &write_end, &inherit, 0)) {
        throw std::runtime_error("CreatePipe failed: error " + std::to_string(GetLastError()));
    }
    Pipe p{Handle(child_reads ? write_end : read_end), Handle(child_reads ? read_end : write_end)};
    SetHandleInformation(p.parent.get(), HANDLE_FLAG_INHERIT, 0);
    return p;
}

// One example executable running as a child process: stdout and stderr go to one pipe we read, stdin optionally
// comes from a pipe we write. A child still running when this object dies is killed.
class Process {
public:
    Process(const std::string& program, const std::string& object_name, bool pipe_stdin) {
        path_ = std::string(SHAREMAP_EXAMPLES_DIR) + "/01-named-shared-memory-" + program + ".exe";
        Pipe out = make_pipe(false);
        Pipe in;
        if (pipe_stdin) {
            in = make_pipe(true);
        }
        // The name has no quotes and does not end in a backslash, so plain quoting passes it through unchanged.
        std::wstring command = L"\"" + widen(path_) + L"\" \"" + widen(object_name) + L"\"";
        STARTUPINFOW si{};
        si.cb = sizeof si;
        si.dwFlags = STARTF_USESTDHANDLES;
        si.hStdInput = in.child.get();
        si.hStdOutput = out.child.get();
        si.hStdError = out.child.get();
        PROCESS_INFORMATION pi{};
        if (!CreateProcessW(nullptr, command.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr, &si, &pi)) {
            throw std::runtime_error("CreateProcessW(" + path_ + ") failed: error " + std::to_string(GetLastError()));
        }
        CloseHandle(pi.hThread);
        process_ = Handle(pi.hProcess);
        // Our copies of the child's ends go now: the pipe then reports end-of-file as soon as the child exits.
        stdout_ = std::move(out.parent);
        stdin_ = std::move(in.parent);
    }
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
    ~Process() { kill(); }

    // Everything read from the child so far.
    const std::string& output() const { return output_; }

    // Reads until the output holds a whole line, which it returns without its line ending. False if the child
    // closed its output first, or after timeout_ms.
    bool read_line(std::string& line) {
        const ULONGLONG deadline = GetTickCount64() + timeout_ms;
        std::size_t end = 0;
        while ((end = output_.find('\n')) == std::string::npos) {
            if (!read_some(deadline)) {
                return false;
            }
        }
        line = output_.substr(0, end);
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        return true;
    }

    // Reads until the child closes its output (it exited) or timeout_ms; returns everything read.
    const std::string& read_to_end() {
        const ULONGLONG deadline = GetTickCount64() + timeout_ms;
        while (read_some(deadline)) {
        }
        return output_;
    }

    // Writes to the child's stdin and closes it.
    bool send_and_close(std::string_view text) {
        DWORD written = 0;
        const bool ok = WriteFile(stdin_.get(), text.data(), static_cast<DWORD>(text.size()), &written, nullptr) &&
                        written == text.size();
        stdin_.reset();
        return ok;
    }

    // Waits for the child to exit, at most timeout_ms; returns its exit code, or killed_exit_code for a child that
    // hung and was killed.
    DWORD wait() {
        if (WaitForSingleObject(process_.get(), timeout_ms) != WAIT_OBJECT_0) {
            kill();
            return killed_exit_code;
        }
        DWORD code = killed_exit_code;
        GetExitCodeProcess(process_.get(), &code);
        return code;
    }

private:
    // Appends what the pipe holds, polling until `deadline`; false at end-of-file or on timeout. Anonymous pipes
    // have no timed read, but PeekNamedPipe never blocks.
    bool read_some(ULONGLONG deadline) {
        for (;;) {
            DWORD available = 0;
            if (!PeekNamedPipe(stdout_.get(), nullptr, 0, nullptr, &available, nullptr)) {
                return false; // ERROR_BROKEN_PIPE: the child exited and its end is closed
            }
            if (available > 0) {
                std::string chunk(available, '\0');
                DWORD got = 0;
                if (!ReadFile(stdout_.get(), chunk.data(), available, &got, nullptr)) {
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

    void kill() {
        if (process_.get() != nullptr && WaitForSingleObject(process_.get(), 0) == WAIT_TIMEOUT) {
            TerminateProcess(process_.get(), killed_exit_code);
            WaitForSingleObject(process_.get(), timeout_ms);
        }
    }

    std::string path_;
    Handle process_;
    Handle stdout_;
    Handle stdin_;
    std::string output_;
};

// "Local\sharemap-interop-<pid>-<n>": unique to this process and call, so parallel test runs never collide.
std::string unique_name() {
    static unsigned counter = 0;
    return "Local\\sharemap-interop-" + std::to_string(GetCurrentProcessId()) + "-" + std::to_string(++counter);
}

// Starts `writer_program`, waits for its "wrote" line, runs `reader_program` on the same name and checks that it
// read the message, then lets the writer go with a newline. Both must exit with 0.
void check_pair(const std::string& writer_program, const std::string& reader_program) {
    const std::string name = unique_name();
    INFO(writer_program << " -> " << reader_program << " on " << name);

    Process writer(writer_program, name, true);
    std::string line;
    const bool writer_ready = writer.read_line(line);
    INFO("writer output: " << writer.output());
    REQUIRE(writer_ready);
    REQUIRE_THAT(line, Catch::Matchers::Contains("wrote \"" + std::string(message) + "\""));

    Process reader(reader_program, name, false);
    const std::string read = reader.read_to_end();
    const DWORD reader_exit = reader.wait();
    INFO("reader output: " << read);
    CHECK_THAT(read, Catch::Matchers::Contains("read \"" + std::string(message) + "\""));
    CHECK(reader_exit == 0);

    CHECK(writer.send_and_close("\n"));
    CHECK(writer.wait() == 0);
}

} // namespace

TEST_CASE("interop: sharemap writer to sharemap reader", "[interop][examples]") { check_pair("writer", "reader"); }

TEST_CASE("interop: raw Win32 writer to sharemap reader", "[interop][examples]") { check_pair("raw_writer", "reader"); }

TEST_CASE("interop: sharemap writer to raw Win32 reader", "[interop][examples]") { check_pair("writer", "raw_reader"); }

TEST_CASE("interop: raw Win32 writer to raw Win32 reader", "[interop][examples]") {
    check_pair("raw_writer", "raw_reader");
}

#endif // SHAREMAP_EXAMPLES_DIR
