// SPDX-License-Identifier: MIT
// 01-named-shared-memory, second process: opens the section writer.exe (or raw_writer.exe) created, by name, and
// prints the message in it. Usage: reader [object-name]
#include <sharemap/sharemap.hpp>

#include <iostream>
#include <string_view>
#include <system_error>

int main(int argc, char** argv) {
    // The same name as the writer's, spelled exactly the same: names are case-sensitive and never prefixed for you.
    const char* name = argc > 1 ? argv[1] : "Local\\MyFileMappingObject";
    try {
        // Ask only for the access we use: a read-only handle can map read-only views and nothing more.
        // If no writer is running this throws errc::no_such_file_or_directory.
        const sharemap::FileMapping mapping = sharemap::FileMapping::open(name, sharemap::Access::read);
        // The whole section. Its size comes from the kernel, rounded up to whole pages.
        const sharemap::MappedView view = mapping.map();

        // Don't trust the other process to have written a terminator: stop at the first NUL or the end of the view.
        std::string_view text(reinterpret_cast<const char*>(view.data()), view.size());
        text = text.substr(0, text.find('\0'));
        std::cout << "reader: read \"" << text << "\"" << std::endl;
    } catch (const std::system_error& e) {
        std::cerr << "reader: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
