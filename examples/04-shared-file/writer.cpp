// SPDX-License-Identifier: MIT
// 04-shared-file, first process: writes records into a file through a mapped view, then makes them durable.
// Usage: writer <file> [count]. Run reader on the same file afterwards (or at the same time: both map one file).
#include <sharemap/sharemap.hpp>

#include "record.hpp"

#include <atomic>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <system_error>

namespace {

// The record count from the command line: decimal digits only, and in range. (std::stoul would read "12abc" as 12,
// throw for "abc", and take a count above 2^32 - 1 that a cast would then cut short.)
bool parse_count(const char* text, std::uint32_t& out) {
    const char* end = text + std::strlen(text);
    const auto [last, error] = std::from_chars(text, end, out);
    return error == std::errc() && last == end;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::cerr << "usage: writer <file> [count]\n";
        return 2;
    }
    const std::string path = argv[1];
    std::uint32_t count = 5;
    if (argc > 2 && !parse_count(argv[2], count)) {
        std::cerr << "writer: [count] must be a whole number up to 4294967295, not \"" << argv[2] << "\"\n";
        return 2;
    }
    try {
        // The file must be open for writing to map it read-write; open_or_create keeps an existing file's bytes.
        sharemap::File file = sharemap::File::open_or_create(path);
        // Giving a size larger than the file grows the file to it: room for the header and every record.
        const std::uint64_t size = sizeof(Header) + std::uint64_t{count} * sizeof(Record);
        const sharemap::FileMapping mapping = sharemap::FileMapping::from_file(file, sharemap::Access::read_write,
                                                                               size);
        sharemap::MappedView view = mapping.map();

        // as<T>() checks that a T fits at that offset and is aligned for it, instead of trusting a cast.
        auto* header = view.as<Header>();
        for (std::uint32_t i = 0; i < count; ++i) {
            auto* record = view.as<Record>(sizeof(Header) + i * sizeof(Record));
            record->id = i + 1;
            record->value = (i + 1) * (i + 1);
            std::snprintf(record->label, sizeof record->label, "record #%u", static_cast<unsigned>(i + 1));
        }
        header->count = count;
        // Last, and with release order: plain stores may be reordered (by the compiler, or by the processor on
        // other architectures) unless something orders them; a reader that loads the magic with acquire order and
        // sees it then sees every store above.
        header->magic.store(records_magic, std::memory_order_release);

        // Writes to a view reach the file lazily. flush(file) writes the dirty pages (FlushViewOfFile) and then
        // the file's buffers (FlushFileBuffers), so the records survive even a power cut. Nothing does it for you.
        view.flush(file);
        std::cout << "writer: wrote " << count << " records to " << path << "\n";
    } catch (const std::system_error& e) {
        std::cerr << "writer: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
