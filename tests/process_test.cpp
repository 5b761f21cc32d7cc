// SPDX-License-Identifier: MIT
// Process: handles given to one child only (inheritable duplicates made for the spawn), standard handles passed on or
// redirected, working directory, runtime argument lists, and a Process as something wait_any can wait on.
#include <sharemap/file.hpp>
#include <sharemap/file_mapping.hpp>
#include <sharemap/named_event.hpp>
#include <sharemap/process.hpp>
#include <sharemap/wait.hpp>

#include <catch2/catch.hpp>

#include "support/child.hpp"
#include "support/common.hpp"
#include "support/leaks.hpp"

#include <windows.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using sharemap::Access;
using sharemap::File;
using sharemap::FileMapping;
using sharemap::inherited;
using sharemap::Process;
using sharemap::ProcessOptions;
using sharemap_test::Child;
using sharemap_test::count_resources;
using sharemap_test::handle_from;
using sharemap_test::handle_text;
using sharemap_test::TempFile;

namespace {

bool is_inheritable(void* h) {
    DWORD flags = 0;
    return GetHandleInformation(h, &flags) != FALSE && (flags & HANDLE_FLAG_INHERIT) != 0;
}

// The values of this process's inheritable handles, probed as support/leaks.cpp counts handles.
std::set<std::uintptr_t> inheritable_handles() {
    std::set<std::uintptr_t> found;
    std::uintptr_t unused_run = 0;
    for (std::uintptr_t value = 4; unused_run < 4096; value += 4) {
        DWORD flags = 0;
        if (GetHandleInformation(reinterpret_cast<HANDLE>(value), &flags) == FALSE) {
            ++unused_run;
            continue;
        }
        unused_run = 0;
        if ((flags & HANDLE_FLAG_INHERIT) != 0) {
            found.insert(value);
        }
    }
    return found;
}

// The C runtime writes "\r\n" for "\n" in text mode: compare without the '\r'.
std::string without_cr(std::string text) {
    text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
    return text;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return without_cr(text.str());
}

std::wstring self() { return Process::current_executable().wstring(); }

// Shared between the parent and the child of the first test: what the child saw, and when it may end.
struct Mailbox {
    char message[32];
    std::uint64_t value_seen; // the handle value the child was given
    volatile long ready;      // set by the child once value_seen is written
    volatile long done;       // set by the parent: the child may exit
};

bool wait_for_flag(volatile long& flag) {
    for (int i = 0; i < 6000 && flag == 0; ++i) {
        Sleep(10);
    }
    return flag != 0;
}

} // namespace

// Child: adopts the section whose handle value is args[0] and checks the parent's message; with args[1] "stay", also
// writes the value it was given and stays until the parent says done. Exit codes: 0 ok; 20 the value is not a
// section in this process.
SHAREMAP_TEST_CHILD(process_use_section) {
    std::error_code ec;
    FileMapping mapping = FileMapping::adopt(handle_from(args.at(0)), Access::read_write, ec);
    if (ec) {
        return 20;
    }
    auto view = mapping.map();
    auto* mailbox = view.as<Mailbox>();
    CHILD_CHECK(std::strcmp(mailbox->message, "from the parent") == 0);
    if (args.size() < 2 || args[1] != "stay") {
        return 0;
    }
    mailbox->value_seen = std::stoull(args.at(0));
    InterlockedExchange(&mailbox->ready, 1);
    CHILD_CHECK(wait_for_flag(mailbox->done));
    return 0;
}

TEST_CASE("Process::start gives the child a duplicate of a non-inheritable handle that no other child gets",
          "[process][handles]") {
    FileMapping section = FileMapping::create_unnamed(65536); // not inheritable
    REQUIRE_FALSE(section.is_inheritable());
    auto view = section.map();
    auto* mailbox = view.as<Mailbox>();
    std::strcpy(mailbox->message, "from the parent");

    const std::set<std::uintptr_t> inheritable_before = inheritable_handles();
    const auto before = count_resources();
    Process child = Process::start(self(), {"--child", "process_use_section", inherited(section), "stay"});
    const auto after = count_resources();
    // Only the process handle is new: the duplicate made for the child is closed, and nothing became inheritable.
    CHECK(after.handles == before.handles + 1);
    CHECK(inheritable_handles() == inheritable_before);
    CHECK_FALSE(is_inheritable(section.native_handle()));

    REQUIRE(wait_for_flag(mailbox->ready));
    const std::uint64_t child_value = mailbox->value_seen;
    INFO("the parent's handle " << handle_text(section.native_handle()) << ", the child's " << child_value);
    // While that child runs, a child started by plain CreateProcessW(bInheritHandles = TRUE) gets neither the
    // parent's handle nor the duplicate the first child got.
    CHECK(Child::start("process_use_section", {handle_text(section.native_handle())}, true).wait() == 20);
    CHECK(Child::start("process_use_section", {std::to_string(child_value)}, true).wait() == 20);
    InterlockedExchange(&mailbox->done, 1);
    CHECK(child.wait() == 0);

    SECTION("an inheritable handle not given to the child does not reach it either") {
        FileMapping other = FileMapping::create_unnamed(65536, sharemap::CreateOptions().inheritable());
        const auto other_view = other.map();
        std::strcpy(other_view.as<Mailbox>()->message, "from the parent");
        Process unlisted = Process::start(
            self(), {"--child", "process_use_section", handle_text(other.native_handle()), inherited(section)});
        CHECK(unlisted.wait() == 20);
    }
    SECTION("a runtime list of arguments with an inherited handle") {
        InterlockedExchange(&mailbox->done, 1);
        std::vector<sharemap::ProcessArgument> arguments{"--child", "process_use_section"};
        arguments.push_back(inherited(section));
        arguments.push_back("stay");
        CHECK(Process::start(self(), arguments).wait() == 0);
    }
}

TEST_CASE("Process::start fails cleanly, closing what it duplicated", "[process][errors]") {
    FileMapping section = FileMapping::create_unnamed(4096);
    FileMapping empty_section;
    File empty_file;
    std::error_code ec;
    const auto before = count_resources();
    Process p = Process::start(self() + L".missing.exe", {inherited(section)}, {}, ec);
    CHECK(ec == std::errc::no_such_file_or_directory);
    CHECK_FALSE(p);
    CHECK(count_resources() == before); // the duplicate of `section` is closed on failure too
    CHECK_FALSE(section.is_inheritable());

    p = Process::start(self(), {inherited(section), inherited(empty_section)}, {}, ec);
    CHECK(ec == std::errc::bad_file_descriptor); // ERROR_INVALID_HANDLE
    p = Process::start(self(), {"--child", "process_echo"}, ProcessOptions().standard_output(empty_file), ec);
    CHECK(ec == std::errc::bad_file_descriptor); // INVALID_HANDLE_VALUE is not taken for this process
    CHECK_FALSE(p);
    CHECK(count_resources() == before);
    CHECK_THROWS_AS(Process::start(self(), {inherited(empty_file)}), std::system_error);
    p = Process::start(self(), {"--child", "process_echo"},
                       ProcessOptions().working_directory(sharemap_test::unique_temp_path("no-such-dir")), ec);
    CHECK(ec);
    CHECK_FALSE(p);
}

// Child: prints its arguments, one per line in brackets, after their count, then its current directory, then whether
// its parent gave it standard handles explicitly (STARTF_USESTDHANDLES).
SHAREMAP_TEST_CHILD(process_echo) {
    std::printf("argc=%u\n", static_cast<unsigned>(args.size()));
    for (const std::string& a : args) {
        std::printf("[%s]\n", a.c_str());
    }
    std::printf("cwd=%s\n", std::filesystem::current_path().string().c_str());
    STARTUPINFOW si{};
    si.cb = sizeof si;
    GetStartupInfoW(&si);
    std::printf("usestdhandles=%d\n", (si.dwFlags & STARTF_USESTDHANDLES) != 0 ? 1 : 0);
    return 0;
}

TEST_CASE("standard_output to a File: the child's text lands in the file; runtime arguments, empty ones as \"\"",
          "[process][stdio]") {
    TempFile out("echo-out.txt");
    {
        File file = File::create(out.path().wstring());
        const std::vector<std::string> arguments{"--child", "process_echo", "a b", "", "\"quoted\""};
        CHECK(Process::start(self(), arguments, ProcessOptions().standard_output(file)).wait() == 0);
        const std::vector<std::wstring> wide{L"--child", L"process_echo", L"", L"wide"};
        CHECK(Process::start(self(), wide, ProcessOptions().standard_output(file)).wait() == 0);
    }
    const std::string text = read_file(out.path());
    INFO(text);
    CHECK_THAT(text, Catch::Matchers::StartsWith("argc=3\n[a b]\n[]\n[\"quoted\"]\ncwd="));
    CHECK_THAT(text, Catch::Matchers::Contains("argc=2\n[]\n[wide]\ncwd="));
}

TEST_CASE("working_directory: the child starts in the given folder", "[process]") {
    const std::filesystem::path folder = sharemap_test::unique_temp_path("cwd");
    std::filesystem::create_directory(folder);
    TempFile out("cwd-out.txt");
    {
        File file = File::create(out.path().wstring());
        CHECK(Process::start(self(), {"--child", "process_echo"},
                             ProcessOptions().standard_output(file).working_directory(folder))
                  .wait() == 0);
    }
    const std::string text = read_file(out.path());
    INFO(text);
    const auto at = text.find("cwd=");
    REQUIRE(at != std::string::npos);
    const std::string reported = text.substr(at + 4, text.find('\n', at) - at - 4);
    CHECK(std::filesystem::equivalent(reported, folder));
    std::error_code ec;
    std::filesystem::remove(folder, ec);
}

// Child: reads a line from standard input and writes it to standard output and standard error.
SHAREMAP_TEST_CHILD(process_copy_stdin) {
    std::string line;
    std::getline(std::cin, line);
    std::printf("out=%s\n", line.c_str());
    std::fprintf(stderr, "err=%s\n", line.c_str());
    return 0;
}

TEST_CASE("standard_input, standard_output and standard_error each redirected to a file", "[process][stdio]") {
    TempFile in("stdin.txt");
    TempFile out("stdout.txt");
    TempFile err("stderr.txt");
    {
        std::ofstream(in.path(), std::ios::binary) << "typed in\n";
        File input = File::open(in.path().wstring(), Access::read);
        File output = File::create(out.path().wstring());
        File error = File::create(err.path().wstring());
        const ProcessOptions options = ProcessOptions().standard_input(input).standard_output(output).standard_error(
            error);
        CHECK(Process::start(self(), {"--child", "process_copy_stdin"}, options).wait() == 0);
    }
    CHECK(read_file(out.path()) == "out=typed in\n");
    CHECK(read_file(err.path()) == "err=typed in\n");
}

// Child: starts process_echo with the default options (this child's standard handles), and waits for it.
SHAREMAP_TEST_CHILD(process_middle) {
    std::printf("middle\n");
    return static_cast<int>(
        Process::start(Process::current_executable(), {"--child", "process_echo", "grandchild"}).wait());
}

// Wine 8 gives a console child its parent's standard handles even when they are not passed (seen: the grandchild's
// text arrived without them), and Windows reportedly does for a console child too, not for a GUI-subsystem one.
// What start() adds is passing them explicitly (STARTF_USESTDHANDLES): the grandchild reports that flag.
TEST_CASE("By default a child writes to its parent's standard output when that is a file", "[process][stdio]") {
    TempFile out("middle-out.txt");
    {
        File file = File::create(out.path().wstring());
        CHECK(Process::start(self(), {"--child", "process_middle"}, ProcessOptions().standard_output(file)).wait() ==
              0);
    }
    const std::string text = read_file(out.path());
    INFO(text);
    CHECK_THAT(text, Catch::Matchers::StartsWith("middle\nargc=1\n[grandchild]\n"));
    CHECK_THAT(text, Catch::Matchers::EndsWith("usestdhandles=1\n"));
}

TEST_CASE("standard_output to a pipe: the text arrives, and the pipe ends when the child does", "[process][stdio]") {
    HANDLE read_end = nullptr;
    HANDLE write_end = nullptr;
    REQUIRE(CreatePipe(&read_end, &write_end, nullptr, 0)); // neither end inheritable
    Process child = Process::start(self(), {"--child", "process_echo", "piped"},
                                   ProcessOptions().standard_output(write_end).standard_error(nullptr));
    CloseHandle(write_end);
    CHECK(child.wait_for(std::chrono::seconds(60)));
    // Drain; the pipe reports ERROR_BROKEN_PIPE once no write end is open, so a duplicate start() kept would show.
    std::string text;
    DWORD error = 0;
    for (int i = 0; i < 500; ++i) {
        DWORD available = 0;
        if (!PeekNamedPipe(read_end, nullptr, 0, nullptr, &available, nullptr)) {
            error = GetLastError();
            break;
        }
        if (available == 0) {
            Sleep(10);
            continue;
        }
        char buffer[256];
        DWORD n = 0;
        REQUIRE(ReadFile(read_end, buffer, sizeof buffer, &n, nullptr));
        text.append(buffer, n);
    }
    CloseHandle(read_end);
    CHECK(error == ERROR_BROKEN_PIPE);
    CHECK_THAT(without_cr(text), Catch::Matchers::StartsWith("argc=1\n[piped]\n"));
}

// Child: sleeps (at most a minute), to be killed.
SHAREMAP_TEST_CHILD(process_sleep) {
    Sleep(60000);
    return 0;
}

TEST_CASE("wait_any on an event and a process returns the process's index as soon as it is killed", "[process][wait]") {
    sharemap::NamedEvent data_ready = sharemap::NamedEvent::create_unnamed(sharemap::EventReset::manual,
                                                                           sharemap::EventState::unset);
    Process peer = Process::start(self(), {"--child", "process_sleep"});
    CHECK(sharemap::wait_any({data_ready, peer}, std::chrono::milliseconds(0)).status ==
          sharemap::WaitStatus::timed_out);

    std::thread killer([&] {
        Sleep(300); // not sleep_for: see support/leak_listener.cpp
        peer.terminate(9);
    });
    const sharemap::WaitResult r = sharemap::wait_any({data_ready, peer}, std::chrono::seconds(60));
    killer.join();
    CHECK(r.status == sharemap::WaitStatus::signaled); // not timed_out: the peer's end, not the timeout, ended it
    CHECK(r.index == 1);
    CHECK(peer.exit_code() == 9);
    // An ended process stays signalled: waiting takes nothing.
    data_ready.set();
    CHECK(sharemap::wait_all({data_ready, peer}, std::chrono::seconds(0)).status == sharemap::WaitStatus::signaled);

    Process empty;
    std::error_code ec;
    (void)sharemap::wait_any({data_ready, empty}, ec);
    CHECK(ec == std::errc::bad_file_descriptor);
}

TEST_CASE("Process: wait_until, close and release", "[process]") {
    Process p = Process::start(self(), {"--child", "process_sleep"});
    CHECK_FALSE(p.wait_until(std::chrono::steady_clock::now() + std::chrono::milliseconds(50)));
    p.terminate(3);
    CHECK(p.wait_until(std::chrono::system_clock::now() + std::chrono::seconds(60)));

    const auto before = count_resources();
    void* h = p.release();
    CHECK_FALSE(p);
    CHECK(p.id() == 0);
    CHECK(count_resources() == before); // released, not closed
    DWORD code = 0;
    CHECK(GetExitCodeProcess(h, &code));
    CHECK(code == 3);
    CloseHandle(h);

    Process q = Process::start(self(), {"--child", "process_echo"},
                               ProcessOptions().standard_output(nullptr).standard_error(nullptr));
    const auto open = count_resources();
    q.close();
    CHECK_FALSE(q);
    CHECK(count_resources().handles == open.handles - 1);
    std::error_code ec;
    (void)q.wait(ec);
    CHECK(ec == std::errc::bad_file_descriptor);
}

TEST_CASE("An empty Process: wait_for, wait_until and wait_any fail with bad_file_descriptor in both forms",
          "[process][errors]") {
    Process empty;
    std::error_code ec;
    CHECK_FALSE(empty.wait_for(std::chrono::milliseconds(1), ec));
    CHECK(ec == std::errc::bad_file_descriptor);
    CHECK_FALSE(empty.wait_until(std::chrono::steady_clock::now(), ec));
    CHECK(ec == std::errc::bad_file_descriptor);
    (void)sharemap::wait_any({empty}, std::chrono::milliseconds(1), ec);
    CHECK(ec == std::errc::bad_file_descriptor);
    CHECK_THROWS_AS(empty.wait_for(std::chrono::milliseconds(1)), std::system_error);
    CHECK_THROWS_AS(empty.wait_until(std::chrono::system_clock::now()), std::system_error);
    CHECK_THROWS_AS(sharemap::wait_all({empty}), std::system_error);
    CHECK(empty.release() == nullptr);
    empty.close(); // nothing to close: still fine
    CHECK_FALSE(empty);
}

TEST_CASE("Standard handles the parent lacks, or that cannot be duplicated, are skipped rather than an error",
          "[process][stdio]") {
    TempFile out("skipped-out.txt");
    File file = File::create(out.path().wstring());
    const HANDLE input = GetStdHandle(STD_INPUT_HANDLE);
    const HANDLE error = GetStdHandle(STD_ERROR_HANDLE);
    // No standard error at all, and a standard input value that is not an open handle (as a closed console leaves).
    SetStdHandle(STD_ERROR_HANDLE, nullptr);
    SetStdHandle(STD_INPUT_HANDLE, reinterpret_cast<HANDLE>(std::uintptr_t{0x7ffffff0}));
    std::error_code ec;
    Process child = Process::start(self(), {"--child", "process_echo", "skipped"},
                                   ProcessOptions().standard_output(file), ec);
    SetStdHandle(STD_INPUT_HANDLE, input);
    SetStdHandle(STD_ERROR_HANDLE, error);
    REQUIRE_FALSE(ec);
    CHECK(child.wait() == 0);
    CHECK_THAT(without_cr(read_file(out.path())), Catch::Matchers::StartsWith("argc=1\n[skipped]\n"));
}
