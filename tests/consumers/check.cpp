// SPDX-License-Identifier: MIT
// The program each consumer test builds (tests/consumers/*/, and with no build system at all by
// scripts/consumers.sh): sharemap as a user gets it, used across two processes. The parent creates a named section
// that only the current user may open (a security descriptor: advapi32, which each way of taking sharemap must link),
// writes a question into it and starts itself as a child, which opens the section by name and writes the answer.
// Exit status 0 if the parent reads the right answer.
//   consumer_check               the parent
//   consumer_check child <name>  the child
#include <sharemap/sharemap.hpp>

#include <process.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

// The umbrella header brings the version, which a copy of include/ must carry too.
static_assert(SHAREMAP_VERSION >= 100, "sharemap 0.1.0 or later");

namespace {

struct Message {
    std::uint32_t question;
    std::uint32_t answer;
};

int child(const char* name) {
    const auto mapping = sharemap::FileMapping::open(name, sharemap::Access::read_write);
    const auto view = mapping.map();
    auto* message = view.as<Message>();
    message->answer = message->question * 2;
    return 0;
}

int parent() {
    const std::string name = "Local\\sharemap-consumer-" + std::to_string(_getpid());
    const auto mapping = sharemap::FileMapping::create(
        name, 4096, sharemap::CreateOptions().security(sharemap::Security::current_user_only()));
    const auto view = mapping.map();
    auto* message = view.as<Message>();
    message->question = 21;

    auto process = sharemap::Process::start(sharemap::Process::current_executable(), {"child", name});
    if (!process.wait_for(std::chrono::seconds(60))) {
        process.terminate(1);
        (void)std::fprintf(stderr, "consumer: the child did not finish within 60 s\n");
        return 1;
    }
    const unsigned long code = process.exit_code();
    if (code != 0 || message->answer != 42) {
        (void)std::fprintf(stderr, "consumer: the child exited with %lu and answered %u (expected 0 and 42)\n", code,
                           static_cast<unsigned>(message->answer));
        return 1;
    }
    std::printf("consumer: sharemap %d.%d.%d; the child opened the section by name and answered 42\n",
                SHAREMAP_VERSION_MAJOR, SHAREMAP_VERSION_MINOR, SHAREMAP_VERSION_PATCH);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        if (argc == 3 && std::strcmp(argv[1], "child") == 0) {
            return child(argv[2]);
        }
        return parent();
    } catch (const std::exception& e) {
        (void)std::fprintf(stderr, "consumer: %s\n", e.what());
        return 1;
    }
}
