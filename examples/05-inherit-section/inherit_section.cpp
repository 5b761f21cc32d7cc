// SPDX-License-Identifier: MIT
// 05-inherit-section: a parent shares an unnamed section with a child it starts. No name means no other process can
// find it, and no squatting: the only way in is the handle the parent chooses to pass. The same program plays both
// parts: without arguments it is the parent; with "child <handle>" the child.
#include <sharemap/sharemap.hpp>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <string>
#include <system_error>

namespace {

constexpr std::size_t message_offset = 0;
constexpr std::size_t reply_offset = 2048;

int run_parent() {
    // Not inheritable: no child gets this handle by accident (std::system, another library's CreateProcess).
    const sharemap::FileMapping section = sharemap::FileMapping::create_unnamed(4096);
    const sharemap::MappedView view = section.map();
    const char message[] = "hello from the parent";
    std::memcpy(view.data() + message_offset, message, sizeof message);

    // inherited(section) gives this child alone a duplicate of the handle, and puts its value on the command line.
    const sharemap::Process child = sharemap::Process::start(sharemap::Process::current_executable(),
                                                             {"child", sharemap::inherited(section)});
    const unsigned long code = child.wait();
    std::cout << "parent: child exited with " << code << " and replied \""
              << reinterpret_cast<const char*>(view.data() + reply_offset) << "\"\n";
    return code == 0 ? 0 : 1;
}

int run_child(std::uintptr_t handle_value) {
    // adopt() checks that the value names a section in this process before taking ownership of it.
    const auto handle = reinterpret_cast<void*>(handle_value);
    const sharemap::FileMapping section = sharemap::FileMapping::adopt(handle, sharemap::Access::read_write);
    const sharemap::MappedView view = section.map();
    std::cout << "child: read \"" << reinterpret_cast<const char*>(view.data() + message_offset) << "\"\n";
    const char reply[] = "hello from the child";
    std::memcpy(view.data() + reply_offset, reply, sizeof reply);
    return 0;
}

// The handle value the parent put on the command line: decimal digits only, and in range. (std::stoull would read
// "12abc" as 12, and throw for "abc".)
bool parse_handle(const char* text, std::uintptr_t& out) {
    const char* end = text + std::strlen(text);
    const auto [last, error] = std::from_chars(text, end, out);
    return error == std::errc() && last == end;
}

} // namespace

int main(int argc, char** argv) {
    try {
        if (argc == 3 && std::string(argv[1]) == "child") {
            std::uintptr_t handle_value = 0;
            if (!parse_handle(argv[2], handle_value)) {
                std::cerr << "child: <handle> must be a handle value in decimal, not \"" << argv[2] << "\"\n";
                return 2;
            }
            return run_child(handle_value);
        }
        if (argc == 1) {
            return run_parent();
        }
        std::cerr << "usage: inherit_section [child <handle>]\n";
        return 2;
    } catch (const std::system_error& e) {
        std::cerr << (argc == 3 ? "child: " : "parent: ") << e.what() << "\n";
        return 1;
    }
}
