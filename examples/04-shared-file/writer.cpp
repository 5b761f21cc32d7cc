// SPDX-License-Identifier: MIT
// 04-shared-file, first process: writes records into a file through a mapped view, then makes them durable.
// Usage: writer <file> [count]. Run reader on the same file afterwards (or at the same time: both map one file).
#include <sharemap/sharemap.hpp>

#include "record.hpp"

#include <atomic>
#include <cstdio>
#include <iostream>
#include <string>
#include <system_error>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: writer <file> [count]\n";
        return 2;
    }
    const std::string path = argv[1];
    const std::uint32_t count = argc > 2 ? static_cast<std::uint32_t>(std::stoul(argv[2])) : 5;
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
