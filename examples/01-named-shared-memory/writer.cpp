// SPDX-License-Identifier: MIT
// 01-named-shared-memory, first process: creates a named section, writes a message into it and keeps it alive until
// Enter is pressed. Run reader.exe (or raw_reader.exe) while it waits. Usage: writer [object-name]
#include <sharemap/sharemap.hpp>

#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>

int main(int argc, char** argv) {
    // sharemap passes the name to Windows unchanged: "Local\" (this session) is our choice, not a default it adds.
    // argv is in the ANSI code page and sharemap reads narrow names as UTF-8, so keep names given here ASCII.
    const char* name = argc > 1 ? argv[1] : "Local\\MyFileMappingObject";
    constexpr std::string_view message = "Message from first process.";
    try {
        // create() fails with errc::file_exists if the name is taken: we never write into someone else's object.
        const sharemap::FileMapping mapping = sharemap::FileMapping::create(name, 256);
        const sharemap::MappedView view = mapping.map();
        // A new section starts zero-filled, so the message stays NUL-terminated for readers that want a C string.
        std::memcpy(view.data(), message.data(), message.size());

        // std::endl flushes: stdout may be a pipe, and whoever starts the reader waits for this line.
        std::cout << "writer: wrote \"" << message << "\" to " << name << "; press Enter to exit" << std::endl;

        // The section exists only while some process holds it, so stay here until told to go. A line on stdin
        // works from a console, a pipe or a fifo alike.
        std::string line;
        std::getline(std::cin, line);
        // Leaving this scope unmaps view, then closes mapping: the section goes once no process holds either.
    } catch (const std::system_error& e) {
        std::cerr << "writer: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
